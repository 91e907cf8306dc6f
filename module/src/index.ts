// SPDX-License-Identifier: Apache-2.0
//
// The quickstart-chat module: what Spacetime Chat's clients (Widgets, Qt Quick, console) and the
// generated bindings in bindings/quickstart_chat expect a server to run. The development host
// (src/devhost/chatmodule.cpp) implements the same tables, reducers and error texts, and
// tests/module checks that this module's definition, bindings/quickstart_chat/schema.json and
// the host's /schema agree.
//
// Publish it on a local SpacetimeDB:  spacetime publish --module-path module quickstart-chat

import { schema, SenderError, t, table } from 'spacetimedb/server';

const spacetimedb = schema({
  // One row per identity that has ever connected; `name` stays empty until set_name.
  user: table(
    { public: true },
    {
      identity: t.identity().primaryKey(),
      name: t.string().optional(),
      online: t.bool(),
    }
  ),
  message: table(
    { public: true },
    {
      sender: t.identity(),
      sent: t.timestamp(),
      text: t.string(),
    }
  ),
});
export default spacetimedb;

// The reducers' names are their export names; clients call them by these names.

export const set_name = spacetimedb.reducer({ name: t.string() }, (ctx, { name }) => {
  if (name === '') {
    throw new SenderError('Names must not be empty');
  }
  const user = ctx.db.user.identity.find(ctx.sender);
  if (!user) {
    throw new SenderError('Cannot set name for unknown user');
  }
  ctx.db.user.identity.update({ ...user, name });
});

export const send_message = spacetimedb.reducer({ text: t.string() }, (ctx, { text }) => {
  if (text === '') {
    throw new SenderError('Messages must not be empty');
  }
  console.info(text);
  ctx.db.message.insert({ sender: ctx.sender, sent: ctx.timestamp, text });
});

// Publishing creates empty tables; there is nothing to seed.
export const init = spacetimedb.init(() => {});

export const identity_connected = spacetimedb.clientConnected(ctx => {
  const user = ctx.db.user.identity.find(ctx.sender);
  if (user) {
    // Updating in place keeps the row's identity: subscribers see one update, not a
    // delete and an insert.
    ctx.db.user.identity.update({ ...user, online: true });
  } else {
    ctx.db.user.insert({ identity: ctx.sender, name: undefined, online: true });
  }
});

export const identity_disconnected = spacetimedb.clientDisconnected(ctx => {
  const user = ctx.db.user.identity.find(ctx.sender);
  if (user) {
    ctx.db.user.identity.update({ ...user, online: false });
  } else {
    console.warn(
      `Disconnect event for unknown user with identity ${ctx.sender.toHexString()}`
    );
  }
});
