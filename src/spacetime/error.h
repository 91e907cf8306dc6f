// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QMetaType>
#include <QString>

namespace stdb {

// One error type for the whole SDK: decode failures carry the byte offset where they happened,
// everything else a human-readable message. Never thrown; returned or emitted.
class STDB_EXPORT Error {
public:
    enum class Kind {
        None,
        Decode,          // malformed BSATN / protocol bytes
        Compression,     // bad tag, corrupt stream, size cap exceeded
        Protocol,        // well-formed but not allowed (unexpected message, bad subprotocol)
        InvalidArgument, // caller passed something unusable (bad URL, too-large message)
        Network,         // socket / TLS / HTTP failure
        Server,          // the server said no (HTTP status, close code, subscription error)
        Disconnected,    // the operation could not complete because the connection ended
        Internal,
    };

    Error() = default;
    Error(Kind kind, QString message, qint64 offset = -1)
        : m_kind(kind)
        , m_message(std::move(message))
        , m_offset(offset) {}

    static Error decode(QString message, qint64 offset) {
        return {Kind::Decode, std::move(message), offset};
    }

    bool isError() const { return m_kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    Kind kind() const { return m_kind; }
    const QString &message() const { return m_message; }
    // Byte offset into the input where decoding failed, or -1.
    qint64 offset() const { return m_offset; }

    // "message (at byte N)" for decode errors, the message otherwise.
    QString toString() const;

    bool operator==(const Error &) const = default;

private:
    Kind m_kind = Kind::None;
    QString m_message;
    qint64 m_offset = -1;
};

STDB_EXPORT QString kindName(Error::Kind kind);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::Error)
