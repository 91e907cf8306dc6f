// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QIODevice;

namespace stdb {

// Reads the server's WebSocket frames (RFC 6455) from the byte stream of an open connection and
// reassembles its messages into buffers of our own. SocketWorker takes the stream of its
// QWebSocket's transport over once the handshake is done; QWebSocket keeps the handshake, TLS,
// sending and closing.
//
// Why: QWebSocket appends every frame to a QByteArray of its own that grows by doubling and is
// copied at each growth, whether or not anyone listens for the frames. SpacetimeDB sends a
// history of ~90 MB in 4 KiB frames, so that is ~2.4 times the history in freshly touched 4 KiB
// pages: ~54 000 page faults, most of the client's time on a virtual machine
// (docs/PERFORMANCE.md). Here a message grows in buffers offered for huge pages
// (hugepages.h), and a message of one frame is read straight into a buffer of its size
// (up to kExactUpTo: beyond, memory follows the bytes that arrived, not the header's claim).
//
// The checks are QWebSocket's: reserved bits, opcodes, control frames (final, at most 125
// bytes), continuation order, close codes, UTF-8 of text and close reasons, and the message size
// limit. A failed check ends the stream with an Error event carrying the close code to answer
// with; a Close event ends it too.
class STDB_EXPORT WebSocketReader {
public:
    struct Event {
        enum class Kind { Binary, Text, Ping, Pong, Close, Error };
        Kind kind = Kind::Binary;
        QByteArray data;   // Binary: the message; Ping/Pong: the payload
        int closeCode = 0; // Close: the server's code (1000 when none); Error: the code to send
        QString text;      // Close: the server's reason; Error: what was wrong
    };

    explicit WebSocketReader(qint64 maxMessageSize);

    // Reads what `device` has now and returns the events it completed, in order. Call again
    // when more bytes arrive. After a Close or Error event nothing more is read.
    QList<Event> read(QIODevice *device);

    // A data message has begun and not ended (its first bytes are in).
    bool messageInTransit() const { return m_messageOp != 0; }
    bool finished() const { return m_finished; }

    // A growing message's first buffer.
    static constexpr qsizetype kFirstBuffer = 64 * 1024;
    // Up to this size a message of one frame gets its buffer at once, from the header.
    static constexpr qsizetype kExactUpTo = qsizetype(16) << 20;

private:
    bool readHeader(QIODevice *device, QList<Event> &out);
    bool startData(QList<Event> &out);
    void reserveFor(qsizetype need);
    void fail(QList<Event> &out, int code, const QString &why);
    void unmask(char *data, qsizetype n);
    bool deliverControl(QList<Event> &out);
    bool finishMessage(QList<Event> &out);

    qint64 m_maxMessageSize;
    // The frame being read.
    bool m_inFrame = false;
    bool m_fin = false;
    int m_opcode = 0;
    quint64 m_left = 0; // payload bytes still to read
    bool m_masked = false;
    quint32 m_maskKey = 0;
    quint64 m_maskPos = 0;
    QByteArray m_control; // a control frame's payload
    // The message being reassembled.
    int m_messageOp = 0; // 1 text, 2 binary, 0 none
    QByteArray m_message;
    qsizetype m_used = 0;
    bool m_finished = false;
};

} // namespace stdb
