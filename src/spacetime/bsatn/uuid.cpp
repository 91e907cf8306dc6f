// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/uuid.h"

#include "spacetime/hexdigit_p.h"

#include <QDebug>
#include <QRandomGenerator>

#include <cstring>

namespace stdb {

namespace {

// 32 hex digits, with hyphens at 8, 13, 18 and 23 when `hyphenated`.
bool parseDigits(QStringView s, bool hyphenated, Uuid::Bytes &out) {
    int nibble = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != u'-')
                return false;
            continue;
        }
        const int v = hexDigitValue(s[i]);
        if (v < 0)
            return false;
        quint8 &b = out[nibble / 2];
        b = quint8(nibble % 2 ? (b | v) : (v << 4));
        ++nibble;
    }
    return nibble == 32;
}

Uuid::Bytes randomBytes16() {
    Uuid::Bytes b;
    std::array<quint32, 4> words;
    QRandomGenerator::system()->fillRange(words.data(), int(words.size()));
    std::memcpy(b.data(), words.data(), b.size());
    return b;
}

} // namespace

Uuid Uuid::fromBytes(const Bytes &bytes) {
    // The u128 is the bytes read big-endian; BigInt keeps it little-endian.
    Bytes le;
    for (int i = 0; i < 16; ++i)
        le[i] = bytes[15 - i];
    return Uuid(U128::fromLittleEndian(le.data()));
}

Uuid::Bytes Uuid::toBytes() const {
    Bytes out;
    const auto &le = m_value.littleEndian();
    for (int i = 0; i < 16; ++i)
        out[i] = le[15 - i];
    return out;
}

Uuid Uuid::fromRandomBytesV4(Bytes randomBytes) {
    randomBytes[6] = quint8((randomBytes[6] & 0x0f) | 0x40);
    randomBytes[8] = quint8((randomBytes[8] & 0x3f) | 0x80);
    return fromBytes(randomBytes);
}

Expected<Uuid> Uuid::fromCounterV7(quint32 &counter, Timestamp now,
                                   const std::array<quint8, 4> &randomBytes) {
    if (now.micros() < 0)
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("a v7 UUID needs a time after the Unix epoch, not %1 µs")
                         .arg(now.micros()));
    const quint32 c = counter;
    counter = (c + 1) & 0x7fffffff;
    const quint64 ms = quint64(now.micros() / 1000) & 0xffffffffffffULL;
    Bytes b{};
    for (int i = 0; i < 6; ++i)
        b[i] = quint8(ms >> (40 - 8 * i));
    b[6] = 0x70;
    b[7] = quint8(c >> 23);
    b[8] = 0x80;
    b[9] = quint8(c >> 15);
    b[10] = quint8(c >> 7);
    b[11] = quint8((c & 0x7f) << 1);
    b[12] = quint8(randomBytes[0] & 0x7f);
    b[13] = randomBytes[1];
    b[14] = randomBytes[2];
    b[15] = randomBytes[3];
    return fromBytes(b);
}

Uuid Uuid::createV4() {
    return fromRandomBytesV4(randomBytes16());
}

Expected<Uuid> Uuid::createV7(quint32 &counter, Timestamp now) {
    const quint32 r = QRandomGenerator::system()->generate();
    return fromCounterV7(counter, now,
                         {quint8(r >> 24), quint8(r >> 16), quint8(r >> 8), quint8(r)});
}

Expected<Uuid> Uuid::fromString(QStringView text) {
    // The shapes of the uuid crate's try_parse, which the server's parse_str uses.
    Bytes bytes{};
    bool ok = false;
    if (text.size() == 32)
        ok = parseDigits(text, false, bytes);
    else if (text.size() == 36)
        ok = parseDigits(text, true, bytes);
    else if (text.size() == 38 && text.front() == u'{' && text.back() == u'}')
        ok = parseDigits(text.mid(1, 36), true, bytes);
    else if (text.size() == 45 && text.startsWith(u"urn:uuid:"))
        ok = parseDigits(text.mid(9), true, bytes);
    if (!ok) {
        const QString shown =
            text.size() > 64 ? text.left(64).toString() + QStringLiteral("…") : text.toString();
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("\"%1\" is not a UUID (expected 8-4-4-4-12 hex digits, 32 hex "
                                    "digits, {8-4-4-4-12} or urn:uuid:8-4-4-4-12)")
                         .arg(shown));
    }
    return fromBytes(bytes);
}

QString Uuid::toString() const {
    const QString h = m_value.toHex();
    return h.left(8) + u'-' + h.mid(8, 4) + u'-' + h.mid(12, 4) + u'-' + h.mid(16, 4) + u'-' +
           h.mid(20);
}

std::optional<Uuid::Version> Uuid::version() const {
    // As the uuid crate's get_version: nil and max by value, the others by their nibble.
    if (m_value.isZero())
        return Version::Nil;
    if (m_value == U128::max())
        return Version::Max;
    switch (toBytes()[6] >> 4) {
    case 4:
        return Version::V4;
    case 7:
        return Version::V7;
    default:
        return std::nullopt;
    }
}

Uuid::Variant Uuid::variant() const {
    const quint8 b = toBytes()[8];
    if ((b & 0x80) == 0)
        return Variant::Ncs;
    if ((b & 0xc0) == 0x80)
        return Variant::Rfc4122;
    if ((b & 0xe0) == 0xc0)
        return Variant::Microsoft;
    return Variant::Future;
}

quint32 Uuid::counterV7() const {
    const Bytes b = toBytes();
    return (quint32(b[7]) << 23) | (quint32(b[9]) << 15) | (quint32(b[10]) << 7) |
           (quint32(b[11]) >> 1);
}

QDebug operator<<(QDebug debug, const Uuid &id) {
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "stdb::Uuid(" << id.toString() << ')';
    return debug;
}

} // namespace stdb
