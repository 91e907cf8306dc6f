// SPDX-License-Identifier: Apache-2.0
// In-process tests of the host's pure parts: HTTP parsing, routing, tokens, SQL, values,
// storage and the module logic. The socket-level behaviour is covered by the other suites.

#include "chatmodule.h"
#include "database.h"
#include "httpparser.h"
#include "router.h"
#include "sqlparser.h"
#include "sqlquery.h"
#include "subscriptionmanager.h"
#include "tokensigner.h"
#include "value.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace host;
using namespace Qt::StringLiterals;

namespace {

stdb::Identity idFrom(int n) {
    return TokenSigner::identityFor(QStringLiteral("test"), QString::number(n));
}

TableSchema numbersTable() {
    TableSchema t;
    t.name = QStringLiteral("numbers");
    t.columns = {{QStringLiteral("a"), ColumnType::U8},
                 {QStringLiteral("b"), ColumnType::I64},
                 {QStringLiteral("c"), ColumnType::U64},
                 {QStringLiteral("d"), ColumnType::I32, true},
                 {QStringLiteral("e"), ColumnType::I64}};
    return t;
}

QList<TableSchema> catalogWithNumbers() {
    QList<TableSchema> c = ChatModule::catalog();
    c.append(numbersTable());
    return c;
}

// quickstart-chat plus `numbers`, a key/value table (for DML) and a private table.
QList<TableSchema> unitCatalog() {
    QList<TableSchema> c = catalogWithNumbers();
    TableSchema pairs;
    pairs.name = QStringLiteral("pairs");
    pairs.columns = {{QStringLiteral("k"), ColumnType::U32},
                     {QStringLiteral("v"), ColumnType::String}};
    pairs.primaryKey = 0;
    c.append(pairs);
    TableSchema secret;
    secret.name = QStringLiteral("secret");
    secret.columns = {{QStringLiteral("x"), ColumnType::U32}};
    secret.isPublic = false;
    c.append(secret);
    return c;
}

SqlAuth anyone() {
    return {idFrom(5), false};
}
SqlAuth owner() {
    return {idFrom(9), true};
}

Row userRow(int n, std::optional<QString> name, bool online) {
    return {idFrom(n), name ? Value(*name) : Value(std::monostate{}), online};
}

} // namespace

class TestHostUnits : public QObject {
    Q_OBJECT

private slots:
    // ---- HTTP parser ----------------------------------------------------------------------
    void httpSimpleGet() {
        const QByteArray req = "GET /v1/database/quick%2Dchat/schema?version=9&token=a%2Bb "
                               "HTTP/1.1\r\nHost: x\r\nX-Thing:  value  \r\n\r\nNEXT";
        const HeadParseResult r = parseRequestHead(req);
        QCOMPARE(r.status, HeadParseResult::Status::Complete);
        QCOMPARE(r.headLength, req.size() - 4);
        QCOMPARE(r.request.method, QByteArray("GET"));
        QCOMPARE(r.request.segments, QStringList({"v1", "database", "quick-chat", "schema"}));
        QCOMPARE(r.request.queryValue(QStringLiteral("version")), QStringLiteral("9"));
        QCOMPARE(r.request.queryValue(QStringLiteral("token")), QStringLiteral("a+b"));
        QCOMPARE(r.request.header("x-thing"), QByteArray("value"));
        QCOMPARE(r.request.header("host"), QByteArray("x"));
        QVERIFY(r.strictLineEndings);
        QCOMPARE(r.body, HeadParseResult::Body::None);
        QVERIFY(r.request.wantsKeepAlive());
    }

    void httpEveryPrefixIsIncomplete() {
        const QByteArray req = "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
        for (qsizetype n = 0; n < req.size(); ++n)
            QCOMPARE(parseRequestHead(req.left(n)).status, HeadParseResult::Status::Incomplete);
        const auto r = parseRequestHead(req);
        QCOMPARE(r.status, HeadParseResult::Status::Complete);
        QCOMPARE(r.body, HeadParseResult::Body::Length);
        QCOMPARE(r.contentLength, 3);
    }

    void httpBareLineFeeds() {
        const auto r = parseRequestHead("GET /v1/ping HTTP/1.0\nConnection: keep-alive\n\n");
        QCOMPARE(r.status, HeadParseResult::Status::Complete);
        QVERIFY(!r.strictLineEndings);
        QCOMPARE(r.request.versionMinor, 0);
        QVERIFY(r.request.wantsKeepAlive());
    }

