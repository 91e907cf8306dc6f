// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/socketworker.h"

#include "spacetime/connection/idlewatchdog.h"
#include "spacetime/connection/streaminginflater.h"
#include "spacetime/connection/upgradeprobe.h"
#include "spacetime/connection/websocketreader.h"
#include "spacetime/logging_p.h"

#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <QtEndian>

#include <algorithm>
#include <limits>

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
    dropProbe();
    if (m_socket)
        release(std::exchange(m_socket, nullptr), false, 0, QString());
    m_transport = nullptr;
    m_session = session;
    m_generation = session.generation;
    m_open = false;
    m_v3 = false;
    m_closeFrameReceived = false;
    m_broken = false;
    m_firstBytesNs = 0;
    m_reader.reset();
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
        m_ssl = ssl;
    }

    connect(s, &QWebSocket::connected, this, [this] {
        m_open = true;
        setStage(ConnectFailure::Stage::AwaitingHello);
        m_v3 = !m_v3Name.isEmpty() && m_socket->subprotocol() == m_v3Name;
        m_watchdog->start();
        Q_EMIT opened(m_generation, m_socket->subprotocol());
        // Frames that came with the handshake answer are reported after opened().
        if (m_session.ownFrameReader)
            takeOverReading();
    });
    // Over TLS the socket may report disconnected() before its error: look once both are in.
    connect(s, &QWebSocket::disconnected, this, [this, s] {
        QTimer::singleShot(0, s, [this, s] {
            if (s == m_socket)
                finish();
        });
    });
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
            m_failure.sslErrorCodes.append(e.error());
            if (!e.certificate().isNull() && m_failure.certificateSubject.isEmpty()) {
                m_failure.certificateSubject = e.certificate().subjectDisplayName();
                m_failure.certificateExpiry = e.certificate().expiryDate();
            }
        }
        qCWarning(lcConnection).noquote() << "TLS verification failed for" << m_display << ":"
                                          << m_failure.sslErrors.join(QStringLiteral("; "));
    });
    connect(s, &QWebSocket::binaryMessageReceived, this, &SocketWorker::onFrame);
    connect(s, &QWebSocket::textMessageReceived, this,
            [this](const QString &) { Q_EMIT textReceived(m_generation); });
    // close() detaches first, so this means the server sent a close frame.
    connect(s, &QWebSocket::aboutToClose, this, [this] { m_closeFrameReceived = true; });
    connect(s, &QWebSocket::binaryFrameReceived, this, &SocketWorker::onFramePart);
    connect(s, &QWebSocket::pong, this, [this] { m_watchdog->touch(); });

    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(session.subprotocols);
    s->open(session.request, handshake);
    watchTransport(session.secure);
}

void SocketWorker::watchTransport(bool secure) {
    // QWebSocket::open() made its TCP or TLS socket as its child. Should a Qt version not
    // do so, the failure is still classified, only less precisely.
    m_transport = m_socket->findChild<QAbstractSocket *>(QString(), Qt::FindDirectChildrenOnly);
    if (!m_transport) {
        qCDebug(lcConnection) << "no transport socket found inside QWebSocket";
        return;
    }
    using Stage = ConnectFailure::Stage;
    connect(m_transport, &QAbstractSocket::hostFound, this,
            [this] { setStage(Stage::Connecting); });
    connect(m_transport, &QAbstractSocket::connected, this,
            [this, secure] { setStage(secure ? Stage::TlsHandshake : Stage::Upgrading); });
    if (auto *ssl = qobject_cast<QSslSocket *>(m_transport))
        connect(ssl, &QSslSocket::encrypted, this, [this] { setStage(Stage::Upgrading); });
    connect(m_transport, &QAbstractSocket::errorOccurred, this, [this] { recordError(); });
    // QWebSocket reads the socket first (its connection is older): what it left is the start
    // of a message still in transit.
    connect(m_transport, &QIODevice::readyRead, this, [this] {
        if (m_firstBytesNs == 0 && m_transport && m_transport->bytesAvailable() > 0)
            m_firstBytesNs = FrameTiming::nowNs();
    });
}

void SocketWorker::setStage(ConnectFailure::Stage stage) {
    if (stage <= m_failure.stage)
        return;
    m_failure.stage = stage;
    Q_EMIT progressed(m_generation, int(stage));
}

void SocketWorker::recordError() {
    if (m_failure.hasSocketError || !m_socket)
        return;
    if (m_transport && m_transport->error() != QAbstractSocket::UnknownSocketError) {
        m_failure.socketError = m_transport->error();
        m_failure.socketErrorString = m_transport->errorString();
    } else if (m_socket->error() != QAbstractSocket::UnknownSocketError) {
        m_failure.socketError = m_socket->error();
        m_failure.socketErrorString = m_socket->errorString();
    } else {
        return;
    }
    m_failure.hasSocketError = true;
}

