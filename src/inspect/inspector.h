// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "inspect/messagejson.h"

#include <QByteArray>
#include <QJsonValue>

namespace inspect {

// Whole WebSocket payloads <-> the JSON that `spacetime-inspect` prints (docs/inspect.md).
//
//   client, v2: {"Subscribe": {…}}                   client, v3: {"messages": [{…}, …]}
//   server, v2: {"compression": "none", "message": {…}}
//   server, v3: {"compression": "gzip", "messages": [{…}, …]}
//
// Encoding a server payload compresses with the named method regardless of size (unlike the
// server's 1024-byte threshold), so a decoded compressed frame re-encodes to the same bytes.
class Inspector {
public:
    explicit Inspector(const stdb::ModuleSchema *schema = nullptr, bool v3 = false)
        : m_json(schema)
        , m_v3(v3) {}

    // Errors carry the byte offset into the payload (for compressed frames: into the
    // decompressed body, and the message says so).
    stdb::Expected<QJsonValue> decodeClient(const QByteArray &payload) const;
    stdb::Expected<QJsonValue> decodeServer(const QByteArray &payload) const;
    // The JSON's shape decides v2 or v3 ("messages" = v3), so --v3 is not needed to encode.
    stdb::Expected<QByteArray> encodeClient(const QJsonValue &json) const;
    stdb::Expected<QByteArray> encodeServer(const QJsonValue &json) const;

    // Hex text (whitespace ignored, optional 0x prefix) -> bytes; the error names the
    // character offset of the first bad digit.
    static stdb::Expected<QByteArray> parseHex(QByteArrayView text);

    const MessageJson &messageJson() const { return m_json; }

private:
    MessageJson m_json;
    bool m_v3 = false;
};

} // namespace inspect
