// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/compression.h"
#include "spacetime/connection/clock.h"
#include "spacetime/connection/reconnectpolicy.h"
#include "spacetime/connection/serveruri.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

#include <chrono>
#include <optional>

namespace stdb {

enum class ProtocolVersion {
    V2, // v2.bsatn.spacetimedb: one message per WebSocket message
    V3, // offers v3.bsatn.spacetimedb (batched server messages) and falls back to v2
};

// Everything a DbConnection needs, validated by DbConnectionBuilder (build() or options()).
struct STDB_EXPORT ConnectionOptions {
    ServerUri uri;
    QString databaseName;
    QString token; // empty: connect anonymously and adopt the token the server mints
    // Brotli: the server's own default and the Rust and C# SDKs'; cheaper than gzip at both ends
    // (docs/PERFORMANCE.md, section 3).
    Compression compression = Compression::Brotli;
    std::optional<bool> confirmedReads; // unset: the server default (true)
    // Sends light=true. Only the retired v1 protocol acts on it (others' transaction updates
    // without their reducer's details); v2 and v3 updates never carry those, so the server
    // ignores it there. Kept for parity with the official C# and TypeScript SDKs.
    bool lightMode = false;
    ProtocolVersion protocol = ProtocolVersion::V2;
    // Proposal, off by default: the SDK reads the server's WebSocket frames itself once
    // QWebSocket's handshake is done (WebSocketReader), into message buffers offered for huge
    // pages, instead of QWebSocket reassembling every message in its own doubling buffer
    // (docs/sdk.md, "Threading"). Off: QWebSocket reads and reassembles.
    bool ownFrameReader = false;
    ReconnectPolicy reconnect;
    qsizetype maxDecompressedSize = kDefaultMaxDecompressedSize;
    // Nothing received for idleTimeout -> ping; nothing for another pingTimeout -> lost.
    std::chrono::milliseconds idleTimeout{30000};
    std::chrono::milliseconds pingTimeout{30000};
    // From opening the socket to InitialConnection.
    std::chrono::milliseconds connectTimeout{20000};
    // Certificates trusted in addition to the system CAs (e.g. a self-signed development host).
    QList<QSslCertificate> trustedCertificates;
    // The connect timeout, the reconnect delays and the stable-session reset run on this clock
    // (null: the real one); it must outlive the connection. The keep-alive runs on the real
    // clock, on the connection's I/O thread.
    Clock *clock = nullptr;
};

} // namespace stdb
