// SPDX-License-Identifier: Apache-2.0
#include "chattables.h"

#include <algorithm>

UserTable::UserTable(stdb::DbConnection *connection)
    : TableHandle(connection, QStringLiteral("user")) {
    // The identity column is the first 32 bytes of every row.
    cache()->setPrimaryKey(QStringLiteral("identity"), [](QByteArrayView row) {
        return row.size() >= 32 ? row.first(32) : QByteArrayView();
    });
}

std::optional<UserRow> UserTable::find(const stdb::Identity &identity) const {
    const QByteArray key = identity.toWireBytes();
    if (const stdb::RowEntry *e = cache()->findByPrimaryKey(key))
        return decodeUser(e->bytes());
    return std::nullopt;
}

QList<UserRow> UserTable::rows() const {
    QList<UserRow> out;
    cache()->forEach([&](const stdb::RowEntry &e) {
        if (auto u = decodeUser(e.bytes()))
            out.append(*u);
    });
    std::sort(out.begin(), out.end(),
              [](const UserRow &a, const UserRow &b) { return a.identity < b.identity; });
    return out;
}

void UserTable::dispatch(const stdb::TableDelta &delta, const stdb::EventContext &ctx) {
    for (const stdb::RowEntry *e : delta.deleted)
        if (auto u = decodeUser(e->bytes()))
            Q_EMIT rowDeleted(*u, ctx);
    for (const auto &[o, n] : delta.updated) {
        auto ou = decodeUser(o->bytes());
        auto nu = decodeUser(n->bytes());
        if (ou && nu)
            Q_EMIT rowUpdated(*ou, *nu, ctx);
    }
    for (const stdb::RowEntry *e : delta.inserted)
        if (auto u = decodeUser(e->bytes()))
            Q_EMIT rowInserted(*u, ctx);
}

MessageTable::MessageTable(stdb::DbConnection *connection)
    : TableHandle(connection, QStringLiteral("message")) {}

QList<MessageRow> MessageTable::rows() const {
    QList<MessageRow> out;
    cache()->forEach([&](const stdb::RowEntry &e) {
        if (auto m = decodeMessage(e.bytes()))
            out.append(*m);
    });
    std::sort(out.begin(), out.end(), [](const MessageRow &a, const MessageRow &b) {
        return std::tie(a.sent, a.text) < std::tie(b.sent, b.text);
    });
    return out;
}

void MessageTable::dispatch(const stdb::TableDelta &delta, const stdb::EventContext &ctx) {
    for (const stdb::RowEntry *e : delta.deleted)
        if (auto m = decodeMessage(e->bytes()))
            Q_EMIT rowDeleted(*m, ctx);
    for (const stdb::RowEntry *e : delta.inserted)
        if (auto m = decodeMessage(e->bytes()))
            Q_EMIT rowInserted(*m, ctx);
}
