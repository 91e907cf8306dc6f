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

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace host;

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

    // ---- SQL ------------------------------------------------------------------------------
    void sqlAccepts_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("table");
        QTest::newRow("plain") << "SELECT * FROM user"
                               << "user";
        QTest::newRow("quoted") << "select * from \"message\";"
                                << "message";
        QTest::newRow("qualified star") << "SELECT u.* FROM user AS u"
                                        << "user";
        QTest::newRow("ts builder") << "SELECT * FROM \"user\" WHERE (\"user\".\"online\" = TRUE)"
                                    << "user";
        QTest::newRow("and or") << "SELECT * FROM user WHERE online = true AND name = 'a' OR "
                                   "name != 'b'"
                                << "user";
        QTest::newRow("identity hex")
            << "SELECT * FROM user WHERE identity = 0x"
               "c200000000000000000000000000000000000000000000000000000000000001"
            << "user";
        QTest::newRow("identity blob")
            << "SELECT * FROM message WHERE sender = X'"
               "c200000000000000000000000000000000000000000000000000000000000001'"
            << "message";
        QTest::newRow("timestamp iso")
            << "SELECT * FROM message WHERE sent >= '2024-01-01T00:00:00Z'"
            << "message";
        QTest::newRow("timestamp int") << "SELECT * FROM message WHERE sent < 1704067200000000"
                                       << "message";
        QTest::newRow("column vs column") << "SELECT * FROM numbers WHERE b <= e"
                                          << "numbers";
        QTest::newRow("ints") << "SELECT * FROM numbers WHERE a = 255 AND b > -5 AND c <> 0 AND "
                                 "d >= -2147483648"
                              << "numbers";
        QTest::newRow("bare bool") << "SELECT * FROM user WHERE online"
                                   << "user";
        QTest::newRow("comment") << "SELECT * FROM user -- everyone\n"
                                 << "user";
        QTest::newRow("escaped quote") << "SELECT * FROM message WHERE text = 'it''s'"
                                       << "message";
    }
    void sqlAccepts() {
        QFETCH(QString, sql);
        QFETCH(QString, table);
        auto q = SqlQuery::compileSubscription(sql, catalogWithNumbers());
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message()));
        QCOMPARE(q->size(), 1);
        QCOMPARE(q->front().tableName(), table);
    }

    void sqlRejects_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << ""
                               << "empty query";
        QTest::newRow("unknown table") << "SELECT * FROM users"
                                       << "no such table: `users`";
        QTest::newRow("unknown column") << "SELECT * FROM user WHERE nick = 'a'"
                                        << "no such column: `nick`";
        QTest::newRow("bool vs string") << "SELECT * FROM user WHERE online = 'yes'"
                                        << "type mismatch";
        QTest::newRow("string vs int") << "SELECT * FROM message WHERE text = 3"
                                       << "type mismatch";
        QTest::newRow("u8 range") << "SELECT * FROM numbers WHERE a = 256"
                                  << "out of range";
        QTest::newRow("short blob") << "SELECT * FROM user WHERE identity = X'c200'"
                                    << "exactly 64 hex digits";
        QTest::newRow("bad iso") << "SELECT * FROM message WHERE sent = 'yesterday'"
                                 << "ISO-8601";
        QTest::newRow("unterminated") << "SELECT * FROM user WHERE name = 'abc"
                                      << "unterminated string";
        QTest::newRow("join") << "SELECT * FROM user JOIN message ON a = b"
                              << "JOIN";
        QTest::newRow("insert") << "INSERT INTO user VALUES (1)"
                                << "only SELECT";
        QTest::newRow("projection") << "SELECT name FROM user"
                                    << "SELECT *";
        QTest::newRow("no from") << "SELECT *"
                                 << "expected FROM";
        QTest::newRow("star where") << "SELECT * FROM * WHERE online"
                                    << "cannot have a WHERE";
        QTest::newRow("trailing") << "SELECT * FROM user WHERE online = true true"
                                  << "unexpected";
        QTest::newRow("bad alias") << "SELECT x.* FROM user"
                                   << "unknown table or alias `x`";
        QTest::newRow("bad qualifier") << "SELECT * FROM user WHERE m.online"
                                       << "`m`";
        QTest::newRow("literal only") << "SELECT * FROM user WHERE 1 = 1"
                                      << "does not involve";
        QTest::newRow("not") << "SELECT * FROM user WHERE NOT online"
                             << "NOT";
        QTest::newRow("char") << "SELECT * FROM user WHERE online = #"
                              << "unexpected character";
        QTest::newRow("paren") << "SELECT * FROM user WHERE (online"
                               << "expected ')'";
        QTest::newRow("two statements") << "SELECT * FROM user; SELECT * FROM user"
                                        << "exactly one statement";
        QTest::newRow("deep") << "SELECT * FROM user WHERE " + QString(100, u'(') + "online" +
                                     QString(100, u')')
                              << "nested deeper";
    }
    void sqlRejects() {
        QFETCH(QString, sql);
        QFETCH(QString, mentions);
        auto q = SqlQuery::compileSubscription(sql, catalogWithNumbers());
        QVERIFY(!q);
        QVERIFY2(q.error().message().contains(mentions), qPrintable(q.error().message()));
    }

    void sqlAllTables() {
        auto q = SqlQuery::compileSubscription(QStringLiteral("  select *\n FROM  * ; "),
                                               ChatModule::catalog());
        QVERIFY(q);
        QCOMPARE(q->size(), 2);
        QCOMPARE((*q)[0].tableName(), QStringLiteral("user"));
        QCOMPARE((*q)[1].tableName(), QStringLiteral("message"));
        // Not valid outside subscriptions.
        QVERIFY(!SqlQuery::compileScript(QStringLiteral("SELECT * FROM *"), ChatModule::catalog()));
    }

    void sqlEvaluation() {
        const auto cat = ChatModule::catalog();
        auto eval = [&](const QString &sql, const Row &row) {
            auto q = SqlQuery::compileSubscription(sql, cat);
            if (!q)
                qWarning() << q.error().message();
            return q && q->front().matches(row);
        };
        const Row alice = userRow(1, QStringLiteral("alice"), true);
        const Row anon = userRow(2, std::nullopt, false);
        QVERIFY(eval(QStringLiteral("SELECT * FROM user"), anon));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE online = TRUE"), alice));
        QVERIFY(!eval(QStringLiteral("SELECT * FROM user WHERE online = TRUE"), anon));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE online"), alice));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE name = 'alice'"), alice));
        // An empty Option never compares true, whatever the operator.
        QVERIFY(!eval(QStringLiteral("SELECT * FROM user WHERE name = 'alice'"), anon));
        QVERIFY(!eval(QStringLiteral("SELECT * FROM user WHERE name != 'alice'"), anon));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE name > 'a' AND name < 'b'"), alice));
        // AND binds tighter than OR.
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE online = false AND name = 'x' OR "
                                    "online = true"),
                     alice));
        QVERIFY(!eval(QStringLiteral("SELECT * FROM user WHERE online = false AND (name = 'x' OR "
                                     "online = true)"),
                      alice));
        const QString hex = idFrom(1).toHex();
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE identity = 0x%1").arg(hex), alice));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE identity = X'%1'").arg(hex), alice));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE identity = '%1'").arg(hex), alice));
        QVERIFY(!eval(QStringLiteral("SELECT * FROM user WHERE identity = 0x%1").arg(hex), anon));
        QVERIFY(eval(QStringLiteral("SELECT * FROM user WHERE identity != 0x1"), anon));

        const Row msg{idFrom(1), stdb::Timestamp::fromMicros(1704067200000000),
                      QStringLiteral("hi")};
        QVERIFY(
            eval(QStringLiteral("SELECT * FROM message WHERE sent = '2024-01-01T00:00:00Z'"), msg));
        QVERIFY(eval(QStringLiteral("SELECT * FROM message WHERE sent >= 1704067200000000"), msg));
        QVERIFY(!eval(QStringLiteral("SELECT * FROM message WHERE sent > '2024-01-01T00:00:00Z'"),
                      msg));

        const auto nums = catalogWithNumbers();
        auto q = SqlQuery::compileSubscription(
            QStringLiteral("SELECT * FROM numbers WHERE b < e AND c = 18446744073709551615"), nums);
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message()));
        QVERIFY(q->front().matches({qint64(1), qint64(3), quint64(18446744073709551615ull),
                                    Value(std::monostate{}), qint64(4)}));
        QVERIFY(!q->front().matches(
            {qint64(1), qint64(5), quint64(18446744073709551615ull), qint64(1), qint64(4)}));
        // Columns of different types are not comparable.
        QVERIFY(!SqlQuery::compileSubscription(QStringLiteral("SELECT * FROM numbers WHERE a = b"),
                                               nums));
    }

    void sqlCanonicalDedup() {
        const auto cat = ChatModule::catalog();
        auto a = SqlQuery::compileSubscription(QStringLiteral("SELECT * FROM user"), cat);
        auto b = SqlQuery::compileSubscription(QStringLiteral("select * from \"user\""), cat);
        auto c =
            SqlQuery::compileSubscription(QStringLiteral("SELECT * FROM user WHERE online"), cat);
        QVERIFY(a && b && c);
        QCOMPARE(a->front().canonical(), b->front().canonical());
        QVERIFY(a->front().canonical() != c->front().canonical());
    }

    void sqlScript() {
        auto s = SqlQuery::compileScript(QStringLiteral("SELECT * FROM user; SELECT * FROM "
                                                        "message WHERE text = 'a;b';"),
                                         ChatModule::catalog());
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message()));
        QCOMPARE(s->size(), 2);
    }

    void sqlFuzzNeverCrashes() {
        QRandomGenerator rng(99);
        const QStringList pieces{"SELECT", "*",    "FROM",   "user", "message",
                                 "WHERE",  "AND",  "OR",     "(",    ")",
                                 "=",      "!=",   "<",      ">=",   "'x'",
                                 "'",      "\"",   "0x",     "X'",   "12",
                                 "-",      "TRUE", "online", "name", ".",
                                 ";",      "JOIN", "é",      "\x01", "999999999999999999999999"};
        const auto cat = catalogWithNumbers();
        for (int i = 0; i < 5000; ++i) {
            QString sql;
            const int n = int(rng.bounded(14));
            for (int k = 0; k < n; ++k)
                sql += pieces[int(rng.bounded(pieces.size()))] +
                       (rng.bounded(3) ? QStringLiteral(" ") : QString());
            auto q = SqlQuery::compileSubscription(sql, cat);
            if (q)
                for (const SqlQuery &one : *q)
                    one.matches(userRow(1, QStringLiteral("n"), true));
            else
                QVERIFY(!q.error().message().isEmpty());
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
                                       QStringLiteral("SELECT * FROM user WHERE online")});
        QVERIFY(applied);
        QCOMPARE(applied->tables.size(), 2);
        QVERIFY(subs.subscribe(1, 11, {QStringLiteral("SELECT * FROM *")}));
        QVERIFY(!subs.subscribe(2, 1, {QStringLiteral("SELECT * FROM nope")}));
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
};

QTEST_GUILESS_MAIN(TestHostUnits)
#include "tst_host_units.moc"
