// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/streaminginflater.h"

namespace stdb {

namespace {
// A fragmented message is at least a few frames long; start its output at a size that spares
// the first doublings (the buffer is offered for huge pages from 2 MiB up).
constexpr qsizetype kInitialOutput = qsizetype(4) << 20;
} // namespace

StreamingInflater::StreamingInflater(Compression c, qsizetype maxSize)
    : m_decompressor(c, maxSize, kInitialOutput)
    , m_thread([this] { run(); }) {}

StreamingInflater::~StreamingInflater() {
    {
        const std::lock_guard lock(m_mutex);
        m_abort = true;
        m_queue.clear();
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void StreamingInflater::feed(const QByteArray &bytes, qsizetype offset) {
    if (bytes.size() <= offset)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_queue.push_back({bytes, offset});
    }
    m_wake.notify_one();
}

Expected<QByteArray> StreamingInflater::finish() {
    {
        const std::lock_guard lock(m_mutex);
        m_end = true;
    }
    m_wake.notify_one();
    m_thread.join(); // what the thread did happens before what follows
    return m_decompressor.finish();
}

void StreamingInflater::run() {
    std::deque<Piece> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_abort || m_end || !m_queue.empty(); });
            if (m_abort)
                return;
            if (m_queue.empty())
                return; // m_end with nothing left: finish() takes over
            batch.swap(m_queue);
        }
        for (const Piece &p : batch) {
            if (m_abort.load(std::memory_order_relaxed))
                return;
            m_decompressor.feed(QByteArrayView(p.bytes).sliced(p.offset));
        }
        batch.clear();
    }
}

} // namespace stdb
