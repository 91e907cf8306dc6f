// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/clientcache.h"
#include "spacetime/connection/frametiming.h"
#include "spacetime/expected.h"
#include "spacetime/protocol/messagecodec.h"

#include <QMetaType>

#include <memory>

namespace stdb {

// The server messages carried by one WebSocket message (one for v2, one or more for v3).
struct STDB_EXPORT DecodedFrame {
    QList<protocol::ServerMessage> messages;
    // Parallel to messages: the cache tables built ahead for a large SubscribeApplied, or null.
    QList<std::shared_ptr<PreparedSnapshot>> prepared;
    qsizetype wireBytes = 0;
    FrameTiming timing; // decode() stamps decompressed/decoded, the caller the rest
};

// Unwraps, decompresses and decodes server frames; SocketWorker runs it on the connection's
// I/O thread, and benchmarks and fuzzers call it directly.
class STDB_EXPORT FrameDecoder {
public:
    static Expected<DecodedFrame> decode(const QByteArray &frame, bool v3,
                                         const protocol::FrameDecodeOptions &options);
    // The same for a compressed frame of `wireBytes` whose body (tag `c`) was inflated already
    // (StreamingInflater).
    static Expected<DecodedFrame> decodeInflated(const QByteArray &body, Compression c,
                                                 qsizetype wireBytes, bool v3);

    // Builds the cache tables of every SubscribeApplied in `frame` with at least
    // kPrepareMinRows rows for one table, so the owner thread only has to adopt them.
    static void prepare(DecodedFrame &frame, const CacheLayout &layout);
    static constexpr qsizetype kPrepareMinRows = 4096;
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::DecodedFrame)
