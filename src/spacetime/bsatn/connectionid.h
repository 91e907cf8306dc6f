// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"

#include <QMetaType>

namespace stdb {

// The id of one WebSocket/HTTP connection: a u128, shown as 32 big-endian hex digits.
// All zeros means "none".
class STDB_EXPORT ConnectionId {
public:
    ConnectionId() = default;
    explicit ConnectionId(const U128 &value)
        : m_value(value) {}

    static ConnectionId fromHex(QStringView hex, bool *ok = nullptr);
    static ConnectionId random();

    const U128 &value() const { return m_value; }
    QString toHex() const { return m_value.toHex(); }
    bool isZero() const { return m_value.isZero(); }

    bool operator==(const ConnectionId &) const = default;
    auto operator<=>(const ConnectionId &o) const { return m_value <=> o.m_value; }

private:
    U128 m_value;
};

inline size_t qHash(const ConnectionId &id, size_t seed = 0) {
    return qHash(id.value(), seed);
}

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ConnectionId)
