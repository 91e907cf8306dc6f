// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rows of quickstart-chat's tables `user` and `message` for tests, in one place. They are
// built and read with the checked-in generated bindings (bindings/quickstart_chat), so a test
// speaks the module's own types. That hides no codec bug from the tests that use them: the
// development host writes its rows from its own description of the module
// (src/devhost/value.cpp), spacetime-inspect reads rows from the schema JSON, tst_tsvectors
// checks these very rows against the official TypeScript SDK, and tst_bsatn checks the SDK's
// BSATN primitives against fixed bytes.

#include "quickstart_chat/message.h"
#include "quickstart_chat/user.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace stdb::testing {

using UserRow = quickstart_chat::User;       // identity, name (Option<String>), online
using MessageRow = quickstart_chat::Message; // sender, sent, text

QByteArray encodeUser(const UserRow &row);
QByteArray encodeMessage(const MessageRow &row);
QByteArray userRow(const Identity &identity, const std::optional<QString> &name, bool online);
QByteArray messageRow(const Identity &sender, Timestamp sent, const QString &text);

// Exactly one row in bytes; nullopt when they are short, hold more or have a bad tag.
std::optional<UserRow> decodeUser(QByteArrayView bytes);
std::optional<MessageRow> decodeMessage(QByteArrayView bytes);

// The arguments of a reducer that takes one String (set_name, send_message).
QByteArray stringArgs(const QString &text);

} // namespace stdb::testing
