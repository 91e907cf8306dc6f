// SPDX-License-Identifier: Apache-2.0
// spacetime-chat-cli against the real spacetime-chat-host: the official quickstart's
// transcript, two clients talking, rejected input, piped input, connection errors, options.
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) the client is pointed at that
// server and database; the functions comparing whole transcripts skip there, since the client
// prints the database's backlog, which an external server's database keeps from earlier runs.
#include "cliprocess.h"
#include "failureserver.h"
#include "hostprocess.h"
#include "httpclient.h"
#include "scriptedserver.h"
#include "testcertificates.h"

#include "chat/connectproblem.h"
#include "spacetime/connection/dbconnectionbuilder.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kReady = QStringLiteral("Use /name to set your name, or type a message!");
const QString kFully = QStringLiteral("Fully connected and all subscriptions applied.");

QString connectedId(const QString &line) {
    static const QRegularExpression re(QStringLiteral("^User ([0-9a-f]{16}) connected\\.$"));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void officialTranscript();
    void twoClientsTalk();
    void rejectedInput();
    void namesThatLookAlikeAreToldApart();
    void pipedInputIsDeliveredInOrder();
    void fileInputKeepsNamesAndMessagesInOrder();
    void closedAndNullStdin();
    void reconnectsWithoutRepeatingTheBacklog();
    void connectionErrorClosedPort();
    void connectionErrorUnknownDatabase();
    void subscriptionErrorIsShownAndRetried();
    void connectionErrorsOverHttps_data();
    void connectionErrorsOverHttps();
    void options();

private:
    QStringList args(const QStringList &extra = {}) const;
    void startCli(CliProcess &cli, const QStringList &extra);

    std::unique_ptr<HostProcess> m_host;
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestCli::init() {
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    m_host = std::make_unique<HostProcess>();
    QVERIFY2(m_host->start(), qPrintable(m_host->errorString()));
}

void TestCli::cleanup() {
    if (QTest::currentTestFailed() && m_host)
        qWarning().noquote() << "host log:\n" << QString::fromUtf8(m_host->log()).right(4000);
    m_host.reset();
    m_home.reset();
}

QStringList TestCli::args(const QStringList &extra) const {
    QStringList a{QStringLiteral("--server"), m_host->baseUrl()};
    if (!extra.contains(QStringLiteral("--database")))
        a += {QStringLiteral("--database"), HostProcess::database()};
    return a + extra;
}

void TestCli::startCli(CliProcess &cli, const QStringList &extra) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home->path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    // No Secret Service here: these runs use --insecure-token-file or --anonymous.
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=/nonexistent/stdb-no-bus"));
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    cli.setEnvironment(env);
    QVERIFY(cli.start(args(extra)));
}

