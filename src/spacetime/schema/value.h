// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/scheduleat.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/expected.h"
#include "spacetime/schema/algebraictype.h"
#include "spacetime/schema/typespace.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace stdb {

// A dynamically typed SATS value (what a row, a reducer argument list or any column holds when
// no generated C++ type is at hand: the inspector, a test host's /sql route, generic tools).
//
// A Value does not carry its type; decoding, encoding and JSON conversion take the
// AlgebraicType (+ Typespace for refs). Special types are their plain structure: an Identity is
// a one-field Product holding a U256, an Option a Sum (tag 0 some / 1 none). Helpers below build
// and read those. Array<U8> decodes to Kind::Bytes (compact); encoding accepts Bytes or an Array
// of U8 values for it.
class STDB_SCHEMA_EXPORT Value {
public:
    enum class Kind : quint8 {
        Invalid, // default-constructed; encodes as nothing and fails type checks
        Bool,
        I8,
        U8,
        I16,
        U16,
        I32,
        U32,
        I64,
        U64,
        I128,
        U128,
        I256,
        U256,
        F32,
        F64,
        String,
        Bytes, // Array<U8>
        Array,
        Product,
        Sum,
    };

    Value() = default;

    static Value boolean(bool v);
    static Value i8(qint8 v) { return integer(Kind::I8, v); }
    static Value u8(quint8 v) { return unsignedInteger(Kind::U8, v); }
    static Value i16(qint16 v) { return integer(Kind::I16, v); }
    static Value u16(quint16 v) { return unsignedInteger(Kind::U16, v); }
    static Value i32(qint32 v) { return integer(Kind::I32, v); }
    static Value u32(quint32 v) { return unsignedInteger(Kind::U32, v); }
    static Value i64(qint64 v) { return integer(Kind::I64, v); }
    static Value u64(quint64 v) { return unsignedInteger(Kind::U64, v); }
    static Value i128(const I128 &v);
    static Value u128(const U128 &v);
    static Value i256(const I256 &v);
    static Value u256(const U256 &v);
    static Value f32(float v);
    static Value f64(double v);
    static Value string(const QString &v);
    static Value stringUtf8(QByteArrayView utf8); // trusted to be valid UTF-8
    static Value bytes(QByteArray v);
    static Value array(QList<Value> elements);
    static Value product(QList<Value> fields);
    static Value sum(quint8 tag, Value payload = unit());
    static Value unit() { return product({}); }

    // Structural helpers for the special types of spec §1.4/§1.5.
    static Value some(Value v) { return sum(0, std::move(v)); }
    static Value none() { return sum(1); }
    static Value ok(Value v) { return sum(0, std::move(v)); }
    static Value err(Value v) { return sum(1, std::move(v)); }
    static Value identity(const Identity &id) { return product({u256(id.value())}); }
    static Value connectionId(const ConnectionId &id) { return product({u128(id.value())}); }
    static Value timestamp(Timestamp t) { return product({i64(t.micros())}); }
    static Value timeDuration(TimeDuration d) { return product({i64(d.micros())}); }
    static Value uuid(const U128 &v) { return product({u128(v)}); }
    static Value scheduleAt(const ScheduleAt &s);

    Kind kind() const { return m_kind; }
    bool isValid() const { return m_kind != Kind::Invalid; }
    static QString kindName(Kind kind);

    // Scalars. Integers read as the requested width when they fit (a u8 reads as int64 fine);
    // otherwise 0 — check kind() first when it matters.
    bool toBool() const { return m_kind == Kind::Bool && m_scalar != 0; }
    qint64 toInt64() const;
    quint64 toUInt64() const;
    double toDouble() const; // F32, F64, or any integer that fits
    float toFloat() const { return float(toDouble()); }
    // F32/F64 bit pattern (exact, NaN payloads included).
    quint64 floatBits() const { return m_scalar; }
    I128 toI128() const;
    U128 toU128() const;
    I256 toI256() const;
    U256 toU256() const;
    QString toString() const;                         // String
    const QByteArray &utf8() const { return m_blob; } // String as UTF-8
    QByteArray toBytes() const;                       // Bytes (or an Array of U8)

    // Array elements / Product fields (a Sum's single payload; empty for scalars).
    const QList<Value> &elements() const { return m_items; }
    qsizetype size() const { return m_kind == Kind::Bytes ? m_blob.size() : m_items.size(); }
    const Value &operator[](qsizetype i) const;
    // Sum
    quint8 tag() const { return m_kind == Kind::Sum ? quint8(m_scalar) : 0; }
    const Value &payload() const;

    // Special readers (structure only; the type decides whether they apply).
    bool isSome() const { return m_kind == Kind::Sum && m_scalar == 0; }
    bool isNone() const { return m_kind == Kind::Sum && m_scalar == 1; }
    Identity toIdentity() const { return Identity(single().toU256()); }
    ConnectionId toConnectionId() const { return ConnectionId(single().toU128()); }
    Timestamp toTimestamp() const { return Timestamp::fromMicros(single().toInt64()); }
    TimeDuration toTimeDuration() const { return TimeDuration::fromMicros(single().toInt64()); }

    // ---- BSATN ----------------------------------------------------------------------------
    // Reads one value of `type`; failures (short input, bad tag, bad UTF-8, dangling ref,
    // nesting deeper than kMaxDepth) are recorded in the reader with their byte offset.
    static Value read(BsatnReader &r, const AlgebraicType &type, const Typespace &ts);
    // Whole buffer: exactly one value, trailing bytes are an error.
    static Expected<Value> decode(QByteArrayView bytes, const AlgebraicType &type,
                                  const Typespace &ts, qsizetype baseOffset = 0);
    // Appends the BSATN of this value; an error (with a path like "[2].name") if the value
    // does not fit the type. The writer may hold a partial value after an error.
    Error write(BsatnWriter &w, const AlgebraicType &type, const Typespace &ts) const;
    Expected<QByteArray> encode(const AlgebraicType &type, const Typespace &ts) const;

    // Nesting limit for decode/encode/JSON: recursive types and hostile input cannot exhaust
    // the stack.
    static constexpr int kMaxDepth = 128;

    // Structural equality (floats compare by bit pattern, so NaN == NaN and -0 != +0).
    bool operator==(const Value &o) const;

private:
    static Value integer(Kind k, qint64 v);
    static Value unsignedInteger(Kind k, quint64 v);
    const Value &single() const;
    Error writeAt(BsatnWriter &w, const AlgebraicType &type, const Typespace &ts, int depth,
                  const QString &path) const;
    static Value readAt(BsatnReader &r, const AlgebraicType &type, const Typespace &ts, int depth);

    Kind m_kind = Kind::Invalid;
    quint64 m_scalar = 0; // bool, integers up to 64 bits (sign-extended), float bits, sum tag
    QByteArray m_blob;    // String (UTF-8), Bytes, 128/256-bit integers (little-endian)
    QList<Value> m_items; // Array elements, Product fields, Sum payload (one item)
};

} // namespace stdb
