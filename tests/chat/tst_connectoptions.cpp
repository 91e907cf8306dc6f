// SPDX-License-Identifier: Apache-2.0
// chat::ConnectOptions: the command-line options the three front ends share, with each front
// end's defaults and checks.
#include "chat/connectoptions.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTest>

using chat::ConnectOptions;
using Frontend = ConnectOptions::Frontend;

Q_DECLARE_METATYPE(Frontend)

namespace {
// Parses arguments (without the program name) the way every front end does: the shared options
// on a parser, parse, read.
struct Parsed {
    bool parsed = false;
    bool ok = false;
    ConnectOptions options{Frontend::Widgets};
};

Parsed parse(Frontend frontend, const QStringList &arguments) {
    Parsed result;
    result.options = ConnectOptions(frontend);
    QCommandLineParser parser;
    result.options.addTo(parser);
    result.parsed = parser.parse(QStringList{QStringLiteral("program")} + arguments);
    if (result.parsed)
        result.ok = result.options.read(parser);
    return result;
}

const QString kCertificate = QStringLiteral(CERTIFICATE_FILE);
} // namespace

class TestConnectOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaults_data() {
        QTest::addColumn<Frontend>("frontend");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("profile");
        // The Widgets app falls back to the profile used last, so it has no defaults here.
        QTest::newRow("widgets") << Frontend::Widgets << QString() << QString() << QString();
        QTest::newRow("quick") << Frontend::Quick << QStringLiteral("http://127.0.0.1:3000")
                               << QStringLiteral("quickstart-chat") << QStringLiteral("default");
        QTest::newRow("console") << Frontend::Console << QStringLiteral("http://127.0.0.1:3000")
                                 << QStringLiteral("quickstart-chat") << QStringLiteral("default");
    }
    void defaults() {
        QFETCH(Frontend, frontend);
        QFETCH(QString, server);
        QFETCH(QString, database);
        QFETCH(QString, profile);
        const Parsed p = parse(frontend, {});
        QVERIFY2(p.ok, qPrintable(p.options.error()));
        QCOMPARE(p.options.server(), server);
        QCOMPARE(p.options.database(), database);
        QCOMPARE(p.options.profileName(), profile);
        QVERIFY(!p.options.insecureTokenFile());
        QVERIFY(!p.options.anonymous());
        QVERIFY(!p.options.importRustCredentials());
        QVERIFY(p.options.trustedCertificateFile().isEmpty());
    }

    void values() {
        for (Frontend frontend : {Frontend::Widgets, Frontend::Quick, Frontend::Console}) {
            const Parsed p =
                parse(frontend, {QStringLiteral("--server"), QStringLiteral(" http://h:1 "),
                                 QStringLiteral("--database"), QStringLiteral("db"),
                                 QStringLiteral("--profile"), QStringLiteral("alice"),
                                 QStringLiteral("--insecure-token-file"),
                                 QStringLiteral("--rust-credentials"), QStringLiteral("/r")});
            QVERIFY(p.ok);
            QCOMPARE(p.options.server(), QStringLiteral("http://h:1"));
            QCOMPARE(p.options.database(), QStringLiteral("db"));
            QCOMPARE(p.options.profileName(), QStringLiteral("alice"));
            QVERIFY(p.options.insecureTokenFile());
            QVERIFY(!p.options.anonymous());
            // --rust-credentials implies the import.
            QVERIFY(p.options.importRustCredentials());
            QCOMPARE(p.options.rustCredentialsPath(), QStringLiteral("/r"));
            QVERIFY(p.options.trustedCertificate().isNull());
            QCOMPARE(p.options.profile().serverUrl(), QStringLiteral("http://h:1"));
            QCOMPARE(p.options.profile().name(), QStringLiteral("alice"));
        }
    }

    void badProfileName() {
        for (Frontend frontend : {Frontend::Widgets, Frontend::Quick, Frontend::Console}) {
            const Parsed p =
                parse(frontend, {QStringLiteral("--profile"), QStringLiteral("../etc")});
            QVERIFY(p.parsed);
            QVERIFY(!p.ok);
            QVERIFY2(p.options.error().contains(QStringLiteral("\"../etc\"")),
                     qPrintable(p.options.error()));
        }
        // The console client takes the name as typed; the others trim it.
        QVERIFY(parse(Frontend::Quick, {QStringLiteral("--profile"), QStringLiteral(" a ")}).ok);
        QVERIFY(!parse(Frontend::Console, {QStringLiteral("--profile"), QStringLiteral(" a ")}).ok);
    }

    void emptyServerOrDatabase() {
        const QStringList noServer{QStringLiteral("--server"), QString()};
        const QStringList noDatabase{QStringLiteral("--database"), QStringLiteral(" ")};
        // The Widgets app keeps the profile's server and database for an empty value.
        QVERIFY(parse(Frontend::Widgets, noServer).ok);
        QVERIFY(parse(Frontend::Widgets, noDatabase).ok);
        for (Frontend frontend : {Frontend::Quick, Frontend::Console}) {
            QVERIFY(!parse(frontend, noServer).ok);
            QVERIFY(!parse(frontend, noDatabase).ok);
        }
    }

    void consoleServer() {
        const Parsed maincloud =
            parse(Frontend::Console, {QStringLiteral("--server"), QStringLiteral("maincloud")});
        QVERIFY(maincloud.ok);
        QCOMPARE(maincloud.options.server(), QStringLiteral("https://maincloud.spacetimedb.com"));
        const Parsed bad =
            parse(Frontend::Console, {QStringLiteral("--server"), QStringLiteral("http://[::1")});
        QVERIFY(!bad.ok);
        QVERIFY2(bad.options.error().contains(QStringLiteral("http://[::1")),
                 qPrintable(bad.options.error()));
    }

    void anonymousExcludesStoredIdentity() {
        const QString anonymous = QStringLiteral("--anonymous");
        for (Frontend frontend : {Frontend::Widgets, Frontend::Quick, Frontend::Console}) {
            QVERIFY(parse(frontend, {anonymous}).ok);
            QVERIFY(parse(frontend, {anonymous}).options.anonymous());
            QVERIFY(!parse(frontend, {anonymous, QStringLiteral("--import-rust-credentials")}).ok);
            QVERIFY(!parse(frontend,
                           {anonymous, QStringLiteral("--rust-credentials"), QStringLiteral("/r")})
                         .ok);
        }
        // Only the console client also refuses a token file it would never write.
        const QString insecure = QStringLiteral("--insecure-token-file");
        QVERIFY(parse(Frontend::Widgets, {anonymous, insecure}).ok);
        QVERIFY(parse(Frontend::Quick, {anonymous, insecure}).ok);
        QVERIFY(!parse(Frontend::Console, {anonymous, insecure}).ok);
    }

    void trustCertificate() {
        const QString option = QStringLiteral("--trust-certificate");
        const QString relative = QDir::current().relativeFilePath(kCertificate);
        for (Frontend frontend : {Frontend::Widgets, Frontend::Quick, Frontend::Console}) {
            const Parsed p = parse(frontend, {option, relative});
            QVERIFY2(p.ok, qPrintable(p.options.error()));
            QVERIFY(!p.options.trustedCertificate().isNull());
            // The Widgets app stores it in the profile for later starts: absolute.
            const QString expected = frontend == Frontend::Widgets ? kCertificate : relative;
            QCOMPARE(p.options.trustedCertificateFile(), expected);
            QCOMPARE(p.options.profile().trustedCertificateFile(), expected);

            const Parsed missing =
                parse(frontend, {option, QDir::temp().filePath(QStringLiteral("no-such.pem"))});
            QVERIFY(!missing.ok);
            QVERIFY2(missing.options.error().contains(QStringLiteral("no-such.pem")),
                     qPrintable(missing.options.error()));
            // The console client names the option, as its other errors do.
            QCOMPARE(missing.options.error().startsWith(option), frontend == Frontend::Console);
        }
    }

    void helpNamesTheDefaults() {
        QCommandLineParser parser;
        ConnectOptions(Frontend::Console).addTo(parser);
        const QString help = parser.helpText().simplified(); // unwrapped
        QVERIFY2(help.contains(QStringLiteral("(default: http://127.0.0.1:3000)")),
                 qPrintable(help));
        QVERIFY2(help.contains(QStringLiteral("--trust-certificate <file>")), qPrintable(help));
    }
};

QTEST_GUILESS_MAIN(TestConnectOptions)
#include "tst_connectoptions.moc"