void TestCli::officialTranscript() {
    STDB_REQUIRE_OWN_HOST("compares the whole transcript, backlog included");
    const QStringList profile{QStringLiteral("--profile"), QStringLiteral("alice"),
                              QStringLiteral("--insecure-token-file")};
    QString me;
    {
        CliProcess cli;
        startCli(cli, profile);
        QVERIFY2(cli.waitForLine(kReady, 15000) >= 0, qPrintable(cli.describe()));
        const QStringList lines = cli.outLines();
        QCOMPARE(lines.size(), 3);
        me = connectedId(lines.at(0));
        QVERIFY2(!me.isEmpty(), qPrintable(lines.at(0)));
        QCOMPARE(lines.mid(1), (QStringList{kFully, kReady}));

        cli.writeLine(QStringLiteral("Hello, world!"));
        QVERIFY2(cli.waitForLine(me + QStringLiteral(": Hello, world!")) >= 0,
                 qPrintable(cli.describe()));
        cli.writeLine(QStringLiteral("/name alice"));
        QVERIFY2(cli.waitForLine(QStringLiteral("User %1 renamed to alice.").arg(me)) >= 0,
                 qPrintable(cli.describe()));
        cli.writeLine(QStringLiteral("Hello after naming myself."));
        QVERIFY2(cli.waitForLine(QStringLiteral("alice: Hello after naming myself.")) >= 0,
                 qPrintable(cli.describe()));
        cli.closeInput();
        QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(cli.outLines(),
                 (QStringList{QStringLiteral("User %1 connected.").arg(me), kFully, kReady,
                              me + QStringLiteral(": Hello, world!"),
                              QStringLiteral("User %1 renamed to alice.").arg(me),
                              QStringLiteral("alice: Hello after naming myself.")}));
        QVERIFY2(!cli.errText().contains(QLatin1String("Failed")), qPrintable(cli.errText()));
        QVERIFY2(cli.errText().contains(QLatin1String("not encrypted")), qPrintable(cli.errText()));
    }
    {
        // Restart: same identity (the token file), the backlog in order with current names.
        CliProcess cli;
        startCli(cli, profile);
        cli.closeInput();
        QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(cli.outLines(), (QStringList{QStringLiteral("User alice connected."),
                                              QStringLiteral("alice: Hello, world!"),
                                              QStringLiteral("alice: Hello after naming myself."),
                                              kFully, kReady}));
    }
    // The token is in a 0600 file of the profile and nowhere in what the client printed.
    const QString profileDir =
        m_home->filePath(QStringLiteral("data/spacetime-chat/spacetime-chat/profiles/alice"));
    const QStringList files = QDir(profileDir).entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QFile tokenFile(QDir(profileDir).filePath(files.first()));
    QCOMPARE(tokenFile.permissions() & (QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                        QFileDevice::ReadOther | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    const QByteArray token = tokenFile.readAll().trimmed();
    QVERIFY(token.size() > 20);
}

void TestCli::twoClientsTalk() {
    STDB_REQUIRE_OWN_HOST("compares the whole transcript, backlog included");
    CliProcess a;
    startCli(a, {QStringLiteral("--anonymous")});
    QVERIFY2(a.waitForLine(kReady, 15000) >= 0, qPrintable(a.describe()));
    const QString aId = connectedId(a.outLines().first());
    QVERIFY(!aId.isEmpty());
    a.writeLine(QStringLiteral("/name alice"));
    QVERIFY2(a.waitForLine(QStringLiteral("User %1 renamed to alice.").arg(aId)) >= 0,
             qPrintable(a.describe()));

    CliProcess b;
    startCli(b, {QStringLiteral("--anonymous")});
    QVERIFY2(b.waitForLine(kReady, 15000) >= 0, qPrintable(b.describe()));
    QStringList bLines = b.outLines();
    QCOMPARE(bLines.size(), 4);
    QCOMPARE(bLines.mid(2), (QStringList{kFully, kReady}));
    QVERIFY(bLines.contains(QStringLiteral("User alice connected.")));
    bLines.removeAll(QStringLiteral("User alice connected."));
    const QString bId = connectedId(bLines.first());
    QVERIFY2(!bId.isEmpty() && bId != aId, qPrintable(bLines.join(QLatin1Char('\n'))));

    QVERIFY2(a.waitForLine(QStringLiteral("User %1 connected.").arg(bId)) >= 0,
             qPrintable(a.describe()));
    b.writeLine(QStringLiteral("hi from b"));
    QVERIFY(b.waitForLine(bId + QStringLiteral(": hi from b")) >= 0);
    QVERIFY2(a.waitForLine(bId + QStringLiteral(": hi from b")) >= 0, qPrintable(a.describe()));
    b.writeLine(QStringLiteral("/name bob"));
    QVERIFY2(a.waitForLine(QStringLiteral("User %1 renamed to bob.").arg(bId)) >= 0,
             qPrintable(a.describe() + QStringLiteral("\nB: ") + b.describe()));
    a.writeLine(QStringLiteral("hello bob"));
    QVERIFY2(b.waitForLine(QStringLiteral("alice: hello bob")) >= 0, qPrintable(b.describe()));

    b.closeInput();
    QVERIFY2(b.waitForExit(), qPrintable(b.describe()));
    QCOMPARE(b.exitCode(), 0);
    QVERIFY2(a.waitForLine(QStringLiteral("User bob disconnected.")) >= 0,
             qPrintable(a.describe()));
    a.closeInput();
    QVERIFY2(a.waitForExit(), qPrintable(a.describe()));
    QCOMPARE(a.exitCode(), 0);
    QCOMPARE(a.outLines(),
             (QStringList{
                 QStringLiteral("User %1 connected.").arg(aId), kFully, kReady,
                 QStringLiteral("User %1 renamed to alice.").arg(aId),
                 QStringLiteral("User %1 connected.").arg(bId), bId + QStringLiteral(": hi from b"),
                 QStringLiteral("User %1 renamed to bob.").arg(bId),
                 QStringLiteral("alice: hello bob"), QStringLiteral("User bob disconnected.")}));
}

void TestCli::namesThatLookAlikeAreToldApart() {
    STDB_REQUIRE_OWN_HOST("two users named Bob in a database of its own");
    CliProcess a;
    startCli(a, {QStringLiteral("--anonymous")});
    QVERIFY2(a.waitForLine(kReady, 15000) >= 0, qPrintable(a.describe()));
    const QString aId = connectedId(a.outLines().first());
    a.writeLine(QStringLiteral("/name Bob"));
    QVERIFY2(a.waitForLine(QStringLiteral("User %1 renamed to Bob.").arg(aId)) >= 0,
             qPrintable(a.describe()));
    CliProcess b;
    startCli(b, {QStringLiteral("--anonymous")});
    QVERIFY2(b.waitForLine(kReady, 15000) >= 0, qPrintable(b.describe()));
    QStringList bLines = b.outLines();
    bLines.removeAll(QStringLiteral("User Bob connected."));
    const QString bId = connectedId(bLines.first());
    QVERIFY2(!bId.isEmpty() && bId != aId, qPrintable(b.describe()));
    b.writeLine(QStringLiteral("/name bob"));
    QVERIFY2(a.waitForLine(QStringLiteral("User %1 renamed to bob.").arg(bId)) >= 0,
             qPrintable(a.describe()));
    b.writeLine(QStringLiteral("which one?"));
    QVERIFY2(a.waitForLine(QStringLiteral("bob (%1): which one?").arg(bId.left(8))) >= 0,
             qPrintable(a.describe()));
    a.writeLine(QStringLiteral("this one"));
    QVERIFY2(b.waitForLine(QStringLiteral("Bob (%1): this one").arg(aId.left(8))) >= 0,
             qPrintable(b.describe()));
    // The collision ends: plain names again.
    b.writeLine(QStringLiteral("/name Robert"));
    QVERIFY2(a.waitForLine(QStringLiteral("User bob renamed to Robert.")) >= 0,
             qPrintable(a.describe()));
    b.writeLine(QStringLiteral("bye"));
    QVERIFY2(a.waitForLine(QStringLiteral("Robert: bye")) >= 0, qPrintable(a.describe()));
    a.writeLine(QStringLiteral("bye Robert"));
    QVERIFY2(b.waitForLine(QStringLiteral("Bob: bye Robert")) >= 0, qPrintable(b.describe()));
    b.closeInput();
    QVERIFY2(b.waitForExit(), qPrintable(b.describe()));
    a.closeInput();
    QVERIFY2(a.waitForExit(), qPrintable(a.describe()));
}

void TestCli::rejectedInput() {
    STDB_REQUIRE_OWN_HOST("counts every line printed, backlog included");
    CliProcess cli;
    startCli(cli, {QStringLiteral("--anonymous")});
    const QString longText(9000, QLatin1Char('x'));
    cli.writeLine(QStringLiteral("/name "));
    cli.writeLine(QStringLiteral("   "));
    cli.writeLine(longText);
    cli.writeLine(QStringLiteral("/name ") + QString(65, QLatin1Char('n')));
    cli.writeLine(QStringLiteral("/name ok"));
    cli.writeLine(QStringLiteral("say \"hi\" \\o/"));
    cli.closeInput();
    QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
    QCOMPARE(cli.exitCode(), 0);
    const QString err = cli.errText();
    QVERIFY2(
        err.contains(QStringLiteral("Failed to change name to \"\": Names must not be empty\n")),
        qPrintable(err));
    QVERIFY2(err.contains(
                 QStringLiteral("Failed to send message \"   \": Messages must not be empty\n")),
             qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Failed to send message \"%1\": Messages must not be "
                                         "longer than 8 KiB\n")
                              .arg(longText)),
             qPrintable(err.left(300)));
    QVERIFY2(err.contains(QStringLiteral("Failed to change name to \"%1\": Names must not be "
                                         "longer than 64 characters\n")
                              .arg(QString(65, QLatin1Char('n')))),
             qPrintable(err.left(300)));
    const QStringList lines = cli.outLines();
    QVERIFY2(lines.size() == 5, qPrintable(cli.describe()));
    QVERIFY2(lines.at(3).endsWith(QLatin1String(" renamed to ok.")), qPrintable(lines.at(3)));
    QCOMPARE(lines.at(4), QStringLiteral("ok: say \"hi\" \\o/"));
}

