// SPDX-License-Identifier: Apache-2.0
#include "fragmentedsender.h"

#include <QTcpSocket>
#include <QtEndian>

#include <cstring>

namespace stdb::bench {

namespace {
// Bytes queued in the socket beyond which the next frames wait for bytesWritten(): enough to
// keep the kernel's send buffer full, small enough that the write buffer's chunks are reused.
constexpr qint64 kHighWater = 1 << 20;
} // namespace

FragmentedSender::FragmentedSender(QTcpSocket *socket, qsizetype frameSize, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_frameSize(qMax<qsizetype>(1, frameSize)) {
    m_scratch.reserve(m_frameSize + 10);
    connect(socket, &QTcpSocket::bytesWritten, this, &FragmentedSender::pump);
}

void FragmentedSender::send(const QList<QByteArray> &parts, std::function<void()> sent,
                            std::function<void()> flushed) {
    Pending p;
    p.parts = parts;
    for (const QByteArray &b : parts)
        p.left += b.size();
    p.sent = std::move(sent);
    p.flushed = std::move(flushed);
    m_queue.append(std::move(p));
    pump();
}

void FragmentedSender::pump() {
    if (!m_socket)
        return;
    while (!m_queue.isEmpty() && m_socket->bytesToWrite() < kHighWater) {
        Pending &p = m_queue.first();
        const qsizetype n = qMin(m_frameSize, p.left);
        const bool fin = n == p.left;
        // FIN, opcode: binary for the first frame, continuation after; no mask bit.
        const uchar opcode = p.started ? 0x0 : 0x2;
        uchar header[10];
        qsizetype headerSize = 2;
        header[0] = uchar((fin ? 0x80 : 0x00) | opcode);
        if (n < 126) {
            header[1] = uchar(n);
        } else if (n <= 0xFFFF) {
            header[1] = 126;
            qToBigEndian(quint16(n), header + 2);
            headerSize = 4;
        } else {
            header[1] = 127;
            qToBigEndian(quint64(n), header + 2);
            headerSize = 10;
        }
        // Header and payload in one write, so they leave together.
        m_scratch.resize(headerSize + n);
        std::memcpy(m_scratch.data(), header, size_t(headerSize));
        for (qsizetype copied = 0; copied < n;) {
            const QByteArray &part = p.parts.at(p.part);
            const qsizetype take = qMin(n - copied, part.size() - p.offset);
            std::memcpy(m_scratch.data() + headerSize + copied, part.constData() + p.offset,
                        size_t(take));
            copied += take;
            p.offset += take;
            if (p.offset == part.size()) {
                ++p.part;
                p.offset = 0;
            }
        }
        m_socket->write(m_scratch);
        p.started = true;
        p.left -= n;
        if (fin) {
            Pending done = m_queue.takeFirst();
            if (done.sent)
                done.sent();
            if (done.flushed)
                m_awaitingFlush.append(std::move(done.flushed));
        }
    }
    if (m_socket->bytesToWrite() == 0 && !m_awaitingFlush.isEmpty()) {
        const auto callbacks = std::exchange(m_awaitingFlush, {});
        for (const auto &f : callbacks)
            f();
    }
}

} // namespace stdb::bench
