// SPDX-License-Identifier: Apache-2.0
#include "eventlog.h"

#include <QMetaEnum>

namespace {

// The enumerator's name, so a failing comparison reads "Connected", not "2".
template <typename E>
QString enumName(E value) {
    const char *key = QMetaEnum::fromType<E>().valueToKey(int(value));
    return key ? QString::fromLatin1(key) : QStringLiteral("?%1").arg(int(value));
}

} // namespace

QString EventLog::ctxName(const stdb::EventContext &ctx) {
    QString s = stdb::kindName(ctx.kind());
    if (ctx.kind() == stdb::EventContext::Kind::Reducer)
        s += QLatin1Char(':') + ctx.reducer().reducer;
    return s;
}

QString EventLog::userText(const UserRow &u) {
    return QStringLiteral("%1/%2/%3")
        .arg(u.identity.toShortHex().left(8), u.name.value_or(QStringLiteral("-")),
             u.online ? QStringLiteral("on") : QStringLiteral("off"));
}

EventLog::EventLog(stdb::DbConnection *c, UserTable *users, MessageTable *messages) {
    using stdb::DbConnection;
    connect(c, &DbConnection::stateChanged, this,
            [this](DbConnection::State s) { add(QStringLiteral("state ") + enumName(s)); });
    connect(c, &DbConnection::connected, this, [this] { add(QStringLiteral("connected")); });
    connect(c, &DbConnection::connectError, this,
            [this](const stdb::Error &e) { add(QStringLiteral("connectError ") + e.message()); });
    connect(c, &DbConnection::disconnected, this, [this](const std::optional<stdb::Error> &e) {
        add(QStringLiteral("disconnected ") + (e ? e->message() : QStringLiteral("clean")));
    });
    connect(c, &DbConnection::reconnecting, this,
            [this](int attempt, int) { add(QStringLiteral("reconnecting %1").arg(attempt)); });
    connect(c, &DbConnection::bindingsOutOfDate, this,
            [this](const QString &t) { add(QStringLiteral("bindingsOutOfDate ") + t); });
    connect(c, &DbConnection::cacheInvariantViolated, this,
            [this](const QString &) { add(QStringLiteral("violation")); });
    connect(c, &DbConnection::reducerCompleted, this, [this](const stdb::ReducerOutcome &o) {
        add(QStringLiteral("reducerCompleted %1 %2").arg(o.reducer, stdb::statusName(o.status)));
    });
    if (users) {
        connect(users, &UserTable::rowInserted, this,
                [this](const UserRow &u, const stdb::EventContext &ctx) {
                    add(QStringLiteral("user+ %1 %2").arg(userText(u), ctxName(ctx)));
                });
        connect(users, &UserTable::rowDeleted, this,
                [this](const UserRow &u, const stdb::EventContext &ctx) {
                    add(QStringLiteral("user- %1 %2").arg(userText(u), ctxName(ctx)));
                });
        connect(users, &UserTable::rowUpdated, this,
                [this](const UserRow &o, const UserRow &n, const stdb::EventContext &ctx) {
                    add(QStringLiteral("user~ %1 -> %2 %3")
                            .arg(userText(o), userText(n), ctxName(ctx)));
                });
    }
    if (messages) {
        connect(messages, &MessageTable::rowInserted, this,
                [this](const MessageRow &m, const stdb::EventContext &ctx) {
                    add(QStringLiteral("message+ %1 %2").arg(m.text, ctxName(ctx)));
                });
        connect(messages, &MessageTable::rowDeleted, this,
                [this](const MessageRow &m, const stdb::EventContext &ctx) {
                    add(QStringLiteral("message- %1 %2").arg(m.text, ctxName(ctx)));
                });
    }
}

QStringList EventLog::matching(const QString &prefix) const {
    QStringList out;
    for (const QString &e : entries)
        if (e.startsWith(prefix))
            out.append(e);
    return out;
}