void TestCli::pipedInputIsDeliveredInOrder() {
    STDB_REQUIRE_OWN_HOST("compares the whole backlog");
    CliProcess sender;
    startCli(sender, {QStringLiteral("--anonymous")});
    // Everything is written and stdin closed before the client has even connected.
    for (int i = 0; i < 200; ++i)
        sender.writeLine(QStringLiteral("line %1").arg(i, 3, 10, QLatin1Char('0')));
    sender.closeInput();
    QVERIFY2(sender.waitForExit(60000), qPrintable(sender.describe()));
    QCOMPARE(sender.exitCode(), 0);
    const QStringList out = sender.outLines();
    const QString me = connectedId(out.first());
    QVERIFY(!me.isEmpty());
    QCOMPARE(out.size(), 3 + 200);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(out.at(3 + i),
                 QStringLiteral("%1: line %2").arg(me).arg(i, 3, 10, QLatin1Char('0')));

    // A later reader (stdin /dev/null) gets them all as the backlog, in order.
    CliProcess reader;
    reader.setStandardInputFile(QProcess::nullDevice());
    startCli(reader, {QStringLiteral("--anonymous")});
    QVERIFY2(reader.waitForExit(), qPrintable(reader.describe()));
    QCOMPARE(reader.exitCode(), 0);
    const QStringList backlog = reader.outLines();
    QCOMPARE(backlog.size(), 1 + 200 + 2);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(backlog.at(1 + i),
                 QStringLiteral("%1: line %2").arg(me).arg(i, 3, 10, QLatin1Char('0')));
    QCOMPARE(backlog.mid(201), (QStringList{kFully, kReady}));
}