void SocketWorker::probeUpgrade() {
    m_failure.upgradeRefused = true;
    QWebSocket *s = std::exchange(m_socket, nullptr);
    m_transport = nullptr;
    m_watchdog->stop();
    release(s, false, 0, QString());
    const quint64 gen = m_generation;
    m_probe = new UpgradeProbe(
        m_session.request, m_session.subprotocols, m_ssl, m_session.connectTimeout,
        [this, gen](const UpgradeProbe::Result &r) {
            m_probe->deleteLater();
            m_probe = nullptr;
            if (gen != m_generation)
                return;
            m_failure.probeAnswered = r.answered;
            m_failure.probeTimedOut = r.timedOut;
            m_failure.httpStatus = r.status;
            m_failure.httpReason = r.reason;
            m_failure.httpBody = r.body;
            Q_EMIT closed(m_generation, m_failure);
        },
        this);
    m_probe->start();
}

void SocketWorker::dropProbe() {
    delete std::exchange(m_probe, nullptr);
}

void SocketWorker::send(quint64 generation, const QByteArray &bytes) {
    if (generation == m_generation && m_socket && m_open)
        m_socket->sendBinaryMessage(bytes);
}

void SocketWorker::setLayout(std::shared_ptr<const CacheLayout> layout) {
    m_layout = std::move(layout);
}

void SocketWorker::takeOverReading() {
    // Without the transport QWebSocket keeps reading (and reassembling) itself.
    if (!m_transport)
        return;
    // connected() comes from inside QWebSocket's handling of the handshake answer, before it
    // reads what followed it: from here on the frames are ours. QWebSocket's reading is its
    // only connection to the transport's readyRead (Qt 6.4 to 6.8, qwebsocket_p.cpp).
    if (!QObject::disconnect(m_transport, &QIODevice::readyRead, m_socket, nullptr)) {
        // A Qt that reads some other way keeps reading: two readers would split the stream.
        qCDebug(lcConnection) << "QWebSocket reads its transport another way; it keeps reading";
        return;
    }
    m_reader = std::make_unique<WebSocketReader>(
        qint64(std::min<quint64>(m_socket->maxAllowedIncomingMessageSize(),
                                 quint64(std::numeric_limits<qsizetype>::max()))));
    connect(m_transport, &QIODevice::readyRead, this, &SocketWorker::readFrames);
    qCDebug(lcFrames) << "frames of" << m_display << "are read by WebSocketReader";
    readFrames();
}

void SocketWorker::sendPong(const QByteArray &payload) {
    // As QWebSocket answers a ping: a pong with the same payload, masked as a client must.
    QByteArray frame;
    frame.reserve(6 + payload.size());
    frame.append(char(0x8A));
    frame.append(char(0x80 | payload.size())); // control payloads are at most 125 bytes
    const quint32 key = QRandomGenerator::global()->generate();
    char k[4];
    qToBigEndian(key, k);
    frame.append(k, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ k[i % 4]));
    m_transport->write(frame);
}

void SocketWorker::readFrames() {
    if (!m_reader || !m_transport || !m_socket)
        return;
    const quint64 gen = m_generation;
    for (WebSocketReader::Event &e : m_reader->read(m_transport)) {
        if (gen != m_generation || !m_socket)
            return;
        using Kind = WebSocketReader::Event::Kind;
        switch (e.kind) {
        case Kind::Binary:
            onFrame(e.data);
            break;
        case Kind::Text:
            m_watchdog->touch();
            Q_EMIT textReceived(m_generation);
            break;
        case Kind::Ping:
            m_watchdog->touch();
            sendPong(e.data);
            break;
        case Kind::Pong:
            m_watchdog->touch();
            break;
        case Kind::Close:
        case Kind::Error:
            // What QWebSocket does with a close frame or a broken stream: answer with a close
            // frame (the server's code, or the error's) and close the transport.
            if (e.kind == Kind::Error)
                qCDebug(lcConnection).noquote() << "WebSocket protocol error:" << e.text;
            m_socket->close(QWebSocketProtocol::CloseCode(e.closeCode), e.text);
            return;
        }
    }
    // Parts of a large message in transit also prove the connection is alive.
    if (m_reader && m_reader->messageInTransit())
        m_watchdog->touch();
}

