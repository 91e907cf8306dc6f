// SPDX-License-Identifier: Apache-2.0
// spacetime-inspect: MessageJson in process for every message, and the real executable via
// QProcess on payloads produced by our encoder (decode -> JSON -> encode gives the same bytes),
// plus the error cases that must exit with status 2.

#include "inspect/inspector.h"
#include "quickstartrows.h"
#include "spacetime/protocol/messagecodec.h"
#include "spacetime/schema/valuejson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace stdb;
using namespace stdb::protocol;

namespace {

const char kIdentityHex[] = "c2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e";

QByteArray readFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return f.readAll();
}

ModuleSchema quickstart() {
    Expected<ModuleSchema> s =
        ModuleSchema::fromJson(readFile(QStringLiteral(STDB_QUICKSTART_SCHEMA)));
    if (!s)
        qFatal("%s", qPrintable(s.error().toString()));
    return *s;
}

Identity identity() {
    return Identity::fromHex(QString::fromLatin1(kIdentityHex));
}

QByteArray userRow(const std::optional<QString> &name, bool online) {
    return stdb::testing::userRow(identity(), name, online);
}

QByteArray messageRow(const QString &text, qint64 sent) {
    return stdb::testing::messageRow(identity(), Timestamp::fromMicros(sent), text);
}

QueryRows sampleRows() {
    QueryRows q;
    // Different row lengths: RowOffsets. Equal lengths: FixedSize.
    q.tables.append(
        {QStringLiteral("user"), RowList::fromRows({userRow(QStringLiteral("Alice"), true),
                                                    userRow(std::nullopt, false)})});
    q.tables.append(
        {QStringLiteral("message"),
         RowList::fromRows({messageRow(QStringLiteral("Hello, world"), 1704067200000000LL),
                            messageRow(QStringLiteral("Hi there, A!"), 1704067201000000LL)})});
    return q;
}

TransactionUpdate sampleUpdate() {
    TransactionUpdate tu;
    QuerySetUpdate qs;
    qs.querySetId = 1;
    TableUpdate t;
    t.tableName = QStringLiteral("user");
    t.rows.append(PersistentTableRows{RowList::fromRows({userRow(QStringLiteral("Bob"), true)}),
                                      RowList::fromRows({userRow(std::nullopt, true)})});
    t.rows.append(EventTableRows{RowList()});
    qs.tables.append(t);
    TableUpdate unknown; // not in the schema: stays raw
    unknown.tableName = QStringLiteral("ghost");
    unknown.rows.append(
        PersistentTableRows{RowList::fromFixedSize(2, QByteArray("abcd")), RowList()});
    qs.tables.append(unknown);
    tu.querySets.append(qs);
    return tu;
}

QList<ServerMessage> allServerMessages() {
    const Timestamp ts = Timestamp::fromMicros(1704067200000000LL);
    QList<ServerMessage> out;
    out << InitialConnection{identity(), ConnectionId::fromHex(u"00112233445566778899aabbccddeeff"),
                             QStringLiteral("eyJ")};
    out << SubscribeApplied{1, 1, sampleRows()};
    out << UnsubscribeApplied{2, 1, sampleRows()} << UnsubscribeApplied{3, 4, std::nullopt};
    out << SubscriptionError{std::nullopt, 9, QStringLiteral("x")}
        << SubscriptionError{5, 9, QStringLiteral("bad sql")};
    out << sampleUpdate();
    out << OneOffQueryResult{6, sampleRows()}
        << OneOffQueryResult{7, QStringLiteral("no such table")};
    out << ReducerResult{7, ts, ReducerOk{QByteArray("\x01\x02", 2), sampleUpdate()}}
        << ReducerResult{8, ts, ReducerOkEmpty{}}
        << ReducerResult{9, ts,
                         ReducerErr{QByteArray::fromHex(
                             "170000004e616d6573206d757374206e6f7420626520656d707479")}}
        << ReducerResult{10, ts, ReducerInternalError{QStringLiteral("no such reducer")}};
    out << ProcedureResult{ProcedureReturned{QByteArray("\x00", 1)}, ts,
                           TimeDuration::fromMicros(1234), 11}
        << ProcedureResult{ProcedureInternalError{QStringLiteral("boom")}, ts,
                           TimeDuration::fromMicros(-1), 12};
    return out;
}

