// SPDX-License-Identifier: Apache-2.0
// A chat client built on the official TypeScript SDK (npm `spacetimedb`, its real DbConnection
// over a real WebSocket), run against our spacetime-chat-host by tst_tsclient. Tables and
// reducers come from chat-module.mjs; nothing here is generated or copied.
//
//   node ts-chat-client.mjs scenario URL [--database NAME] [--tag TAG]
//       Two TS clients chat with each other: anonymous connect (identity + token), subscription
//       rows, set_name / send_message, each other's rows, the exact error texts of invalid
//       calls, a bad query, disconnect → online=false, reconnect with the saved token (same
//       identity). Every step asserts concrete values. Without --tag the database must be
//       empty; with it (a real server's database that keeps earlier rows) each text ends in
//       " TAG" and the checks count only those messages.
//   node ts-chat-client.mjs exchange URL --name NAME --say TEXT --expect TEXT --peer-name NAME
//       One TS client talking to someone else (tst_tsclient's C++ client): sets its name, sends
//       TEXT, and waits for a message EXPECT from a user called PEER-NAME.
//
// Output: one JSON object per line on stdout ({"event": …}); the last one is {"event":"done",…}.
// Any failed check prints "FAIL: …" on stderr and exits 1. Every wait is bounded.
//
// On Node < 22 the SDK opens its WebSocket with the `undici` package (pinned in package.json).

import { loadSdk } from './sdk.mjs';
import { chatRemoteModule } from './chat-module.mjs';

const STEP_TIMEOUT_MS = 10000;
const TOTAL_TIMEOUT_MS = 50000;

function fail(message) {
    throw new Error(message);
}

function check(condition, message) {
    if (!condition)
        fail(message);
}

