// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/compression.h"

#include <QMetaType>

#include <chrono>

namespace stdb {

// Where one received WebSocket message spent its time, for benchmarks and diagnostics
// (DbConnection::frameProcessed). Every point is std::chrono::steady_clock in nanoseconds
// (CLOCK_MONOTONIC on Linux, so comparable with another process's stamps on the same
// machine). The I/O thread stamps all but the last two; the owner thread those.
struct STDB_EXPORT FrameTiming {
    qint64 firstBytesNs = 0;   // the first bytes of the message were read from the socket
    qint64 reassembledNs = 0;  // the whole message was read (its last frame)
    qint64 decompressedNs = 0; // body inflated (equals reassembledNs without compression)
    qint64 decodedNs = 0;      // messages decoded from the body
    qint64 preparedNs = 0;     // cache tables of a large snapshot built (equals decodedNs if none)
    qint64 handedOverNs = 0;   // the owner thread took the decoded messages
    qint64 processedNs = 0;    // the owner thread applied them and reported the changes
    qsizetype wireBytes = 0;   // the WebSocket message, compression tag included
    qsizetype bodyBytes = 0;   // after decompression
    Compression compression = Compression::None;

    static qint64 nowNs() {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::FrameTiming)
