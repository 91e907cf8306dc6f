// SPDX-License-Identifier: Apache-2.0
// The console client's pieces that need no server: Rust-style quoting, terminal-safe output,
// and the standard-input line reader on pipes, files and closed descriptors.
#include "cliconfig.h"
#include "consoleoutput.h"
#include "linereader.h"
#include "quickstartconsole.h"

#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <fcntl.h>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace {
// The descriptor calls the tests need, on POSIX and on Windows (the CRT's _pipe is an anonymous
// pipe, which is what a console program's redirected standard input is).
#ifdef Q_OS_WIN
int makePipe(int fds[2]) {
    return ::_pipe(fds, 64 * 1024, _O_BINARY);
}
qint64 readFd(int fd, char *buf, qsizetype size) {
    return ::_read(fd, buf, unsigned(size));
}
qint64 writeFd(int fd, const char *data, qsizetype size) {
    return ::_write(fd, data, unsigned(size));
}
int closeFd(int fd) {
    return ::_close(fd);
}
int openReadOnly(const char *path) {
    return ::_open(path, _O_RDONLY | _O_BINARY);
}
#else
int makePipe(int fds[2]) {
    return ::pipe(fds);
}
qint64 readFd(int fd, char *buf, qsizetype size) {
    return ::read(fd, buf, size_t(size));
}
qint64 writeFd(int fd, const char *data, qsizetype size) {
    return ::write(fd, data, size_t(size));
}
int closeFd(int fd) {
    return ::close(fd);
}
int openReadOnly(const char *path) {
    return ::open(path, O_RDONLY);
}
#endif
} // namespace

class TestCliUnits : public QObject {
    Q_OBJECT
private slots:
    void rustDebugQuoting_data();
    void rustDebugQuoting();
    void terminalOutputNeutralizesControls();
    void userNameOrIdentity();
    void readerSplitsLinesFromPipe();
    void readerReadsRegularFile();
    void readerClosedDescriptor();
    void parseDefaults();
};

void TestCliUnits::rustDebugQuoting_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("hello") << QStringLiteral("\"hello\"");
    QTest::newRow("empty") << QString() << QStringLiteral("\"\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \\\"hi\\\"\"");
    QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("\"a\\\\b\"");
    QTest::newRow("single quote kept") << QStringLiteral("it's") << QStringLiteral("\"it's\"");
    QTest::newRow("controls") << QStringLiteral("a\tb\nc\rd")
                              << QStringLiteral("\"a\\tb\\nc\\rd\"");
    QTest::newRow("nul") << QString(QChar(0)) << QStringLiteral("\"\\0\"");
    QTest::newRow("escape") << QStringLiteral("\x1b[31m") << QStringLiteral("\"\\u{1b}[31m\"");
    QTest::newRow("unicode kept") << QStringLiteral("héllo 😀") << QStringLiteral("\"héllo 😀\"");
    QTest::newRow("zero width") << QStringLiteral("a\u200bb") << QStringLiteral("\"a\\u{200b}b\"");
}

void TestCliUnits::rustDebugQuoting() {
    QFETCH(QString, text);
    QFETCH(QString, quoted);
    QCOMPARE(cli::rustDebugQuoted(text), quoted);
}

void TestCliUnits::terminalOutputNeutralizesControls() {
    QCOMPARE(cli::FdOutput::neutralizeControls(QStringLiteral("a\x1b]0;owned\x07z\tq")),
             QStringLiteral("a\uFFFD]0;owned\uFFFDz\tq"));
    QCOMPARE(cli::FdOutput::neutralizeControls(QStringLiteral("multi\nline é")),
             QStringLiteral("multi\nline é"));
    QCOMPARE(cli::FdOutput::neutralizeControls(QString(QChar(0x9b))), QStringLiteral("\uFFFD"));

    // Pipes get the exact text.
    int fds[2];
    QCOMPARE(makePipe(fds), 0);
    {
        cli::FdOutput out(fds[1], fds[1]);
        out.out(QStringLiteral("x\x1b[2Jy"));
        out.err(QStringLiteral("é"));
    }
    closeFd(fds[1]);
    char buf[64];
    const qint64 n = readFd(fds[0], buf, sizeof buf);
    closeFd(fds[0]);
    QCOMPARE(QByteArray(buf, int(n)), QByteArray("x\x1b[2Jy\n\xc3\xa9\n"));
}

