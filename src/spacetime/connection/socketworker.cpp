#include "spacetime/connection/socketworker.h"

#include "spacetime/logging_p.h"
#include "spacetime/connection/idlewatchdog.h"

#include <QSslConfiguration>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace stdb {

namespace {
// How long a closing socket may take for the close handshake before it is aborted.
constexpr int kCloseGraceMs = 2000;
} // namespace

SocketWorker::SocketWorker(protocol::FrameDecodeOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options) {}

SocketWorker::~SocketWorker() = default;

void SocketWorker::open(const SocketSession &session) {
    if (m_socket)
        release(std::exchange(m_socket, nullptr), false, 0, QString());
    m_generation = session.generation;
    m_open = false;
    m_v3 = false;
    m_closeFrameReceived = false;
    m_broken = false;
    m_v3Name = session.v3Subprotocol;
    m_display = session.display;
    m_failure = {};

    if (!m_watchdog) {
        m_watchdog = new IdleWatchdog(this);
        connect(m_watchdog, &IdleWatchdog::pingNeeded, this, [this] {
            if (m_socket && m_open) {
                qCDebug(lcConnection) << "nothing received for a while; pinging";
                m_socket->ping();
            }
        });
        connect(m_watchdog, &IdleWatchdog::timedOut, this,
                [this] { Q_EMIT timedOut(m_generation); });
    }
    m_watchdog->stop();
    m_watchdog->setIntervals(session.idleTimeout, session.pingTimeout);

    auto *s = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = s;
    // Initial subscriptions can be hundreds of MiB: never truncate incoming messages.
    s->setMaxAllowedIncomingMessageSize(QWebSocket::maxIncomingMessageSize());
    s->setMaxAllowedIncomingFrameSize(QWebSocket::maxIncomingFrameSize());
    if (session.secure) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        // Verification stays on; extra trust anchors only add the certificates asked for.
        ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!session.trustedCertificates.isEmpty())
            ssl.addCaCertificates(session.trustedCertificates);
        s->setSslConfiguration(ssl);
    }

    connect(s, &QWebSocket::connected, this, [this] {
        m_open = true;
        m_v3 = !m_v3Name.isEmpty() && m_socket->subprotocol() == m_v3Name;
        m_watchdog->start();
        Q_EMIT opened(m_generation, m_socket->subprotocol());
    });
    connect(s, &QWebSocket::disconnected, this, &SocketWorker::finish);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(s, &QWebSocket::errorOccurred, this, &SocketWorker::onError);
#else
    // QWebSocket::error (the signal) is deprecated since 6.5 in favour of errorOccurred.
    connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SocketWorker::onError);
#endif
    connect(s, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Never ignored: the handshake fails and the errors explain why.
        for (const QSslError &e : errors) {
            QString text = e.errorString();
            if (!e.certificate().isNull())
                text += QStringLiteral(" [%1]").arg(e.certificate().subjectDisplayName());
            m_failure.sslErrors.append(text);
        }
        qCWarning(lcConnection).noquote() << "TLS verification failed for" << m_display << ":"
                                          << m_failure.sslErrors.join(QStringLiteral("; "));
    });
    connect(s, &QWebSocket::binaryMessageReceived, this, &SocketWorker::onFrame);
    connect(s, &QWebSocket::textMessageReceived, this,
            [this](const QString &) { Q_EMIT textReceived(m_generation); });
    // close() detaches first, so this means the server sent a close frame.
    connect(s, &QWebSocket::aboutToClose, this, [this] { m_closeFrameReceived = true; });
    // Parts of a large message in transit also prove the connection is alive.
    connect(s, &QWebSocket::binaryFrameReceived, this, [this] { m_watchdog->touch(); });
    connect(s, &QWebSocket::pong, this, [this] { m_watchdog->touch(); });

    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(session.subprotocols);
    s->open(session.request, handshake);
}

void SocketWorker::send(quint64 generation, const QByteArray &bytes) {
    if (generation == m_generation && m_socket && m_open)
        m_socket->sendBinaryMessage(bytes);
}

void SocketWorker::setLayout(std::shared_ptr<const CacheLayout> layout) {
    m_layout = std::move(layout);
}

void SocketWorker::onFrame(const QByteArray &frame) {
    m_watchdog->touch();
    if (m_broken)
        return;
    auto result = FrameDecoder::decode(frame, m_v3, m_options);
    if (!result) {
        m_broken = true;
        Q_EMIT failed(m_generation, result.error());
        return;
    }
    // With the cache configuration as the owner last sent it (before the Subscribe that asked
    // for these rows), build the tables of a large snapshot here, leaving only an O(1)
    // adoption to the owner. A configuration changed since then is detected at adoption.
    if (m_layout)
        FrameDecoder::prepare(result.value(), *m_layout);
    Q_EMIT decoded(m_generation, result.value());
}

void SocketWorker::onError() {
    if (!m_socket)
        return;
    if (!m_failure.hasSocketError) {
        m_failure.hasSocketError = true;
        m_failure.socketError = m_socket->error();
        m_failure.socketErrorString = m_socket->errorString();
    }
    qCDebug(lcConnection).noquote()
        << "socket error" << m_socket->error() << m_socket->errorString();
    // A refused TCP connection or upgrade may never produce disconnected(): look again once
    // the socket settled.
    QTimer::singleShot(0, m_socket, [this, s = m_socket] {
        if (s == m_socket && s->state() == QAbstractSocket::UnconnectedState)
            finish();
    });
}

void SocketWorker::finish() {
    QWebSocket *s = m_socket;
    if (!s)
        return;
    // Qt may report disconnected() before error(): take the error from the socket.
    if (!m_failure.hasSocketError && s->error() != QAbstractSocket::UnknownSocketError) {
        m_failure.hasSocketError = true;
        m_failure.socketError = s->error();
        m_failure.socketErrorString = s->errorString();
    }
    // closeCode() is only meaningful when the server sent a close frame; an abrupt drop reads
    // as 1006 like in browsers.
    if (m_open && m_closeFrameReceived) {
        m_failure.closeCode = s->closeCode();
        m_failure.closeReason = s->closeReason();
    } else if (m_open) {
        m_failure.closeCode = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    }
    m_socket = nullptr;
    m_watchdog->stop();
    release(s, false, 0, QString());
    Q_EMIT closed(m_generation, m_failure);
}

void SocketWorker::close(quint64 generation, bool graceful, int closeCode, const QString &reason) {
    if (generation != m_generation || !m_socket)
        return;
    m_watchdog->stop();
    release(std::exchange(m_socket, nullptr), graceful, closeCode, reason);
}

void SocketWorker::release(QWebSocket *s, bool graceful, int closeCode, const QString &reason) {
    disconnect(s, nullptr, this, nullptr);
    if (graceful && s->state() == QAbstractSocket::ConnectedState) {
        connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
        QTimer::singleShot(kCloseGraceMs, s, [s] {
            s->abort();
            s->deleteLater();
        });
        s->close(QWebSocketProtocol::CloseCode(closeCode), reason);
    } else {
        s->abort();
        s->deleteLater();
    }
}

void SocketWorker::shutdown() {
    m_socket = nullptr;
    // Sockets still closing are children too; deleting them drops their pending events.
    const auto sockets = findChildren<QWebSocket *>(Qt::FindDirectChildrenOnly);
    for (QWebSocket *s : sockets) {
        disconnect(s, nullptr, this, nullptr);
        s->abort();
        delete s;
    }
    delete m_watchdog;
    m_watchdog = nullptr;
    m_layout.reset();
}

} // namespace stdb
