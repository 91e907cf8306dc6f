// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/expected.h"

#include <QMetaType>
#include <QString>

#include <array>
#include <compare>
#include <optional>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace stdb {

// A SpacetimeDB Uuid (crates/sats uuid.rs): the product {__uuid__: u128} whose u128 is the
// UUID read as one big-endian number. So the wire carries the 16 UUID bytes reversed (u128
// little-endian), the text is the u128's 32 hex digits as 8-4-4-4-12 in lower case, and the
// order is the u128's (which is also the byte order of the UUID, so v7 UUIDs sort by time).
class STDB_EXPORT Uuid {
public:
    // The versions SpacetimeDB makes and names (sats uuid::Version); version() gives nullopt
    // for every other version nibble.
    enum class Version : quint8 { Nil = 0, V4 = 4, V7 = 7, Max = 0xff };
    // RFC 9562 section 4.1, from the top bits of byte 8.
    enum class Variant : quint8 { Ncs, Rfc4122, Microsoft, Future };

    using Bytes = std::array<quint8, 16>;

    // The nil UUID (all zeros).
    Uuid() = default;
    explicit Uuid(const U128 &value)
        : m_value(value) {}

    static Uuid nil() { return {}; }
    // All ones: ffffffff-ffff-ffff-ffff-ffffffffffff.
    static Uuid max() { return Uuid(U128::max()); }
    // The 16 bytes in UUID (RFC 9562, big-endian) order.
    static Uuid fromBytes(const Bytes &bytes);
    // A v4 UUID from 16 random bytes: only the version and variant bits are set (sats
    // Uuid::from_random_bytes_v4).
    static Uuid fromRandomBytesV4(Bytes randomBytes);
    // A v7 UUID (sats Uuid::from_counter_v7): 48 bits of Unix milliseconds, the 31-bit
    // `counter` (then advanced, wrapping at 2^31) and 31 random bits. Times before the epoch
    // have no v7 UUID: an InvalidArgument error, and the counter stays as it was.
    static Expected<Uuid> fromCounterV7(quint32 &counter, Timestamp now,
                                        const std::array<quint8, 4> &randomBytes);
    // The same with bytes from the system's secure random source.
    static Uuid createV4();
    static Expected<Uuid> createV7(quint32 &counter, Timestamp now = Timestamp::now());

    // What the server's Uuid::parse_str reads: 32 hex digits, or 8-4-4-4-12 alone, in braces
    // or after "urn:uuid:"; hex digits in either case. Anything else is an InvalidArgument
    // error naming the text.
    static Expected<Uuid> fromString(QStringView text);

    const U128 &value() const { return m_value; }
    Bytes toBytes() const;
    // 8-4-4-4-12 lower-case hex, as SpacetimeDB and the official SDKs write it.
    QString toString() const;
    bool isNil() const { return m_value.isZero(); }
    std::optional<Version> version() const;
    Variant variant() const;
    // The monotonic counter of a v7 UUID made by fromCounterV7 (meaningless for others).
    quint32 counterV7() const;

    bool operator==(const Uuid &) const = default;
    std::strong_ordering operator<=>(const Uuid &o) const { return m_value <=> o.m_value; }

private:
    U128 m_value;
};

inline size_t qHash(const Uuid &id, size_t seed = 0) {
    return qHash(id.value(), seed);
}

STDB_EXPORT QDebug operator<<(QDebug debug, const Uuid &id);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::Uuid)