void TestCli::fileInputKeepsNamesAndMessagesInOrder() {
    STDB_REQUIRE_OWN_HOST("compares the whole transcript, backlog included");
    const QString path = m_home->filePath(QStringLiteral("input.txt"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // CRLF line ends and no newline after the last line, like a file from anywhere.
        f.write("before 1\r\nbefore 2\n/name filer\nafter 1\n/name filer2\nafter 2");
    }
    CliProcess cli;
    cli.setStandardInputFile(path);
    startCli(cli, {QStringLiteral("--anonymous")});
    QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
    QCOMPARE(cli.exitCode(), 0);
    const QStringList out = cli.outLines();
    QVERIFY(!out.isEmpty());
    const QString me = connectedId(out.first());
    QCOMPARE(out, (QStringList{QStringLiteral("User %1 connected.").arg(me), kFully, kReady,
                               me + QStringLiteral(": before 1"), me + QStringLiteral(": before 2"),
                               QStringLiteral("User %1 renamed to filer.").arg(me),
                               QStringLiteral("filer: after 1"),
                               QStringLiteral("User filer renamed to filer2."),
                               QStringLiteral("filer2: after 2")}));
}

void TestCli::closedAndNullStdin() {
    // stdin closed altogether: still connects, prints the backlog, exits 0.
    QProcess sh;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("HOME"), m_home->path());
    sh.setProcessEnvironment(env);
    sh.start(QStringLiteral("/bin/sh"),
             {QStringLiteral("-c"), QStringLiteral("exec \"$0\" \"$@\" <&-"),
              CliProcess::executable(), QStringLiteral("--server"), m_host->baseUrl(),
              QStringLiteral("--database"), HostProcess::database(),
              QStringLiteral("--anonymous")});
    QVERIFY(sh.waitForFinished(20000));
    QCOMPARE(sh.exitCode(), 0);
    const QString out = QString::fromUtf8(sh.readAllStandardOutput());
    QVERIFY2(out.endsWith(kFully + QLatin1Char('\n') + kReady + QLatin1Char('\n')),
             qPrintable(out));
}