QList<ClientMessage> allClientMessages() {
    QByteArray bob;
    {
        BsatnWriter w;
        w.writeString(u"Bob");
        bob = w.take();
    }
    QList<ClientMessage> out;
    out << Subscribe{
        1, 1, {QStringLiteral("SELECT * FROM user"), QStringLiteral("SELECT * FROM message")}};
    out << Unsubscribe{2, 1, UnsubscribeFlags::SendDroppedRows}
        << Unsubscribe{3, 2, UnsubscribeFlags::Default};
    out << OneOffQuery{4, QStringLiteral("SELECT * FROM message")};
    out << CallReducer{5, 0, QStringLiteral("set_name"), bob};
    out << CallReducer{6, 0, QStringLiteral("set_name"),
                       QByteArray("\x01", 1)}; // bad args: stays hex
    out << CallReducer{7, 0, QStringLiteral("unknown"), QByteArray("\xff", 1)};
    out << CallProcedure{8, 0, QStringLiteral("proc"), QByteArray()};
    return out;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runTool(const QStringList &args, const QByteArray &stdinData = {}) {
    QProcess p;
    p.start(QStringLiteral(STDB_INSPECT_BIN), args);
    if (!p.waitForStarted())
        qFatal("cannot start spacetime-inspect");
    p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            QString::fromUtf8(p.readAllStandardError()).trimmed()};
}

} // namespace

class TestTool : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_schemaPath = QStringLiteral(STDB_QUICKSTART_SCHEMA);

    QString writeTemp(const QString &name, const QByteArray &data) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // decode the payload, then encode the printed JSON; both must succeed and give back the bytes.
    QByteArray roundTrip(const QByteArray &payload, const QStringList &direction,
                         const QStringList &extra) {
        const QString in = writeTemp(QStringLiteral("payload.bin"), payload);
        const Run d =
            runTool(QStringList{QStringLiteral("decode")} + direction + extra + QStringList{in});
        if (d.exitCode != 0)
            qWarning("decode failed: %s", qPrintable(d.err));
        const Run e = runTool(QStringList{QStringLiteral("encode")} + direction + extra +
                                  QStringList{QStringLiteral("-")},
                              d.out);
        if (e.exitCode != 0)
            qWarning("encode failed: %s\n%s", qPrintable(e.err), d.out.constData());
        return e.out;
    }

