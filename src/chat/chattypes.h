// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"

#include <QObject>
#include <QString>

#include <optional>

namespace chat {
Q_NAMESPACE

// Where one of our own messages is on its way to the server.
enum class DeliveryState {
    Sent,        // confirmed: the server has it
    Pending,     // waiting for a connection, or sent and awaiting the reducer result
    Unconfirmed, // the connection dropped after sending: outcome unknown until it shows up
    Failed,      // the server rejected it (reason alongside); retry or discard
};
Q_ENUM_NS(DeliveryState)

// A row of the quickstart-chat `message` table, as the chat layer holds it.
struct ChatMessage {
    stdb::Identity sender;
    stdb::Timestamp sent;
    QString text;
    bool operator==(const ChatMessage &) const = default;
};

// A row of the `user` table.
struct ChatUser {
    stdb::Identity identity;
    std::optional<QString> name;
    bool online = false;
    bool operator==(const ChatUser &) const = default;
};

// Limits the client checks before sending (the server checks only emptiness).
inline constexpr int kMaxNameLength = 64;
inline constexpr int kMaxMessageBytes = 8 * 1024;

// User-readable reason a name or message cannot be sent, or an empty string when it is fine.
// Same wording style as the server's own errors ("Names must not be empty").
QString validateName(const QString &name);
QString validateMessage(const QString &text);

// "/name NEW NAME" typed in a message input renames instead of sending (both front ends): the
// new name, trimmed (empty for a bare "/name": the front end shows the usage), or nullopt when
// the text is a message.
std::optional<QString> nameCommand(const QString &text);

// A user's display name: their name, or the first 16 hex digits of their identity.
QString displayName(const stdb::Identity &identity, const std::optional<QString> &name);

} // namespace chat

Q_DECLARE_METATYPE(chat::ChatMessage)
Q_DECLARE_METATYPE(chat::ChatUser)
