// SPDX-License-Identifier: Apache-2.0
#include "chattables.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"

#include <algorithm>

QByteArray encodeUser(const UserRow &row) {
    stdb::BsatnWriter w;
    w.writeIdentity(row.identity);
    if (row.name) {
        w.writeTag(0);
        w.writeString(*row.name);
    } else {
        w.writeTag(1);
    }
    w.writeBool(row.online);
    return w.take();
}

std::optional<UserRow> decodeUser(QByteArrayView bytes) {
    stdb::BsatnReader r(bytes);
    UserRow u;
    u.identity = r.readIdentity();
    if (r.readOptionTag())
        u.name = r.readString();
    u.online = r.readBool();
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return u;
}

QByteArray encodeMessage(const MessageRow &row) {
    stdb::BsatnWriter w;
    w.writeIdentity(row.sender);
    w.writeTimestamp(row.sent);
    w.writeString(row.text);
    return w.take();
}

std::optional<MessageRow> decodeMessage(QByteArrayView bytes) {
    stdb::BsatnReader r(bytes);
    MessageRow m;
    m.sender = r.readIdentity();
    m.sent = r.readTimestamp();
    m.text = r.readString();
    if (!r.ok() || !r.atEnd())
        return std::nullopt;
    return m;
}

QByteArray stringArgs(const QString &s) {
    stdb::BsatnWriter w;
    w.writeString(s);
    return w.take();
}

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
