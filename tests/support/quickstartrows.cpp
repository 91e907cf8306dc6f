// SPDX-License-Identifier: Apache-2.0
#include "quickstartrows.h"

namespace stdb::testing {

QByteArray encodeUser(const UserRow &row) {
    return toBsatn(row);
}

QByteArray encodeMessage(const MessageRow &row) {
    return toBsatn(row);
}

QByteArray userRow(const Identity &identity, const std::optional<QString> &name, bool online) {
    return encodeUser(UserRow{identity, name, online});
}

QByteArray messageRow(const Identity &sender, Timestamp sent, const QString &text) {
    return encodeMessage(MessageRow{sender, sent, text});
}

std::optional<UserRow> decodeUser(QByteArrayView bytes) {
    auto row = fromBsatn<UserRow>(bytes, "user row");
    return row ? std::optional<UserRow>(*row) : std::nullopt;
}

std::optional<MessageRow> decodeMessage(QByteArrayView bytes) {
    auto row = fromBsatn<MessageRow>(bytes, "message row");
    return row ? std::optional<MessageRow>(*row) : std::nullopt;
}

QByteArray stringArgs(const QString &text) {
    return toBsatn(text);
}

} // namespace stdb::testing