void SocketWorker::onFramePart(const QByteArray &part, bool isLast) {
    // Parts of a large message in transit also prove the connection is alive.
    m_watchdog->touch();
    if (m_broken)
        return;
    if (m_inMessage) {
        if (m_inflater)
            m_inflater->feed(part);
        m_inMessage = !isLast;
        return;
    }
    if (isLast || part.isEmpty())
        return; // a message of one frame (or one whose tag comes later): onFrame takes it whole
    m_inMessage = true;
    // The first of several frames: a compressed body starts inflating while the rest arrives.
    // QWebSocket reports each frame before the message it completes (onFrame).
    const auto tag = Compression(quint8(part[0]));
    if (tag == Compression::Gzip || tag == Compression::Brotli) {
        qCDebug(lcFrames).noquote() << "a fragmented" << compressionName(tag) << "message from"
                                    << m_display << "is inflated as it arrives";
        m_inflaterTag = tag;
        m_inflater = std::make_unique<StreamingInflater>(tag, m_options.maxDecompressedSize);
        m_inflater->feed(part, 1);
    }
}

void SocketWorker::dropInflater() {
    m_inflater.reset();
    m_inMessage = false;
}

void SocketWorker::onFrame(const QByteArray &frame) {
    const qint64 reassembledNs = FrameTiming::nowNs();
    const qint64 firstBytesNs = m_firstBytesNs != 0 ? m_firstBytesNs : reassembledNs;
    m_firstBytesNs = 0;
    m_watchdog->touch();
    ++m_failure.framesReceived;
    const std::unique_ptr<StreamingInflater> inflater = std::move(m_inflater);
    m_inMessage = false;
    if (m_broken)
        return;
    auto result = [&]() -> Expected<DecodedFrame> {
        if (!inflater)
            return FrameDecoder::decode(frame, m_v3, m_options);
        const Expected<QByteArray> body = inflater->finish();
        if (!body)
            return body.error();
        return FrameDecoder::decodeInflated(*body, m_inflaterTag, frame.size(), m_v3);
    }();
    if (!result) {
        m_broken = true;
        Q_EMIT failed(m_generation, result.error());
        return;
    }
    // With the cache configuration as the owner last sent it (before the Subscribe that asked
    // for these rows), build the tables of a large snapshot here, leaving only an O(1)
    // adoption to the owner. A configuration changed since then is detected at adoption.
    result->timing.firstBytesNs = firstBytesNs;
    result->timing.reassembledNs = reassembledNs;
    if (m_layout)
        FrameDecoder::prepare(result.value(), *m_layout);
    Q_EMIT decoded(m_generation, result.value());
}

void SocketWorker::onError(QAbstractSocket::SocketError error) {
    if (!m_socket)
        return;
    qCDebug(lcConnection).noquote() << "socket error" << error << m_socket->errorString();
    // QWebSocket says "connection refused" both for a refused TCP connection and for an answer
    // to the upgrade it did not accept (its error() then still is the TCP socket's). With TCP
    // (and TLS) up it is the latter: read that answer.
    if (!m_open && error == QAbstractSocket::ConnectionRefusedError && m_transport &&
        m_transport->state() == QAbstractSocket::ConnectedState &&
        m_transport->error() == QAbstractSocket::UnknownSocketError &&
        m_failure.stage == ConnectFailure::Stage::Upgrading) {
        probeUpgrade();
        return;
    }
    recordError();
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
    recordError();
    // closeCode() is only meaningful when the server sent a close frame; an abrupt drop reads
    // as 1006 like in browsers.
    if (m_open && m_closeFrameReceived) {
        m_failure.closeCode = s->closeCode();
        m_failure.closeReason = s->closeReason();
    } else if (m_open) {
        m_failure.closeCode = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    }
    m_socket = nullptr;
    m_transport = nullptr;
    m_watchdog->stop();
    release(s, false, 0, QString());
    Q_EMIT closed(m_generation, m_failure);
}

void SocketWorker::close(quint64 generation, bool graceful, int closeCode, const QString &reason) {
    if (generation != m_generation)
        return;
    dropProbe();
    if (!m_socket)
        return;
    m_transport = nullptr;
    m_watchdog->stop();
    release(std::exchange(m_socket, nullptr), graceful, closeCode, reason);
}

void SocketWorker::release(QWebSocket *s, bool graceful, int closeCode, const QString &reason) {
    dropInflater(); // a message cut short by the close is not wanted
    disconnect(s, nullptr, this, nullptr);
    if (auto *t = s->findChild<QAbstractSocket *>(QString(), Qt::FindDirectChildrenOnly))
        disconnect(t, nullptr, this, nullptr);
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
    dropProbe();
    dropInflater();
    m_socket = nullptr;
    m_transport = nullptr;
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