void TestCli::reconnectsWithoutRepeatingTheBacklog() {
    STDB_REQUIRE_OWN_HOST("--test-controls: drop-all");
    // A host with fault controls, so the connection can be cut.
    m_host = std::make_unique<HostProcess>();
    QVERIFY2(m_host->start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
             qPrintable(m_host->errorString()));
    CliProcess cli;
    startCli(cli, {QStringLiteral("--anonymous")});
    cli.writeLine(QStringLiteral("before the cut"));
    QVERIFY2(cli.waitForLine(kReady, 15000) >= 0, qPrintable(cli.describe()));
    const QString me = connectedId(cli.outLines().first());
    QVERIFY2(cli.waitForLine(me + QStringLiteral(": before the cut")) >= 0,
             qPrintable(cli.describe()));

    HttpClient http;
    QCOMPARE(http.post(m_host->http(QStringLiteral("/_test/drop-all"))).status, 200);
    // Someone else writes while we are (or just were) away.
    const HttpReply call =
        http.post(m_host->databaseUrl(QStringLiteral("/call/send_message")),
                  "[\"while you were away\"]", {{"Content-Type", "application/json"}});
    QCOMPARE(call.status, 200);
    QVERIFY2(cli.waitForErr(QStringLiteral("Reconnected.")), qPrintable(cli.describe()));
    QTRY_VERIFY2_WITH_TIMEOUT(
        cli.outLines().filter(QStringLiteral(": while you were away")).size() == 1,
        qPrintable(cli.describe()), 10000);
    cli.writeLine(QStringLiteral("after the cut"));
    QVERIFY2(cli.waitForLine(me + QStringLiteral(": after the cut")) >= 0,
             qPrintable(cli.describe()));
    cli.closeInput();
    QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
    QCOMPARE(cli.exitCode(), 0);
    const QStringList out = cli.outLines();
    QCOMPARE(out.count(kFully), 1);
    QCOMPARE(out.count(me + QStringLiteral(": before the cut")), 1);
    QCOMPARE(out.filter(QStringLiteral(": while you were away")).size(), 1);
    QCOMPARE(out.count(me + QStringLiteral(": after the cut")), 1);
    QCOMPARE(cli.errText().count(QStringLiteral("Reconnecting")), 1);
}

void TestCli::connectionErrorClosedPort() {
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    CliProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    cli.setEnvironment(env);
    QVERIFY(cli.start({QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:%1").arg(port),
                       QStringLiteral("--anonymous")}));
    QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
    QCOMPARE(cli.exitCode(), 1);
    QVERIFY(cli.outLines().isEmpty());
    const QString err = cli.errText();
    QVERIFY2(err.startsWith(QStringLiteral("Connection error: Cannot reach http://127.0.0.1:%1: "
                                           "the connection was refused.")
                                .arg(port)),
             qPrintable(err));
    QCOMPARE(err.count(QLatin1Char('\n')), 1);
}