void TestCliUnits::userNameOrIdentity() {
    quickstart_chat::User u;
    bool ok = false;
    u.identity = stdb::Identity::fromHex(
        QStringLiteral("c200d9e25c51996dea2f0000000000000000000000000000000000000000abcd"), &ok);
    QVERIFY(ok);
    QCOMPARE(cli::QuickstartConsole::userNameOrIdentity(u), QStringLiteral("c200d9e25c51996d"));
    u.name = QStringLiteral("alice");
    QCOMPARE(cli::QuickstartConsole::userNameOrIdentity(u), QStringLiteral("alice"));
}

void TestCliUnits::readerSplitsLinesFromPipe() {
    int fds[2];
    QCOMPARE(makePipe(fds), 0);
    cli::LineReader reader(fds[0]);
    QStringList lines;
    connect(&reader, &cli::LineReader::lineRead, this, [&lines](const QString &l) { lines << l; });
    QSignalSpy finished(&reader, &cli::LineReader::finished);
    reader.start();
    QVERIFY(lines.isEmpty()); // never from inside start()

    const QByteArray first("one\r\ntwo\nthr");
    QCOMPARE(writeFd(fds[1], first.constData(), first.size()), qint64(first.size()));
    QTRY_COMPARE(lines, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    const QByteArray rest("ee\n\nlast \xc3\xa9");
    QCOMPARE(writeFd(fds[1], rest.constData(), rest.size()), qint64(rest.size()));
    closeFd(fds[1]);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(lines, (QStringList{QStringLiteral("one"), QStringLiteral("two"),
                                 QStringLiteral("three"), QString(), QStringLiteral("last é")}));
    QVERIFY(reader.isFinished());
    QVERIFY(reader.errorString().isEmpty());
    closeFd(fds[0]); // the reader is finished: on Windows its thread has stopped reading
}

void TestCliUnits::readerReadsRegularFile() {
    QTemporaryFile file;
    QVERIFY(file.open());
    QByteArray content;
    for (int i = 0; i < 20000; ++i)
        content += "line " + QByteArray::number(i) + '\n';
    file.write(content);
    file.flush();
    const int fd = openReadOnly(QFile::encodeName(file.fileName()).constData());
    QVERIFY(fd >= 0);
    cli::LineReader reader(fd);
    int count = 0;
    bool inOrder = true;
    connect(&reader, &cli::LineReader::lineRead, this, [&](const QString &l) {
        inOrder = inOrder && l == QStringLiteral("line %1").arg(count);
        ++count;
    });
    QSignalSpy finished(&reader, &cli::LineReader::finished);
    reader.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(count, 20000);
    QVERIFY(inOrder);
    closeFd(fd);
}

void TestCliUnits::readerClosedDescriptor() {
#ifdef Q_OS_WIN
    // The CRT's invalid-parameter handler ends the process on a closed descriptor other than
    // 0-2; the client puts NUL on an unconnected standard input before reading (main.cpp).
    QSKIP("a closed descriptor is not readable on Windows");
#endif
    const int fd = openReadOnly("/dev/null");
    QVERIFY(fd >= 0);
    closeFd(fd); // now not a descriptor at all
    cli::LineReader reader(fd);
    QSignalSpy lines(&reader, &cli::LineReader::lineRead);
    QSignalSpy finished(&reader, &cli::LineReader::finished);
    reader.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(lines.size(), 0);
}

void TestCliUnits::parseDefaults() {
    const cli::ParseResult r = cli::parseCommandLine({QStringLiteral("spacetime-chat-cli")});
    QCOMPARE(r.action, cli::ParseResult::Action::Run);
    QCOMPARE(r.config.client.profile.serverUrl(), QStringLiteral("http://127.0.0.1:3000"));
    QCOMPARE(r.config.client.profile.database(), QStringLiteral("quickstart-chat"));
    QCOMPARE(r.config.client.profile.name(), QStringLiteral("default"));
    QCOMPARE(r.config.client.outboxPath, QStringLiteral(":memory:"));
    QVERIFY(!r.config.client.anonymous);
    QVERIFY(!r.config.forgetIdentity);

    const cli::ParseResult bad = cli::parseCommandLine(
        {QStringLiteral("spacetime-chat-cli"), QStringLiteral("--server"), QString()});
    QCOMPARE(bad.action, cli::ParseResult::Action::ExitError);
}

QTEST_GUILESS_MAIN(TestCliUnits)
#include "tst_cli_units.moc"
