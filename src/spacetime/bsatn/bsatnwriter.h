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
#include <QSysInfo>
#include <QtEndian>

#include <cstring>

namespace stdb {

// Appends BSATN to a byte buffer. Writing cannot fail except for lengths above u32, which
// the caller must rule out first (messages are capped far below that).
class STDB_EXPORT BsatnWriter {
public:
    BsatnWriter() = default;
    explicit BsatnWriter(qsizetype reserve) { m_buf.reserve(reserve); }

    const QByteArray &buffer() const { return m_buf; }
    QByteArray take() { return std::exchange(m_buf, {}); }
    qsizetype size() const { return m_buf.size(); }

    void writeBool(bool v) { writeU8(v ? 1 : 0); }
    void writeU8(quint8 v) { m_buf.append(char(v)); }
    void writeI8(qint8 v) { writeU8(quint8(v)); }
    void writeU16(quint16 v) { writeLe(v); }
    void writeI16(qint16 v) { writeLe(quint16(v)); }
    void writeU32(quint32 v) { writeLe(v); }
    void writeI32(qint32 v) { writeLe(quint32(v)); }
    void writeU64(quint64 v) { writeLe(v); }
    void writeI64(qint64 v) { writeLe(quint64(v)); }
    void writeF32(float v) {
        quint32 bits;
        std::memcpy(&bits, &v, 4);
        writeU32(bits);
    }
    void writeF64(double v) {
        quint64 bits;
        std::memcpy(&bits, &v, 8);
        writeU64(bits);
    }
    template <int Bytes, bool Signed>
    void writeBigInt(const BigInt<Bytes, Signed> &v) {
        m_buf.append(reinterpret_cast<const char *>(v.littleEndian().data()), Bytes);
    }
    void writeIdentity(const Identity &id) { writeBigInt(id.value()); }
    void writeConnectionId(const ConnectionId &id) { writeBigInt(id.value()); }
    void writeTimestamp(Timestamp t) { writeI64(t.micros()); }
    void writeTimeDuration(TimeDuration d) { writeI64(d.micros()); }
    void writeUuid(const Uuid &u) { writeBigInt(u.value()); }

    void writeRaw(QByteArrayView bytes) { m_buf.append(bytes.data(), bytes.size()); }
    // u32 length + bytes
    void writeBytes(QByteArrayView bytes) {
        writeU32(quint32(bytes.size()));
        writeRaw(bytes);
    }
    // u32 length + UTF-8
    void writeString(QStringView s) { writeBytes(s.toUtf8()); }
    void writeStringUtf8(QByteArrayView utf8) { writeBytes(utf8); }
    void writeArrayLength(quint32 n) { writeU32(n); }
    void writeTag(quint8 tag) { writeU8(tag); }

    // For a length-prefixed blob built in place (reducer args inside CallReducer):
    // reserve the u32, write the content, then patch the length.
    qsizetype beginLengthPrefixed() {
        const qsizetype at = m_buf.size();
        writeU32(0);
        return at;
    }
    void endLengthPrefixed(qsizetype at) {
        const quint32 len = quint32(m_buf.size() - at - 4);
        const quint32 le = qToLittleEndian(len);
        std::memcpy(m_buf.data() + at, &le, 4);
    }

private:
    template <typename T>
    void writeLe(T v) {
        v = qToLittleEndian(v);
        m_buf.append(reinterpret_cast<const char *>(&v), sizeof(T));
    }

    QByteArray m_buf;
};

} // namespace stdb
