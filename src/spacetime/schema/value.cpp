// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/value.h"

#include "spacetime/schema/jsonpath.h"

#include <cstring>

namespace stdb {

namespace {

using K = AlgebraicType::Kind;

const Value &invalidValue() {
    static const Value v;
    return v;
}

template <typename Big>
Big bigFrom(const QByteArray &blob) {
    if (blob.size() != Big::size)
        return {};
    return Big::fromLittleEndian(reinterpret_cast<const quint8 *>(blob.constData()));
}

template <typename Big>
QByteArray bigBlob(const Big &v) {
    return QByteArray(reinterpret_cast<const char *>(v.littleEndian().data()), Big::size);
}

// The Value kind a primitive AlgebraicType kind decodes to.
Value::Kind valueKindOf(K k) {
    switch (k) {
    case K::Bool:
        return Value::Kind::Bool;
    case K::I8:
        return Value::Kind::I8;
    case K::U8:
        return Value::Kind::U8;
    case K::I16:
        return Value::Kind::I16;
    case K::U16:
        return Value::Kind::U16;
    case K::I32:
        return Value::Kind::I32;
    case K::U32:
        return Value::Kind::U32;
    case K::I64:
        return Value::Kind::I64;
    case K::U64:
        return Value::Kind::U64;
    case K::I128:
        return Value::Kind::I128;
    case K::U128:
        return Value::Kind::U128;
    case K::I256:
        return Value::Kind::I256;
    case K::U256:
        return Value::Kind::U256;
    case K::F32:
        return Value::Kind::F32;
    case K::F64:
        return Value::Kind::F64;
    case K::String:
        return Value::Kind::String;
    case K::Array:
        return Value::Kind::Array;
    case K::Product:
        return Value::Kind::Product;
    case K::Sum:
        return Value::Kind::Sum;
    case K::Ref:
        break;
    }
    return Value::Kind::Invalid;
}

} // namespace

Value Value::boolean(bool v) {
    Value r;
    r.m_kind = Kind::Bool;
    r.m_scalar = v ? 1 : 0;
    return r;
}

Value Value::integer(Kind k, qint64 v) {
    Value r;
    r.m_kind = k;
    r.m_scalar = quint64(v);
    return r;
}

Value Value::unsignedInteger(Kind k, quint64 v) {
    Value r;
    r.m_kind = k;
    r.m_scalar = v;
    return r;
}

Value Value::i128(const I128 &v) {
    Value r;
    r.m_kind = Kind::I128;
    r.m_blob = bigBlob(v);
    return r;
}

Value Value::u128(const U128 &v) {
    Value r;
    r.m_kind = Kind::U128;
    r.m_blob = bigBlob(v);
    return r;
}

Value Value::i256(const I256 &v) {
    Value r;
    r.m_kind = Kind::I256;
    r.m_blob = bigBlob(v);
    return r;
}

Value Value::u256(const U256 &v) {
    Value r;
    r.m_kind = Kind::U256;
    r.m_blob = bigBlob(v);
    return r;
}

Value Value::f32(float v) {
    quint32 bits;
    std::memcpy(&bits, &v, 4);
    return unsignedInteger(Kind::F32, bits);
}

Value Value::f64(double v) {
    quint64 bits;
    std::memcpy(&bits, &v, 8);
    return unsignedInteger(Kind::F64, bits);
}

Value Value::string(const QString &v) {
    return stringUtf8(v.toUtf8());
}

Value Value::stringUtf8(QByteArrayView utf8) {
    Value r;
    r.m_kind = Kind::String;
    r.m_blob = utf8.toByteArray();
    return r;
}

Value Value::bytes(QByteArray v) {
    Value r;
    r.m_kind = Kind::Bytes;
    r.m_blob = std::move(v);
    return r;
}

Value Value::array(QList<Value> elements) {
    Value r;
    r.m_kind = Kind::Array;
    r.m_items = std::move(elements);
    return r;
}

Value Value::product(QList<Value> fields) {
    Value r;
    r.m_kind = Kind::Product;
    r.m_items = std::move(fields);
    return r;
}

Value Value::sum(quint8 tag, Value payload) {
    Value r;
    r.m_kind = Kind::Sum;
    r.m_scalar = tag;
    r.m_items = {std::move(payload)};
    return r;
}

Value Value::scheduleAt(const ScheduleAt &s) {
    return s.isInterval() ? sum(0, timeDuration(s.interval())) : sum(1, timestamp(s.time()));
}

QString Value::kindName(Kind kind) {
    static const char *const names[] = {
        "Invalid", "Bool", "I8",     "U8",    "I16",   "U16",     "I32",
        "U32",     "I64",  "U64",    "I128",  "U128",  "I256",    "U256",
        "F32",     "F64",  "String", "Bytes", "Array", "Product", "Sum",
    };
    const auto i = size_t(kind);
    return i < std::size(names) ? QLatin1String(names[i]) : QStringLiteral("?");
}

qint64 Value::toInt64() const {
    switch (m_kind) {
    case Kind::I8:
        return qint8(m_scalar);
    case Kind::I16:
        return qint16(m_scalar);
    case Kind::I32:
        return qint32(m_scalar);
    case Kind::I64:
        return qint64(m_scalar);
    case Kind::U8:
        return quint8(m_scalar);
    case Kind::U16:
        return quint16(m_scalar);
    case Kind::U32:
        return quint32(m_scalar);
    case Kind::U64:
        return m_scalar <= quint64(INT64_MAX) ? qint64(m_scalar) : 0;
    case Kind::Bool:
        return qint64(m_scalar);
    default:
        return 0;
    }
}

quint64 Value::toUInt64() const {
    switch (m_kind) {
    case Kind::U8:
    case Kind::U16:
    case Kind::U32:
    case Kind::U64:
    case Kind::Bool:
        return m_scalar;
    case Kind::I8:
    case Kind::I16:
    case Kind::I32:
    case Kind::I64:
        return toInt64() >= 0 ? quint64(toInt64()) : 0;
    default:
        return 0;
    }
}

double Value::toDouble() const {
    if (m_kind == Kind::F64) {
        double d;
        std::memcpy(&d, &m_scalar, 8);
        return d;
    }
    if (m_kind == Kind::F32) {
        const quint32 bits = quint32(m_scalar);
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
    if (m_kind == Kind::U64)
        return double(m_scalar);
    return double(toInt64());
}

I128 Value::toI128() const {
    if (m_kind == Kind::I128)
        return bigFrom<I128>(m_blob);
    return I128::fromInt64(toInt64());
}

U128 Value::toU128() const {
    if (m_kind == Kind::U128)
        return bigFrom<U128>(m_blob);
    return U128::fromUInt64(toUInt64());
}

I256 Value::toI256() const {
    if (m_kind == Kind::I256)
        return bigFrom<I256>(m_blob);
    return I256::fromInt64(toInt64());
}

U256 Value::toU256() const {
    if (m_kind == Kind::U256)
        return bigFrom<U256>(m_blob);
    return U256::fromUInt64(toUInt64());
}

QString Value::toString() const {
    return m_kind == Kind::String ? QString::fromUtf8(m_blob) : QString();
}

QByteArray Value::toBytes() const {
    if (m_kind == Kind::Bytes)
        return m_blob;
    QByteArray out;
    if (m_kind == Kind::Array) {
        out.reserve(m_items.size());
        for (const Value &e : m_items)
            out.append(char(e.m_scalar));
    }
    return out;
}

const Value &Value::operator[](qsizetype i) const {
    return i >= 0 && i < m_items.size() && m_kind != Kind::Sum ? m_items[i] : invalidValue();
}

const Value &Value::payload() const {
    return m_kind == Kind::Sum && !m_items.isEmpty() ? m_items.front() : invalidValue();
}

const Value &Value::single() const {
    return m_kind == Kind::Product && m_items.size() == 1 ? m_items.front() : invalidValue();
}

bool Value::operator==(const Value &o) const {
    return m_kind == o.m_kind && m_scalar == o.m_scalar && m_blob == o.m_blob &&
           m_items == o.m_items;
}

// ---- BSATN --------------------------------------------------------------------------------

Value Value::read(BsatnReader &r, const AlgebraicType &type, const Typespace &ts) {
    return readAt(r, type, ts, 0);
}

Value Value::readAt(BsatnReader &r, const AlgebraicType &type, const Typespace &ts, int depth) {
    if (!r.ok())
        return {};
    if (depth > kMaxDepth) {
        r.fail(QStringLiteral("value nested deeper than %1 levels").arg(kMaxDepth));
        return {};
    }
    const AlgebraicType *t = ts.resolve(type);
    if (!t) {
        r.fail(QStringLiteral("dangling type ref %1").arg(type.refIndex()));
        return {};
    }
    switch (t->kind()) {
    case K::Bool:
        return boolean(r.readBool());
    case K::I8:
        return i8(r.readI8());
    case K::U8:
        return u8(r.readU8());
    case K::I16:
        return i16(r.readI16());
    case K::U16:
        return u16(r.readU16());
    case K::I32:
        return i32(r.readI32());
    case K::U32:
        return u32(r.readU32());
    case K::I64:
        return i64(r.readI64());
    case K::U64:
        return u64(r.readU64());
    case K::I128:
        return i128(r.readI128());
    case K::U128:
        return u128(r.readU128());
    case K::I256:
        return i256(r.readI256());
    case K::U256:
        return u256(r.readU256());
    case K::F32:
        return unsignedInteger(Kind::F32, r.readU32());
    case K::F64:
        return unsignedInteger(Kind::F64, r.readU64());
    case K::String: {
        const QByteArrayView s = r.readStringUtf8();
        return r.ok() ? stringUtf8(s) : Value();
    }
    case K::Array: {
        const AlgebraicType *elem = ts.resolve(t->elementType());
        if (elem && elem->kind() == K::U8) {
            const QByteArrayView b = r.readBytesView();
            return r.ok() ? bytes(b.toByteArray()) : Value();
        }
        // Zero-size elements (unit) are legal, so bound the reservation, not the count.
        const quint32 n = r.readArrayLength(0);
        QList<Value> items;
        items.reserve(qMin<qsizetype>(n, r.remaining()));
        for (quint32 i = 0; i < n && r.ok(); ++i)
            items.append(readAt(r, t->elementType(), ts, depth + 1));
        return r.ok() ? array(std::move(items)) : Value();
    }
    case K::Product: {
        QList<Value> fields;
        fields.reserve(t->members().size());
        for (const TypeMember &m : t->members()) {
            fields.append(readAt(r, m.type, ts, depth + 1));
            if (!r.ok())
                return {};
        }
        return product(std::move(fields));
    }
    case K::Sum: {
        const QList<TypeMember> &vars = t->members();
        if (vars.isEmpty()) {
            r.fail(QStringLiteral("the empty sum type has no values"));
            return {};
        }
        const quint8 tag = r.readTag(int(vars.size()), "sum");
        if (!r.ok())
            return {};
        Value payload = readAt(r, vars[tag].type, ts, depth + 1);
        return r.ok() ? sum(tag, std::move(payload)) : Value();
    }
    case K::Ref:
        break; // resolved above
    }
    return {};
}

Expected<Value> Value::decode(QByteArrayView bytes, const AlgebraicType &type, const Typespace &ts,
                              qsizetype baseOffset) {
    BsatnReader r(bytes, baseOffset);
    Value v = read(r, type, ts);
    if (r.ok() && !r.atEnd())
        r.fail(QStringLiteral("%1 trailing bytes after the value").arg(r.remaining()));
    if (!r.ok())
        return r.error();
    return v;
}

Error Value::write(BsatnWriter &w, const AlgebraicType &type, const Typespace &ts) const {
    return writeAt(w, type, ts, 0, QString());
}

Expected<QByteArray> Value::encode(const AlgebraicType &type, const Typespace &ts) const {
    BsatnWriter w;
    Error e = write(w, type, ts);
    if (e)
        return e;
    return w.take();
}

Error Value::writeAt(BsatnWriter &w, const AlgebraicType &type, const Typespace &ts, int depth,
                     const QString &path) const {
    if (depth > kMaxDepth)
        return JsonPath::error(path,
                               QStringLiteral("value nested deeper than %1 levels").arg(kMaxDepth));
    const AlgebraicType *t = ts.resolve(type);
    if (!t)
        return JsonPath::error(path, QStringLiteral("dangling type ref %1").arg(type.refIndex()));
    auto mismatch = [&] {
        return JsonPath::error(
            path,
            QStringLiteral("a %1 value does not fit type %2").arg(kindName(m_kind), t->toString()));
    };
    if (t->isPrimitive() && t->kind() != K::String) {
        if (m_kind != valueKindOf(t->kind()))
            return mismatch();
        switch (t->kind()) {
        case K::Bool:
            w.writeBool(m_scalar != 0);
            break;
        case K::I8:
        case K::U8:
            w.writeU8(quint8(m_scalar));
            break;
        case K::I16:
        case K::U16:
            w.writeU16(quint16(m_scalar));
            break;
        case K::I32:
        case K::U32:
        case K::F32:
            w.writeU32(quint32(m_scalar));
            break;
        case K::I64:
        case K::U64:
        case K::F64:
            w.writeU64(m_scalar);
            break;
        default: // 128/256-bit
            if (m_blob.size() != t->primitiveSize())
                return mismatch();
            w.writeRaw(m_blob);
        }
        return {};
    }
    switch (t->kind()) {
    case K::String:
        if (m_kind != Kind::String)
            return mismatch();
        w.writeBytes(m_blob);
        return {};
    case K::Array: {
        const AlgebraicType *elem = ts.resolve(t->elementType());
        if (m_kind == Kind::Bytes) {
            if (!elem || elem->kind() != K::U8)
                return mismatch();
            w.writeBytes(m_blob);
            return {};
        }
        if (m_kind != Kind::Array)
            return mismatch();
        w.writeArrayLength(quint32(m_items.size()));
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            Error e =
                m_items[i].writeAt(w, t->elementType(), ts, depth + 1, JsonPath::index(path, i));
            if (e)
                return e;
        }
        return {};
    }
    case K::Product: {
        const QList<TypeMember> &m = t->members();
        if (m_kind != Kind::Product)
            return mismatch();
        if (m_items.size() != m.size())
            return JsonPath::error(path,
                                   QStringLiteral("a product of %1 fields does not fit type %2 "
                                                  "(%3 fields)")
                                       .arg(m_items.size())
                                       .arg(t->toString())
                                       .arg(m.size()));
        for (qsizetype i = 0; i < m.size(); ++i) {
            const QString fp =
                m[i].name ? JsonPath::key(path, *m[i].name) : JsonPath::index(path, i);
            Error e = m_items[i].writeAt(w, m[i].type, ts, depth + 1, fp);
            if (e)
                return e;
        }
        return {};
    }
    case K::Sum: {
        const QList<TypeMember> &vars = t->members();
        if (m_kind != Kind::Sum)
            return mismatch();
        if (m_scalar >= quint64(vars.size()))
            return JsonPath::error(
                path,
                QStringLiteral("tag %1 out of range for %2").arg(m_scalar).arg(t->toString()));
        w.writeTag(quint8(m_scalar));
        const TypeMember &v = vars[qsizetype(m_scalar)];
        return payload().writeAt(w, v.type, ts, depth + 1,
                                 JsonPath::key(path, v.name ? *v.name : QString::number(m_scalar)));
    }
    default:
        return mismatch();
    }
}

} // namespace stdb
