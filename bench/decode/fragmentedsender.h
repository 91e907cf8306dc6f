// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QTcpSocket;

namespace stdb::bench {

// The bench server's way of sending binary WebSocket messages as SpacetimeDB does
// (crates/client-api/src/routes/subscribe.rs: ws_encode_frames): each message split into
// frames of at most `frameSize` payload bytes (RFC 6455 5.4 fragmentation; 4 KiB there), fed to
// the TCP socket as it drains so the write buffer stays bounded, as tokio-tungstenite's sink
// does. QWebSocket::sendBinaryMessage instead copies the whole message once more and queues
// all of it in the socket's write buffer: for a 100 MB history that is 200 MB of fresh memory
// and a few hundred ms before the first byte leaves.
//
// Messages go out whole and in order; QWebSocket's own control frames (pong, close) may come
// between two frames of a message, which RFC 6455 allows. Server-to-client frames are unmasked.
class FragmentedSender : public QObject {
public:
    FragmentedSender(QTcpSocket *socket, qsizetype frameSize, QObject *parent = nullptr);

    // Queues a binary message made of `parts` back to back (a compression tag and the body
    // need not be copied into one buffer first); `sent` (optional) runs once its last frame was
    // handed to the socket, `flushed` once the socket's write buffer is then empty.
    void send(const QList<QByteArray> &parts, std::function<void()> sent = {},
              std::function<void()> flushed = {});

private:
    struct Pending {
        QList<QByteArray> parts;
        qsizetype part = 0;   // the part the next frame starts in
        qsizetype offset = 0; // within that part
        qsizetype left = 0;   // bytes of the message not yet framed
        bool started = false;
        std::function<void()> sent;
        std::function<void()> flushed;
    };
    void pump();

    QPointer<QTcpSocket> m_socket;
    qsizetype m_frameSize;
    QList<Pending> m_queue;
    QList<std::function<void()>> m_awaitingFlush;
    QByteArray m_scratch; // one frame, header and payload, reused
};

} // namespace stdb::bench