private slots:
    void inProcessServerRoundTrip() {
        const ModuleSchema schema = quickstart();
        for (const ModuleSchema *s : {static_cast<const ModuleSchema *>(nullptr), &schema}) {
            const inspect::MessageJson mj(s);
            for (const ServerMessage &m : allServerMessages()) {
                const QJsonObject j = mj.toJson(m);
                Expected<ServerMessage> back = mj.serverFromJson(j);
                QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
                QCOMPARE(encodeServerMessage(*back), encodeServerMessage(m));
            }
        }
    }

    void inProcessClientRoundTrip() {
        const ModuleSchema schema = quickstart();
        for (const ModuleSchema *s : {static_cast<const ModuleSchema *>(nullptr), &schema}) {
            const inspect::MessageJson mj(s);
            for (const ClientMessage &m : allClientMessages()) {
                const QJsonObject j = mj.toJson(m);
                Expected<ClientMessage> back = mj.clientFromJson(j);
                QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
                QCOMPARE(*back, m);
            }
        }
    }

    void jsonShapes() {
        const ModuleSchema schema = quickstart();
        const inspect::MessageJson typed(&schema);
        const inspect::MessageJson raw;
        const ServerMessage applied = SubscribeApplied{1, 1, sampleRows()};

        const QJsonObject r = raw.toJson(applied).value(u"SubscribeApplied").toObject();
        const QJsonObject userRaw = r[u"rows"][u"tables"][0][u"rows"].toObject();
        QCOMPARE(userRaw[u"size_hint"].toObject().value(u"RowOffsets").toArray(),
                 (QJsonArray{QStringLiteral("0"), QStringLiteral("43")}));
        QVERIFY(userRaw[u"rows_data"].toString().startsWith(u"1e1d1c"));
        QCOMPARE(r[u"rows"][u"tables"][1][u"rows"][u"size_hint"].toObject(),
                 (QJsonObject{{"FixedSize", 56}}));

        const QJsonObject t = typed.toJson(applied).value(u"SubscribeApplied").toObject();
        const QJsonObject userTyped = t[u"rows"][u"tables"][0][u"rows"].toObject();
        QCOMPARE(userTyped[u"size_hint"].toString(), QStringLiteral("RowOffsets"));
        const QJsonArray users = userTyped[u"rows"].toArray();
        QCOMPARE(users.size(), 2);
        QCOMPARE(users[0].toObject(),
                 (QJsonObject{{"identity", QStringLiteral("0x") + QLatin1String(kIdentityHex)},
                              {"name", QStringLiteral("Alice")},
                              {"online", true}}));
        QCOMPARE(users[1].toObject().value(u"name"), QJsonValue());
        const QJsonObject msg = t[u"rows"][u"tables"][1][u"rows"][u"rows"][0].toObject();
        QCOMPARE(msg.value(u"sent").toInteger(), 1704067200000000LL);

        const QJsonObject call =
            typed.toJson(allClientMessages()[4]).value(u"CallReducer").toObject();
        QCOMPARE(call.value(u"args").toObject(), (QJsonObject{{"name", QStringLiteral("Bob")}}));
        QCOMPARE(typed.toJson(allClientMessages()[5]).value(u"CallReducer")[u"args"].toString(),
                 QStringLiteral("01"));

        const QJsonObject ic =
            raw.toJson(allServerMessages()[0]).value(u"InitialConnection").toObject();
        QCOMPARE(ic.value(u"connection_id").toString(),
                 QStringLiteral("0x00112233445566778899aabbccddeeff"));
        const QJsonObject rr =
            raw.toJson(allServerMessages()[10]).value(u"ReducerResult").toObject();
        QCOMPARE(rr.value(u"result").toObject(), (QJsonObject{{"OkEmpty", QJsonObject()}}));
        QCOMPARE(rr.value(u"timestamp").toInteger(), 1704067200000000LL);
        const QJsonObject se =
            raw.toJson(allServerMessages()[4]).value(u"SubscriptionError").toObject();
        QCOMPARE(se.value(u"request_id"), QJsonValue());

        // Rows that do not match the schema stay raw, with a note.
        QueryRows bad;
        bad.tables.append({QStringLiteral("user"), RowList::fromRows({QByteArray("short")})});
        const QJsonObject badJson = typed.toJson(ServerMessage(SubscribeApplied{1, 1, bad}))
                                        .value(u"SubscribeApplied")[u"rows"][u"tables"][0][u"rows"]
                                        .toObject();
        QVERIFY(badJson.contains(u"rows_data"));
        QVERIFY(badJson.value(u"decode_error").toString().startsWith(u"row 0:"));
    }

    void toolRoundTripServer() {
        const QList<ServerMessage> msgs = allServerMessages();
        for (const Compression c : {Compression::None, Compression::Gzip, Compression::Brotli}) {
            for (const ServerMessage &m : msgs) {
                const QByteArray frame = encodeServerFrame(encodeServerMessage(m), c, 0);
                QCOMPARE(roundTrip(frame, {QStringLiteral("--server")}, {}), frame);
                if (c == Compression::None || m.index() == 1)
                    QCOMPARE(roundTrip(frame, {QStringLiteral("--server")},
                                       {QStringLiteral("--schema"), m_schemaPath}),
                             frame);
            }
        }
    }

    void toolRoundTripClient() {
        for (const ClientMessage &m : allClientMessages()) {
            const QByteArray payload = encodeClientMessage(m);
            QCOMPARE(roundTrip(payload, {QStringLiteral("--client")}, {}), payload);
            QCOMPARE(roundTrip(payload, {QStringLiteral("--client")},
                               {QStringLiteral("--schema"), m_schemaPath}),
                     payload);
        }
    }

    void toolV3() {
        const QList<ClientMessage> cms = allClientMessages();
        const QByteArray client = encodeClientMessagesV3(cms);
        QCOMPARE(roundTrip(client, {QStringLiteral("--client")}, {QStringLiteral("--v3")}), client);
        QByteArray body;
        for (const ServerMessage &m : allServerMessages())
            body += encodeServerMessage(m);
        for (const Compression c : {Compression::None, Compression::Gzip}) {
            const QByteArray frame = encodeServerFrame(body, c, 0);
            QCOMPARE(roundTrip(frame, {QStringLiteral("--server")},
                               {QStringLiteral("--v3"), QStringLiteral("--schema"), m_schemaPath}),
                     frame);
            const Run d = runTool({QStringLiteral("decode"), QStringLiteral("--server"),
                                   QStringLiteral("--v3"), QStringLiteral("-")},
                                  frame);
            QCOMPARE(d.exitCode, 0);
            QCOMPARE(QJsonDocument::fromJson(d.out).object().value(u"messages").toArray().size(),
                     allServerMessages().size());
        }
    }

    void toolHex() {
        CallReducer call = std::get<CallReducer>(allClientMessages()[4]);
        call.requestId = 7;
        const QByteArray payload = encodeClientMessage(call);
        const QByteArray hexText = payload.toHex(' ') + "\n";
        const Run d = runTool({QStringLiteral("decode"), QStringLiteral("--client"),
                               QStringLiteral("--hex"), QStringLiteral("-")},
                              hexText);
        QCOMPARE(d.exitCode, 0);
        const Run e = runTool({QStringLiteral("encode"), QStringLiteral("--client"),
                               QStringLiteral("--hex"), QStringLiteral("-")},
                              d.out);
        QCOMPARE(e.exitCode, 0);
        QCOMPARE(e.out.trimmed(), payload.toHex());
        // Spec §1.7 example 6, byte for byte.
        QCOMPARE(e.out.trimmed(),
                 QByteArray("030700000000080000007365745f6e616d650700000003000000426f62"));
    }

    void typedEditsEncode() {
        // A hand-written typed message (what a user edits) encodes as expected.
        const QByteArray json = R"({"compression": "none", "message": {"SubscribeApplied": {
            "request_id": 1, "query_set_id": 1, "rows": {"tables": [{"table": "user", "rows": {
            "size_hint": "FixedSize", "rows": [
              {"identity": "0xc2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
               "name": null, "online": true}]}}]}}}})";
        const Run e = runTool({QStringLiteral("encode"), QStringLiteral("--server"),
                               QStringLiteral("--schema"), m_schemaPath, QStringLiteral("-")},
                              json);
        QCOMPARE(e.exitCode, 0);
        QueryRows q;
        q.tables.append({QStringLiteral("user"), RowList::fromRows({userRow(std::nullopt, true)})});
        QCOMPARE(e.out, encodeServerFrame(encodeServerMessage(SubscribeApplied{1, 1, q}),
                                          Compression::None));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error");
        const QByteArray frame = encodeServerFrame(
            encodeServerMessage(SubscribeApplied{1, 1, sampleRows()}), Compression::None);
        const QStringList decS{QStringLiteral("decode"), QStringLiteral("--server"),
                               QStringLiteral("-")};
        const QStringList decC{QStringLiteral("decode"), QStringLiteral("--client"),
                               QStringLiteral("-")};
        const QStringList encS{QStringLiteral("encode"), QStringLiteral("--server"),
                               QStringLiteral("-")};
        const QStringList encC{QStringLiteral("encode"), QStringLiteral("--client"),
                               QStringLiteral("-")};
        QTest::newRow("truncated server") << decS << frame.left(20) << QStringLiteral("(at byte ");
        QTest::newRow("truncated at 3")
            << decS << frame.left(3)
            << QStringLiteral(
                   "unexpected end of input reading u32 (need 4 bytes, 1 left) (at byte 2)");
        QTest::newRow("empty") << decS << QByteArray()
                               << QStringLiteral("empty server payload (at byte 0)");
        QTest::newRow("bad compression tag")
            << decS << QByteArray("\x05\x00", 2)
            << QStringLiteral("unknown compression tag 0x05 (at byte 0)");
        QTest::newRow("corrupt gzip")
            << decS << QByteArray("\x02garbage") << QStringLiteral("gzip");
        QTest::newRow("trailing bytes") << decC << encodeClientMessage(allClientMessages()[0]) + "x"
                                        << QStringLiteral("(at byte ");
        QTest::newRow("bad client tag")
            << decC << QByteArray("\x09") << QStringLiteral("unknown tag 0x09");
        QTest::newRow("bad hex") << QStringList{QStringLiteral("decode"),
                                                QStringLiteral("--client"), QStringLiteral("--hex"),
                                                QStringLiteral("-")}
                                 << QByteArray("03 07 zz")
                                 << QStringLiteral("invalid hex digit 'z' at character 6");
        QTest::newRow("odd hex") << QStringList{QStringLiteral("decode"),
                                                QStringLiteral("--client"), QStringLiteral("--hex"),
                                                QStringLiteral("-")}
                                 << QByteArray("030") << QStringLiteral("odd number of hex digits");
        QTest::newRow("bad json") << encS << QByteArray("{\"message\": ")
                                  << QStringLiteral("invalid JSON");
        QTest::newRow("unknown message")
            << encS << QByteArray(R"({"message": {"Hello": {}}})")
            << QStringLiteral("message: unknown server message \"Hello\"");
        QTest::newRow("unknown client message") << encC << QByteArray(R"({"Bye": {}})")
                                                << QStringLiteral("unknown client message \"Bye\"");
        QTest::newRow("missing field")
            << encC << QByteArray(R"({"OneOffQuery": {"request_id": 1}})")
            << QStringLiteral("OneOffQuery.query_string: missing");
        QTest::newRow("unknown field")
            << encC
            << QByteArray(R"({"OneOffQuery": {"request_id": 1, "query_string": "", "x": 1}})")
            << QStringLiteral("OneOffQuery.x: unknown field");
        QTest::newRow("bad compression name")
            << encS << QByteArray(R"({"compression": "zip", "message": {}})")
            << QStringLiteral("compression: expected");
        QTest::newRow("typed rows without schema")
            << encS
            << QByteArray(R"({"message": {"SubscribeApplied": {"request_id": 1, "query_set_id": 1,
                "rows": {"tables": [{"table": "user", "rows": {"size_hint": "RowOffsets", "rows": []}}]}}}})")
            << QStringLiteral(
                   "message.SubscribeApplied.rows.tables[0].rows.rows: typed rows need --schema");
        QTest::newRow("request id range")
            << encC
            << QByteArray(R"({"OneOffQuery": {"request_id": 4294967296, "query_string": ""}})")
            << QStringLiteral("OneOffQuery.request_id: expected an integer in [0, 4294967295]");
        QTest::newRow("no direction")
            << QStringList{QStringLiteral("decode"), QStringLiteral("-")} << QByteArray()
            << QStringLiteral("give exactly one of --server and --client");
        QTest::newRow("missing file")
            << QStringList{QStringLiteral("decode"), QStringLiteral("--server"),
                           QStringLiteral("/nonexistent/frame.bin")}
            << QByteArray() << QStringLiteral("cannot read /nonexistent/frame.bin");
        QTest::newRow("bad schema")
            << QStringList{QStringLiteral("decode"), QStringLiteral("--server"),
                           QStringLiteral("--schema"),
                           QStringLiteral(STDB_INSPECT_DATA "/../CMakeLists.txt"),
                           QStringLiteral("-")}
            << frame << QStringLiteral("invalid JSON");
    }

    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        const Run r = runTool(args, input);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u'\n'), "errors are one line");
        QVERIFY(r.out.isEmpty());
    }

    // Truncating a frame at every byte gives exit status 2 with an offset, never a crash.
    void truncationEverywhere() {
        const QByteArray frame =
            encodeServerFrame(encodeServerMessage(ServerMessage(ReducerResult{
                                  7, Timestamp::fromMicros(1), ReducerOk{{}, sampleUpdate()}})),
                              Compression::None);
        const inspect::Inspector in;
        for (qsizetype cut = 0; cut < frame.size(); ++cut) {
            Expected<QJsonValue> r = in.decodeServer(frame.left(cut));
            QVERIFY(!r);
            QVERIFY(r.error().offset() >= 0 && r.error().offset() <= cut);
        }
        // And a few through the executable.
        for (qsizetype cut : {qsizetype(1), qsizetype(2), frame.size() / 2, frame.size() - 1}) {
            const Run r =
                runTool({QStringLiteral("decode"), QStringLiteral("--server"), QStringLiteral("-")},
                        frame.left(cut));
            QCOMPARE(r.exitCode, 2);
            QVERIFY(r.err.contains(u"(at byte "));
        }
    }

    // The README's demo frame: a SubscribeApplied of quickstart-chat rows. STDB_WRITE_SAMPLES=1
    // rewrites it from sampleRows().
    void sampleFrame() {
        const QByteArray frame = encodeServerFrame(
            encodeServerMessage(SubscribeApplied{1, 1, sampleRows()}), Compression::None);
        const QString path = QStringLiteral(STDB_INSPECT_DATA "/subscribe-applied.bin");
        if (qEnvironmentVariableIsSet("STDB_WRITE_SAMPLES")) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(frame);
        }
        QCOMPARE(readFile(QStringLiteral(STDB_INSPECT_DATA "/subscribe-applied.bin")), frame);
        const Run d = runTool({QStringLiteral("decode"), QStringLiteral("--server"), path,
                               QStringLiteral("--schema"), m_schemaPath});
        QCOMPARE(d.exitCode, 0);
        QVERIFY(d.out.contains("\"Alice\""));
        QVERIFY(d.out.contains("\"Hello, world\""));
        QCOMPARE(roundTrip(frame, {QStringLiteral("--server")},
                           {QStringLiteral("--schema"), m_schemaPath}),
                 frame);
    }
};

QTEST_GUILESS_MAIN(TestTool)
#include "tst_tool.moc"
