// SPDX-License-Identifier: Apache-2.0
#include "samplemessages.h"

namespace stdb::testing {

using namespace protocol;
using namespace Qt::StringLiterals;

Identity exampleIdentity() {
    return Identity::fromHex(u"c2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
}

ConnectionId exampleConnectionId() {
    return ConnectionId::fromHex(u"00112233445566778899aabbccddeeff");
}

Timestamp exampleTimestamp() {
    return Timestamp::fromMicros(1704067200000000);
}

namespace {

Identity otherIdentity(int n) {
    U256 v = U256::fromUInt64(quint64(n) * 0x9e3779b97f4a7c15ULL);
    v.littleEndian()[31] = 0xc2;
    v.littleEndian()[30] = 0x00;
    return Identity(v);
}

TransactionUpdate sampleTransactionUpdate() {
    const Identity x = exampleIdentity();
    TransactionUpdate u;
    QuerySetUpdate qs;
    qs.querySetId = 1;
    TableUpdate users;
    users.tableName = QStringLiteral("user");
    users.rows.append(PersistentTableRows{RowList::fromRows({userRow(x, u"Bob"_s, true)}),
                                          RowList::fromRows({userRow(x, std::nullopt, true)})});
    TableUpdate messages;
    messages.tableName = QStringLiteral("message");
    messages.rows.append(PersistentTableRows{
        RowList::fromRows(
            {messageRow(x, exampleTimestamp(), u"Hello, world!"_s),
             messageRow(otherIdentity(2), exampleTimestamp(), u"Grüße aus Köln — ☕ 🚀"_s)}),
        RowList()});
    TableUpdate events;
    events.tableName = QStringLiteral("typing_event");
    events.rows.append(EventTableRows{RowList::fromRows({QByteArray(8, '\x01')})});
    qs.tables = {users, messages, events};
    QuerySetUpdate qs2;
    qs2.querySetId = 7;
    TableUpdate users2 = users;
    qs2.tables = {users2, users2}; // repeated table names are legal
    u.querySets = {qs, qs2};
    return u;
}

QueryRows sampleQueryRows() {
    QueryRows q;
    QList<QByteArray> users;
    for (int i = 0; i < 5; ++i)
        users.append(userRow(otherIdentity(i),
                             i % 2 ? std::optional<QString>(u"user%1"_s.arg(i)) : std::nullopt,
                             i % 3 == 0));
    QList<QByteArray> messages;
    for (int i = 0; i < 4; ++i)
        messages.append(messageRow(otherIdentity(i),
                                   exampleTimestamp() + TimeDuration::fromMillis(i),
                                   u"message number %1"_s.arg(i)));
    q.tables.append(SingleTableRows{u"user"_s, RowList::fromRows(users)});
    q.tables.append(SingleTableRows{u"message"_s, RowList::fromRowsWithOffsets(messages)});
    q.tables.append(SingleTableRows{u"user"_s, RowList()});
    return q;
}

} // namespace

QList<ClientMessage> sampleClientMessages() {
    return {
        Subscribe{1, 1, {u"SELECT * FROM user"_s, u"SELECT * FROM message"_s}},
        Subscribe{2, 2, {}},
        Unsubscribe{3, 1, UnsubscribeFlags::SendDroppedRows},
        Unsubscribe{4, 2, UnsubscribeFlags::Default},
        OneOffQuery{5, u"SELECT * FROM message WHERE text = 'héllo'"_s},
        CallReducer{6, 0, u"set_name"_s, stringArgs(u"Bob"_s)},
        CallReducer{7, 0, u"send_message"_s, stringArgs(u"Hello 👋"_s)},
        CallReducer{8, 0, u"no_args"_s, {}},
        CallProcedure{9, 0, u"fetch_weather"_s, stringArgs(u"Berlin"_s)},
    };
}

QList<ServerMessage> sampleServerMessages() {
    QList<ServerMessage> out;
    out.append(InitialConnection{exampleIdentity(), exampleConnectionId(),
                                 u"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"_s});
    out.append(SubscribeApplied{1, 1, sampleQueryRows()});
    out.append(SubscribeApplied{2, 2, QueryRows{}});
    out.append(UnsubscribeApplied{3, 1, sampleQueryRows()});
    out.append(UnsubscribeApplied{4, 2, std::nullopt});
    out.append(SubscriptionError{5, 3, u"no such table: `usr`"_s});
    out.append(SubscriptionError{std::nullopt, 9, u"x"_s});
    out.append(sampleTransactionUpdate());
    out.append(TransactionUpdate{});
    out.append(OneOffQueryResult{6, sampleQueryRows()});
    out.append(OneOffQueryResult{7, u"syntax error near FROM"_s});
    out.append(
        ReducerResult{8, exampleTimestamp(), ReducerOk{QByteArray(), sampleTransactionUpdate()}});
    out.append(ReducerResult{9, exampleTimestamp(), ReducerOk{QByteArray("\x2a\0\0\0", 4), {}}});
    out.append(ReducerResult{10, exampleTimestamp(), ReducerOkEmpty{}});
    out.append(ReducerResult{11, exampleTimestamp(),
                             ReducerErr{stringArgs(u"Names must not be empty"_s)}});
    out.append(ReducerResult{12, exampleTimestamp(), ReducerInternalError{u"no such reducer"_s}});
    out.append(ProcedureResult{ProcedureReturned{stringArgs(u"sunny, 21°C"_s)}, exampleTimestamp(),
                               TimeDuration::fromMicros(1234), 13});
    out.append(ProcedureResult{ProcedureInternalError{u"no such procedure"_s}, exampleTimestamp(),
                               TimeDuration::fromMicros(0), 14});
    return out;
}

ServerMessage largeSubscribeApplied(int messages, int users) {
    QList<QByteArray> m;
    m.reserve(messages);
    for (int i = 0; i < messages; ++i)
        m.append(messageRow(otherIdentity(i % 97), exampleTimestamp() + TimeDuration::fromMicros(i),
                            u"chat line %1: the quick brown fox jumps"_s.arg(i, 6)));
    QList<QByteArray> u;
    for (int i = 0; i < users; ++i)
        u.append(userRow(otherIdentity(i), u"user-%1"_s.arg(i), i % 2 == 0));
    QueryRows q;
    q.tables.append(SingleTableRows{u"message"_s, RowList::fromRows(m)});
    q.tables.append(SingleTableRows{u"user"_s, RowList::fromRows(u)});
    return SubscribeApplied{1, 1, q};
}

} // namespace stdb::testing
