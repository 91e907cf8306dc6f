// SPDX-License-Identifier: Apache-2.0
// wss with a self-signed certificate, end to end: spacetime-chat-host serves TLS with a
// certificate made by the openssl command for this run (CN and SAN 127.0.0.1), and the chat
// layer, the desktop app, the console client and the Qt Quick options connect to it.
//
// * default settings refuse it, naming the certificate problem, before any data is exchanged;
// * trusting exactly that certificate (ChatClient option, profile setting, --trust-certificate)
//   connects and chats; trusting another self-signed certificate does not; host names are
//   still checked; the trust never becomes global;
// * nothing in the code ignores TLS errors.

#include "commandline.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "profilestore.h"

#include "cliconfig.h"
#include "quickoptions.h"

#include "hostprocess.h"

#include "chat/chatclient.h"
#include "chat/messagemodel.h"
#include "chat/trustedcertificate.h"
#include "chat/usermodel.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using chat::ChatClient;
using State = chat::ChatClient::State;

namespace {
constexpr int kTimeout = 15000;

bool rowWithText(const chat::MessageModel *m, const QString &text) {
    for (int i = m->rowCount() - 1; i >= 0; --i)
        if (m->index(i, 0).data(chat::MessageModel::TextRole).toString() == text)
            return true;
    return false;
}
} // namespace

class TestTls : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    HostProcess m_host;      // TLS with m_cert (CN/SAN 127.0.0.1)
    HostProcess m_otherHost; // TLS with m_wrongName (CN/SAN other.invalid)
    QString m_cert, m_key, m_otherCert, m_otherKey, m_wrongName, m_wrongNameKey;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A fresh self-signed certificate and its key, made by the openssl command.
    bool makeCertificate(const QString &base, const QString &host, bool ip, QString *cert,
                         QString *key) {
        *cert = path(base + QStringLiteral(".pem"));
        *key = path(base + QStringLiteral("-key.pem"));
        QProcess openssl;
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(QStringLiteral(OPENSSL_EXECUTABLE),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), *key, QStringLiteral("-out"), *cert,
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=") + host, QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=%1:%2")
                           .arg(ip ? QStringLiteral("IP") : QStringLiteral("DNS"), host)});
        if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) {
            qWarning() << "openssl failed:" << openssl.readAll();
            return false;
        }
        return QFile::exists(*cert) && QFile::exists(*key);
    }

    QString serverUrl(const HostProcess &host, const QString &scheme = QStringLiteral("https"),
                      const QString &name = QStringLiteral("127.0.0.1")) const {
        return QStringLiteral("%1://%2:%3").arg(scheme, name).arg(host.port());
    }

    ChatClient::Options options(const QString &url, const QString &trustedFile = {}) const {
        ChatClient::Options o;
        o.profile = chat::Profile(url, QStringLiteral("quickstart-chat"), QStringLiteral("tls"));
        o.anonymous = true;
        o.outboxPath = QStringLiteral(":memory:");
        if (!trustedFile.isEmpty())
            o.trustedCertificate = chat::TrustedCertificate::load(trustedFile).value();
        return o;
    }

    // The host's counters, read over https trusting its certificate (a separate TLS client).
    QJsonObject counters() {
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(serverUrl(m_host) + QStringLiteral("/_test/counters")));
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificate(chat::TrustedCertificate::load(m_cert).value());
        request.setSslConfiguration(ssl);
        std::unique_ptr<QNetworkReply> reply(nam.get(request));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, kTimeout) ||
            reply->error() != QNetworkReply::NoError) {
            qWarning() << "counters:" << reply->errorString();
            return {};
        }
        return QJsonDocument::fromJson(reply->readAll()).object();
    }

    // Waits for a client to give up and returns its error.
    static QString refusal(ChatClient &client) {
        client.start();
        const bool done = QTest::qWaitFor([&] { return client.state() == State::Error; }, kTimeout);
        return done ? client.lastError() : QStringLiteral("(still %1)").arg(int(client.state()));
    }

    // Refused for a certificate problem of this kind (typed), and said so.
    static void verifyCertificateRefusal(ChatClient &client,
                                         stdb::ConnectFailure::CertificateProblem problem) {
        const QString error = refusal(client);
        QCOMPARE(client.connectFailure().kind, stdb::ConnectFailure::Kind::Certificate);
        QVERIFY2(client.connectFailure().certificate.contains(problem), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("The TLS certificate of https://")),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("was not accepted")), qPrintable(error));
    }

