// SPDX-License-Identifier: Apache-2.0
// spacetime-chat-cli with a real Secret Service (run inside with-keyring.sh): the identity is
// kept in the keychain across runs, --forget-identity starts over, --import-rust-credentials
// continues as the official Rust quickstart's identity, and no token is ever printed.
#include "cliprocess.h"
#include "hostprocess.h"
#include "httpclient.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

namespace {

QString connectedId(const QString &line) {
    static const QRegularExpression re(QStringLiteral("^User ([0-9a-f]{16}) connected\\.$"));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class TestCliKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void identityPersistsInKeychain();
    void forgetIdentity();
    void importRustCredentials();
    void malformedRustCredentials();
    void noTokenAnywhere();

private:
    // Runs one CLI with stdin closed at once; returns its identity (or empty) and checks exit 0.
    QString runOnce(const QStringList &extra, QString *err = nullptr);

    HostProcess m_host;
    QTemporaryDir m_home;
    QStringList m_outputs; // everything printed, for the token scan
    QStringList m_tokens;
};

void TestCliKeychain::initTestCase() {
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("needs a Secret Service: run through tests/chat/with-keyring.sh");
    QVERIFY(m_home.isValid());
    QVERIFY2(m_host.start(), qPrintable(m_host.errorString()));
}

void TestCliKeychain::cleanupTestCase() {
    m_host.stop();
}

QString TestCliKeychain::runOnce(const QStringList &extra, QString *err) {
    CliProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    // Log everything the libraries say: the scan below must find no token in it either.
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    cli.setEnvironment(env);
    if (!cli.start(QStringList{QStringLiteral("--server"),
                               QStringLiteral("http://127.0.0.1:%1").arg(m_host.port())} +
                   extra))
        return {};
    cli.closeInput();
    if (!cli.waitForExit(30000)) {
        qWarning().noquote() << cli.describe();
        return {};
    }
    m_outputs << cli.outLines().join(QLatin1Char('\n')) << cli.errText();
    if (err)
        *err = cli.errText();
    if (cli.exitCode() != 0 || cli.outLines().isEmpty()) {
        qWarning().noquote() << "exit" << cli.exitCode() << cli.describe();
        return {};
    }
    return connectedId(cli.outLines().first());
}

void TestCliKeychain::identityPersistsInKeychain() {
    const QStringList profile{QStringLiteral("--profile"), QStringLiteral("kc")};
    const QString first = runOnce(profile);
    QVERIFY(!first.isEmpty());
    QCOMPARE(runOnce(profile), first);
    // Another profile is another identity.
    const QString other = runOnce({QStringLiteral("--profile"), QStringLiteral("kc2")});
    QVERIFY(!other.isEmpty());
    QVERIFY(other != first);
    QCOMPARE(runOnce(profile), first);
    // Nothing of it in the profile's directory: the token is in the keychain.
    const QDir dir(
        m_home.filePath(QStringLiteral("data/spacetime-chat/spacetime-chat/profiles/kc")));
    QVERIFY(dir.entryList(QDir::Files).isEmpty());
}

void TestCliKeychain::forgetIdentity() {
    const QStringList profile{QStringLiteral("--profile"), QStringLiteral("forgetful")};
    const QString first = runOnce(profile);
    QVERIFY(!first.isEmpty());
    QString err;
    const QString second =
        runOnce(profile + QStringList{QStringLiteral("--forget-identity")}, &err);
    QVERIFY(!second.isEmpty());
    QVERIFY(second != first);
    QVERIFY2(err.contains(QLatin1String("Forgot")), qPrintable(err));
    // The new identity is the one kept from now on.
    QCOMPARE(runOnce(profile), second);
}

void TestCliKeychain::importRustCredentials() {
    HttpClient http;
    const HttpReply reply = http.post(m_host.http(QStringLiteral("/v1/identity")));
    QCOMPARE(reply.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(reply.body).object();
    const QString identity = json.value(QLatin1String("identity")).toString();
    const QByteArray token = json.value(QLatin1String("token")).toString().toUtf8();
    QVERIFY(!token.isEmpty());
    m_tokens << QString::fromUtf8(token);

    // The official client's file: BSATN of { token: String } = u32 length + UTF-8.
    const QString path = m_home.filePath(QStringLiteral("rust-credentials"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const quint32 len = qToLittleEndian(quint32(token.size()));
        f.write(reinterpret_cast<const char *>(&len), 4);
        f.write(token);
    }
    const QStringList profile{QStringLiteral("--profile"), QStringLiteral("rusty")};
    const QString imported =
        runOnce(profile + QStringList{QStringLiteral("--import-rust-credentials"),
                                      QStringLiteral("--rust-credentials"), path});
    QCOMPARE(imported, identity.left(16));
    // Saved for the profile: the next run is the same identity without the flag.
    QCOMPARE(runOnce(profile), identity.left(16));
}

void TestCliKeychain::malformedRustCredentials() {
    const QString path = m_home.filePath(QStringLiteral("rust-credentials-bad"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\xff\xff\xff\x7fnot a token");
    }
    QString err;
    const QString id = runOnce({QStringLiteral("--profile"), QStringLiteral("badrust"),
                                QStringLiteral("--rust-credentials"), path},
                               &err);
    QVERIFY2(!id.isEmpty(), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("could not be used")), qPrintable(err));
}

void TestCliKeychain::noTokenAnywhere() {
    // Tokens the host minted for the identities above, read back from the keychain.
    // QtKeychain's libsecret backend files entries under "server" (older: "service").
    for (const char *attribute : {"server", "service"}) {
        QProcess secretTool;
        secretTool.start(QStringLiteral("secret-tool"),
                         {QStringLiteral("search"), QStringLiteral("--all"),
                          QStringLiteral("--unlock"), QLatin1String(attribute),
                          QStringLiteral("spacetime-chat")});
        if (!secretTool.waitForFinished(10000))
            continue;
        const QString found = QString::fromUtf8(secretTool.readAllStandardOutput());
        static const QRegularExpression secret(QStringLiteral("^secret = (.+)$"),
                                               QRegularExpression::MultilineOption);
        auto it = secret.globalMatch(found);
        while (it.hasNext())
            m_tokens << it.next().captured(1).trimmed();
    }
    QVERIFY2(m_tokens.size() >= 2, "expected tokens from the keychain and the import");
    for (const QString &token : std::as_const(m_tokens)) {
        QVERIFY(token.size() > 20);
        for (const QString &text : std::as_const(m_outputs))
            QVERIFY2(!text.contains(token), "a token was printed");
        // Not in any file of the profiles either.
        QDirIterator files(m_home.filePath(QStringLiteral("data")), QDir::Files,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(token.toUtf8()), qPrintable(f.fileName()));
        }
    }
}

QTEST_GUILESS_MAIN(TestCliKeychain)
#include "tst_cli_keychain.moc"