void TestCli::connectionErrorUnknownDatabase() {
    CliProcess cli;
    startCli(cli, {QStringLiteral("--anonymous"), QStringLiteral("--database"),
                   QStringLiteral("no-such-db")});
    QVERIFY2(cli.waitForExit(), qPrintable(cli.describe()));
    QCOMPARE(cli.exitCode(), 1);
    QVERIFY(cli.outLines().isEmpty());
    const QString err = cli.errText();
    QVERIFY2(err.startsWith(QLatin1String("Connection error: ")) &&
                 err.contains(QLatin1String("Database no-such-db was not found")) &&
                 err.contains(QLatin1String("(HTTP 404)")),
             qPrintable(err));
}

// A subscription the server refuses after the backlog (a scripted server: the development
// host's module never does): the reason and the retry are printed, the run goes on, and the
// refused query is asked for again.
void TestCli::subscriptionErrorIsShownAndRetried() {
    namespace P = stdb::protocol;
    ScriptedServer srv;
    QVERIFY(srv.listen());
    CliProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    cli.setEnvironment(env);
    QVERIFY(cli.start({QStringLiteral("--server"), srv.uri(), QStringLiteral("--database"),
                       QStringLiteral("quickstart-chat"), QStringLiteral("--anonymous")}));
    QVERIFY2(srv.waitForConnections(1, 15000), qPrintable(cli.describe()));
    srv.send(P::InitialConnection{
        stdb::Identity::fromHex(QStringLiteral("c200%1").arg(1, 60, 10, QLatin1Char('0'))),
        stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
        QStringLiteral("minted.token")});
    std::optional<P::Subscribe> a = srv.next<P::Subscribe>(15000);
    std::optional<P::Subscribe> b = srv.next<P::Subscribe>(15000);
    QVERIFY(a && b);
    srv.send(P::SubscribeApplied{a->requestId, a->querySetId, queryRows({})});
    srv.send(P::SubscribeApplied{b->requestId, b->querySetId, queryRows({})});
    QTRY_VERIFY2_WITH_TIMEOUT(
        cli.outLines().contains(QStringLiteral("Fully connected and all subscriptions applied.")),
        qPrintable(cli.describe()), 15000);

    const QString reason = QStringLiteral("no such table: `message`. If the table exists, it may "
                                          "be marked private.");
    const bool messagesIsB = b->queryStrings.value(0).contains(QLatin1String("FROM message"));
    const P::Subscribe &refused = messagesIsB ? *b : *a;
    srv.skipReceived();
    srv.send(P::SubscriptionError{std::nullopt, refused.querySetId, reason});
    QTRY_VERIFY2_WITH_TIMEOUT(cli.errText().contains(reason) &&
                                  cli.errText().contains(QLatin1String("Trying again in")),
                              qPrintable(cli.describe()), 15000);
    QVERIFY(cli.isRunning());
    std::optional<P::Subscribe> again = srv.next<P::Subscribe>(15000);
    QVERIFY(again);
    QCOMPARE(again->queryStrings, refused.queryStrings);
    srv.send(P::SubscribeApplied{again->requestId, again->querySetId, queryRows({})});
    QTRY_VERIFY2_WITH_TIMEOUT(cli.errText().contains(QLatin1String("Reconnected.")),
                              qPrintable(cli.describe()), 15000);
    QVERIFY(cli.isRunning());
}

// The printed line is the text of the failure's kind (chat::ConnectProblem), over https as over
// http: refused, unknown host, an untrusted certificate, the server's 404 with its own words.
void TestCli::connectionErrorsOverHttps_data() {
    QTest::addColumn<QString>("what");
    QTest::newRow("refused") << QStringLiteral("refused");
    QTest::newRow("host not found") << QStringLiteral("dns");
    QTest::newRow("untrusted certificate") << QStringLiteral("certificate");
    QTest::newRow("unknown database") << QStringLiteral("404");
}

