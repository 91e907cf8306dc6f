// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/bsatn/utf8.h"
#include "spacetime/bsatn/uuid.h"
#include "spacetime/error.h"

#include <QByteArrayView>
#include <QString>
#include <QSysInfo>
#include <QtEndian>

#include <cstring>

namespace stdb {

// Bounds-checked BSATN reader over a borrowed byte range.
//
// Errors are sticky: the first failure records a message and the byte offset, and every later
// read returns a default value without touching memory. Callers decode a whole structure and
// check ok() once, which keeps decoders short and the hot path branch-light.
class STDB_EXPORT BsatnReader {
public:
    explicit BsatnReader(QByteArrayView data, qsizetype baseOffset = 0)
        : m_data(data)
        , m_base(baseOffset) {}

    bool ok() const { return !m_error.isError(); }
    const Error &error() const { return m_error; }
    // Offset of the next byte, counted from the start of the outermost input.
    qsizetype position() const { return m_base + m_pos; }
    qsizetype localPosition() const { return m_pos; }
    qsizetype remaining() const { return ok() ? m_data.size() - m_pos : 0; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    QByteArrayView data() const { return m_data; }

    // Record a failure at the current position (first one wins).
    void fail(const QString &what) { failAt(m_pos, what); }
    void failAt(qsizetype localOffset, const QString &what) {
        if (ok())
            m_error = Error::decode(what, m_base + localOffset);
        m_pos = m_data.size();
    }
    // Fails if anything is left ("trailing bytes after <what>").
    bool expectEnd(const char *what);

    bool readBool() {
        const quint8 b = readU8();
        if (b > 1) {
            failAt(m_pos - 1, QStringLiteral("invalid bool 0x%1").arg(b, 2, 16, QLatin1Char('0')));
            return false;
        }
        return b == 1;
    }
    quint8 readU8() {
        if (!need(1, "u8"))
            return 0;
        return quint8(m_data[m_pos++]);
    }
    qint8 readI8() { return qint8(readU8()); }
    quint16 readU16() { return readLe<quint16>("u16"); }
    qint16 readI16() { return qint16(readLe<quint16>("i16")); }
    quint32 readU32() { return readLe<quint32>("u32"); }
    qint32 readI32() { return qint32(readLe<quint32>("i32")); }
    quint64 readU64() { return readLe<quint64>("u64"); }
    qint64 readI64() { return qint64(readLe<quint64>("i64")); }
    float readF32() {
        const quint32 bits = readU32();
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
    double readF64() {
        const quint64 bits = readU64();
        double d;
        std::memcpy(&d, &bits, 8);
        return d;
    }
    template <int Bytes, bool Signed>
    BigInt<Bytes, Signed> readBigInt() {
        if (!need(Bytes, Bytes == 16 ? (Signed ? "i128" : "u128") : (Signed ? "i256" : "u256")))
            return {};
        auto v = BigInt<Bytes, Signed>::fromLittleEndian(
            reinterpret_cast<const quint8 *>(m_data.data() + m_pos));
        m_pos += Bytes;
        return v;
    }
    U128 readU128() { return readBigInt<16, false>(); }
    I128 readI128() { return readBigInt<16, true>(); }
    U256 readU256() { return readBigInt<32, false>(); }
    I256 readI256() { return readBigInt<32, true>(); }

    Identity readIdentity() { return Identity(readU256()); }
    ConnectionId readConnectionId() { return ConnectionId(readU128()); }
    Timestamp readTimestamp() { return Timestamp::fromMicros(readI64()); }
    TimeDuration readTimeDuration() { return TimeDuration::fromMicros(readI64()); }
    Uuid readUuid() { return Uuid(readU128()); }

    // Exactly n raw bytes, as a view into the input.
    QByteArrayView readRaw(qsizetype n, const char *what = "bytes") {
        if (!need(n, what))
            return {};
        QByteArrayView v = m_data.sliced(m_pos, n);
        m_pos += n;
        return v;
    }
    // u32 length + bytes, as a view into the input (no copy).
    QByteArrayView readBytesView() {
        const qsizetype start = m_pos;
        const quint32 len = readU32();
        if (!ok())
            return {};
        if (qsizetype(len) > m_data.size() - m_pos) {
            failAt(start, QStringLiteral("byte array length %1 exceeds the %2 bytes left")
                              .arg(len)
                              .arg(m_data.size() - m_pos));
            return {};
        }
        return readRaw(len);
    }
    QByteArray readBytes() { return readBytesView().toByteArray(); }
    // u32 length + UTF-8, validated; a view into the input.
    QByteArrayView readStringUtf8() {
        const qsizetype start = m_pos;
        const quint32 len = readU32();
        if (!ok())
            return {};
        if (qsizetype(len) > m_data.size() - m_pos) {
            failAt(start, QStringLiteral("string length %1 exceeds the %2 bytes left")
                              .arg(len)
                              .arg(m_data.size() - m_pos));
            return {};
        }
        QByteArrayView v = m_data.sliced(m_pos, len);
        if (!isValidUtf8(v)) {
            failAt(m_pos, QStringLiteral("string is not valid UTF-8"));
            return {};
        }
        m_pos += len;
        return v;
    }
    QString readString() {
        QString s;
        readStringInto(s);
        return s;
    }
    // The same into an existing string, reusing its buffer when it can (see utf8ToString):
    // decoding many rows into one value then allocates nothing per string.
    void readStringInto(QString &out);

    // u32 element count of an array whose elements take at least minElementSize bytes each;
    // a count that cannot fit in what is left fails here, before anyone allocates for it.
    quint32 readArrayLength(qsizetype minElementSize = 1) {
        const qsizetype start = m_pos;
        const quint32 n = readU32();
        if (ok() && minElementSize > 0 && qint64(n) * minElementSize > m_data.size() - m_pos) {
            failAt(start, QStringLiteral("array length %1 exceeds the %2 bytes left")
                              .arg(n)
                              .arg(m_data.size() - m_pos));
            return 0;
        }
        return ok() ? n : 0;
    }
    // A sum tag that must be < variantCount.
    quint8 readTag(int variantCount, const char *typeName) {
        const quint8 tag = readU8();
        if (ok() && tag >= variantCount) {
            failAt(m_pos - 1, QStringLiteral("unknown tag 0x%1 for sum type %2")
                                  .arg(tag, 2, 16, QLatin1Char('0'))
                                  .arg(QLatin1String(typeName)));
            return 0;
        }
        return tag;
    }
    // Option: tag 0 = Some, tag 1 = None. Returns true when a value follows.
    bool readOptionTag(const char *typeName = "Option") {
        return ok() && readTag(2, typeName) == 0 && ok();
    }

private:
    // Inlined fast path; the message formatting lives out of line so every read stays small.
    bool need(qsizetype n, const char *what) {
        if (Q_LIKELY(ok() && quint64(n) <= quint64(m_data.size() - m_pos)))
            return true;
        failShort(n, what);
        return false;
    }
    Q_DECL_COLD_FUNCTION void failShort(qsizetype n, const char *what);
    template <typename T>
    T readLe(const char *what) {
        if (!need(sizeof(T), what))
            return 0;
        T v;
        std::memcpy(&v, m_data.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        if constexpr (QSysInfo::ByteOrder == QSysInfo::BigEndian)
            v = qFromLittleEndian(v);
        return v;
    }

    QByteArrayView m_data;
    qsizetype m_base = 0;
    qsizetype m_pos = 0;
    Error m_error;
};

} // namespace stdb
