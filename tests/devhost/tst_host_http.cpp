// SPDX-License-Identifier: Apache-2.0
// The host's HTTP side against the real executable: every route, its errors, and robustness of
// the HTTP parser on a real socket (partial reads, pipelining, bodies, garbage).

#include "hostprocess.h"
#include "httpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

QJsonDocument json(const HttpReply &r) {
    return QJsonDocument::fromJson(r.body);
}

QByteArray handshake(const QByteArray &target, const QByteArray &extraHeaders = {},
                     const QByteArray &protocol = "v2.bsatn.spacetimedb") {
    QByteArray h = "GET " + target +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (!protocol.isEmpty())
        h += "Sec-WebSocket-Protocol: " + protocol + "\r\n";
    return h + extraHeaders + "\r\n";
}

int statusOf(const QByteArray &response) {
    static const QRegularExpression re(QStringLiteral("^HTTP/1\\.1 (\\d{3})"));
    const auto m = re.match(QString::fromLatin1(response));
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

const QList<std::pair<QByteArray, QByteArray>> kJson{{"Content-Type", "application/json"}};

} // namespace

class TestHostHttp : public QObject {
    Q_OBJECT

    HostProcess m_host;
    HttpClient m_http;

    QUrl url(const QString &path) const { return m_host.http(path); }
    QString mint() {
        return json(m_http.post(url(QStringLiteral("/v1/identity"))))
            .object()
            .value(QStringLiteral("token"))
            .toString();
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_host.start(QStringLiteral(":memory:"),
                              {QStringLiteral("--http-timeout"), QStringLiteral("1500")}),
                 qPrintable(m_host.errorString()));
    }
    void cleanup() {
        if (QTest::currentTestFailed())
            qWarning().noquote() << "host log:\n" << m_host.log().right(4000);
    }
    void cleanupTestCase() { QVERIFY(m_host.stop()); }

    void ping() {
        const HttpReply r = m_http.get(url(QStringLiteral("/v1/ping")));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("*"));
    }

    void unknownRoutes() {
        QCOMPARE(m_http.get(url(QStringLiteral("/nope"))).status, 404);
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/identity"))).status, 405);
        QCOMPARE(m_http.post(url(QStringLiteral("/v1/ping"))).status, 405);
        // Fault controls are off unless --test-controls is given.
        QCOMPARE(m_http.get(url(QStringLiteral("/_test/counters"))).status, 404);
        const HttpReply pre = m_http.request("OPTIONS", url(QStringLiteral("/v1/identity")));
        QCOMPARE(pre.status, 204);
        QVERIFY(pre.header("Access-Control-Allow-Headers").contains("Authorization"));
    }

    void identity() {
        const HttpReply r = m_http.post(url(QStringLiteral("/v1/identity")));
        QCOMPARE(r.status, 200);
        const QJsonObject o = json(r).object();
        const QString id = o.value(QStringLiteral("identity")).toString();
        const QString token = o.value(QStringLiteral("token")).toString();
        QCOMPARE(id.size(), 64);
        QVERIFY(id.startsWith(QStringLiteral("c200")));
        QCOMPARE(token.count(u'.'), 2);

        // The token verifies as that identity; another identity does not match.
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/identity/%1/verify").arg(id)), {bearer(token)})
                     .status,
                 204);
        const QString other = json(m_http.post(url(QStringLiteral("/v1/identity"))))
                                  .object()
                                  .value(QStringLiteral("identity"))
                                  .toString();
        QVERIFY(other != id);
        QCOMPARE(
            m_http.get(url(QStringLiteral("/v1/identity/%1/verify").arg(other)), {bearer(token)})
                .status,
            400);
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/identity/%1/verify").arg(id))).status, 401);
    }

    void websocketToken() {
        const QString token = mint();
        const HttpReply r =
            m_http.post(url(QStringLiteral("/v1/identity/websocket-token")), {}, {bearer(token)});
        QCOMPARE(r.status, 200);
        const QString shortLived = json(r).object().value(QStringLiteral("token")).toString();
        QVERIFY(!shortLived.isEmpty());
        QVERIFY(shortLived != token);
        // The short-lived token carries an expiry 60 s out.
        const QJsonObject claims =
            QJsonDocument::fromJson(QByteArray::fromBase64(shortLived.split(u'.')[1].toLatin1(),
                                                           QByteArray::Base64UrlEncoding))
                .object();
        const double iat = claims.value(QStringLiteral("iat")).toDouble();
        QCOMPARE(claims.value(QStringLiteral("exp")).toDouble() - iat, 60.0);

        const HttpReply none = m_http.post(url(QStringLiteral("/v1/identity/websocket-token")));
        QCOMPARE(none.status, 401);
        QCOMPARE(none.body, QByteArray("Authorization required"));
        QCOMPARE(m_http
                     .post(url(QStringLiteral("/v1/identity/websocket-token")), {},
                           {{"Authorization", "Basic abc"}})
                     .status,
                 400);
        QCOMPARE(m_http
                     .post(url(QStringLiteral("/v1/identity/websocket-token")), {},
                           {bearer(token + QStringLiteral("x"))})
                     .status,
                 401);
        QCOMPARE(
            m_http.post(url(QStringLiteral("/v1/identity/websocket-token?token=%1").arg(token)))
                .status,
            200);
    }

    void schema() {
        const HttpReply v9 = m_http.get(url(QStringLiteral("/v1/database/quickstart-chat/schema?"
                                                           "version=9")));
        QCOMPARE(v9.status, 200);
        QVERIFY(v9.header("Content-Type").startsWith("application/json"));
        QVERIFY(v9.header("spacetime-identity").startsWith("c200"));
        QVERIFY(!v9.header("spacetime-identity-token").isEmpty());
        const QJsonObject o = json(v9).object();
        const QJsonArray tables = o.value(QStringLiteral("tables")).toArray();
        QCOMPARE(tables.size(), 2);
        QCOMPARE(tables[0].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("user"));
        QCOMPARE(tables[0].toObject().value(QStringLiteral("primary_key")).toArray(),
                 QJsonArray{0});
        QCOMPARE(tables[1].toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("message"));
        QStringList reducers;
        for (const QJsonValue &r : o.value(QStringLiteral("reducers")).toArray())
            reducers << r.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(reducers, QStringList({"set_name", "send_message", "init", "identity_connected",
                                        "identity_disconnected"}));
        // Key order follows the Rust struct, as serde writes it.
        QVERIFY(v9.body.indexOf("\"typespace\"") < v9.body.indexOf("\"tables\""));
        QVERIFY(v9.body.indexOf("\"tables\"") < v9.body.indexOf("\"reducers\""));

        const HttpReply v10 = m_http.get(url(QStringLiteral("/v1/database/quickstart-chat/schema?"
                                                            "version=10")));
        QCOMPARE(v10.status, 200);
        QVERIFY(v10.body.contains("\"ExplicitNames\""));

        for (const char *bad : {"version=8", "version=x", "version=09", "version=+9", "version="}) {
            const HttpReply r = m_http.get(url(
                QStringLiteral("/v1/database/quickstart-chat/schema?%1").arg(QLatin1String(bad))));
            QCOMPARE(r.status, 400);
            QVERIFY2(r.body.startsWith("Failed to deserialize query string: unknown variant `"),
                     r.body.constData());
        }
        const HttpReply noVersion =
            m_http.get(url(QStringLiteral("/v1/database/quickstart-chat/schema")));
        QCOMPARE(noVersion.status, 400);
        QCOMPARE(noVersion.body,
                 QByteArray("Failed to deserialize query string: missing field `version`"));
        const HttpReply missing =
            m_http.get(url(QStringLiteral("/v1/database/elsewhere/schema?version=9")));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.body, QByteArray("`elsewhere` not found"));

        // The database can be addressed by its identity too.
        const HttpReply id =
            m_http.get(url(QStringLiteral("/v1/database/quickstart-chat/identity")));
        QCOMPARE(id.status, 200);
        QCOMPARE(id.body.size(), 64);
        QCOMPARE(m_http
                     .get(url(QStringLiteral("/v1/database/%1/schema?version=9")
                                  .arg(QString::fromLatin1(id.body))))
                     .status,
                 200);
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/database/quickstart-chat"))).status, 200);
    }

    void callReducer() {
        const QString token = mint();
        const auto auth = bearer(token);
        auto call = [&](const QString &reducer, const QByteArray &body,
                        QList<std::pair<QByteArray, QByteArray>> headers = kJson) {
            headers.append(auth);
            return m_http.post(
                url(QStringLiteral("/v1/database/quickstart-chat/call/%1").arg(reducer)), body,
                headers);
        };
        HttpReply r = call(QStringLiteral("set_name"), R"(["Httpy"])");
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.isEmpty());
        const QString id = QString::fromLatin1(r.header("spacetime-identity"));
        QVERIFY(id.startsWith(QStringLiteral("c200")));
        QVERIFY(!r.header("spacetime-execution-duration-micros").isEmpty());
        QCOMPARE(call(QStringLiteral("send_message"), R"({"text": "over http"})").status, 200);

        r = call(QStringLiteral("set_name"), R"([""])");
        QCOMPARE(r.status, 530);
        QCOMPARE(r.body, QByteArray("Names must not be empty"));
        r = call(QStringLiteral("send_message"), R"([""])");
        QCOMPARE(r.status, 530);
        QCOMPARE(r.body, QByteArray("Messages must not be empty"));

        r = call(QStringLiteral("set_name"), R"(["x"])", {{"Content-Type", "text/plain"}});
        QCOMPARE(r.status, 415);
        r = call(QStringLiteral("set_name"), R"(["x"])",
                 {{"Content-Type", "application/json; charset=utf-8"}});
        QCOMPARE(r.status, 415);
        // No Content-Type at all fails the header's extractor: 400, not 415.
        r = m_http.post(url(QStringLiteral("/v1/database/quickstart-chat/call/set_name")),
                        R"(["x"])", {auth});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body, QByteArray("Header of type `content-type` was missing"));
        r = call(QStringLiteral("set_name"), R"(["x")");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.startsWith("invalid arguments for reducer set_name: "), r.body.constData());
        // An empty body is not JSON, whatever the reducer's parameters.
        r = call(QStringLiteral("set_name"), QByteArray());
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.startsWith("invalid arguments for reducer set_name: "), r.body.constData());
        r = call(QStringLiteral("set_name"), R"([1])");
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("invalid arguments for reducer set_name"));
        r = call(QStringLiteral("set_name"), R"(["a", "b"])");
        QCOMPARE(r.status, 400);
        r = call(QStringLiteral("set_name"), R"({"nom": "a"})");
        QCOMPARE(r.status, 400);
        r = call(QStringLiteral("set_name"), R"("a")");
        QCOMPARE(r.status, 400);
        // Not a reducer: the server tries a procedure of that name and finds none.
        r = call(QStringLiteral("no_such"), R"([])");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.body, QByteArray("No such procedure"));
        QVERIFY(r.header("spacetime-identity").startsWith("c200"));
        r = call(QStringLiteral("identity_connected"), R"([])");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body, QByteArray("can't directly call special OnConnect lifecycle reducer"));
        r = m_http.post(url(QStringLiteral("/v1/database/other/call/set_name")), R"(["x"])", kJson);
        QCOMPARE(r.status, 404);

        // The short-connection wrapper left the caller offline, name and message stored.
        const HttpReply sql = m_http.post(url(QStringLiteral("/v1/database/quickstart-chat/sql")),
                                          "SELECT * FROM message WHERE text = 'over http'", {auth});
        QCOMPARE(sql.status, 200);
        const QJsonArray rows =
            json(sql).array()[0].toObject().value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].toArray()[0].toArray()[0].toString(), QStringLiteral("0x") + id);
        QCOMPARE(rows[0].toArray()[2].toString(), QStringLiteral("over http"));
        const HttpReply users = m_http.post(
            url(QStringLiteral("/v1/database/quickstart-chat/sql")),
            QStringLiteral("SELECT * FROM user WHERE identity = 0x%1").arg(id).toUtf8());
        const QJsonArray user =
            json(users).array()[0].toObject().value(QStringLiteral("rows")).toArray()[0].toArray();
        QCOMPARE(user[1].toArray(), (QJsonArray{0, QStringLiteral("Httpy")}));
        QCOMPARE(user[2].toBool(), false);
    }

    // Each entry is one /sql request: the status and the exact reason the real server gives.
    void sqlStatuses_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason"); // exact body for 400, empty for 200
        auto row = [](const char *name, const QByteArray &q, int status, const QByteArray &why) {
            QTest::newRow(name) << q << status << why;
        };
        row("select", "SELECT * FROM user", 200, {});
        row("trailing ;", "SELECT * FROM user;", 200, {});
        row("column list", "SELECT text FROM message", 200, {});
        row("count", "SELECT COUNT(*) AS n FROM message", 200, {});
        row("limit", "SELECT * FROM message LIMIT 1", 200, {});
        row("join", "SELECT m.text FROM message m JOIN user u ON m.sender = u.identity", 200, {});
        row("timestamp with offset", "SELECT * FROM message WHERE sent > '2000-01-01T00:00:00Z'",
            200, {});
        row("two statements", "SELECT * FROM user; SELECT * FROM message", 400,
            "Multiple SQL statements are not supported");
        row("unknown table", "SELECT * FROM nowhere", 400,
            "no such table: `nowhere`. If the table exists, it may be marked private.");
        row("dml without ownership", "DELETE FROM user", 400, {}); // text names the caller
        row("literal of the wrong type", "SELECT * FROM user WHERE online = 'x'", 400,
            "The literal expression `x` cannot be parsed as type `Bool`");
        row("Option column vs literal", "SELECT * FROM user WHERE name = 'x'", 400,
            "The literal expression `x` cannot be parsed as type `(some: String | none: ())`");
        row("timestamp without offset", "SELECT * FROM message WHERE sent > '2000-01-01T00:00:00'",
            400,
            "The literal expression `2000-01-01T00:00:00` cannot be parsed as type "
            "`(__timestamp_micros_since_unix_epoch__: I64)`");
        row("timestamp as micros", "SELECT * FROM message WHERE sent > 0", 400,
            "The literal expression `0` cannot be parsed as type "
            "`(__timestamp_micros_since_unix_epoch__: I64)`");
        row("user. unquoted", "SELECT * FROM user WHERE user.online", 400,
            "sql parser error: Expected end of statement, found: . at Line: 1, Column 30");
        row("backticks", "SELECT * FROM `message`", 400,
            "sql parser error: Expected identifier, found: ` at Line: 1, Column 15");
        row("alias out of scope", "SELECT * FROM message AS m WHERE message.text = 'x'", 400,
            "`message` is not in scope");
        row("too long", "SELECT * FROM message WHERE text = '" + QByteArray(50000, 'x') + "'", 400,
            "SQL query exceeds maximum allowed length: \"SELECT * FROM message WHERE text = '" +
                QByteArray(120 - 36, 'x') + "...\"");
        row("aggregate without alias", "SELECT COUNT(*) FROM message", 400,
            "Aggregate expressions must have column aliases");
        row("not UTF-8", "SELECT * FROM message WHERE text = '\xff'", 400,
            "Failed to buffer the request body: request body didn't contain valid UTF-8");
    }
    void sqlStatuses() {
        QFETCH(QByteArray, query);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        const HttpReply r =
            m_http.post(url(QStringLiteral("/v1/database/quickstart-chat/sql")), query);
        QCOMPARE(r.status, status);
        if (!reason.isEmpty())
            QCOMPARE(r.body, reason);
        // Every answer, refusals too, names the caller (the real auth middleware adds these).
        QVERIFY(r.header("spacetime-identity").startsWith("c200"));
        QVERIFY(!r.header("spacetime-identity-token").isEmpty());
    }

    void sql() {
        const QUrl sqlUrl = url(QStringLiteral("/v1/database/quickstart-chat/sql"));
        HttpReply r = m_http.post(sqlUrl, "SELECT * FROM user");
        QCOMPARE(r.status, 200);
        const QJsonArray results = json(r).array();
        QCOMPARE(results.size(), 1);
        const QJsonObject first = results[0].toObject();
        QVERIFY(first.contains(QStringLiteral("schema")));
        QVERIFY(first.contains(QStringLiteral("total_duration_micros")));
        QCOMPARE(
            first.value(QStringLiteral("stats")).toObject().value(QStringLiteral("rows_inserted")),
            QJsonValue(0));
        const QJsonArray elements = first.value(QStringLiteral("schema"))
                                        .toObject()
                                        .value(QStringLiteral("elements"))
                                        .toArray();
        QCOMPARE(elements.size(), 3);
        // The caller itself is online while its /sql request runs.
        bool sawOnline = false;
        for (const QJsonValue &row : first.value(QStringLiteral("rows")).toArray())
            sawOnline = sawOnline || row.toArray()[2].toBool();
        QVERIFY(sawOnline);

        // Column lists and COUNT name their result columns.
        r = m_http.post(sqlUrl, "SELECT COUNT(*) AS n, FROM user");
        QCOMPARE(r.status, 400);
        r = m_http.post(sqlUrl, "SELECT COUNT(*) AS n FROM user");
        QCOMPARE(r.status, 200);
        QJsonObject one = json(r).array()[0].toObject();
        QCOMPARE(one.value(QStringLiteral("schema"))
                     .toObject()
                     .value(QStringLiteral("elements"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toObject()
                     .value(QStringLiteral("some"))
                     .toString(),
                 QStringLiteral("n"));
        QVERIFY(one.value(QStringLiteral("rows")).toArray()[0].toArray()[0].toInteger() >= 1);
        r = m_http.post(sqlUrl, "SELECT online AS here FROM user LIMIT 1");
        QCOMPARE(r.status, 200);
        one = json(r).array()[0].toObject();
        QCOMPARE(one.value(QStringLiteral("rows")).toArray().size(), 1);
        QCOMPARE(one.value(QStringLiteral("rows")).toArray()[0].toArray().size(), 1);

        QCOMPARE(
            m_http.post(url(QStringLiteral("/v1/database/x/sql")), "SELECT * FROM user").status,
            404);
        // ?confirmed= is a bool.
        QCOMPARE(m_http
                     .post(url(QStringLiteral("/v1/database/quickstart-chat/sql?confirmed=false")),
                           "SELECT * FROM user")
                     .status,
                 200);
        r = m_http.post(url(QStringLiteral("/v1/database/quickstart-chat/sql?confirmed=yes")),
                        "SELECT * FROM user");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body, QByteArray("Failed to deserialize query string: provided string was not "
                                    "`true` or `false`"));
        QCOMPARE(
            m_http.post(sqlUrl, "SELECT * FROM user", {bearer(QStringLiteral("a.b.c"))}).status,
            401);
    }

    // A failed /sql still ran the caller's connect and disconnect lifecycle, as on the real
    // server (the route wraps the whole statement, parsing included, in a short connection):
    // quickstart-chat's connect reducer has stored the caller as a user, now offline.
    void sqlFailureStillConnects() {
        const QJsonObject minted = json(m_http.post(url(QStringLiteral("/v1/identity")))).object();
        const QString id = minted.value(QStringLiteral("identity")).toString();
        const auto auth = bearer(minted.value(QStringLiteral("token")).toString());
        const QUrl sqlUrl = url(QStringLiteral("/v1/database/quickstart-chat/sql"));
        const QByteArray lookup = "SELECT * FROM user WHERE identity = 0x" + id.toLatin1();
        // Before: nobody has used the identity.
        HttpReply r = m_http.post(sqlUrl, lookup);
        QCOMPARE(json(r).array()[0].toObject().value(QStringLiteral("rows")).toArray().size(), 0);
        r = m_http.post(sqlUrl, "SELECT * FROM nowhere", {auth});
        QCOMPARE(r.status, 400);
        r = m_http.post(sqlUrl, lookup);
        const QJsonArray rows =
            json(r).array()[0].toObject().value(QStringLiteral("rows")).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].toArray()[2].toBool(), false);
    }

    // INSERT/UPDATE/DELETE through /sql: refused for anyone, done for the owner (--owner).
    void sqlDmlNeedsOwner() {
        STDB_REQUIRE_OWN_HOST("starts its own host twice, the second time with --owner");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        HostProcess host;
        QVERIFY2(host.start(dir.path()), qPrintable(host.errorString()));
        const QJsonObject minted =
            json(m_http.post(host.http(QStringLiteral("/v1/identity")))).object();
        const QString ownerId = minted.value(QStringLiteral("identity")).toString();
        const auto ownerAuth = bearer(minted.value(QStringLiteral("token")).toString());
        const QUrl call =
            host.http(QStringLiteral("/v1/database/quickstart-chat/call/send_message"));
        QCOMPARE(m_http.post(call, R"(["keep"])", {kJson[0], ownerAuth}).status, 200);
        QCOMPARE(m_http.post(call, R"(["drop me"])", {kJson[0], ownerAuth}).status, 200);
        QVERIFY(host.stop());
        // Same data directory (same signing key, so the token stays valid), now with an owner.
        QVERIFY2(host.start(dir.path(), {QStringLiteral("--owner"), ownerId}),
                 qPrintable(host.errorString()));
        const QUrl sqlUrl = host.http(QStringLiteral("/v1/database/quickstart-chat/sql"));

        const QString otherToken = json(m_http.post(host.http(QStringLiteral("/v1/identity"))))
                                       .object()
                                       .value(QStringLiteral("token"))
                                       .toString();
        const QByteArray del = "DELETE FROM message WHERE text = 'drop me'";
        HttpReply r = m_http.post(sqlUrl, del, {bearer(otherToken)});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body, "Caller " + r.header("spacetime-identity") +
                             " is not authorized to run SQL DML statements");

        r = m_http.post(sqlUrl, del, {ownerAuth});
        QCOMPARE(r.status, 200);
        QJsonObject result = json(r).array()[0].toObject();
        QCOMPARE(result.value(QStringLiteral("rows")).toArray().size(), 0);
        QCOMPARE(
            result.value(QStringLiteral("stats")).toObject().value(QStringLiteral("rows_deleted")),
            QJsonValue(1));
        r = m_http.post(sqlUrl, "SELECT text FROM message", {ownerAuth});
        QCOMPARE(json(r).array()[0].toObject().value(QStringLiteral("rows")).toArray(),
                 (QJsonArray{QJsonArray{QStringLiteral("keep")}}));

        r = m_http.post(sqlUrl, "UPDATE message SET text = 'kept' WHERE sender = :sender",
                        {ownerAuth});
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r)
                     .array()[0]
                     .toObject()
                     .value(QStringLiteral("stats"))
                     .toObject()
                     .value(QStringLiteral("rows_updated")),
                 QJsonValue(1));
        // quickstart-chat's columns take no SQL literal for an insert (an Option and a
        // Timestamp): the owner gets the type checker's refusal.
        r = m_http.post(sqlUrl,
                        "INSERT INTO user (identity, name, online) VALUES (0x" +
                            ownerId.toLatin1() + ", 'x', true)",
                        {ownerAuth});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body, QByteArray("Unexpected type: (expected) String != (some: String | none: "
                                    "()) (inferred)"));
        QVERIFY(host.stop());
    }

    void subscribeWithoutUpgrade() {
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/database/quickstart-chat/subscribe"))).status,
                 426);
    }

    void upgradeRefusals_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown db") << handshake("/v1/database/nope/subscribe") << 404;
        QTest::newRow("other path") << handshake("/v1/ping") << 404;
        QTest::newRow("no protocol")
            << handshake("/v1/database/quickstart-chat/subscribe", {}, {}) << 400;
        QTest::newRow("v1 only") << handshake("/v1/database/quickstart-chat/subscribe", {},
                                              "v1.json.spacetimedb")
                                 << 400;
        QTest::newRow("bad compression")
            << handshake("/v1/database/quickstart-chat/subscribe?compression=gzip") << 400;
        QTest::newRow("bad confirmed")
            << handshake("/v1/database/quickstart-chat/subscribe?confirmed=yes") << 400;
        QTest::newRow("zero connection id")
            << handshake("/v1/database/quickstart-chat/subscribe?connection_id="
                         "00000000000000000000000000000000")
            << 400;
        QTest::newRow("bad token")
            << handshake("/v1/database/quickstart-chat/subscribe?token=abc") << 401;
        QTest::newRow("bad header")
            << handshake("/v1/database/quickstart-chat/subscribe", "Authorization: Token x\r\n")
            << 400;
        QTest::newRow("old version")
            << QByteArray(handshake("/v1/database/quickstart-chat/subscribe")
                              .replace("Version: 13", "Version: 8"))
            << 426;
        QTest::newRow("post") << QByteArray(handshake("/v1/database/quickstart-chat/subscribe")
                                                .replace("GET ", "POST "))
                              << 400;
    }
    void upgradeRefusals() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        bool closed = false;
        const QByteArray response = HttpClient::raw(m_host.port(), request, 5000, &closed);
        QCOMPARE(statusOf(response), status);
        QVERIFY(closed);
    }

    void upgradeAccepted() {
        const QByteArray response =
            HttpClient::raw(m_host.port(),
                            handshake("/v1/database/quickstart-chat/subscribe?compression=None", {},
                                      "v1.bsatn.spacetimedb, v2.bsatn.spacetimedb"),
                            1000);
        QCOMPARE(statusOf(response), 101);
        QVERIFY(response.contains("Sec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n"));
        QVERIFY(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    }

    void keepAliveAndPipelining() {
        const QByteArray two = "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n"
                               "POST /v1/database/quickstart-chat/sql HTTP/1.1\r\nHost: x\r\n"
                               "Content-Length: 18\r\nConnection: close\r\n\r\nSELECT * FROM user";
        bool closed = false;
        const QByteArray response = HttpClient::raw(m_host.port(), two, 5000, &closed);
        QVERIFY(closed);
        QCOMPARE(response.count("HTTP/1.1 200 OK"), 2);
        QVERIFY(response.contains("Connection: keep-alive"));
        QVERIFY(response.contains("Connection: close"));
        QVERIFY(response.contains("\"rows\""));
    }

    void partialReads() {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), m_host.port());
        QVERIFY(s.waitForConnected(5000));
        const QByteArray req = "POST /v1/database/quickstart-chat/sql HTTP/1.1\r\nHost: x\r\n"
                               "Content-Length: 21\r\n\r\nSELECT * FROM message";
        for (qsizetype i = 0; i < req.size(); i += 7) {
            s.write(req.mid(i, 7));
            s.flush();
            QTest::qWait(5); // harmless: spreads the writes out; nothing is timed
        }
        QByteArray got;
        QVERIFY(QTest::qWaitFor(
            [&] {
                s.waitForReadyRead(20);
                got += s.readAll();
                return got.contains("\"rows\"") && got.endsWith("}]");
            },
            5000));
        QCOMPARE(statusOf(got), 200);
    }

    void chunkedAndContinue() {
        const QByteArray req = "POST /v1/database/quickstart-chat/sql HTTP/1.1\r\nHost: x\r\n"
                               "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
                               "Connection: close\r\n\r\n"
                               "7\r\nSELECT \r\ne\r\n* FROM message\r\n0\r\n\r\n";
        const QByteArray response = HttpClient::raw(m_host.port(), req);
        QVERIFY(response.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"));
        QVERIFY(response.contains("\"rows\""));
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("\x00\x01\x02\xff\xfe garbage\r\n\r\n", 17) << 400;
        QTest::newRow("tls hello")
            << QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) << 400;
        QTest::newRow("bad request line") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("http 2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("huge header")
            << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(40000, 'x') + "\r\n\r\n") << 431;
        QTest::newRow("huge body")
            << QByteArray("POST /v1/database/quickstart-chat/sql HTTP/1.1\r\nContent-Length: "
                          "99999999999\r\n\r\n")
            << 413;
        QTest::newRow("bad chunk")
            << QByteArray("POST /v1/database/quickstart-chat/sql HTTP/1.1\r\n"
                          "Transfer-Encoding: chunked\r\n\r\nxyz\r\n")
            << 400;
        QTest::newRow("smuggling") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\nabc")
                                   << 400;
    }
    void malformed() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        bool closed = false;
        const QByteArray response = HttpClient::raw(m_host.port(), request, 5000, &closed);
        QCOMPARE(statusOf(response), status);
        QVERIFY(closed);
        // The host is still fine.
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/ping"))).status, 200);
    }

    void incompleteRequestTimesOut() {
        bool closed = false;
        const QByteArray response = HttpClient::raw(
            m_host.port(), "POST /v1/ping HTTP/1.1\r\nContent-Length: 10\r\n\r\nab", 6000, &closed);
        QVERIFY(closed);
        QCOMPARE(statusOf(response), 408);
        // An idle connection that never sent anything is simply closed.
        closed = false;
        QVERIFY(HttpClient::raw(m_host.port(), {}, 6000, &closed).isEmpty());
        QVERIFY(closed);
    }

    void randomBytesNeverCrash() {
        QRandomGenerator rng(7);
        for (int i = 0; i < 40; ++i) {
            QByteArray junk;
            const int n = 1 + int(rng.bounded(600));
            for (int k = 0; k < n; ++k)
                junk += char(rng.bounded(256));
            if (i % 2)
                junk.prepend("GET /v1/ping HTTP/1.1\r\n");
            HttpClient::raw(m_host.port(), junk, 300);
        }
        QCOMPARE(m_http.get(url(QStringLiteral("/v1/ping"))).status, 200);
        QVERIFY(m_host.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestHostHttp)
#include "tst_host_http.moc"
