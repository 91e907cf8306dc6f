// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/clientcache.h"
#include "spacetime/connection/failure.h"
#include "spacetime/connection/framedecoder.h"
#include "spacetime/error.h"

#include <QAbstractSocket>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStringList>

#include <chrono>
#include <memory>

class QWebSocket;

namespace stdb {

class IdleWatchdog;
class StreamingInflater;
class WebSocketReader;
class UpgradeProbe;

// Everything SocketWorker::open() needs for one session's socket.
struct STDB_EXPORT SocketSession {
    quint64 generation = 0;
    QNetworkRequest request;
    QStringList subprotocols; // offered, preferred first
    QString v3Subprotocol;    // frames are decoded as v3 when the server picks this one
    bool secure = false;
    QList<QSslCertificate> trustedCertificates; // extra trust anchors, on top of the system's
    std::chrono::milliseconds idleTimeout{30000};
    std::chrono::milliseconds pingTimeout{30000};
    std::chrono::milliseconds connectTimeout{20000}; // bounds the upgrade probe
    QString display;                                 // the server as people read it, for log lines
    bool ownFrameReader = false; // frames read by WebSocketReader after the handshake
};

// Owns a DbConnection's QWebSocket on the connection's I/O thread. Frames are received,
// decompressed, decoded and, for a large snapshot, built into cache tables there, so even a
// 100 MB message never occupies the owner's (GUI) thread; dead-connection pings happen there
// too. The owner hears everything through queued signals tagged with the session's
// generation, in the order it happened on the socket: closed() comes after the results of
// every frame received before the close.
//
// The slots run on the worker's thread: call them through queued invocations.
class STDB_EXPORT SocketWorker : public QObject {
    Q_OBJECT
public:
    explicit SocketWorker(protocol::FrameDecodeOptions options, QObject *parent = nullptr);
    ~SocketWorker() override;

    void open(const stdb::SocketSession &session);
    void send(quint64 generation, const QByteArray &bytes);
    // The cache configuration large snapshots are prepared with from now on (null: none).
    void setLayout(std::shared_ptr<const stdb::CacheLayout> layout);
    // Ends the socket of `generation`; nothing more is reported for it. With a close handshake
    // (bounded in time) when `graceful` and the socket is still connected, else at once.
    void close(quint64 generation, bool graceful, int closeCode, const QString &reason);
    // Drops every socket and timer now, for the owner's destructor (a blocking invocation:
    // they belong to this thread).
    void shutdown();

Q_SIGNALS:
    // The attempt got further: a ConnectFailure::Stage, for classifying a timeout.
    void progressed(quint64 generation, int stage);
    // The WebSocket handshake succeeded; the owner checks the subprotocol.
    void opened(quint64 generation, const QString &subprotocol);
    void decoded(quint64 generation, const stdb::DecodedFrame &frame);
    void failed(quint64 generation, const stdb::Error &error);
    void textReceived(quint64 generation);
    // Nothing arrived for idleTimeout + pingTimeout, a ping included.
    void timedOut(quint64 generation);
    // The socket is gone (closed by the server, dropped, or never opened) and why.
    void closed(quint64 generation, const stdb::SocketFailure &failure);

private:
    void onFrame(const QByteArray &frame);
    void onFramePart(const QByteArray &part, bool isLast);
    void dropInflater();
    // Reads the transport's frames ourselves from the handshake on (WebSocketReader).
    void takeOverReading();
    void readFrames();
    void sendPong(const QByteArray &payload);
    void onError(QAbstractSocket::SocketError error);
    void watchTransport(bool secure);
    void setStage(ConnectFailure::Stage stage);
    // Takes the most precise socket error there is (once).
    void recordError();
    // QWebSocket refused the server's answer to the upgrade: read that answer with a probe,
    // then report closed().
    void probeUpgrade();
    void dropProbe();
    // The socket ended: reports closed() once and lets the socket go.
    void finish();
    void release(QWebSocket *socket, bool graceful, int closeCode, const QString &reason);

    protocol::FrameDecodeOptions m_options;
    std::shared_ptr<const CacheLayout> m_layout;
    IdleWatchdog *m_watchdog = nullptr; // made on this thread, on first use

    // The current session's socket; sockets still closing are released children.
    QWebSocket *m_socket = nullptr;
    // The TCP/TLS socket inside m_socket (QWebSocket makes it its child): its signals tell
    // how far the attempt got and its errors survive TLS.
    QAbstractSocket *m_transport = nullptr;
    UpgradeProbe *m_probe = nullptr;
    std::unique_ptr<WebSocketReader> m_reader; // from the handshake on (null: QWebSocket reads)
    SocketSession m_session;
    QSslConfiguration m_ssl;
    quint64 m_generation = 0;
    bool m_open = false;
    bool m_v3 = false;
    bool m_closeFrameReceived = false;
    bool m_broken = false;     // a frame failed to decode: the owner is closing, decode no more
    qint64 m_firstBytesNs = 0; // when the message in transit began to arrive (0: none is)
    // A compressed message arriving in several frames through QWebSocket is inflated on a
    // thread of its own as they come (onFramePart); onFrame then takes the body from it.
    std::unique_ptr<StreamingInflater> m_inflater;
    Compression m_inflaterTag = Compression::None;
    bool m_inMessage = false; // between a message's first frame and its last
    QString m_v3Name;
    QString m_display;
    SocketFailure m_failure;
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::SocketSession)
Q_DECLARE_METATYPE(stdb::SocketFailure)
