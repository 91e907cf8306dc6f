// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/bsatn/uuid.h"

#include <QByteArray>
#include <QString>

#include <concepts>
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>

namespace stdb {

// One end of a range over an index column: a value included or excluded, or no end.
template <typename T>
class Bound {
public:
    enum class Kind { Unbounded, Included, Excluded };
    static Bound included(T value) { return Bound(Kind::Included, std::move(value)); }
    static Bound excluded(T value) { return Bound(Kind::Excluded, std::move(value)); }
    static Bound unbounded() { return Bound(Kind::Unbounded, T{}); }
    Kind kind() const { return m_kind; }
    const T &value() const { return m_value; }

private:
    Bound(Kind k, T v)
        : m_kind(k)
        , m_value(std::move(v)) {}
    Kind m_kind;
    T m_value;
};

// Keys of the cache's ordered (btree) indexes: every column's value encoded so that comparing
// the bytes (unsigned, lexicographically) orders the rows as the values order, and so that no
// column's encoding is a prefix of another value's: a prefix of the index columns is then a byte
// prefix of the key, and a range on the next column is a byte range. Integers are big-endian
// with the sign bit flipped; floats by their IEEE bits (negative ones inverted); strings and
// bytes escape 0x00 as 00 FF and end with 00 00. Columns of other types use their BSATN (also
// self-delimiting): equal values still have equal keys, so equality and prefix lookups work,
// but their order is not the values' order, and the generator offers no range on them.
namespace orderkey {

template <std::unsigned_integral T>
void append(QByteArray &out, T v) {
    for (int shift = int(sizeof(T) * 8) - 8; shift >= 0; shift -= 8)
        out.append(char(quint8(v >> shift)));
}
template <std::signed_integral T>
void append(QByteArray &out, T v) {
    using U = std::make_unsigned_t<T>;
    append(out, U(U(v) ^ (U(1) << (sizeof(T) * 8 - 1))));
}
inline void append(QByteArray &out, bool v) {
    out.append(v ? '\1' : '\0');
}
inline void append(QByteArray &out, double v) {
    quint64 bits;
    std::memcpy(&bits, &v, sizeof bits);
    append(out, (bits >> 63) ? ~bits : (bits | (quint64(1) << 63)));
}
inline void append(QByteArray &out, float v) {
    quint32 bits;
    std::memcpy(&bits, &v, sizeof bits);
    append(out, (bits >> 31) ? ~bits : (bits | (quint32(1) << 31)));
}
inline void appendEscaped(QByteArray &out, QByteArrayView bytes) {
    for (char c : bytes) {
        out.append(c);
        if (c == '\0')
            out.append('\xff');
    }
    out.append('\0');
    out.append('\0');
}
inline void append(QByteArray &out, const QByteArray &v) {
    appendEscaped(out, v);
}
// UTF-8 byte order is code point order, as Rust compares Strings.
inline void append(QByteArray &out, const QString &v) {
    appendEscaped(out, v.toUtf8());
}
template <int Bytes, bool Signed>
void append(QByteArray &out, const BigInt<Bytes, Signed> &v) {
    const auto &le = v.littleEndian();
    for (int i = Bytes - 1; i >= 0; --i)
        out.append(char(Signed && i == Bytes - 1 ? quint8(le[i] ^ 0x80) : le[i]));
}
inline void append(QByteArray &out, const Identity &v) {
    append(out, v.value());
}
inline void append(QByteArray &out, const ConnectionId &v) {
    append(out, v.value());
}
// The u128's order, which is the order of the UUID's bytes (and of the server's comparisons).
inline void append(QByteArray &out, const Uuid &v) {
    append(out, v.value());
}
inline void append(QByteArray &out, Timestamp v) {
    append(out, v.micros());
}
inline void append(QByteArray &out, TimeDuration v) {
    append(out, v.micros());
}
// Generated plain enums: their tag, the variant's index.
template <typename E>
requires std::is_enum_v<E>
void append(QByteArray &out, E v) {
    append(out, std::underlying_type_t<E>(v));
}

// The least key greater than every key that starts with `prefix`; empty when there is none
// (all 0xFF): "to the end".
STDB_EXPORT QByteArray successor(QByteArray prefix);

// append() as a function object, for span().
struct Append {
    template <typename T>
    void operator()(QByteArray &out, const T &v) const {
        append(out, v);
    }
};

// The half-open key span [first, second) of the rows whose index columns start with `prefix`
// (the encoded equal columns) and whose next column lies within (lower, upper), given how to
// encode that column. An empty second means "to the end"; nullopt: no key can be in it.
template <typename T, typename Encode = Append>
std::optional<std::pair<QByteArray, QByteArray>>
span(const QByteArray &prefix, const Bound<T> &lower, const Bound<T> &upper, Encode &&encode = {}) {
    using K = typename Bound<T>::Kind;
    QByteArray from = prefix;
    if (lower.kind() != K::Unbounded) {
        encode(from, lower.value());
        if (lower.kind() == K::Excluded) {
            from = successor(from);
            if (from.isEmpty())
                return std::nullopt; // nothing is greater
        }
    }
    QByteArray to = prefix;
    if (upper.kind() != K::Unbounded) {
        encode(to, upper.value());
        if (upper.kind() == K::Included)
            to = successor(to);
    } else {
        to = successor(to);
    }
    return std::make_pair(std::move(from), std::move(to));
}

} // namespace orderkey
} // namespace stdb
