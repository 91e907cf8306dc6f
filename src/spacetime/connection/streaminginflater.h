// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/compression.h"
#include "spacetime/expected.h"

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace stdb {

// Inflates one large compressed server message on a thread of its own while its frames are
// still arriving. The I/O thread is busy reading and reassembling them, so inflating there
// would only follow the reassembly; here it overlaps it (docs/PERFORMANCE.md, section 3).
// feed() queues a frame's bytes (implicitly shared, nothing copied) and returns at once;
// finish() waits for the rest and gives what decompress() would give for the whole body.
// Destroying it before finish() drops what is queued and stops the thread.
class StreamingInflater {
public:
    StreamingInflater(Compression c, qsizetype maxSize);
    ~StreamingInflater();
    StreamingInflater(const StreamingInflater &) = delete;
    StreamingInflater &operator=(const StreamingInflater &) = delete;

    // `offset` skips the front of `bytes` (the compression tag of the first frame).
    void feed(const QByteArray &bytes, qsizetype offset = 0);
    Expected<QByteArray> finish();

private:
    struct Piece {
        QByteArray bytes;
        qsizetype offset = 0;
    };
    void run();

    Decompressor m_decompressor;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Piece> m_queue;
    bool m_end = false; // no more pieces: finish the stream
    // Stop now, the result is not wanted; read between pieces too, so a close does not wait
    // for a long queue to be inflated.
    std::atomic<bool> m_abort = false;
    std::thread m_thread; // last: started once everything above exists
};

} // namespace stdb