void TestCli::connectionErrorsOverHttps() {
    QFETCH(QString, what);
    using K = stdb::ConnectFailure::Kind;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FailureServer server;
    stdb::ConnectFailure expected;
    QString url;
    if (what == QLatin1String("refused")) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        url = QStringLiteral("https://127.0.0.1:%1").arg(probe.serverPort());
        expected.kind = K::ConnectionRefused;
    } else if (what == QLatin1String("dns")) {
        url = QStringLiteral("https://no-such-host.invalid");
        expected.kind = K::HostNotFound;
    } else {
        QString cert, key;
        QVERIFY(TestCertificates::selfSigned(dir.path(), QStringLiteral("host"),
                                             QStringLiteral("127.0.0.1"), true, &cert, &key));
        server.setTls(TestCertificates::loadCertificate(cert), TestCertificates::loadKey(key));
        server.setResponse(404, "Not Found", "`quickstart-chat` not found");
        QVERIFY(server.start(FailureServer::Behaviour::Respond));
        url = QStringLiteral("https://127.0.0.1:%1").arg(server.port());
        if (what == QLatin1String("certificate")) {
            expected.kind = K::Certificate;
            expected.certificate = {stdb::ConnectFailure::CertificateProblem::SelfSigned};
            expected.certificateSubject = QStringLiteral("127.0.0.1");
        } else {
            expected.kind = K::HttpStatus;
            expected.httpStatus = 404;
            expected.httpBody = QStringLiteral("`quickstart-chat` not found");
        }
    }
    const auto options = stdb::DbConnectionBuilder()
                             .withUri(url)
                             .withDatabaseName(QStringLiteral("quickstart-chat"))
                             .options();
    QVERIFY(options);
    const QString line =
        QStringLiteral("Connection error: ") + chat::ConnectProblem::describe(expected, *options);

    CliProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    cli.setEnvironment(env);
    QStringList extra;
    if (what == QLatin1String("404")) // trusted, so the request gets through
        extra << QStringLiteral("--trust-certificate") << dir.filePath(QStringLiteral("host.pem"));
    QVERIFY(cli.start(QStringList{QStringLiteral("--server"), url, QStringLiteral("--anonymous")} +
                      extra));
    // The event loop runs while waiting: the server in this process answers.
    QTRY_VERIFY_WITH_TIMEOUT(!cli.isRunning(), 20000);
    QCOMPARE(cli.exitCode(), 1);
    const QString err = cli.errText();
    QVERIFY2(err.startsWith(line), qPrintable(err + QStringLiteral("\nexpected: ") + line));
}

void TestCli::options() {
    {
        CliProcess cli;
        QVERIFY(cli.start({QStringLiteral("--help")}));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
        const QString help = cli.outLines().join(QLatin1Char('\n'));
        for (const char *opt :
             {"--server", "--database", "--profile", "--insecure-token-file",
              "--import-rust-credentials", "--forget-identity", "--anonymous", "--version"})
            QVERIFY2(help.contains(QLatin1String(opt)), opt);
    }
    {
        CliProcess cli;
        QVERIFY(cli.start({QStringLiteral("--version")}));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(cli.outLines(),
                 QStringList{QStringLiteral("spacetime-chat-cli " PROJECT_VERSION_STRING)});
    }
    for (const QStringList &bad :
         {QStringList{QStringLiteral("--bogus")},
          QStringList{QStringLiteral("--profile"), QStringLiteral("../etc")},
          QStringList{QStringLiteral("--anonymous"), QStringLiteral("--import-rust-credentials")},
          QStringList{QStringLiteral("extra")}}) {
        CliProcess cli;
        QVERIFY(cli.start(bad));
        QVERIFY(cli.waitForExit());
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY(cli.outLines().isEmpty());
        QVERIFY(!cli.errText().isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