function equal(actual, expected, what) {
    if (actual !== expected)
        fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function emit(event, fields = {}) {
    process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

// Polls `predicate` until it returns something truthy (which is returned).
async function waitFor(what, predicate, timeoutMs = STEP_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = predicate();
        if (value)
            return value;
        if (Date.now() > deadline)
            fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise(r => setTimeout(r, 5));
    }
}

// Rejects with a clear message if `promise` does not settle in time.
function within(what, promise, timeoutMs = STEP_TIMEOUT_MS) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)),
                           timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function parseArgs(argv) {
    const [mode, url, ...rest] = argv;
    const opts = { mode, url, database: 'quickstart-chat', tag: '' };
    for (let i = 0; i < rest.length; i += 2) {
        const key = rest[i];
        const value = rest[i + 1];
        if (!key?.startsWith('--') || value === undefined)
            fail(`bad argument ${key}`);
        opts[key.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = value;
    }
    if (!['scenario', 'exchange'].includes(mode) || !url)
        fail('usage: ts-chat-client.mjs scenario|exchange URL [options]');
    return opts;
}

// One connected SDK client with its subscription, plus what its callbacks reported.
class Client {
    constructor(stdb, module, label) {
        this.stdb = stdb;
        this.module = module;
        this.label = label;
        this.insertedMessages = []; // every message row reported by onInsert, in order
        this.userUpdates = [];      // [oldRow, newRow] from onUpdate
        this.disconnects = 0;
    }

    async connect(url, database, token) {
        let onConnect;
        let onError;
        const connected = new Promise((resolve, reject) => {
            onConnect = resolve;
            onError = reject;
        });
        const builder =
            new this.stdb.DbConnectionBuilder(this.module, cfg => new this.stdb.DbConnectionImpl(cfg))
                .withUri(url)
                .withDatabaseName(database)
                .withCompression('gzip')
                .onConnect((_conn, identity, tok) => onConnect({ identity, token: tok }))
                .onConnectError((_ctx, err) => onError(new Error(`${this.label}: connect error: ${err?.message ?? err}`)))
                .onDisconnect(() => { ++this.disconnects; });
        if (token)
            builder.withToken(token);
        this.conn = builder.build();
        const { identity, token: sessionToken } =
            await within(`${this.label} to connect`, connected);
        this.identity = identity;
        this.token = sessionToken;
        this.conn.db.message.onInsert((_ctx, row) => this.insertedMessages.push(row));
        this.conn.db.user.onUpdate((_ctx, oldRow, newRow) => this.userUpdates.push([oldRow, newRow]));
        return this;
    }

    async subscribe(queries) {
        let applied;
        let failed;
        const done = new Promise((resolve, reject) => {
            applied = resolve;
            failed = reject;
        });
        this.subscription = this.conn.subscriptionBuilder()
            .onApplied(() => applied())
            .onError((ctx) => failed(new Error(`${this.label}: subscription error: ${ctx.event?.message}`)))
            .subscribe(queries);
        await within(`${this.label}'s subscription to be applied`, done);
    }

    // The subscription error text for `query` (which must fail).
    async subscriptionError(query) {
        const outcome = new Promise(resolve => {
            this.conn.subscriptionBuilder()
                .onApplied(() => resolve({ applied: true }))
                .onError((ctx) => resolve({ error: ctx.event?.message ?? String(ctx.event) }))
                .subscribe(query);
        });
        const r = await within(`${this.label}: outcome of ${query}`, outcome);
        check(!r.applied, `${this.label}: "${query}" was applied, expected a SubscriptionError`);
        return r.error;
    }

    user(identity = this.identity) {
        return this.conn.db.user.identity.find(identity) ?? null;
    }

    messages() {
        return [...this.conn.db.message.iter()];
    }

    messagesWithText(text) {
        return this.messages().filter(m => m.text === text);
    }

    // The error a reducer call rejects with; fails if it resolves.
    async reducerError(what, promise) {
        try {
            await within(what, promise);
        } catch (e) {
            return e;
        }
        fail(`${what}: the call succeeded, expected an error`);
    }

    hex() {
        return this.identity.toHexString();
    }

    async disconnect() {
        const before = this.disconnects;
        this.conn.disconnect();
        await waitFor(`${this.label} to report its disconnect`, () => this.disconnects > before);
    }
}

function nameOf(row) {
    return row?.name ?? null;
}

function checkJwt(token, what) {
    check(typeof token === 'string', `${what}: token is not a string`);
    const parts = token.split('.');
    equal(parts.length, 3, `${what}: parts of the JWT`);
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    equal(header.typ ?? 'JWT', 'JWT', `${what}: JWT header typ`);
    check(typeof header.alg === 'string' && header.alg.length > 0, `${what}: JWT has no alg`);
}

async function httpCall(url, database, reducer, args, token) {
    const headers = { 'Content-Type': 'application/json' };
    if (token)
        headers.Authorization = `Bearer ${token}`;
    const r = await within(`POST call/${reducer}`,
                           fetch(new URL(`v1/database/${database}/call/${reducer}`, url),
                                 { method: 'POST', headers, body: JSON.stringify(args) }));
    return { status: r.status, text: await r.text(), identity: r.headers.get('spacetime-identity'),
             token: r.headers.get('spacetime-identity-token') };
}

async function scenario(stdb, module, { url, database, tag }) {
    const QUERIES = ['SELECT * FROM user', 'SELECT * FROM message'];
    // With --tag (a database that keeps earlier runs' rows) every text carries the tag, and
    // the checks count this run's messages only.
    const T = text => (tag ? `${text} ${tag}` : text);
    const mine = rows => (tag ? rows.filter(m => m.text.endsWith(` ${tag}`)) : rows);

    // Rows that exist before anyone subscribes, written through the HTTP call route (which
    // runs connect, the reducer, disconnect as its own short-lived identity).
    const seeded = await httpCall(url, database, 'set_name', ['http-seed']);
    equal(seeded.status, 200, 'HTTP set_name status');
    check(/^[0-9a-f]{64}$/.test(seeded.identity ?? ''), `HTTP identity header: ${seeded.identity}`);
    const seedMsg = await httpCall(url, database, 'send_message', [T('seeded over HTTP')], seeded.token);
    equal(seedMsg.status, 200, 'HTTP send_message status');
    emit('seeded', { identity: seeded.identity });

    // 1. Anonymous connect: identity and token.
    const alice = await new Client(stdb, module, 'alice').connect(url, database);
    check(alice.identity instanceof stdb.Identity, 'alice: identity is not an Identity');
    check(/^[0-9a-f]{64}$/.test(alice.hex()), `alice: identity hex ${alice.hex()}`);
    check(alice.hex() !== seeded.identity, 'alice got the HTTP caller\'s identity');
    checkJwt(alice.token, 'alice');
    const aliceToken = alice.token;
    emit('connected', { client: 'alice', identity: alice.hex() });

    // 2. Subscribe: the rows that are there.
    await alice.subscribe(QUERIES);
    const seedUser = alice.user(stdb.Identity.fromString(seeded.identity));
    check(seedUser, 'alice: the HTTP caller\'s user row is missing');
    equal(nameOf(seedUser), 'http-seed', 'HTTP caller\'s name');
    equal(seedUser.online, false, 'HTTP caller online');
    const aliceRow = alice.user();
    check(aliceRow, 'alice: own user row missing after SubscribeApplied');
    equal(nameOf(aliceRow), null, 'alice: name before set_name');
    equal(aliceRow.online, true, 'alice: online');
    if (!tag)
        equal(Number(alice.conn.db.user.count()), 2, 'alice: user rows');
    const initial = mine(alice.messages());
    equal(initial.length, 1, 'alice: message rows after subscribing');
    equal(initial[0].text, T('seeded over HTTP'), 'alice: seeded message text');
    equal(initial[0].sender.toHexString(), seeded.identity, 'alice: seeded message sender');
    check(initial[0].sent instanceof stdb.Timestamp, 'alice: sent is not a Timestamp');

    // 3. set_name and send_message from alice; rows in alice's cache.
    await within('alice set_name', alice.conn.reducers.setName({ name: 'ts-alice' }));
    equal(nameOf(alice.user()), 'ts-alice', 'alice: own name after set_name');
    const before = Date.now();
    await within('alice send_message', alice.conn.reducers.sendMessage({ text: T('hello from ts-alice') }));
    const aliceMsgs = alice.messagesWithText(T('hello from ts-alice'));
    equal(aliceMsgs.length, 1, 'alice: copies of her message in the cache');
    check(aliceMsgs[0].sender.isEqual(alice.identity), 'alice: her message\'s sender');
    const sentMs = Number(aliceMsgs[0].sent.toMillis());
    check(Math.abs(sentMs - before) < 10000, `alice: message timestamp ${sentMs} vs now ${before}`);
    equal(alice.insertedMessages.filter(m => m.text === T('hello from ts-alice')).length, 1,
          'alice: onInsert calls for her message');
    emit('sent', { client: 'alice', text: T('hello from ts-alice') });

    // 4. A second client sees alice's name and message; alice sees bob's.
    const bob = await new Client(stdb, module, 'bob').connect(url, database);
    check(!bob.identity.isEqual(alice.identity), 'bob got alice\'s identity');
    checkJwt(bob.token, 'bob');
    await bob.subscribe(QUERIES);
    equal(nameOf(bob.user(alice.identity)), 'ts-alice', 'bob: alice\'s name');
    equal(bob.user(alice.identity).online, true, 'bob: alice online');
    const seenByBob = bob.messagesWithText(T('hello from ts-alice'));
    equal(seenByBob.length, 1, 'bob: copies of alice\'s message');
    check(seenByBob[0].sender.isEqual(alice.identity), 'bob: sender of alice\'s message');
    equal(mine(bob.messages()).length, 2, 'bob: message rows after subscribing');
    await waitFor('alice to see bob online',
                  () => alice.user(bob.identity)?.online === true);

    await within('bob set_name', bob.conn.reducers.setName({ name: 'ts-bob' }));
    await within('bob send_message', bob.conn.reducers.sendMessage({ text: T('hi alice, bob here') }));
    const fromBob = await waitFor('alice to receive bob\'s message',
                                  () => alice.insertedMessages.find(m => m.text === T('hi alice, bob here')));
    check(fromBob.sender.isEqual(bob.identity), 'alice: sender of bob\'s message');
    await waitFor('alice to see bob\'s name', () => nameOf(alice.user(bob.identity)) === 'ts-bob');
    check(alice.userUpdates.some(([o, n]) => n.identity.isEqual(bob.identity) && nameOf(o) === null &&
                                             nameOf(n) === 'ts-bob'),
          'alice: no onUpdate for bob\'s rename');
    equal(alice.insertedMessages.filter(m => m.text === T('hi alice, bob here')).length, 1,
          'alice: onInsert calls for bob\'s message');
    emit('exchanged', { alice: alice.hex(), bob: bob.hex() });

    // 5. Invalid calls fail with the module's exact error text and change nothing.
    const emptyName = await alice.reducerError('set_name("")', alice.conn.reducers.setName({ name: '' }));
    check(emptyName instanceof stdb.SenderError, `set_name(""): ${emptyName?.name}: ${emptyName?.message}`);
    equal(emptyName.message, 'Names must not be empty', 'set_name("") error');
    const emptyText = await alice.reducerError('send_message("")',
                                               alice.conn.reducers.sendMessage({ text: '' }));
    check(emptyText instanceof stdb.SenderError, `send_message(""): ${emptyText?.name}`);
    equal(emptyText.message, 'Messages must not be empty', 'send_message("") error');
    equal(nameOf(alice.user()), 'ts-alice', 'alice: name after the failed set_name');
    equal(mine(alice.messages()).length, 3, 'alice: message rows after the failed send_message');
    // A query the host rejects: the SDK reports the server's text.
    const badQuery = await alice.subscriptionError('SELECT * FROM nosuchtable');
    check(/no such table/i.test(badQuery) && badQuery.includes('nosuchtable'),
          `bad query error text: ${badQuery}`);
    emit('errors', { setName: emptyName.message, sendMessage: emptyText.message, query: badQuery });

    // 6. Disconnect: bob sees alice go offline.
    await alice.disconnect();
    await waitFor('bob to see alice offline', () => bob.user(alice.identity)?.online === false);
    check(bob.userUpdates.some(([o, n]) => n.identity.isEqual(alice.identity) && o.online && !n.online),
          'bob: no onUpdate for alice going offline');

    // 7. Reconnect with the saved token: same identity, name kept, online again.
    const alice2 = await new Client(stdb, module, 'alice (reconnected)').connect(url, database, aliceToken);
    equal(alice2.hex(), alice.hex(), 'identity after reconnecting with the saved token');
    checkJwt(alice2.token, 'alice (reconnected)');
    await alice2.subscribe(QUERIES);
    equal(nameOf(alice2.user()), 'ts-alice', 'alice (reconnected): name');
    equal(alice2.user().online, true, 'alice (reconnected): online');
    equal(alice2.messagesWithText(T('hello from ts-alice')).length, 1, 'alice (reconnected): her message');
    equal(alice2.messagesWithText(T('hi alice, bob here')).length, 1, 'alice (reconnected): bob\'s message');
    await waitFor('bob to see alice online again', () => bob.user(alice.identity)?.online === true);
    await within('alice (reconnected) send_message',
                 alice2.conn.reducers.sendMessage({ text: T('back again') }));
    const back = await waitFor('bob to receive "back again"',
                               () => bob.insertedMessages.find(m => m.text === T('back again')));
    check(back.sender.isEqual(alice.identity), 'bob: sender of "back again"');
    emit('reconnected', { identity: alice2.hex() });

    // Nobody saw anything twice.
    for (const c of [bob, alice2]) {
        const texts = mine(c.messages()).map(m => m.text).sort();
        equal(JSON.stringify(texts),
              JSON.stringify([T('back again'), T('hello from ts-alice'), T('hi alice, bob here'),
                              T('seeded over HTTP')].sort()),
              `${c.label}: message texts in the cache`);
    }

    await alice2.disconnect();
    await bob.disconnect();
    emit('done', {
        alice: alice.hex(), bob: bob.hex(), seed: seeded.identity,
        messages: [T('seeded over HTTP'), T('hello from ts-alice'), T('hi alice, bob here'), T('back again')],
    });
}

async function exchange(stdb, module, { url, database, name, say, expect, peerName }) {
    check(name && say && expect && peerName, 'exchange needs --name, --say, --expect, --peer-name');
    const me = await new Client(stdb, module, name).connect(url, database);
    await me.subscribe(['SELECT * FROM user', 'SELECT * FROM message']);
    await within('set_name', me.conn.reducers.setName({ name }));
    emit('connected', { identity: me.hex(), token: me.token });
    await within('send_message', me.conn.reducers.sendMessage({ text: say }));
    emit('sent', { text: say });
    const got = await waitFor(`a message "${expect}" from ${peerName}`,
                              () => me.insertedMessages.find(m => m.text === expect),
                              30000);
    const sender = me.user(got.sender);
    check(sender, `no user row for the sender ${got.sender.toHexString()}`);
    equal(nameOf(sender), peerName, 'name of the sender');
    equal(sender.online, true, 'sender online');
    check(!got.sender.isEqual(me.identity), 'the expected message came from myself');
    equal(me.insertedMessages.filter(m => m.text === expect).length, 1, 'copies received');
    equal(me.messagesWithText(say).length, 1, 'copies of my own message in the cache');
    await me.disconnect();
    emit('done', { identity: me.hex(), sender: got.sender.toHexString(), text: got.text,
                   sent: got.sent.microsSinceUnixEpoch.toString() });
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    const { stdb } = await loadSdk();
    stdb.setGlobalLogLevel?.('warn');
    const module = chatRemoteModule(stdb);
    if (opts.mode === 'scenario')
        await scenario(stdb, module, opts);
    else
        await exchange(stdb, module, opts);
}

const watchdog = setTimeout(() => {
    process.stderr.write(`FAIL: still running after ${TOTAL_TIMEOUT_MS} ms\n`);
    process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
    () => process.exit(0),
    e => {
        process.stderr.write(`FAIL: ${e?.stack ?? e}\n`);
        process.exit(1);
    });
