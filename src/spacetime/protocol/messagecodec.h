// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/compression.h"
#include "spacetime/expected.h"
#include "spacetime/protocol/messages.h"

namespace stdb::protocol {

// ---- client messages: plain BSATN, no compression tag -----------------------------------

STDB_EXPORT QByteArray encodeClientMessage(const ClientMessage &m);
// Exactly one message; trailing bytes are an error.
STDB_EXPORT Expected<ClientMessage> decodeClientMessage(QByteArrayView payload);
// One message read from the start of payload; what follows is ignored (its length in
// *trailing). The real server reads a v2 client frame this way (`bsatn::from_slice`,
// crates/core/src/client/message_handlers_v2.rs), so a server that must accept what it
// accepts uses this.
STDB_EXPORT Expected<ClientMessage> decodeClientMessagePrefix(QByteArrayView payload,
                                                              qsizetype *trailing = nullptr);
// v3 framing: one or more messages back to back in one payload.
STDB_EXPORT QByteArray encodeClientMessagesV3(const QList<ClientMessage> &messages);
STDB_EXPORT Expected<QList<ClientMessage>> decodeClientMessagesV3(QByteArrayView payload);

// ---- server messages --------------------------------------------------------------------

// The BSATN body of one message (no compression tag).
STDB_EXPORT QByteArray encodeServerMessage(const ServerMessage &m);
// Decodes one message body. Row lists in the result share `body` (no copies of row bytes).
// Trailing bytes are an error.
STDB_EXPORT Expected<ServerMessage> decodeServerMessage(const QByteArray &body);
// v3: one or more messages back to back; an empty body is an error.
STDB_EXPORT Expected<QList<ServerMessage>> decodeServerMessagesV3(const QByteArray &body);

// A whole server WebSocket payload: [compression tag][body]. Compresses only when the body is
// larger than `threshold` bytes, as the server does.
inline constexpr qsizetype kCompressionThreshold = 1024;
STDB_EXPORT QByteArray encodeServerFrame(QByteArrayView body, Compression c,
                                         qsizetype threshold = kCompressionThreshold);

struct STDB_EXPORT FrameDecodeOptions {
    qsizetype maxDecompressedSize = kDefaultMaxDecompressedSize;
};

// Strips the tag and decompresses; the result is the BSATN body (one message for v2, one or
// more for v3). Errors: empty payload, unknown tag, corrupt stream, size above the cap.
// `tag`, if given, receives the frame's compression tag.
STDB_EXPORT Expected<QByteArray> unwrapServerFrame(const QByteArray &frame,
                                                   const FrameDecodeOptions &opts = {},
                                                   Compression *tag = nullptr);

// unwrap + decode one v2 message.
STDB_EXPORT Expected<ServerMessage> decodeServerFrame(const QByteArray &frame,
                                                      const FrameDecodeOptions &opts = {});
// unwrap + decode a v3 frame: one or more messages; an empty body is an error.
STDB_EXPORT Expected<QList<ServerMessage>> decodeServerFrameV3(const QByteArray &frame,
                                                               const FrameDecodeOptions &opts = {});

} // namespace stdb::protocol