private slots:
    void initTestCase() {
        // No QStandardPaths test mode: it would put profiles (and token files) under
        // ~/.qttest, shared by every run, so a later run whose host got the same port read an
        // earlier host's token and was refused (401). The XDG directories below are this run's.
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", path(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", path(QStringLiteral("config")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("spacetime-chat-tls-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat-tls-tests"));
        QVERIFY2(QFile::exists(QStringLiteral(OPENSSL_EXECUTABLE)),
                 "the openssl command is missing: run scripts/install-deps.sh");
        QVERIFY(makeCertificate(QStringLiteral("host"), QStringLiteral("127.0.0.1"), true, &m_cert,
                                &m_key));
        QVERIFY(makeCertificate(QStringLiteral("other"), QStringLiteral("127.0.0.1"), true,
                                &m_otherCert, &m_otherKey));
        QVERIFY(makeCertificate(QStringLiteral("wrongname"), QStringLiteral("other.invalid"), false,
                                &m_wrongName, &m_wrongNameKey));
        QVERIFY2(m_host.start(QStringLiteral(":memory:"),
                              {QStringLiteral("--tls-cert"), m_cert, QStringLiteral("--tls-key"),
                               m_key, QStringLiteral("--test-controls")}),
                 qPrintable(m_host.errorString()));
        QVERIFY(m_host.stdoutText().startsWith("listening on https://127.0.0.1:"));
        QVERIFY2(m_otherHost.start(QStringLiteral(":memory:"),
                                   {QStringLiteral("--tls-cert"), m_wrongName,
                                    QStringLiteral("--tls-key"), m_wrongNameKey}),
                 qPrintable(m_otherHost.errorString()));
    }

    void cleanupTestCase() {
        QVERIFY(m_host.stop());
        QVERIFY(m_otherHost.stop());
    }

    void hostRefusesHalfATlsConfiguration() {
        QProcess host;
        host.start(HostProcess::executable(),
                   {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--data"), QStringLiteral(":memory:"),
                    QStringLiteral("--tls-cert"), m_cert});
        QVERIFY(host.waitForFinished(10000));
        QCOMPARE(host.exitCode(), 2);
        QVERIFY(host.readAllStandardError().contains("--tls-cert and --tls-key go together"));
        host.start(HostProcess::executable(),
                   {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--data"), QStringLiteral(":memory:"),
                    QStringLiteral("--tls-cert"), m_key, QStringLiteral("--tls-key"), m_key});
        QVERIFY(host.waitForFinished(10000));
        QCOMPARE(host.exitCode(), 2);
        QVERIFY(host.readAllStandardError().contains("no PEM certificate"));
    }

    // (1) Default settings: refused, with the reason, before anything was exchanged.
    void defaultSettingsRefuseTheSelfSignedHost_data() {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("https") << QStringLiteral("https");
        QTest::newRow("wss") << QStringLiteral("wss");
    }
    void defaultSettingsRefuseTheSelfSignedHost() {
        QFETCH(QString, scheme);
        const QJsonObject before = counters();
        QVERIFY(before.contains(QStringLiteral("connections_opened")));
        ChatClient client(options(serverUrl(m_host, scheme)));
        const QString error = refusal(client);
        QCOMPARE(client.connectFailure().kind, stdb::ConnectFailure::Kind::Certificate);
        QCOMPARE(client.connectFailure().certificate,
                 QList{stdb::ConnectFailure::CertificateProblem::SelfSigned});
        QCOMPARE(client.connectFailure().certificateSubject, QStringLiteral("127.0.0.1"));
        QVERIFY2(error.contains(QStringLiteral("The TLS certificate of ")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("it is self-signed and not trusted")),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1")), qPrintable(error)); // the subject
        // Nothing was exchanged: no identity, no rows, and the host saw no request and no
        // WebSocket (its counters only moved for our own https reads of them).
        QVERIFY(client.identityHex().isEmpty() || client.identity().isZero());
        QCOMPARE(client.messages()->rowCount(), 0);
        QCOMPARE(client.users()->rowCount(), 0);
        const QJsonObject after = counters();
        QCOMPARE(after.value(QStringLiteral("connections_opened")),
                 before.value(QStringLiteral("connections_opened")));
        QCOMPARE(after.value(QStringLiteral("frames_in")),
                 before.value(QStringLiteral("frames_in")));
        QVERIFY(after.value(QStringLiteral("http_requests")).toInt() <=
                before.value(QStringLiteral("http_requests")).toInt() + 1);
        QVERIFY(m_host.waitForLog("TLS handshake with 127.0.0.1 failed"));
    }

    // (2) That exact certificate trusted: connects and chats.
    void trustedCertificateConnectsAndChats() {
        ChatClient alice(options(serverUrl(m_host), m_cert));
        ChatClient bob(options(serverUrl(m_host, QStringLiteral("wss")), m_cert));
        alice.start();
        bob.start();
        QTRY_COMPARE_WITH_TIMEOUT(alice.state(), State::Online, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.state(), State::Online, kTimeout);
        const QString text = QStringLiteral("over TLS, verified");
        QVERIFY(alice.sendMessage(text) != 0);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithText(bob.messages(), text), kTimeout);
        QVERIFY(counters().value(QStringLiteral("connections_opened")).toInt() >= 2);
        alice.stop();
        bob.stop();
    }

    // (3) Another self-signed certificate for the same name does not make the host's accepted.
    void anotherTrustedCertificateDoesNotHelp() {
        ChatClient client(options(serverUrl(m_host), m_otherCert));
        verifyCertificateRefusal(client, stdb::ConnectFailure::CertificateProblem::SelfSigned);
    }

    // Trusting a certificate does not switch off the host name check.
    void hostNameIsStillChecked() {
        ChatClient client(options(serverUrl(m_otherHost), m_wrongName));
        verifyCertificateRefusal(client,
                                 stdb::ConnectFailure::CertificateProblem::HostnameMismatch);
    }

    // The trust belongs to one connection: the process-wide default stays untouched and a
    // client without the option is still refused afterwards.
    void trustIsNeverGlobal() {
        const QSslCertificate cert = chat::TrustedCertificate::load(m_cert).value();
        {
            ChatClient trusted(options(serverUrl(m_host), m_cert));
            trusted.start();
            QTRY_COMPARE_WITH_TIMEOUT(trusted.state(), State::Online, kTimeout);
            QVERIFY(!QSslConfiguration::defaultConfiguration().caCertificates().contains(cert));
            ChatClient plain(options(serverUrl(m_host)));
            verifyCertificateRefusal(plain, stdb::ConnectFailure::CertificateProblem::SelfSigned);
            trusted.stop();
        }
        QCOMPARE(QSslConfiguration::defaultConfiguration().peerVerifyMode(),
                 QSslSocket::AutoVerifyPeer);
    }

    // (4) No code path ignores TLS errors or switches verification off.
    void nothingIgnoresTlsErrors() {
        const QString root = QStringLiteral(STDB_SOURCE_DIR);
        QStringList offenders;
        int files = 0;
        for (const QString &dir :
             {QStringLiteral("src"), QStringLiteral("bindings"), QStringLiteral("qml")}) {
            QDirIterator it(
                root + QLatin1Char('/') + dir,
                {QStringLiteral("*.cpp"), QStringLiteral("*.h"), QStringLiteral("*.qml")},
                QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                ++files;
                const QByteArray code = f.readAll();
                if (code.contains("ignoreSslErrors"))
                    offenders << f.fileName() + QStringLiteral(": ignoreSslErrors");
                // The host does not ask clients for certificates; clients must never say so.
                if (code.contains("VerifyNone") &&
                    !f.fileName().startsWith(root + QStringLiteral("/src/devhost/")))
                    offenders << f.fileName() + QStringLiteral(": VerifyNone");
                if (code.contains("QueryPeer"))
                    offenders << f.fileName() + QStringLiteral(": QueryPeer");
            }
        }
        QVERIFY(files > 50);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u'\n')));
    }

    // ---- the setting: file loading, profile, connect dialog, app, CLI, Qt Quick ----------

    void certificateFileErrors() {
        const QSslCertificate cert = chat::TrustedCertificate::load(m_cert).value();
        QVERIFY(!cert.isNull());
        // DER works as well.
        const QString der = path(QStringLiteral("host.der"));
        QFile derFile(der);
        QVERIFY(derFile.open(QIODevice::WriteOnly));
        derFile.write(cert.toDer());
        derFile.close();
        QCOMPARE(chat::TrustedCertificate::load(der).value(), cert);

        auto write = [this](const QString &name, const QByteArray &bytes) {
            QFile f(path(name));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
            return path(name);
        };
        auto error = [](const QString &file) {
            const auto loaded = chat::TrustedCertificate::load(file);
            return loaded ? QString() : loaded.error().message();
        };
        QFile pem(m_cert), other(m_otherCert);
        QVERIFY(pem.open(QIODevice::ReadOnly) && other.open(QIODevice::ReadOnly));
        const QString missing = path(QStringLiteral("nope.pem"));
        QVERIFY(error(missing).contains(QStringLiteral("cannot be read")));
        QVERIFY(error(missing).contains(missing));
        QVERIFY(error(m_dir.path()).contains(QStringLiteral("is a directory")));
        QVERIFY(error(write(QStringLiteral("empty.pem"), {})).contains(QStringLiteral("is empty")));
        QVERIFY(error(m_key).contains(QStringLiteral("private key, not a certificate")));
        QVERIFY(error(write(QStringLiteral("junk.pem"), "hello, not a certificate\n"))
                    .contains(QStringLiteral("does not contain a certificate")));
        QVERIFY(error(write(QStringLiteral("two.pem"), pem.readAll() + other.readAll()))
                    .contains(QStringLiteral("contains 2 certificates")));
    }

    void profileStoreKeepsTheCertificate() {
        ProfileStore store;
        chat::Profile p(serverUrl(m_host), QStringLiteral("quickstart-chat"),
                        QStringLiteral("tlsprofile"));
        p.setTrustedCertificateFile(m_cert);
        store.save(p);
        QCOMPARE(store.profile(QStringLiteral("tlsprofile"))->trustedCertificateFile(), m_cert);
        QCOMPARE(*store.profile(QStringLiteral("tlsprofile")), p);
        p.setTrustedCertificateFile({});
        store.save(p);
        QVERIFY(store.profile(QStringLiteral("tlsprofile"))->trustedCertificateFile().isEmpty());
    }

    void connectDialogHasTheField() {
        ProfileStore store;
        chat::Profile p(serverUrl(m_host), QStringLiteral("quickstart-chat"),
                        QStringLiteral("dialog"));
        ConnectDialog dialog(&store, p);
        auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("certificateEdit"));
        auto *browse = dialog.findChild<QPushButton *>(QStringLiteral("browseCertificateButton"));
        auto *buttons = dialog.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"));
        QVERIFY(edit && browse && buttons);
        QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(ok->isEnabled());

        edit->setText(m_key);
        QVERIFY2(dialog.problem().contains(QStringLiteral("private key")),
                 qPrintable(dialog.problem()));
        QVERIFY(!ok->isEnabled());
        edit->setText(path(QStringLiteral("missing.pem")));
        QVERIFY(dialog.problem().contains(QStringLiteral("cannot be read")));
        QVERIFY(!ok->isEnabled());

        edit->setText(m_cert);
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.profile().trustedCertificateFile(), m_cert);
        dialog.accept();
        QCOMPARE(store.profile(QStringLiteral("dialog"))->trustedCertificateFile(), m_cert);
        // Reopened, the dialog shows it again.
        ConnectDialog again(&store, *store.profile(QStringLiteral("dialog")));
        QCOMPARE(again.findChild<QLineEdit *>(QStringLiteral("certificateEdit"))->text(), m_cert);
    }

    void appConnectsWithTheProfilesCertificate() {
        MainWindow::Options o;
        o.client.profile = chat::Profile(serverUrl(m_host), QStringLiteral("quickstart-chat"),
                                         QStringLiteral("apptls"));
        o.client.profile.setTrustedCertificateFile(m_cert);
        o.client.insecureTokenFile = true;
        o.useTray = false;
        o.persistSettings = false;
        o.offerRustImport = false;
        {
            MainWindow window(o);
            window.startSession();
            QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), State::Online, kTimeout);
            QVERIFY(window.bannerText().isEmpty());
        }
        // Without the setting the app reports the certificate problem in its banner.
        o.client.profile.setTrustedCertificateFile({});
        {
            MainWindow window(o);
            window.startSession();
            QTRY_COMPARE_WITH_TIMEOUT(window.client()->state(), State::Error, kTimeout);
            QVERIFY2(window.bannerText().contains(QStringLiteral("self-signed")),
                     qPrintable(window.bannerText()));
        }
        // A file that cannot be used: not connecting, and saying why.
        o.client.profile.setTrustedCertificateFile(m_key);
        {
            MainWindow window(o);
            window.startSession();
            QVERIFY2(window.bannerText().contains(QStringLiteral("private key, not a certificate")),
                     qPrintable(window.bannerText()));
            QCOMPARE(window.client()->state(), State::Offline);
        }
    }

    void appCommandLineOption() {
        CommandLine ok;
        QVERIFY(ok.parse(
            {QStringLiteral("spacetime-chat"), QStringLiteral("--trust-certificate"), m_cert}));
        QCOMPARE(ok.trustCertificate, m_cert);
        CommandLine bad;
        QVERIFY(!bad.parse(
            {QStringLiteral("spacetime-chat"), QStringLiteral("--trust-certificate"), m_key}));
        QVERIFY(bad.error().contains(QStringLiteral("private key")));
    }

    void consoleClientOption() {
        const auto parsed = cli::parseCommandLine(
            {QStringLiteral("spacetime-chat-cli"), QStringLiteral("--trust-certificate"), m_cert});
        QCOMPARE(parsed.action, cli::ParseResult::Action::Run);
        QCOMPARE(parsed.config.client.trustedCertificate,
                 chat::TrustedCertificate::load(m_cert).value());
        const auto bad = cli::parseCommandLine({QStringLiteral("spacetime-chat-cli"),
                                                QStringLiteral("--trust-certificate"),
                                                path(QStringLiteral("missing.pem"))});
        QCOMPARE(bad.action, cli::ParseResult::Action::ExitError);
        QVERIFY2(
            bad.text.startsWith(QStringLiteral("--trust-certificate: The trusted certificate")),
            qPrintable(bad.text));

        // The real program against the TLS host, with and without the option.
        auto run = [this](const QStringList &extra, QByteArray *out, QByteArray *err) {
            QProcess cli;
            cli.setProgram(QStringLiteral(CLI_EXECUTABLE));
            cli.setArguments(QStringList{QStringLiteral("--server"), serverUrl(m_host),
                                         QStringLiteral("--anonymous")} +
                             extra);
            cli.start();
            cli.closeWriteChannel();
            if (!cli.waitForFinished(kTimeout))
                cli.kill();
            *out = cli.readAllStandardOutput();
            *err = cli.readAllStandardError();
            return cli.exitCode();
        };
        QByteArray out, err;
        QCOMPARE(run({}, &out, &err), 1);
        QVERIFY2(err.contains("Connection error: The TLS certificate of https://127.0.0.1:"), err);
        QVERIFY2(err.contains("it is self-signed and not trusted"), err);
        QCOMPARE(run({QStringLiteral("--trust-certificate"), m_cert}, &out, &err), 0);
        QVERIFY2(out.contains("Fully connected and all subscriptions applied."), out + err);
        QCOMPARE(run({QStringLiteral("--trust-certificate"), m_otherCert}, &out, &err), 1);
        QVERIFY2(err.contains("it is self-signed and not trusted"), err);
        QCOMPARE(run({QStringLiteral("--trust-certificate"), m_key}, &out, &err), 2);
        QVERIFY2(err.contains("private key, not a certificate"), err);
    }

    void quickClientOption() {
        const auto ok = quick::QuickOptions::parse({QStringLiteral("spacetime-chat-quick"),
                                                    QStringLiteral("--trust-certificate"), m_cert});
        QVERIFY2(ok.error.isEmpty(), qPrintable(ok.error));
        QCOMPARE(ok.client.trustedCertificate, chat::TrustedCertificate::load(m_cert).value());
        const auto bad = quick::QuickOptions::parse(
            {QStringLiteral("spacetime-chat-quick"), QStringLiteral("--trust-certificate"), m_key});
        QVERIFY(bad.error.contains(QStringLiteral("private key")));
    }
};

QTEST_MAIN(TestTls)

#include "tst_tls.moc"
