// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/websocketreader.h"

#include "spacetime/hugepages.h"

#include <QIODevice>
#include <QStringDecoder>
#include <QWebSocketProtocol>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace stdb {

namespace {

enum Opcode : int {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// RFC 6455 7.4: the codes an endpoint may receive (1004-1006 and 1015 must not be sent).
bool closeCodeValid(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

bool validUtf8(QByteArrayView bytes) {
    QStringDecoder d(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = d(bytes);
    Q_UNUSED(decoded);
    return !d.hasError();
}

} // namespace

WebSocketReader::WebSocketReader(qint64 maxMessageSize)
    : m_maxMessageSize(maxMessageSize) {}

void WebSocketReader::fail(QList<Event> &out, int code, const QString &why) {
    m_finished = true;
    m_message = QByteArray();
    Event e;
    e.kind = Event::Kind::Error;
    e.closeCode = code;
    e.text = why;
    out.append(std::move(e));
}

void WebSocketReader::unmask(char *data, qsizetype n) {
    // Servers do not mask (RFC 6455 5.1); QWebSocket unmasks anyway, and so do we.
    if (!m_masked)
        return;
    for (qsizetype i = 0; i < n; ++i, ++m_maskPos)
        data[i] = char(quint8(data[i]) ^ quint8(m_maskKey >> (8 * (3 - (m_maskPos % 4)))));
}

bool WebSocketReader::readHeader(QIODevice *device, QList<Event> &out) {
    char h[14];
    const qint64 got = device->peek(h, sizeof h);
    if (got < 2)
        return false;
    const quint8 b0 = quint8(h[0]);
    const quint8 b1 = quint8(h[1]);
    qsizetype size = 2;
    quint64 length = b1 & 0x7f;
    if (length == 126) {
        size = 4;
    } else if (length == 127) {
        size = 10;
    }
    const bool masked = b1 & 0x80;
    if (masked)
        size += 4;
    if (got < size)
        return false;
    if (length == 126) {
        length = qFromBigEndian<quint16>(h + 2);
    } else if (length == 127) {
        length = qFromBigEndian<quint64>(h + 2);
        if (length >> 63) {
            fail(out, QWebSocketProtocol::CloseCodeProtocolError,
                 QStringLiteral("frame length with its highest bit set"));
            return false;
        }
    }
    device->skip(size);
    m_fin = b0 & 0x80;
    m_opcode = b0 & 0x0f;
    m_left = length;
    m_masked = masked;
    m_maskKey = masked ? qFromBigEndian<quint32>(h + size - 4) : 0;
    m_maskPos = 0;
    if (b0 & 0x70) {
        fail(out, QWebSocketProtocol::CloseCodeProtocolError,
             QStringLiteral("frame with reserved bits set (no extension was negotiated)"));
        return false;
    }
    switch (m_opcode) {
    case Close:
    case Ping:
    case Pong:
        if (!m_fin) {
            fail(out, QWebSocketProtocol::CloseCodeProtocolError,
                 QStringLiteral("fragmented control frame"));
            return false;
        }
        if (length > 125) {
            fail(out, QWebSocketProtocol::CloseCodeProtocolError,
                 QStringLiteral("control frame of %1 bytes (at most 125)").arg(length));
            return false;
        }
        m_control.clear();
        break;
    case Continuation:
    case Text:
    case Binary:
        if (!startData(out))
            return false;
        break;
    default:
        fail(out, QWebSocketProtocol::CloseCodeProtocolError,
             QStringLiteral("frame with reserved opcode 0x%1").arg(m_opcode, 0, 16));
        return false;
    }
    m_inFrame = true;
    return true;
}

bool WebSocketReader::startData(QList<Event> &out) {
    if (m_opcode == Continuation && m_messageOp == 0) {
        fail(out, QWebSocketProtocol::CloseCodeProtocolError,
             QStringLiteral("continuation frame without a message to continue"));
        return false;
    }
    if (m_opcode != Continuation && m_messageOp != 0) {
        fail(out, QWebSocketProtocol::CloseCodeProtocolError,
             QStringLiteral("new data frame while a fragmented message is unfinished"));
        return false;
    }
    if (m_opcode != Continuation)
        m_messageOp = m_opcode;
    if (m_left > quint64(m_maxMessageSize) || qint64(m_used) > m_maxMessageSize - qint64(m_left)) {
        fail(out, QWebSocketProtocol::CloseCodeTooMuchData,
             QStringLiteral("message larger than the limit of %1 bytes").arg(m_maxMessageSize));
        return false;
    }
    return true;
}

void WebSocketReader::reserveFor(qsizetype need) {
    if (need <= m_message.size())
        return;
    // Where this frame ends the message, no buffer needs to reach beyond it.
    const qsizetype end = m_used + qsizetype(m_left);
    qsizetype capacity;
    if (m_fin && m_used == 0 && end <= kExactUpTo) {
        // A message of one frame gets exactly its size.
        capacity = end;
    } else {
        // A growing message doubles, in fresh buffers offered for huge pages before the copy
        // writes them; memory follows the bytes that arrived, not what a header claims.
        capacity = std::max({need, 2 * m_message.size(), kFirstBuffer});
        capacity = qsizetype(std::min<qint64>(capacity, m_fin ? end : m_maxMessageSize));
    }
    QByteArray grown = hugePageBuffer(capacity);
    if (m_used > 0)
        std::memcpy(grown.data(), m_message.constData(), size_t(m_used));
    m_message = std::move(grown);
}

bool WebSocketReader::deliverControl(QList<Event> &out) {
    Event e;
    switch (m_opcode) {
    case Ping:
        e.kind = Event::Kind::Ping;
        e.data = m_control;
        break;
    case Pong:
        e.kind = Event::Kind::Pong;
        e.data = m_control;
        break;
    default: { // Close
        e.kind = Event::Kind::Close;
        // Without a code QWebSocket reports 1000, and so do we.
        e.closeCode = QWebSocketProtocol::CloseCodeNormal;
        if (m_control.size() == 1) {
            fail(out, QWebSocketProtocol::CloseCodeProtocolError,
                 QStringLiteral("close frame of 1 byte (a code takes 2)"));
            return false;
        }
        if (m_control.size() >= 2) {
            e.closeCode = qFromBigEndian<quint16>(m_control.constData());
            if (!closeCodeValid(e.closeCode)) {
                fail(out, QWebSocketProtocol::CloseCodeProtocolError,
                     QStringLiteral("invalid close code %1").arg(e.closeCode));
                return false;
            }
            const QByteArrayView reason = QByteArrayView(m_control).sliced(2);
            if (!validUtf8(reason)) {
                fail(out, QWebSocketProtocol::CloseCodeWrongDatatype,
                     QStringLiteral("close reason is not UTF-8"));
                return false;
            }
            e.text = QString::fromUtf8(reason);
        }
        m_finished = true;
        break;
    }
    }
    out.append(std::move(e));
    return !m_finished;
}

bool WebSocketReader::finishMessage(QList<Event> &out) {
    QByteArray message = std::exchange(m_message, QByteArray());
    message.truncate(m_used);
    const int op = std::exchange(m_messageOp, 0);
    m_used = 0;
    Event e;
    if (op == Text) {
        if (!validUtf8(message)) {
            fail(out, QWebSocketProtocol::CloseCodeWrongDatatype,
                 QStringLiteral("text message is not UTF-8"));
            return false;
        }
        e.kind = Event::Kind::Text;
    } else {
        e.kind = Event::Kind::Binary;
    }
    e.data = std::move(message);
    out.append(std::move(e));
    return true;
}

QList<WebSocketReader::Event> WebSocketReader::read(QIODevice *device) {
    QList<Event> out;
    while (!m_finished) {
        if (!m_inFrame && !readHeader(device, out))
            break;
        if (m_opcode >= Close) {
            if (m_left > 0) {
                const QByteArray part = device->read(qint64(m_left));
                if (part.isEmpty())
                    break;
                const qsizetype at = m_control.size();
                m_control.append(part);
                unmask(m_control.data() + at, part.size());
                m_left -= quint64(part.size());
                if (m_left > 0)
                    break;
            }
            m_inFrame = false;
            if (!deliverControl(out))
                break;
            continue;
        }
        while (m_left > 0) {
            const qint64 available = device->bytesAvailable();
            if (available <= 0)
                break;
            const qint64 chunk = qint64(std::min<quint64>(m_left, quint64(available)));
            reserveFor(m_used + qsizetype(chunk));
            const qint64 n = device->read(m_message.data() + m_used, chunk);
            if (n <= 0)
                break;
            unmask(m_message.data() + m_used, qsizetype(n));
            m_used += qsizetype(n);
            m_left -= quint64(n);
        }
        if (m_left > 0)
            break;
        m_inFrame = false;
        if (m_fin && !finishMessage(out))
            break;
    }
    return out;
}

} // namespace stdb
