// SPDX-License-Identifier: Apache-2.0
// spacetime-chat-host: a development and test host that speaks SpacetimeDB's client protocol
// and runs the quickstart-chat module's logic. Not SpacetimeDB; see docs/host.md.

#include "chathost.h"
#include "hostlog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void onSignal(int) {
    // Only async-signal-safe work here: wake the event loop through the pipe.
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

void installSignalHandlers(QCoreApplication &app) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char c;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &c, 1);
        qCInfo(host::lcHost) << "shutting down";
        app.quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}
#else
void installSignalHandlers(QCoreApplication &) {}
#endif

bool parseListen(const QString &text, QHostAddress *address, quint16 *port) {
    static const QRegularExpression re(
        QStringLiteral("^(?:\\[([^\\]]+)\\]|([^:\\[\\]]*)):(\\d{1,5})$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return false;
    QString hostPart = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
    if (hostPart.isEmpty() || hostPart == u"localhost")
        hostPart = QStringLiteral("127.0.0.1");
    if (!address->setAddress(hostPart))
        return false;
    bool ok = false;
    const uint p = m.captured(3).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    *port = quint16(p);
    return true;
}

// The TLS configuration from a PEM certificate (chain) file and a PEM private key file.
std::optional<QSslConfiguration> loadTls(const QString &certPath, const QString &keyPath,
                                         QString *error) {
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS is not available (no OpenSSL backend for Qt)");
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("--tls-cert %1: no PEM certificate could be read").arg(certPath);
        return std::nullopt;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--tls-key %1: %2").arg(keyPath, keyFile.errorString());
        return std::nullopt;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error =
            QStringLiteral("--tls-key %1: not an unencrypted PEM RSA/EC private key").arg(keyPath);
        return std::nullopt;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    return config;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-chat-host"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));
    host::installLogHandler();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Development and test host speaking the SpacetimeDB client protocol, running the "
        "quickstart-chat module. It is not SpacetimeDB."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address and port to serve on (port 0 picks "
                                                   "a free one)."),
                                    QStringLiteral("host:port"), QStringLiteral("127.0.0.1:3000"));
    const QCommandLineOption data(QStringLiteral("data"),
                                  QStringLiteral("Data directory, or :memory: to keep nothing."),
                                  QStringLiteral("dir"));
    const QCommandLineOption database(QStringLiteral("database"),
                                      QStringLiteral("Database name clients connect to."),
                                      QStringLiteral("name"), QStringLiteral("quickstart-chat"));
    const QCommandLineOption testControls(
        QStringLiteral("test-controls"),
        QStringLiteral("Enable the /_test/ fault-injection routes (loopback clients only)."));
    const QCommandLineOption noV3(QStringLiteral("no-v3"),
                                  QStringLiteral("Offer only v2.bsatn.spacetimedb."));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"),
                                          QStringLiteral("WebSocket ping interval."),
                                          QStringLiteral("ms"), QStringLiteral("15000"));
    const QCommandLineOption idleTimeout(QStringLiteral("idle-timeout"),
                                         QStringLiteral("Drop WebSocket clients silent this long."),
                                         QStringLiteral("ms"), QStringLiteral("30000"));
    const QCommandLineOption httpTimeout(QStringLiteral("http-timeout"),
                                         QStringLiteral("Close HTTP connections idle this long."),
                                         QStringLiteral("ms"), QStringLiteral("30000"));
    const QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"),
        QStringLiteral("Serve https/wss with this PEM certificate (chain); needs --tls-key."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("The PEM private key of --tls-cert."),
                                    QStringLiteral("file"));
    const QCommandLineOption owner(
        QStringLiteral("owner"),
        QStringLiteral("Identity (64 hex digits) of the database owner, who may read private "
                       "tables and run INSERT/UPDATE/DELETE through /sql."),
        QStringLiteral("identity"));
    parser.addOptions({listen, data, database, testControls, noV3, pingInterval, idleTimeout,
                       httpTimeout, tlsCert, tlsKey, owner});
    parser.process(app);

    auto fail = [](const QString &message) {
        std::fprintf(stderr, "spacetime-chat-host: %s\n", qPrintable(message));
        return 2;
    };

    QHostAddress address;
    quint16 port = 0;
    if (!parseListen(parser.value(listen), &address, &port))
        return fail(QStringLiteral("--listen expects host:port, e.g. 127.0.0.1:3000"));

    host::ChatHost::Options options;
    options.databaseName = parser.value(database);
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    if (!nameRe.match(options.databaseName).hasMatch())
        return fail(QStringLiteral("--database must be 1-64 letters, digits, '-' or '_'"));
    options.dataDir = parser.isSet(data)
                          ? parser.value(data)
                          : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (options.dataDir.isEmpty())
        return fail(QStringLiteral("no data directory; pass --data"));
    options.testControls = parser.isSet(testControls);
    options.enableV3 = !parser.isSet(noV3);
    bool ok1 = false, ok2 = false, ok3 = false;
    options.pingIntervalMs = parser.value(pingInterval).toInt(&ok1);
    options.idleTimeoutMs = parser.value(idleTimeout).toInt(&ok2);
    options.httpIdleTimeoutMs = parser.value(httpTimeout).toInt(&ok3);
    if (!ok1 || !ok2 || !ok3 || options.pingIntervalMs < 10 || options.idleTimeoutMs < 10 ||
        options.httpIdleTimeoutMs < 10)
        return fail(QStringLiteral("timeouts must be integers of at least 10 ms"));

    if (parser.isSet(owner)) {
        QString hex = parser.value(owner);
        if (hex.startsWith(u"0x"))
            hex = hex.mid(2);
        bool ok = false;
        const stdb::Identity id = stdb::Identity::fromHex(hex, &ok);
        if (!ok || hex.size() != 64)
            return fail(QStringLiteral("--owner expects an identity of 64 hex digits"));
        options.owner = id;
    }

    if (parser.isSet(tlsCert) != parser.isSet(tlsKey))
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (parser.isSet(tlsCert)) {
        QString error;
        options.tls = loadTls(parser.value(tlsCert), parser.value(tlsKey), &error);
        if (!options.tls)
            return fail(error);
    }

    installSignalHandlers(app);

    host::ChatHost chatHost(options);
    QString error;
    if (!chatHost.start(address, port, &error)) {
        qCCritical(host::lcHost).noquote() << error;
        return 1;
    }
    const QString shown = chatHost.address().protocol() == QAbstractSocket::IPv6Protocol
                              ? u'[' + chatHost.address().toString() + u']'
                              : chatHost.address().toString();
    if (options.testControls)
        qCWarning(host::lcHost) << "test controls enabled under /_test/ (loopback only)";
    qCInfo(host::lcHost).noquote()
        << "development/test host, not SpacetimeDB; database" << options.databaseName;
    // The one line on stdout; tests parse it.
    std::printf("listening on %s://%s:%u\n", chatHost.isTls() ? "https" : "http", qPrintable(shown),
                unsigned(chatHost.port()));
    std::fflush(stdout);
    return app.exec();
}
