// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"

#include <QMetaType>

namespace stdb {

// A SpacetimeDB identity: a u256, little-endian on the wire, shown as 64 big-endian hex digits
// (so the hex string is the wire bytes reversed).
class STDB_EXPORT Identity {
public:
    Identity() = default;
    explicit Identity(const U256 &value)
        : m_value(value) {}

    static Identity fromWireBytes(QByteArrayView le32);
    // 64 hex digits, optional 0x prefix. Returns a zero identity and *ok=false otherwise.
    static Identity fromHex(QStringView hex, bool *ok = nullptr);

    const U256 &value() const { return m_value; }
    QByteArray toWireBytes() const;
    QString toHex() const { return m_value.toHex(); }
    // The abbreviated form UIs show: the first 16 hex digits.
    QString toShortHex() const { return toHex().left(16); }
    bool isZero() const { return m_value.isZero(); }

    bool operator==(const Identity &) const = default;
    auto operator<=>(const Identity &o) const { return m_value <=> o.m_value; }

private:
    U256 m_value;
};

inline size_t qHash(const Identity &id, size_t seed = 0) {
    return qHash(id.value(), seed);
}

} // namespace stdb

Q_DECLARE_METATYPE(stdb::Identity)