    void httpErrors_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("no target") << QByteArray("GET HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("extra space") << QByteArray("GET / x HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("http2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("not http") << QByteArray("GET / FOO/1.1\r\n\r\n") << 400;
        QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("relative") << QByteArray("GET v1 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nAb\r\n\r\n") << 400;
        QTest::newRow("space name") << QByteArray("GET / HTTP/1.1\r\nA b: c\r\n\r\n") << 400;
        QTest::newRow("ctl value") << QByteArray("GET / HTTP/1.1\r\nA: \x01\r\n\r\n") << 400;
        QTest::newRow("nul") << QByteArray("GET /\0 HTTP/1.1\r\n\r\n", 20) << 400;
        QTest::newRow("cl+te") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n")
                               << 400;
        QTest::newRow("cl conflict") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                                                   "Content-Length: 2\r\n\r\n")
                                     << 400;
        QTest::newRow("cl junk") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n")
                                 << 400;
        QTest::newRow("cl negative")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("too large body")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n") << 413;
        QTest::newRow("gzip te") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")
                                 << 501;
        QTest::newRow("long target")
            << QByteArray("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n") << 414;
        QTest::newRow("huge head")
            << QByteArray("GET / HTTP/1.1\r\nA: " + QByteArray(20000, 'a')) << 431;
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01", 6) << 400;
    }
    void httpErrors() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const auto r = parseRequestHead(request);
        QCOMPARE(r.status, HeadParseResult::Status::Error);
        QCOMPARE(r.errorStatus, status);
        QVERIFY(!r.errorMessage.isEmpty());
    }

    void httpTooManyHeaders() {
        QByteArray req = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 101; ++i)
            req += "H" + QByteArray::number(i) + ": x\r\n";
        req += "\r\n";
        const auto r = parseRequestHead(req);
        QCOMPARE(r.status, HeadParseResult::Status::Error);
        QCOMPARE(r.errorStatus, 431);
    }

    void httpRandomGarbageNeverCrashes() {
        QRandomGenerator rng(1234);
        const QByteArray alphabet =
            "GETPOST /HTP1.0\r\n:;-=?&%chunkedContent-Length0123456789\0\xff";
        for (int i = 0; i < 3000; ++i) {
            QByteArray b;
            const int n = int(rng.bounded(200));
            for (int k = 0; k < n; ++k)
                b += alphabet[int(rng.bounded(alphabet.size()))];
            if (i % 3 == 0)
                b.prepend("POST /x HTTP/1.1\r\n");
            const auto r = parseRequestHead(b);
            if (r.status == HeadParseResult::Status::Complete)
                QVERIFY(r.headLength <= b.size());
            ChunkedDecoder d(1000);
            QVERIFY(d.feed(b) <= b.size());
        }
    }

    void chunkedDecoding() {
        const QByteArray body = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nGET /";
        ChunkedDecoder whole(1000);
        const qsizetype used = whole.feed(body);
        QCOMPARE(whole.status(), ChunkedDecoder::Status::Done);
        QCOMPARE(whole.body(), QByteArray("hello world"));
        QCOMPARE(body.mid(used), QByteArray("GET /"));

        ChunkedDecoder bytewise(1000);
        QByteArray pending;
        for (char c : body.left(used)) {
            pending += c;
            pending.remove(0, bytewise.feed(pending));
        }
        QCOMPARE(bytewise.status(), ChunkedDecoder::Status::Done);
        QCOMPARE(bytewise.body(), QByteArray("hello world"));

        ChunkedDecoder bad(1000);
        bad.feed("zz\r\n");
        QCOMPARE(bad.status(), ChunkedDecoder::Status::Error);
        QCOMPARE(bad.errorStatus(), 400);

        ChunkedDecoder big(10);
        big.feed("b\r\nhello world\r\n");
        QCOMPARE(big.status(), ChunkedDecoder::Status::Error);
        QCOMPARE(big.errorStatus(), 413);

        ChunkedDecoder noCrlf(100);
        noCrlf.feed("2\r\nabXY");
        QCOMPARE(noCrlf.status(), ChunkedDecoder::Status::Error);
    }

    // ---- router ---------------------------------------------------------------------------
    void router() {
        Router r;
        r.add("GET", QStringLiteral("/v1/database/:db/schema"),
              [](const HttpRequest &, const Router::Params &p) {
                  return HttpResponse::text(200, p.value(QStringLiteral("db")));
              });
        auto req = [](const QByteArray &method, const QByteArray &target) {
            return parseRequestHead(method + ' ' + target + " HTTP/1.1\r\n\r\n").request;
        };
        HttpResponse ok = r.dispatch(req("GET", "/v1/database/chat/schema/"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.body, QByteArray("chat"));
        QCOMPARE(r.dispatch(req("HEAD", "/v1/database/chat/schema")).status, 200);
        QCOMPARE(r.dispatch(req("GET", "/v1/database//schema")).status, 404);
        QCOMPARE(r.dispatch(req("GET", "/v1/other")).status, 404);
        const HttpResponse wrong = r.dispatch(req("POST", "/v1/database/chat/schema"));
        QCOMPARE(wrong.status, 405);
        QCOMPARE(wrong.header("Allow"), QByteArray("GET"));
        const HttpResponse pre = r.dispatch(req("OPTIONS", "/v1/database/chat/schema"));
        QCOMPARE(pre.status, 204);
        QVERIFY(pre.header("Access-Control-Allow-Headers").contains("Authorization"));
        QVERIFY(HttpResponse(200).serialize(true).contains("Access-Control-Allow-Origin: *"));
    }

    // ---- tokens ---------------------------------------------------------------------------
    void tokens() {
        TokenSigner signer;
        signer.setKey(QByteArray(32, 'k'));
        const TokenClaims claims = signer.newAnonymousClaims();
        const QString token = signer.sign(claims);
        QCOMPARE(token.count(u'.'), 2);
        auto verified = signer.verify(token);
        QVERIFY2(verified, qPrintable(verified ? QString() : verified.error().message()));
        QCOMPARE(verified->identity(), claims.identity());
        QVERIFY(claims.identity().toHex().startsWith(QStringLiteral("c200")));
        QCOMPARE(claims.identity().toWireBytes().right(2), QByteArray("\x00\xc2", 2));
        // Deterministic: the same claims always give the same identity.
        QCOMPARE(TokenSigner::identityFor(QStringLiteral("a"), QStringLiteral("b")),
                 TokenSigner::identityFor(QStringLiteral("a"), QStringLiteral("b")));
        QVERIFY(TokenSigner::identityFor(QStringLiteral("a"), QStringLiteral("b")) !=
                TokenSigner::identityFor(QStringLiteral("ab"), QString()));

        const QString shortLived = signer.signShortLived(claims);
        auto sl = signer.verify(shortLived);
        QVERIFY(sl);
        QVERIFY(sl->expiresAt.has_value());
        QCOMPARE(sl->identity(), claims.identity());

        // Tampering with the payload breaks the signature.
        QStringList parts = token.split(u'.');
        QJsonObject payload =
            QJsonDocument::fromJson(
                QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding))
                .object();
        payload[QStringLiteral("sub")] = QStringLiteral("someone-else");
        parts[1] = QString::fromLatin1(
            QJsonDocument(payload)
                .toJson(QJsonDocument::Compact)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QVERIFY(!signer.verify(parts.join(u'.')));

        TokenSigner other;
        other.setKey(QByteArray(32, 'x'));
        QVERIFY(!other.verify(token));

        TokenClaims expired = claims;
        expired.expiresAt = 1000;
        QVERIFY(!signer.verify(signer.sign(expired)));
        QVERIFY(signer.verify(signer.sign(expired)).error().message().contains(u"expired"));

        for (const char *junk : {"", "abc", "a.b.c", "....", "eyJ.eyJ.", "%%%.%%%.%%%"})
            QVERIFY(!signer.verify(QString::fromLatin1(junk)));
        // alg "none" is refused even without a signature.
        const QByteArray none =
            QByteArray(R"({"alg":"none"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
            '.' + parts[1].toLatin1() + '.';
        QVERIFY(!signer.verify(QString::fromLatin1(none)));
    }

    void tokenKeyPersists() {
        QTemporaryDir dir;
        QString error;
        TokenSigner a, b;
        QVERIFY(a.init(dir.path(), &error));
        QVERIFY(b.init(dir.path(), &error));
        const QString token = a.sign(a.newAnonymousClaims());
        QVERIFY(b.verify(token));
        QFile key(dir.filePath(QStringLiteral("jwt-hs256.key")));
        QVERIFY(key.exists());
        QCOMPARE(key.permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    }

    // ---- SQL: the real server's rules, each both ways -----------------------------------
    // Subscription language (Subscribe and one-off queries).
    void sqlSubscriptionAccepts_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("table");
        const QString id = idFrom(1).toHex();
        auto row = [](const char *name, const QString &sql, const char *table) {
            QTest::newRow(name) << sql << QString::fromLatin1(table);
        };
        row("plain", u"SELECT * FROM user"_s, "user");
        row("quoted, trailing ;", u"select * from \"message\";"_s, "message");
        row("alias star", u"SELECT u.* FROM user AS u"_s, "user");
        row("alias without AS", u"SELECT m.* FROM message m WHERE m.text = 'x'"_s, "message");
        row("quoted user before dot",
            u"SELECT * FROM \"user\" WHERE (\"user\".\"online\" = TRUE)"_s, "user");
        row("and or",
            u"SELECT * FROM message WHERE text = 'a' AND sent > '2024-01-01T00:00:00Z' OR text <> 'b'"_s,
            "message");
        row("identity 0x", u"SELECT * FROM user WHERE identity = 0x"_s + id, "user");
        row("identity X'' upper-case digits",
            u"SELECT * FROM message WHERE sender = X'"_s + id.toUpper() + u"'"_s, "message");
        row("identity string 0x", u"SELECT * FROM user WHERE identity = '0x"_s + id + u"'"_s,
            "user");
        row("identity string bare", u"SELECT * FROM user WHERE identity = '"_s + id + u"'"_s,
            "user");
        row("timestamp Z", u"SELECT * FROM message WHERE sent >= '2024-01-01T00:00:00Z'"_s,
            "message");
        row("timestamp fraction offset",
            u"SELECT * FROM message WHERE sent < '2024-01-01T00:00:00.123456789+02:00'"_s,
            "message");
        row("timestamp space lower z",
            u"SELECT * FROM message WHERE sent = '2025-02-10 15:45:30z'"_s, "message");
        row("integers", u"SELECT * FROM numbers WHERE a = 255 AND b > -5 AND c <> 0 AND e >= +1"_s,
            "numbers");
        row("integer exponent", u"SELECT * FROM numbers WHERE a = 1e2 AND b = 1.0 AND e = 2E1"_s,
            "numbers");
        row("u64 max", u"SELECT * FROM numbers WHERE c = 18446744073709551615"_s, "numbers");
        row("string read as number", u"SELECT * FROM numbers WHERE a = '7'"_s, "numbers");
        row("number read as string", u"SELECT * FROM message WHERE text = 42"_s, "message");
        row("hex read as string", u"SELECT * FROM message WHERE text = 0xAB"_s, "message");
        row("column vs column", u"SELECT * FROM numbers WHERE b <= e"_s, "numbers");
        row("bare bool", u"SELECT * FROM user WHERE online"_s, "user");
        row("literal on the left", u"SELECT * FROM user WHERE TRUE = online"_s, "user");
        // A hex literal's digits are its text: for an integer column they must read as decimal.
        row("hex digits read as decimal", u"SELECT * FROM numbers WHERE a = 0x10"_s, "numbers");
        row("string on the left", u"SELECT * FROM message WHERE 'x' = text"_s, "message");
        row("comments", u"SELECT * /* all */ FROM user -- everyone\n"_s, "user");
        row("escaped quote", u"SELECT * FROM message WHERE text = 'it''s'"_s, "message");
        row(":sender", u"SELECT * FROM user WHERE identity = :sender"_s, "user");
        row(":sender on the left", u"SELECT * FROM message WHERE :sender = sender"_s, "message");
        row("indexed join",
            u"SELECT m.* FROM message m JOIN user u ON m.sender = u.identity WHERE u.online = true"_s,
            "message");
        row("indexed join returning the right side",
            u"SELECT u.* FROM message AS m INNER JOIN \"user\" AS u ON u.identity = m.sender"_s,
            "user");
        row("40 parentheses",
            u"SELECT * FROM user WHERE "_s + QString(40, u'(') + u"online"_s + QString(40, u')'),
            "user");
        const QString prefix = u"SELECT * FROM message WHERE text = '"_s;
        row("exactly 50000 bytes", prefix + QString(50000 - prefix.size() - 1, u'x') + u"'"_s,
            "message");
    }
    void sqlSubscriptionAccepts() {
        QFETCH(QString, sql);
        QFETCH(QString, table);
        auto q = SqlQuery::compileSubscription(sql, unitCatalog(), anyone());
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message()));
        QCOMPARE(q->size(), 1);
        QCOMPARE(q->front().tableName(), table);
        // A one-off query takes the same language.
        QVERIFY(SqlQuery::compileQuery(sql, unitCatalog(), anyone()));
    }

    void sqlSubscriptionRejects_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");
        const QString id = idFrom(1).toHex();
        const QString ts = u"(__timestamp_micros_since_unix_epoch__: I64)"_s;
        auto row = [](const char *name, const QString &sql, const QString &message) {
            QTest::newRow(name) << sql << message;
        };
        row("empty", QString(), u"Empty string"_s);
        row("only ;", u";"_s, u"Empty SQL query"_s);
        row("two statements", u"SELECT * FROM user; SELECT * FROM message"_s,
            u"Multiple SQL statements are not supported"_s);
        row("unknown table", u"SELECT * FROM users"_s,
            u"no such table: `users`. If the table exists, it may be marked private."_s);
        row("private table", u"SELECT * FROM secret"_s,
            u"no such table: `secret`. If the table exists, it may be marked private."_s);
        row("unknown column", u"SELECT * FROM user WHERE nick = 'a'"_s,
            u"`nick` is not in scope"_s);
        row("Option vs literal", u"SELECT * FROM user WHERE name = 'x'"_s,
            u"The literal expression `x` cannot be parsed as type `(some: String | none: ())`"_s);
        row("Option vs Option", u"SELECT * FROM user WHERE name = name"_s,
            u"Invalid binary operator `=` for type `(some: String | none: ())`"_s);
        row("Option as condition", u"SELECT * FROM numbers WHERE d"_s,
            u"Unexpected type: (expected) (some: I32 | none: ()) != Bool (inferred)"_s);
        row("bool vs string", u"SELECT * FROM user WHERE online = 'yes'"_s,
            u"The literal expression `yes` cannot be parsed as type `Bool`"_s);
        row("bool literal vs string column", u"SELECT * FROM message WHERE text = TRUE"_s,
            u"Unexpected type: (expected) Bool != String (inferred)"_s);
        row("u8 range", u"SELECT * FROM numbers WHERE a = 256"_s,
            u"The literal expression `256` cannot be parsed as type `U8`"_s);
        row("negative unsigned", u"SELECT * FROM numbers WHERE a = -1"_s,
            u"The literal expression `-1` cannot be parsed as type `U8`"_s);
        row("fraction for integer", u"SELECT * FROM numbers WHERE b = 0.5"_s,
            u"The literal expression `0.5` cannot be parsed as type `I64`"_s);
        row("negative exponent", u"SELECT * FROM numbers WHERE b = 1e-3"_s,
            u"The literal expression `1e-3` cannot be parsed as type `I64`"_s);
        row("hex for integer", u"SELECT * FROM numbers WHERE a = 0x1F"_s,
            u"The literal expression `1F` cannot be parsed as type `U8`"_s);
        row("string not a number", u"SELECT * FROM numbers WHERE a = 'seven'"_s,
            u"The literal expression `seven` cannot be parsed as type `U8`"_s);
        row("short hex identity", u"SELECT * FROM user WHERE identity != 0x1"_s,
            u"The literal expression `1` cannot be parsed as type `(__identity__: U256)`"_s);
        row("short X'' identity", u"SELECT * FROM user WHERE identity = X'c200'"_s,
            u"The literal expression `c200` cannot be parsed as type `(__identity__: U256)`"_s);
        row("identity with 0X", u"SELECT * FROM user WHERE identity = 0X"_s + id,
            u"sql parser error: Expected end of statement, found: X"_s + id +
                u" at Line: 1, Column 38"_s);
        row("identity string with 0X", u"SELECT * FROM user WHERE identity = '0X"_s + id + u"'"_s,
            u"The literal expression `0X"_s + id +
                u"` cannot be parsed as type `(__identity__: U256)`"_s);
        row("timestamp without offset",
            u"SELECT * FROM message WHERE sent = '2024-01-01T00:00:00'"_s,
            u"The literal expression `2024-01-01T00:00:00` cannot be parsed as type `"_s + ts +
                u"`"_s);
        row("timestamp as micros", u"SELECT * FROM message WHERE sent < 1704067200000000"_s,
            u"The literal expression `1704067200000000` cannot be parsed as type `"_s + ts +
                u"`"_s);
        row("timestamp bad date", u"SELECT * FROM message WHERE sent = '2024-02-30T00:00:00Z'"_s,
            u"The literal expression `2024-02-30T00:00:00Z` cannot be parsed as type `"_s + ts +
                u"`"_s);
        row("user. unquoted", u"SELECT * FROM user WHERE user.online = true"_s,
            u"sql parser error: Expected end of statement, found: . at Line: 1, Column 30"_s);
        row("backticks", u"SELECT * FROM `user`"_s,
            u"sql parser error: Expected identifier, found: ` at Line: 1, Column 15"_s);
        row("table name out of scope after alias",
            u"SELECT * FROM message AS m WHERE message.text = 'x'"_s,
            u"`message` is not in scope"_s);
        row("star of a table out of scope", u"SELECT message.* FROM message AS m"_s,
            u"`message` is not in scope"_s);
        row("unknown qualifier", u"SELECT x.* FROM user"_s, u"`x` is not in scope"_s);
        row("alias used before its join",
            u"SELECT m.* FROM message m JOIN user u ON m.sender = v.identity JOIN user v"_s,
            u"`v` is not in scope"_s);
        row("over 50000 bytes",
            u"SELECT * FROM message WHERE text = '"_s + QString(50000, u'x') + u"'"_s,
            u"SQL query exceeds maximum allowed length: \"SELECT * FROM message WHERE text = 'xxxxx"_s);
        row("column list", u"SELECT name FROM user"_s,
            u"Column projections are not supported in subscriptions; Subscriptions must return "
            u"a table type"_s);
        row("count", u"SELECT COUNT(*) AS n FROM user"_s,
            u"Column projections are not supported in subscriptions; Subscriptions must return "
            u"a table type"_s);
        row("limit", u"SELECT * FROM user LIMIT 5"_s, u"Unsupported: SELECT * FROM user LIMIT 5"_s);
        row("dml", u"DELETE FROM user"_s, u"Unsupported: Non-SELECT queries"_s);
        row("star over a join", u"SELECT * FROM message m JOIN user u ON m.sender = u.identity"_s,
            u"SELECT * is not supported for joins"_s);
        row("unindexed join", u"SELECT u.* FROM user u JOIN message m ON u.identity = m.sender"_s,
            u"Subscriptions require indexes on join columns"_s);
        row("cross join", u"SELECT m.* FROM message m JOIN user u"_s,
            u"Subscriptions require indexes on join columns"_s);
        row("unqualified in a join",
            u"SELECT m.* FROM message m JOIN user u ON m.sender = u.identity WHERE online"_s,
            u"Names must be qualified when using joins"_s);
        row("left join", u"SELECT m.* FROM message m LEFT JOIN user u ON m.sender = u.identity"_s,
            u"Non-inner joins are not supported"_s);
        row("implicit join", u"SELECT m.* FROM message m, user u"_s,
            u"Implicit joins are not supported"_s);
        row("self join without aliases", u"SELECT message.* FROM message JOIN message"_s,
            u"Duplicate name `message`"_s);
        row("not", u"SELECT * FROM user WHERE NOT online"_s,
            u"Unsupported expression: NOT online"_s);
        row("null", u"SELECT * FROM user WHERE name = NULL"_s,
            u"Unsupported literal expression: NULL"_s);
        row("is null", u"SELECT * FROM user WHERE name IS NULL"_s,
            u"Unsupported expression: name IS NULL"_s);
        row("literals only", u"SELECT * FROM user WHERE 1 = 1"_s,
            u"Cannot resolve type for literal expression"_s);
        row(":sender vs string", u"SELECT * FROM message WHERE text = :sender"_s,
            u"Unexpected type: (expected) (__identity__: U256) != String (inferred)"_s);
        row("other placeholder", u"SELECT * FROM user WHERE identity = :caller"_s,
            u"Unsupported literal expression: :caller"_s);
        row("string column as condition", u"SELECT * FROM message WHERE text"_s,
            u"Unexpected type: (expected) String != Bool (inferred)"_s);
        row("arithmetic", u"SELECT * FROM numbers WHERE a + 1 = 2"_s,
            u"Unsupported binary operator: +"_s);
        row("deep parentheses",
            u"SELECT * FROM user WHERE "_s + QString(60, u'(') + u"online"_s + QString(60, u')'),
            u"sql parser error: recursion limit exceeded"_s);
        row("mixed wildcard", u"SELECT *, name FROM user"_s,
            u"Mixed wildcard projections are not supported"_s);
        row("distinct", u"SELECT DISTINCT * FROM user"_s,
            u"Unsupported: SELECT DISTINCT * FROM user"_s);
        row("unterminated", u"SELECT * FROM user WHERE name = 'abc"_s,
            u"sql parser error: Unterminated string literal at Line: 1, Column 33"_s);
        row("all tables with WHERE", u"SELECT * FROM * WHERE online"_s,
            u"sql parser error: Expected identifier, found: * at Line: 1, Column 15"_s);
        row("all tables with ;", u"SELECT * FROM *;"_s,
            u"sql parser error: Expected identifier, found: * at Line: 1, Column 15"_s);
    }
    void sqlSubscriptionRejects() {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        auto q = SqlQuery::compileSubscription(sql, unitCatalog(), anyone());
        QVERIFY(!q);
        QVERIFY2(q.error().message().startsWith(message), qPrintable(q.error().message()));
    }

    void sqlOwnerRights() {
        // The owner reads private tables (and subscribes to them with SELECT * FROM *).
        QVERIFY(SqlQuery::compileSubscription(u"SELECT * FROM secret"_s, unitCatalog(), owner()));
        QVERIFY(SqlQuery::compileSql(u"SELECT x FROM secret"_s, unitCatalog(), owner()));
        auto all =
            SqlQuery::compileSubscription(u"  select *\n FROM  * "_s, unitCatalog(), anyone());
        QVERIFY(all);
        QStringList names;
        for (const SqlQuery &q : *all)
            names << q.tableName();
        QCOMPARE(names, QStringList({"user", "message", "numbers", "pairs"}));
        all = SqlQuery::compileSubscription(u"SELECT * FROM *"_s, unitCatalog(), owner());
        QVERIFY(all);
        QCOMPARE(all->size(), 5);
        QVERIFY(!SqlQuery::compileSql(u"SELECT * FROM *"_s, unitCatalog(), owner()));
    }

    // The /sql language.
    void sqlRouteAccepts_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("asOwner");
        QTest::newRow("column list") << u"SELECT text FROM message"_s << false;
        QTest::newRow("columns with aliases")
            << u"SELECT m.text AS t, sender FROM message m WHERE m.text = 'a'"_s << false;
        QTest::newRow("count") << u"SELECT COUNT(*) AS n FROM message"_s << false;
        QTest::newRow("count lower-case") << u"select count ( * ) as n from message"_s << false;
        QTest::newRow("limit") << u"SELECT * FROM message LIMIT 1"_s << false;
        QTest::newRow("limit exponent") << u"SELECT * FROM message LIMIT 1e2"_s << false;
        QTest::newRow("join columns")
            << u"SELECT m.text, u.name FROM message m JOIN user u ON m.sender = u.identity"_s
            << false;
        QTest::newRow("unindexed join")
            << u"SELECT u.* FROM user u JOIN message m ON u.identity = m.sender"_s << false;
        QTest::newRow("trailing ;") << u"SELECT * FROM user;"_s << false;
        QTest::newRow("delete") << u"DELETE FROM message WHERE text = 'x'"_s << true;
        QTest::newRow("delete :sender") << u"DELETE FROM message WHERE sender = :sender"_s << true;
        QTest::newRow("update") << u"UPDATE user SET online = false WHERE identity = :sender"_s
                                << true;
        QTest::newRow("insert") << u"INSERT INTO pairs (k, v) VALUES (1, 'one'), (2, 'two')"_s
                                << true;
    }
    void sqlRouteAccepts() {
        QFETCH(QString, sql);
        QFETCH(bool, asOwner);
        auto q = SqlQuery::compileSql(sql, unitCatalog(), asOwner ? owner() : anyone());
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message()));
        QCOMPARE(q->isDml(), asOwner);
    }

    void sqlRouteRejects_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("asOwner");
        QTest::addColumn<QString>("message");
        auto row = [](const char *name, const QString &sql, bool asOwner, const QString &message) {
            QTest::newRow(name) << sql << asOwner << message;
        };
        row("two statements", u"SELECT * FROM user; SELECT * FROM message"_s, true,
            u"Multiple SQL statements are not supported"_s);
        row("statement after ;", u"SELECT * FROM user;;DELETE FROM user"_s, true,
            u"Multiple SQL statements are not supported"_s);
        // The parser reads every statement before SpacetimeDB looks at the first.
        row("refused statement then another", u"SELECT * FROM nowhere; SELECT * FROM user"_s, true,
            u"Multiple SQL statements are not supported"_s);
        row("syntax error in the second statement", u"SELECT * FROM user; SELECT FROM"_s, true,
            u"sql parser error: Expected an expression:, found: FROM at Line: 1, Column 28"_s);
        row("dml by anyone", u"DELETE FROM message"_s, false,
            u"Caller "_s + idFrom(5).toHex() + u" is not authorized to run SQL DML statements"_s);
        row("insert without columns", u"INSERT INTO pairs VALUES (1, 'one')"_s, true,
            u"The number of fields (0) in the INSERT does not match the number of columns (2) of "
            u"the table `pairs`"_s);
        row("insert too few values", u"INSERT INTO pairs (k, v) VALUES (1)"_s, true,
            u"Inserting a row with 1 values into `pairs` which has 2 fields"_s);
        row("insert a string as a number", u"INSERT INTO pairs (k, v) VALUES ('1', 'one')"_s, true,
            u"Unexpected type: (expected) String != U32 (inferred)"_s);
        row("insert an expression", u"INSERT INTO pairs (k, v) VALUES (k, 'one')"_s, true,
            u"Unsupported INSERT value: k"_s);
        row("update an Option column", u"UPDATE user SET name = 'x'"_s, true,
            u"Unexpected type: (expected) String != (some: String | none: ()) (inferred)"_s);
        row("update unknown column", u"UPDATE user SET nick = 'x'"_s, true,
            u"`user` does not have a field `nick`"_s);
        row("update with an alias", u"UPDATE user AS u SET online = true"_s, true,
            u"Unsupported: UPDATE user AS u SET online = true"_s);
        row("update to an expression", u"UPDATE pairs SET k = k"_s, true,
            u"Unsupported column/variable assignment expression: k"_s);
        row("multi-table delete", u"DELETE FROM message, user"_s, true,
            u"Multi-table DELETE is not supported"_s);
        row("delete a private table by anyone", u"DELETE FROM secret"_s, false,
            u"no such table: `secret`. If the table exists, it may be marked private."_s);
        row("aggregate without alias", u"SELECT COUNT(*) FROM message"_s, false,
            u"Aggregate expressions must have column aliases"_s);
        row("other aggregate", u"SELECT SUM(a) AS s FROM numbers"_s, false,
            u"Unsupported aggregate function: SUM(a)"_s);
        row("count among columns", u"SELECT text, COUNT(*) AS n FROM message"_s, false,
            u"Unsupported projection expression: COUNT(*)"_s);
        row("duplicate output name", u"SELECT text, m.text FROM message m"_s, false,
            u"Duplicate name `text`"_s);
        row("limit not a number", u"SELECT * FROM message LIMIT '5'"_s, false,
            u"Unsupported: SELECT * FROM message LIMIT '5'"_s);
        row("limit fraction", u"SELECT * FROM message LIMIT 1.5"_s, false,
            u"The literal expression `1.5` cannot be parsed as type `U64`"_s);
        row("order by", u"SELECT * FROM message ORDER BY sent"_s, false,
            u"Unsupported: SELECT * FROM message ORDER BY sent"_s);
        row("no FROM", u"SELECT text"_s, false, u"A FROM clause is required"_s);
        row("literal projection", u"SELECT 1 FROM message"_s, false,
            u"Unsupported projection expression: 1"_s);
        row("all tables", u"SELECT * FROM *"_s, true,
            u"sql parser error: Expected identifier, found: * at Line: 1, Column 15"_s);
        row("unqualified column list over a join",
            u"SELECT text FROM message m JOIN user u ON m.sender = u.identity"_s, false,
            u"Names must be qualified when using joins"_s);
        row("other statement", u"CREATE TABLE t (x INT)"_s, true,
            u"Unsupported: CREATE TABLE t (x INT)"_s);
        row("empty", u"  "_s, false, u"Empty SQL query"_s);
    }
    void sqlRouteRejects() {
        QFETCH(QString, sql);
        QFETCH(bool, asOwner);
        QFETCH(QString, message);
        auto q = SqlQuery::compileSql(sql, unitCatalog(), asOwner ? owner() : anyone());
        QVERIFY(!q);
        QCOMPARE(q.error().message(), message);
    }

    void sqlEvaluation() {
        Database db(unitCatalog());
        QString error;
        QVERIFY(db.open(QStringLiteral(":memory:"), &error));
        {
            Transaction tx(db);
            QVERIFY(tx.insert(0, userRow(1, QStringLiteral("alice"), true)));
            QVERIFY(tx.insert(0, userRow(2, std::nullopt, false)));
            QVERIFY(tx.insert(1, {idFrom(1), stdb::Timestamp::fromMicros(1704067200000000),
                                  QStringLiteral("hi")}));
            QVERIFY(tx.insert(1, {idFrom(2), stdb::Timestamp::fromMicros(1704067200000001),
                                  QStringLiteral("yo")}));
            QVERIFY(db.commit(tx));
        }
        auto run = [&](const QString &sql, const SqlAuth &auth = anyone()) {
            auto q = SqlQuery::compileSql(sql, db.catalog(), auth);
            if (!q)
                qWarning() << q.error().message();
            return q ? q->run(db) : SqlQuery::ResultSet{};
        };
        const QString id1 = idFrom(1).toHex();
        auto r = run(u"SELECT text FROM message WHERE sender = 0x"_s + id1);
        QCOMPARE(r.columns.size(), 1);
        QCOMPARE(r.columns[0].name, QStringLiteral("text"));
        QCOMPARE(r.rows, (QList<Row>{{QStringLiteral("hi")}}));
        r = run(u"SELECT m.text AS t, u.online FROM message m JOIN user u ON m.sender = u.identity "
                u"WHERE u.online = true"_s);
        QCOMPARE(r.columns[0].name, QStringLiteral("t"));
        QCOMPARE(r.rows, (QList<Row>{{QStringLiteral("hi"), true}}));
        r = run(u"SELECT COUNT(*) AS n FROM message"_s);
        QCOMPARE(r.columns[0].type, ColumnType::U64);
        QCOMPARE(r.rows, (QList<Row>{{quint64(2)}}));
        QCOMPARE(run(u"SELECT * FROM message LIMIT 1"_s).rows.size(), 1);
        QCOMPARE(run(u"SELECT * FROM message LIMIT 0"_s).rows.size(), 0);
        QCOMPARE(run(u"SELECT * FROM message WHERE sent > '2024-01-01T00:00:00Z'"_s).rows.size(),
                 1);
        QCOMPARE(
            run(u"SELECT * FROM message WHERE sent >= '2024-01-01T01:00:00+01:00'"_s).rows.size(),
            2);
        QCOMPARE(run(u"SELECT * FROM user WHERE identity = :sender"_s, SqlAuth{idFrom(2), false})
                     .rows.size(),
                 1);
        QCOMPARE(
            run(u"SELECT * FROM user WHERE online = true OR identity = 0x"_s + id1).rows.size(), 1);

        // A subscription join delivers the return table's rows.
        auto sub = SqlQuery::compileQuery(
            u"SELECT m.* FROM message m JOIN user u ON m.sender = u.identity WHERE u.online"_s,
            db.catalog(), anyone());
        QVERIFY(sub);
        QCOMPARE(sub->returnRows(db).size(), 1);

        // DML by the owner: staged, committed, counted.
        auto dml = [&](const QString &sql) -> SqlQuery::DmlStats {
            auto q = SqlQuery::compileSql(sql, db.catalog(), SqlAuth{idFrom(2), true});
            if (!q) {
                qWarning() << q.error().message();
                return {-1, -1, -1};
            }
            Transaction tx(db);
            auto stats = q->stage(tx, db);
            if (!stats || !db.commit(tx))
                return {-1, -1, -1};
            return *stats;
        };
        SqlQuery::DmlStats s = dml(u"UPDATE user SET online = true WHERE identity = :sender"_s);
        QCOMPARE(s.updated, 1);
        QCOMPARE(run(u"SELECT * FROM user WHERE online"_s).rows.size(), 2);
        s = dml(u"DELETE FROM message WHERE text = 'hi'"_s);
        QCOMPARE(s.deleted, 1);
        QCOMPARE(run(u"SELECT * FROM message"_s).rows,
                 (QList<Row>{{idFrom(2), stdb::Timestamp::fromMicros(1704067200000001),
                              QStringLiteral("yo")}}));
        s = dml(u"INSERT INTO pairs (k, v) VALUES (1, 'one'), (2, 'two')"_s);
        QCOMPARE(s.inserted, 2);
        QCOMPARE(dml(u"INSERT INTO pairs (k, v) VALUES (1, 'again')"_s).inserted, -1); // key
        QCOMPARE(run(u"SELECT v FROM pairs WHERE k = 2"_s).rows,
                 (QList<Row>{{QStringLiteral("two")}}));
    }

    void sqlCanonicalDedup() {
        const auto cat = unitCatalog();
        auto one = [&](const QString &sql) { return SqlQuery::compileQuery(sql, cat, anyone()); };
        auto a = one(u"SELECT * FROM user"_s);
        auto b = one(u"select * from \"user\""_s);
        auto c = one(u"SELECT * FROM user WHERE online"_s);
        auto d = one(u"SELECT * FROM message WHERE text = 'p' OR text = 'q) OR (#2 = 4:r'"_s);
        auto e = one(u"SELECT * FROM message WHERE text = 'p) OR (#2 = 4:q' OR text = 'r'"_s);
        QVERIFY(a && b && c && d && e);
        QCOMPARE(a->canonical(), b->canonical());
        QVERIFY(a->canonical() != c->canonical());
        QVERIFY(d->canonical() != e->canonical());
    }

    void sqlFuzzNeverCrashes() {
        QRandomGenerator rng(99);
        const QStringList pieces{"SELECT",
                                 "*",
                                 "FROM",
                                 "user",
                                 "message",
                                 "WHERE",
                                 "AND",
                                 "OR",
                                 "(",
                                 ")",
                                 "=",
                                 "!=",
                                 "<",
                                 ">=",
                                 "'x'",
                                 "'",
                                 "\"",
                                 "0x",
                                 "X'",
                                 "12",
                                 "-",
                                 "TRUE",
                                 "online",
                                 "name",
                                 ".",
                                 ";",
                                 "JOIN",
                                 "é",
                                 "\x01",
                                 "ON",
                                 "COUNT",
                                 "LIMIT",
                                 "AS",
                                 "m",
                                 ":sender",
                                 "DELETE",
                                 "UPDATE",
                                 "SET",
                                 ",",
                                 "1e400",
                                 "999999999999999999999999"};
        const auto cat = unitCatalog();
        for (int i = 0; i < 5000; ++i) {
            QString sql;
            const int n = int(rng.bounded(14));
            for (int k = 0; k < n; ++k)
                sql += pieces[int(rng.bounded(pieces.size()))] +
                       (rng.bounded(3) ? QStringLiteral(" ") : QString());
            auto q = SqlQuery::compileSubscription(sql, cat, anyone());
            if (q) {
                for (const SqlQuery &one : *q)
                    if (!one.isJoin())
                        one.matches(userRow(1, QStringLiteral("n"), true));
            } else {
                QVERIFY(!q.error().message().isEmpty());
            }
            auto s = SqlQuery::compileSql(sql, cat, owner());
            if (!s)
                QVERIFY(!s.error().message().isEmpty());
        }
    }

    // ---- values ---------------------------------------------------------------------------
    void valuesRoundTrip() {
        const auto cat = ChatModule::catalog();
        const Row alice = userRow(7, QStringLiteral("Bob"), true);
        const QByteArray bytes = encodeRow(cat[0].columns, alice);
        QCOMPARE(bytes.size(), 32 + 1 + 4 + 3 + 1);
        QCOMPARE(bytes.mid(32), QByteArray("\x00\x03\x00\x00\x00"
                                           "Bob\x01",
                                           9));
        auto back = decodeRow(cat[0].columns, bytes);
        QVERIFY(back);
        QCOMPARE(compareValues((*back)[0], alice[0]), 0);
        QCOMPARE(std::get<QString>((*back)[1]), QStringLiteral("Bob"));
        QVERIFY(!decodeRow(cat[0].columns, bytes + 'x'));
        QVERIFY(!decodeRow(cat[0].columns, bytes.left(20)));
        const Row anon = userRow(7, std::nullopt, false);
        QCOMPARE(encodeRow(cat[0].columns, anon).size(), 34);

        QCOMPARE(valueToSqlJson(cat[0].columns[1], Value(std::monostate{})), QByteArray("[1,[]]"));
        QCOMPARE(valueToSqlJson(cat[0].columns[1], Value(QStringLiteral("a\"b"))),
                 QByteArray("[0,\"a\\\"b\"]"));
        QCOMPARE(valueToSqlJson(cat[1].columns[1], Value(stdb::Timestamp::fromMicros(5))),
                 QByteArray("[5]"));
        const QByteArray idJson = valueToSqlJson(cat[0].columns[0], alice[0]);
        QVERIFY(idJson.startsWith("[\"0xc200"));

        Value v;
        QVERIFY(!valueFromJson(cat[0].columns[1],
                               QJsonObject{{QStringLiteral("some"), QStringLiteral("x")}}, v));
        QCOMPARE(std::get<QString>(v), QStringLiteral("x"));
        QVERIFY(valueFromJson(cat[0].columns[1],
                              QJsonObject{{QStringLiteral("none"), QJsonArray{}}},
                              v) == std::nullopt);
        QVERIFY(std::holds_alternative<std::monostate>(v));
        Value unused;
        QVERIFY(
            valueFromJson(ColumnDef{QStringLiteral("n"), ColumnType::U8}, QJsonValue(300), unused));
        QVERIFY(valueFromJson(ColumnDef{QStringLiteral("s"), ColumnType::String}, QJsonValue(3),
                              unused));
        Value id;
        QVERIFY(!valueFromJson(ColumnDef{QStringLiteral("i"), ColumnType::Identity},
                               QJsonArray{QStringLiteral("0x") + idFrom(3).toHex()}, id));
        QCOMPARE(std::get<stdb::Identity>(id), idFrom(3));
    }

    // ---- schema ---------------------------------------------------------------------------
    // The checked-in schema files are the one home of quickstart-chat's schema for the
    // generator and every test (V9: the bindings' input; V10: the generator's fixture), so they
    // must be exactly what the host serves.
    void schemaFilesAreWhatTheHostServes_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("file");
        QTest::newRow("V9") << 9 << QStringLiteral(STDB_QUICKSTART_SCHEMA_V9);
        QTest::newRow("V10") << 10 << QStringLiteral(STDB_QUICKSTART_SCHEMA_V10);
    }
    void schemaFilesAreWhatTheHostServes() {
        QFETCH(int, version);
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
        QCOMPARE(f.readAll(), ChatModule::schemaJson(version));
    }

    void schemaJson() {
        QVERIFY(ChatModule::schemaJson(8).isEmpty());
        QVERIFY(ChatModule::schemaJson(11).isEmpty());
        QJsonParseError err;
        const QJsonObject v9 = QJsonDocument::fromJson(ChatModule::schemaJson(9), &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonObject v10 = QJsonDocument::fromJson(ChatModule::schemaJson(10), &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        QVERIFY(v10.value(QStringLiteral("sections")).isArray());

        // The hand-written typespace must describe exactly the rows the host sends.
        const auto cat = ChatModule::catalog();
        const QJsonArray types = v9.value(QStringLiteral("typespace"))
                                     .toObject()
                                     .value(QStringLiteral("types"))
                                     .toArray();
        const QJsonArray tables = v9.value(QStringLiteral("tables")).toArray();
        QCOMPARE(tables.size(), cat.size());
        for (qsizetype t = 0; t < cat.size(); ++t) {
            const QJsonObject table = tables[t].toObject();
            QCOMPARE(table.value(QStringLiteral("name")).toString(), cat[t].name);
            const int ref = table.value(QStringLiteral("product_type_ref")).toInt();
            const QJsonArray elements = types[ref]
                                            .toObject()
                                            .value(QStringLiteral("Product"))
                                            .toObject()
                                            .value(QStringLiteral("elements"))
                                            .toArray();
            QCOMPARE(elements.size(), cat[t].columns.size());
            for (qsizetype c = 0; c < elements.size(); ++c) {
                const QJsonObject e = elements[c].toObject();
                QCOMPARE(e.value(QStringLiteral("name"))
                             .toObject()
                             .value(QStringLiteral("some"))
                             .toString(),
                         cat[t].columns[c].name);
                QCOMPARE(e.value(QStringLiteral("algebraic_type")).toObject(),
                         algebraicTypeJson(cat[t].columns[c]));
            }
            const QJsonArray pk = table.value(QStringLiteral("primary_key")).toArray();
            QCOMPARE(pk.isEmpty(), cat[t].primaryKey < 0);
        }
        // Reducers: names, params and lifecycles as the module declares them.
        ChatModule module;
        const QJsonArray reducers = v9.value(QStringLiteral("reducers")).toArray();
        QCOMPARE(reducers.size(), module.reducers().size());
        for (const QJsonValue &r : reducers) {
            const QJsonObject o = r.toObject();
            const ReducerDef *def = module.findReducer(o.value(QStringLiteral("name")).toString());
            QVERIFY(def);
            const QJsonObject lc = o.value(QStringLiteral("lifecycle")).toObject();
            if (def->lifecycle == Lifecycle::None)
                QVERIFY(lc.contains(QStringLiteral("none")));
            else
                QVERIFY(lc.value(QStringLiteral("some"))
                            .toObject()
                            .contains(lifecycleName(def->lifecycle)));
            QCOMPARE(o.value(QStringLiteral("params"))
                         .toObject()
                         .value(QStringLiteral("elements"))
                         .toArray()
                         .size(),
                     def->params.size());
        }
    }

    // ---- database and module --------------------------------------------------------------
    void transactionsAndPersistence() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        QString error;
        {
            Database db(ChatModule::catalog());
            QVERIFY2(db.open(path, &error), qPrintable(error));
            Transaction tx(db);
            QVERIFY(tx.insert(0, userRow(1, std::nullopt, true)));
            QVERIFY(!tx.insert(0, userRow(1, QStringLiteral("dup"), true))); // primary key
            QVERIFY(tx.insert(1, {idFrom(1), stdb::Timestamp::fromMicros(1), QStringLiteral("a")}));
            QVERIFY(tx.insert(1, {idFrom(1), stdb::Timestamp::fromMicros(1), QStringLiteral("a")}));
            auto delta = db.commit(tx);
            QVERIFY(delta);
            QCOMPARE(delta->tables.size(), 2);
            QCOMPARE(delta->tables[1].inserts.size(), 1); // tables are sets
            QCOMPARE(db.table(0).rows.size(), 1);

            // Update = delete + insert of the same key.
            Transaction up(db);
            auto u = up.findByKey(0, idFrom(1));
            QVERIFY(u);
            (*u)[1] = QStringLiteral("Ann");
            QVERIFY(up.updateByKey(0, *u));
            delta = db.commit(up);
            QVERIFY(delta);
            QCOMPARE(delta->tables.size(), 1);
            QCOMPARE(delta->tables[0].inserts.size(), 1);
            QCOMPARE(delta->tables[0].deletes.size(), 1);

            // Re-writing a row unchanged is no change at all.
            Transaction same(db);
            QVERIFY(same.updateByKey(0, *same.findByKey(0, idFrom(1))));
            delta = db.commit(same);
            QVERIFY(delta && delta->isEmpty());

            // A dropped transaction leaves nothing behind.
            {
                Transaction dropped(db);
                QVERIFY(dropped.insert(0, userRow(2, std::nullopt, true)));
            }
            QCOMPARE(db.table(0).rows.size(), 1);
        }
        Database again(ChatModule::catalog());
        QVERIFY2(again.open(path, &error), qPrintable(error));
        QCOMPARE(again.table(0).rows.size(), 1);
        QCOMPARE(again.table(1).rows.size(), 1);
        const Row u = again.table(0).rows.first().values;
        QCOMPARE(std::get<QString>(u[1]), QStringLiteral("Ann"));
        QCOMPARE(std::get<stdb::Identity>(u[0]), idFrom(1));

        // Another schema in the same file is refused.
        TableSchema odd;
        odd.name = QStringLiteral("user");
        odd.columns = {{QStringLiteral("x"), ColumnType::Bool}};
        Database wrong({odd});
        QVERIFY(!wrong.open(path, &error));
        QVERIFY(error.contains(QStringLiteral("another schema")));
    }

    void moduleLogic() {
        Database db(ChatModule::catalog());
        QString error;
        QVERIFY(db.open(QStringLiteral(":memory:"), &error));
        ChatModule module;
        auto run = [&](const QString &name, const Row &args, int who) {
            Transaction tx(db);
            ReducerContext ctx{idFrom(who), stdb::ConnectionId(), stdb::Timestamp::now(), tx};
            const ModuleOutcome out = module.run(*module.findReducer(name), ctx, args);
            if (out.kind == ModuleOutcome::Kind::Ok)
                db.commit(tx);
            return out;
        };
        auto check = [](const ModuleOutcome &o, ModuleOutcome::Kind kind, const QString &text) {
            return o.kind == kind && o.message == text;
        };
        QVERIFY(check(run(QStringLiteral("set_name"), {QStringLiteral("x")}, 1),
                      ModuleOutcome::Kind::UserError,
                      QStringLiteral("Cannot set name for unknown user")));
        QVERIFY(check(run(QStringLiteral("set_name"), {QString()}, 1),
                      ModuleOutcome::Kind::UserError, QStringLiteral("Names must not be empty")));
        QVERIFY(check(run(QStringLiteral("send_message"), {QString()}, 1),
                      ModuleOutcome::Kind::UserError,
                      QStringLiteral("Messages must not be empty")));
        QCOMPARE(db.table(0).rows.size(), 0);
        QVERIFY(
            check(run(QStringLiteral("identity_connected"), {}, 1), ModuleOutcome::Kind::Ok, {}));
        QCOMPARE(db.table(0).rows.size(), 1);
        QVERIFY(check(run(QStringLiteral("set_name"), {QStringLiteral("Zed")}, 1),
                      ModuleOutcome::Kind::Ok, {}));
        QVERIFY(check(run(QStringLiteral("send_message"), {QStringLiteral("hello")}, 1),
                      ModuleOutcome::Kind::Ok, {}));
        QVERIFY(check(run(QStringLiteral("identity_disconnected"), {}, 1), ModuleOutcome::Kind::Ok,
                      {}));
        const Row u = db.table(0).rows.first().values;
        QCOMPARE(std::get<QString>(u[1]), QStringLiteral("Zed"));
        QCOMPARE(std::get<bool>(u[2]), false);
        QCOMPARE(db.table(1).rows.size(), 1);
        // Disconnect of someone unknown only logs a warning.
        QVERIFY(check(run(QStringLiteral("identity_disconnected"), {}, 99), ModuleOutcome::Kind::Ok,
                      {}));
    }

    void subscriptionMultiplicity() {
        Database db(ChatModule::catalog());
        QString error;
        QVERIFY(db.open(QStringLiteral(":memory:"), &error));
        SubscriptionManager subs(db);
        // Two different queries over the same row each deliver it; identical ones count once.
        auto applied = subs.subscribe(1, 10,
                                      {QStringLiteral("SELECT * FROM user"),
                                       QStringLiteral("SELECT * FROM \"user\""),
                                       QStringLiteral("SELECT * FROM user WHERE online")},
                                      anyone());
        QVERIFY(applied);
        QCOMPARE(applied->tables.size(), 2);
        QVERIFY(subs.subscribe(1, 11, {QStringLiteral("SELECT * FROM *")}, anyone()));
        const auto refused =
            subs.subscribe(2, 1, {QStringLiteral("  SELECT * FROM nope ")}, anyone());
        QVERIFY(!refused);
        // The real server's text: the error, then the query it was compiling.
        QCOMPARE(refused.error().message(),
                 u"no such table: `nope`. If the table exists, it may be marked private., "
                 u"executing: `SELECT * FROM nope`"_s);
        QVERIFY(!subs.hasQuerySet(2, 1));

        Transaction tx(db);
        QVERIFY(tx.insert(0, userRow(1, std::nullopt, true)));
        auto delta = db.commit(tx);
        QVERIFY(delta);
        const auto updates = subs.updatesFor(*delta);
        QCOMPARE(updates.size(), 1);
        const auto sets = updates.value(1);
        QCOMPARE(sets.size(), 2);
        QCOMPARE(sets[0].querySetId, 10u);
        QCOMPARE(sets[0].tables.size(), 1);
        QCOMPARE(sets[0].tables[0].rows.size(), 2); // one entry per matching query
        QCOMPARE(sets[1].tables[0].rows.size(), 1);

        auto dropped = subs.unsubscribe(1, 10);
        QVERIFY(dropped);
        QCOMPARE(dropped->tables.size(), 2);
        QCOMPARE(dropped->tables[0].rows.rowCount() + dropped->tables[1].rows.rowCount(), 2);
        QVERIFY(!subs.unsubscribe(1, 10));
    }

    void subscriptionJoinUpdates() {
        Database db(ChatModule::catalog());
        QString error;
        QVERIFY(db.open(QStringLiteral(":memory:"), &error));
        SubscriptionManager subs(db);
        // Messages of online users: a change to `user` alone moves messages in and out.
        auto applied = subs.subscribe(
            1, 1,
            {u"SELECT m.* FROM message m JOIN user u ON m.sender = u.identity WHERE u.online"_s},
            anyone());
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error().message()));
        QCOMPARE(applied->tables.size(), 1);
        QCOMPARE(applied->tables[0].table, QStringLiteral("message"));
        QCOMPARE(applied->tables[0].rows.rowCount(), 0);

        auto commit = [&](const std::function<void(Transaction &)> &change) {
            Transaction tx(db);
            change(tx);
            auto delta = db.commit(tx);
            return delta ? subs.updatesFor(*delta)
                         : QHash<ClientId, QList<stdb::protocol::QuerySetUpdate>>();
        };
        auto rowsOf = [](const QHash<ClientId, QList<stdb::protocol::QuerySetUpdate>> &u,
                         bool inserts) {
            const auto sets = u.value(1);
            if (sets.isEmpty() || sets[0].tables.isEmpty())
                return -1;
            const auto &rows =
                std::get<stdb::protocol::PersistentTableRows>(sets[0].tables[0].rows[0]);
            return int(inserts ? rows.inserts.rowCount() : rows.deletes.rowCount());
        };
        const Row msg{idFrom(1), stdb::Timestamp::fromMicros(1), QStringLiteral("hi")};
        auto u = commit([&](Transaction &tx) { QVERIFY(tx.insert(1, msg)); });
        QVERIFY(u.isEmpty()); // the sender is not a user yet
        u = commit([&](Transaction &tx) { QVERIFY(tx.insert(0, userRow(1, std::nullopt, true))); });
        QCOMPARE(u.value(1)[0].tables[0].tableName, QStringLiteral("message"));
        QCOMPARE(rowsOf(u, true), 1);
        u = commit(
            [&](Transaction &tx) { QVERIFY(tx.updateByKey(0, userRow(1, std::nullopt, false))); });
        QCOMPARE(rowsOf(u, false), 1);
        QCOMPARE(rowsOf(u, true), 0);
    }
};

QTEST_GUILESS_MAIN(TestHostUnits)
#include "tst_host_units.moc"
