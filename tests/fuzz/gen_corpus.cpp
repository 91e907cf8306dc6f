// SPDX-License-Identifier: Apache-2.0
// Writes the fuzz seed corpus from our own encoder: real messages, as frames without and with
// compression (server) and as plain payloads (client), v2 single messages and v3 batches.
// Also the seeds of fuzz_bindings_rows: [flags][v3 body] sessions of quickstart-chat rows
// (harness_bindings_rows.cpp explains the flags).
//   stdb-fuzz-corpus OUTPUT_DIR   (creates OUTPUT_DIR/server_frame, OUTPUT_DIR/client_message
//                                  and OUTPUT_DIR/bindings_rows)

#include "../spacetime/samplemessages.h"

#include "spacetime/protocol/messagecodec.h"

#include <QDir>
#include <QFile>
#include <QTextStream>

using namespace stdb;
using namespace stdb::protocol;

namespace {

bool write(const QString &dir, const QString &name, const QByteArray &bytes) {
    QFile f(dir + u'/' + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        QTextStream(stderr) << "cannot write " << f.fileName() << '\n';
        return false;
    }
    return true;
}

QString slug(qsizetype i, const QString &name) {
    return QStringLiteral("%1_%2").arg(i, 2, 10, QLatin1Char('0')).arg(name.toLower());
}

Identity person(int n) {
    U256 v = U256::fromUInt64(quint64(n) * 0x9e3779b97f4a7c15ULL + 1);
    v.littleEndian()[31] = 0xc2;
    return Identity(v);
}

QByteArray user(int n, const std::optional<QString> &name, bool online) {
    return testing::userRow(person(n), name, online);
}

QByteArray message(int n, qint64 minute, const QString &text) {
    return testing::messageRow(
        person(n), Timestamp::fromMicros(testing::exampleTimestamp().micros() + minute * 60000000),
        text);
}

QueryRows snapshot(const QList<QByteArray> &users, const QList<QByteArray> &messages) {
    QueryRows q;
    q.tables.append({QStringLiteral("user"), RowList::fromRows(users)});
    q.tables.append({QStringLiteral("message"), RowList::fromRowsWithOffsets(messages)});
    return q;
}

TransactionUpdate transaction(QuerySetId set, const QList<QByteArray> &userInserts,
                              const QList<QByteArray> &userDeletes,
                              const QList<QByteArray> &messageInserts) {
    QuerySetUpdate qs;
    qs.querySetId = set;
    if (!userInserts.isEmpty() || !userDeletes.isEmpty())
        qs.tables.append({QStringLiteral("user"),
                          {PersistentTableRows{RowList::fromRows(userInserts),
                                               RowList::fromRows(userDeletes)}}});
    if (!messageInserts.isEmpty())
        qs.tables.append({QStringLiteral("message"),
                          {PersistentTableRows{RowList::fromRows(messageInserts), RowList()}}});
    TransactionUpdate u;
    u.querySets.append(qs);
    return u;
}

QByteArray seed(quint8 flags, const QList<ServerMessage> &messages) {
    QByteArray out(1, char(flags));
    for (const ServerMessage &m : messages)
        out += encodeServerMessage(m);
    return out;
}

bool writeBindingsRows(const QString &dir) {
    const QList<QByteArray> users = {user(1, QStringLiteral("alice"), true),
                                     user(2, std::nullopt, false),
                                     user(3, QString::fromUtf8("Zoë 👋"), true)};
    const QList<QByteArray> messages = {message(1, 0, QStringLiteral("hello")),
                                        message(2, 1, QString()),
                                        message(3, 2, QString::fromUtf8("ünïcödé ✓"))};
    const ServerMessage subscribed = SubscribeApplied{1, 1, snapshot(users, messages)};

    // A whole session: the snapshot, a new message, a rename (delete + insert of the same key),
    // a reducer's transaction, a user going offline twice in one message, the unsubscribe.
    ReducerResult reducer;
    reducer.requestId = 7;
    reducer.timestamp = testing::exampleTimestamp();
    reducer.result =
        ReducerOk{QByteArray(), transaction(1, {}, {}, {message(1, 3, QStringLiteral("again"))})};
    const QList<ServerMessage> session = {
        subscribed,
        transaction(1, {}, {}, {message(2, 4, QStringLiteral("hi alice"))}),
        transaction(1, {user(2, QStringLiteral("bob"), false)}, {user(2, std::nullopt, false)}, {}),
        reducer,
        transaction(1, {user(1, QStringLiteral("alice"), false)},
                    {user(1, QStringLiteral("alice"), true)}, {}),
        transaction(2, {}, {}, {message(3, 5, QStringLiteral("set 2 is not subscribed"))}),
        UnsubscribeApplied{2, 1, snapshot(users.mid(2), messages)},
    };

    // Two overlapping query sets; one fails later, the other is unsubscribed without rows.
    const QList<ServerMessage> twoSets = {
        subscribed,
        SubscribeApplied{2, 2, snapshot(users.mid(0, 2), messages.mid(1))},
        SubscribeApplied{2, 2, snapshot(users, {})}, // duplicate: ignored
        transaction(2, {user(4, QStringLiteral("dave"), true)}, {}, {}),
        SubscriptionError{std::nullopt, 2, QStringLiteral("the query set failed later")},
        UnsubscribeApplied{3, 1, std::nullopt},
    };

    // Rows the bindings cannot decode: cut short, bool 2, option tag 7, invalid UTF-8.
    QByteArray badBool = users[0];
    badBool[badBool.size() - 1] = 2;
    QByteArray badOption = users[1];
    badOption[32] = 7;
    QByteArray badText = messages[0];
    badText[badText.size() - 1] = char(0xff);
    const QList<ServerMessage> badRows = {
        SubscribeApplied{1, 1,
                         snapshot({users[0].left(20), badBool, badOption, users[2]},
                                  {badText, messages[1].left(40), messages[2] + "x"})},
        transaction(1, {}, {badBool}, {}),
    };

    // Event rows, and a fixed-size row list (users without a name are 34 bytes each).
    TransactionUpdate events;
    events.querySets.append(
        {1, {{QStringLiteral("message"), {EventTableRows{RowList::fromRows(messages)}}}}});
    QueryRows fixed;
    fixed.tables.append(
        {QStringLiteral("user"),
         RowList::fromFixedSize(34, user(5, std::nullopt, true) + user(6, std::nullopt, false))});
    const QList<ServerMessage> eventsAndFixed = {
        SubscribeApplied{1, 1, fixed},
        events,
        transaction(1, {user(5, std::nullopt, false)}, {user(5, std::nullopt, true)}, {}),
    };

    // Rows of tables the bindings do not know, next to known ones.
    QueryRows unknown = snapshot(users.mid(0, 1), messages.mid(0, 1));
    unknown.tables.append({QStringLiteral("user_v2"), RowList::fromRows(users)});

    bool ok = true;
    ok &= write(dir, QStringLiteral("00_snapshot"), seed(0, {subscribed}));
    ok &= write(dir, QStringLiteral("01_snapshot_prepared"), seed(1, {subscribed}));
    ok &= write(dir, QStringLiteral("02_session"), seed(0, session));
    ok &= write(dir, QStringLiteral("03_session_resync"), seed(2, session));
    ok &= write(dir, QStringLiteral("04_session_resync_prepared"), seed(3, session));
    ok &= write(dir, QStringLiteral("05_session_resync_aborted"), seed(6, session));
    ok &= write(dir, QStringLiteral("06_two_sets"), seed(0, twoSets));
    ok &= write(dir, QStringLiteral("07_two_sets_resync"), seed(2, twoSets));
    ok &= write(dir, QStringLiteral("08_bad_rows"), seed(0, badRows));
    ok &= write(dir, QStringLiteral("09_bad_rows_resync_prepared"), seed(3, badRows));
    ok &= write(dir, QStringLiteral("10_events_fixed_size"), seed(0, eventsAndFixed));
    // Event rows during a resync are reported at once; the hidden replica's rows are not.
    ok &= write(dir, QStringLiteral("15_events_resync"), seed(2, eventsAndFixed));
    ok &=
        write(dir, QStringLiteral("11_unknown_table"), seed(0, {SubscribeApplied{1, 1, unknown}}));
    ok &= write(dir, QStringLiteral("12_samples"), seed(0, testing::sampleServerMessages()));
    ok &= write(dir, QStringLiteral("13_samples_resync"), seed(3, testing::sampleServerMessages()));
    ok &= write(dir, QStringLiteral("14_large_snapshot"),
                seed(1, {testing::largeSubscribeApplied(60, 20)}));
    return ok;
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        QTextStream(stderr) << "usage: " << argv[0] << " OUTPUT_DIR\n";
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    const QString server = out + QStringLiteral("/server_frame");
    const QString client = out + QStringLiteral("/client_message");
    const QString rows = out + QStringLiteral("/bindings_rows");
    if (!QDir().mkpath(server) || !QDir().mkpath(client) || !QDir().mkpath(rows))
        return 1;

    bool ok = true;
    const QList<ServerMessage> messages = testing::sampleServerMessages();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray body = encodeServerMessage(messages[i]);
        const QString base = slug(i, messageName(messages[i]));
        ok &= write(server, base + QStringLiteral("_none"),
                    encodeServerFrame(body, Compression::None));
        // Threshold 0 so small messages get compressed seeds too.
        if (i % 3 == 0) {
            ok &= write(server, base + QStringLiteral("_gzip"),
                        encodeServerFrame(body, Compression::Gzip, 0));
            ok &= write(server, base + QStringLiteral("_brotli"),
                        encodeServerFrame(body, Compression::Brotli, 0));
        }
    }
    // v3 batches: everything in one body, and a small pair.
    QByteArray all;
    for (const ServerMessage &m : messages)
        all += encodeServerMessage(m);
    ok &= write(server, QStringLiteral("v3_all_none"), encodeServerFrame(all, Compression::None));
    ok &=
        write(server, QStringLiteral("v3_all_gzip"), encodeServerFrame(all, Compression::Gzip, 0));
    ok &= write(server, QStringLiteral("v3_all_brotli"),
                encodeServerFrame(all, Compression::Brotli, 0));
    const QByteArray pair = encodeServerMessage(messages[5]) + encodeServerMessage(messages[13]);
    ok &= write(server, QStringLiteral("v3_pair_none"), encodeServerFrame(pair, Compression::None));
    // A bigger initial subscription, above the compression threshold as the server sends it.
    const QByteArray big = encodeServerMessage(testing::largeSubscribeApplied(60, 20));
    ok &= write(server, QStringLiteral("large_subscribe_applied_gzip"),
                encodeServerFrame(big, Compression::Gzip));
    ok &= write(server, QStringLiteral("large_subscribe_applied_brotli"),
                encodeServerFrame(big, Compression::Brotli));

    const QList<ClientMessage> requests = testing::sampleClientMessages();
    for (qsizetype i = 0; i < requests.size(); ++i)
        ok &= write(client, slug(i, messageName(requests[i])), encodeClientMessage(requests[i]));
    ok &= write(client, QStringLiteral("v3_all"), encodeClientMessagesV3(requests));

    ok &= writeBindingsRows(rows);
    return ok ? 0 : 1;
}
