// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/valuejson.h"

#include "spacetime/bsatn/uuid.h"
#include "spacetime/hexdigit_p.h"
#include "spacetime/schema/jsonpath.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <cstring>
#include <limits>

namespace stdb {

namespace {

using K = AlgebraicType::Kind;
using S = AlgebraicType::Special;
using Style = ValueJson::Style;
using P = JsonPath;

constexpr quint32 kCanonicalNan32 = 0x7fc00000u;
constexpr quint64 kCanonicalNan64 = 0x7ff8000000000000ull;

bool allNamedUnique(const QList<TypeMember> &m) {
    QSet<QString> seen;
    for (const TypeMember &e : m) {
        if (!e.name || e.name->isEmpty() || seen.contains(*e.name))
            return false;
        seen.insert(*e.name);
    }
    return true;
}

QString memberKey(const QList<TypeMember> &m, qsizetype i) {
    return m[i].name && !m[i].name->isEmpty() ? *m[i].name : QString::number(i);
}

QString uuidString(const U128 &v) {
    const QString h = v.toHex();
    return h.mid(0, 8) + u'-' + h.mid(8, 4) + u'-' + h.mid(12, 4) + u'-' + h.mid(16, 4) + u'-' +
           h.mid(20);
}

// Non-finite floats and -0 do not exist in JSON; spell them as strings that parse back.
QJsonValue floatJson(double d, quint64 bits, bool isF32) {
    if (std::isnan(d)) {
        const bool canonical = isF32 ? bits == kCanonicalNan32 : bits == kCanonicalNan64;
        if (canonical)
            return QStringLiteral("NaN");
        return QStringLiteral("NaN(0x%1)").arg(bits, isF32 ? 8 : 16, 16, QLatin1Char('0'));
    }
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    if (d == 0 && std::signbit(d))
        return QStringLiteral("-0");
    return d;
}

// Integers: Inspector writes 64-bit and wider as decimal strings; Sats writes numbers whenever
// QJsonValue stores them exactly.
QJsonValue intJson(const Value &v, K k, Style style) {
    if (style == Style::Inspector) {
        switch (k) {
        case K::I64:
            return QString::number(v.toInt64());
        case K::U64:
            return QString::number(v.toUInt64());
        case K::I128:
            return v.toI128().toDecimal();
        case K::U128:
            return v.toU128().toDecimal();
        case K::I256:
            return v.toI256().toDecimal();
        case K::U256:
            return v.toU256().toDecimal();
        default:
            return v.toInt64();
        }
    }
    switch (k) {
    case K::U64:
        if (v.toUInt64() <= quint64(std::numeric_limits<qint64>::max()))
            return qint64(v.toUInt64());
        return QString::number(v.toUInt64());
    case K::I128: {
        const I128 x = v.toI128();
        if (x >= I128::fromInt64(std::numeric_limits<qint64>::min()) &&
            x <= I128::fromInt64(std::numeric_limits<qint64>::max()))
            return x.toDecimal().toLongLong();
        return x.toDecimal();
    }
    case K::U128: {
        const U128 x = v.toU128();
        if (x <= U128::fromUInt64(quint64(std::numeric_limits<qint64>::max())))
            return x.toDecimal().toLongLong();
        return x.toDecimal();
    }
    case K::I256:
        return v.toI256().toDecimal();
    case K::U256: {
        // The server's JSON writes u256 as 0x-prefixed hex without leading zeros.
        QString h = v.toU256().toHex();
        qsizetype z = 0;
        while (z < h.size() - 1 && h[z] == u'0')
            ++z;
        return QStringLiteral("0x") + h.mid(z);
    }
    default:
        return v.toInt64();
    }
}

QJsonValue toJsonAt(const Value &v, const AlgebraicType &type, const Typespace &ts, Style style,
                    int depth) {
    if (depth > Value::kMaxDepth)
        return QJsonValue();
    const AlgebraicType *t = ts.resolve(type);
    if (!t)
        return QJsonValue();
    if (t->isProduct() || t->isSum()) {
        const S special = t->special();
        if (style == Style::Inspector) {
            switch (special) {
            case S::Identity:
                return QStringLiteral("0x") + v[0].toU256().toHex();
            case S::ConnectionId:
                return QStringLiteral("0x") + v[0].toU128().toHex();
            case S::Timestamp:
            case S::TimeDuration:
                return v[0].toInt64();
            case S::Uuid:
                return uuidString(v[0].toU128());
            case S::Option: {
                if (v.kind() != Value::Kind::Sum)
                    return QJsonValue();
                if (v.tag() != 0)
                    return QJsonValue();
                const QJsonValue inner =
                    toJsonAt(v.payload(), t->optionType(), ts, style, depth + 1);
                const AlgebraicType *it = ts.resolve(t->optionType());
                if (it && it->isOption()) {
                    QJsonObject o;
                    o.insert(u"some", inner);
                    return o;
                }
                return inner;
            }
            default:
                break;
            }
        }
    }
    switch (t->kind()) {
    case K::Bool:
        return v.toBool();
    case K::F32:
        return floatJson(v.toDouble(), v.floatBits(), true);
    case K::F64:
        return floatJson(v.toDouble(), v.floatBits(), false);
    case K::String:
        return v.toString();
    case K::Array: {
        if (v.kind() == Value::Kind::Bytes)
            return ValueJson::toHex(v.toBytes());
        QJsonArray a;
        for (const Value &e : v.elements())
            a.append(toJsonAt(e, t->elementType(), ts, style, depth + 1));
        return a;
    }
    case K::Product: {
        const QList<TypeMember> &m = t->members();
        if (v.kind() != Value::Kind::Product || v.size() != m.size())
            return QJsonValue();
        if (style == Style::Inspector && allNamedUnique(m)) {
            QJsonObject o;
            for (qsizetype i = 0; i < m.size(); ++i)
                o.insert(*m[i].name, toJsonAt(v[i], m[i].type, ts, style, depth + 1));
            return o;
        }
        if (style == Style::Inspector && m.isEmpty())
            return QJsonObject();
        QJsonArray a;
        for (qsizetype i = 0; i < m.size(); ++i)
            a.append(toJsonAt(v[i], m[i].type, ts, style, depth + 1));
        return a;
    }
    case K::Sum: {
        const QList<TypeMember> &m = t->members();
        if (v.kind() != Value::Kind::Sum || v.tag() >= m.size())
            return QJsonValue();
        const QJsonValue payload = toJsonAt(v.payload(), m[v.tag()].type, ts, style, depth + 1);
        if (style == Style::Sats)
            return QJsonArray{int(v.tag()), payload};
        QJsonObject o;
        o.insert(memberKey(m, v.tag()), payload);
        return o;
    }
    case K::Ref:
        return QJsonValue();
    default:
        return intJson(v, t->kind(), style);
    }
}

// ---- parsing ------------------------------------------------------------------------------

// Accepts a JSON number (integral, exact) or a string (decimal, or 0x hex for unsigned kinds).
Expected<Value> intFromJson(const QJsonValue &j, K k, const QString &path) {
    const bool isSigned =
        k == K::I8 || k == K::I16 || k == K::I32 || k == K::I64 || k == K::I128 || k == K::I256;
    const QString typeName = AlgebraicType::kindName(k);
    auto outOfRange = [&](const QString &text) {
        return P::error(path, QStringLiteral("%1 is out of range for %2").arg(text, typeName));
    };
    QString text;
    if (j.isDouble()) {
        const double d = j.toDouble();
        if (!std::isfinite(d) || d != std::floor(d))
            return P::error(path, QStringLiteral("expected an integer, got %1").arg(d));
        // QJsonValue stores integer literals up to 2^63 exactly; a bigger number has already
        // been rounded, so refuse it rather than guess.
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return P::error(path, QStringLiteral("integer too large for a JSON number; write it "
                                                 "as a decimal string"));
        text = QString::number(j.toInteger());
    } else if (j.isString()) {
        text = j.toString().trimmed();
    } else {
        return P::expected(path, "an integer (number or string)", j);
    }
    const bool hex = text.startsWith(u"0x") || text.startsWith(u"0X");
    if (hex && isSigned)
        return P::error(path, QStringLiteral("hex is only accepted for unsigned integers"));
    bool ok = false;
    switch (k) {
    case K::I128: {
        const I128 v = I128::fromDecimal(text, &ok);
        return ok ? Value::i128(v) : Expected<Value>(outOfRange(text));
    }
    case K::U128: {
        const U128 v = hex ? U128::fromHex(text, &ok) : U128::fromDecimal(text, &ok);
        return ok ? Value::u128(v) : Expected<Value>(outOfRange(text));
    }
    case K::I256: {
        const I256 v = I256::fromDecimal(text, &ok);
        return ok ? Value::i256(v) : Expected<Value>(outOfRange(text));
    }
    case K::U256: {
        const U256 v = hex ? U256::fromHex(text, &ok) : U256::fromDecimal(text, &ok);
        return ok ? Value::u256(v) : Expected<Value>(outOfRange(text));
    }
    default:
        break;
    }
    if (isSigned) {
        const qint64 v = text.toLongLong(&ok, 10);
        if (!ok)
            return outOfRange(text);
        switch (k) {
        case K::I8:
            if (v < -128 || v > 127)
                return outOfRange(text);
            return Value::i8(qint8(v));
        case K::I16:
            if (v < -32768 || v > 32767)
                return outOfRange(text);
            return Value::i16(qint16(v));
        case K::I32:
            if (v < std::numeric_limits<qint32>::min() || v > std::numeric_limits<qint32>::max())
                return outOfRange(text);
            return Value::i32(qint32(v));
        default:
            return Value::i64(v);
        }
    }
    if (text.startsWith(u'-'))
        return outOfRange(text);
    const quint64 v = hex ? text.mid(2).toULongLong(&ok, 16) : text.toULongLong(&ok, 10);
    if (!ok)
        return outOfRange(text);
    switch (k) {
    case K::U8:
        if (v > 0xff)
            return outOfRange(text);
        return Value::u8(quint8(v));
    case K::U16:
        if (v > 0xffff)
            return outOfRange(text);
        return Value::u16(quint16(v));
    case K::U32:
        if (v > 0xffffffffull)
            return outOfRange(text);
        return Value::u32(quint32(v));
    default:
        return Value::u64(v);
    }
}

Expected<Value> floatFromJson(const QJsonValue &j, bool isF32, const QString &path) {
    double d = 0;
    if (j.isDouble()) {
        d = j.toDouble();
    } else if (j.isString()) {
        const QString s = j.toString().trimmed();
        if (s == u"NaN") {
            return isF32 ? Value::f32(std::numeric_limits<float>::quiet_NaN())
                         : Value::f64(std::numeric_limits<double>::quiet_NaN());
        }
        if (s.startsWith(u"NaN(0x") && s.endsWith(u')')) {
            bool ok = false;
            const quint64 bits = s.mid(6, s.size() - 7).toULongLong(&ok, 16);
            if (ok && isF32 && bits <= 0xffffffffull) {
                const quint32 b32 = quint32(bits);
                float f;
                std::memcpy(&f, &b32, 4);
                return Value::f32(f);
            }
            if (ok && !isF32) {
                double f;
                std::memcpy(&f, &bits, 8);
                return Value::f64(f);
            }
            return P::error(path, QStringLiteral("bad NaN payload \"%1\"").arg(s));
        }
        if (s == u"Infinity" || s == u"inf")
            d = std::numeric_limits<double>::infinity();
        else if (s == u"-Infinity" || s == u"-inf")
            d = -std::numeric_limits<double>::infinity();
        else {
            bool ok = false;
            d = s.toDouble(&ok);
            if (!ok)
                return P::error(path, QStringLiteral("expected a number, got \"%1\"").arg(s));
        }
    } else {
        return P::expected(path, "a number", j);
    }
    return isF32 ? Value::f32(float(d)) : Value::f64(d);
}

Expected<Value> fromJsonAt(const QJsonValue &j, const AlgebraicType &type, const Typespace &ts,
                           Style style, const QString &path, int depth);

Expected<Value> productFromJson(const QJsonValue &j, const AlgebraicType &t, const Typespace &ts,
                                Style style, const QString &path, int depth) {
    const QList<TypeMember> &m = t.members();
    QList<Value> fields;
    fields.reserve(m.size());
    if (j.isArray()) {
        const QJsonArray a = j.toArray();
        if (a.size() != m.size())
            return P::error(path, QStringLiteral("expected %1 fields, got an array of %2")
                                      .arg(m.size())
                                      .arg(a.size()));
        for (qsizetype i = 0; i < m.size(); ++i) {
            Expected<Value> f =
                fromJsonAt(a[i], m[i].type, ts, style, P::index(path, i), depth + 1);
            if (!f)
                return f.error();
            fields.append(std::move(*f));
        }
        return Value::product(std::move(fields));
    }
    if (!j.isObject())
        return P::expected(path, m.isEmpty() ? "{} or []" : "an object or an array", j);
    const QJsonObject o = j.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool known = false;
        for (qsizetype i = 0; i < m.size() && !known; ++i)
            known = memberKey(m, i) == it.key();
        if (!known)
            return P::error(P::key(path, it.key()), QStringLiteral("unknown field"));
    }
    for (qsizetype i = 0; i < m.size(); ++i) {
        const QString key = memberKey(m, i);
        const QString fp = P::key(path, key);
        const auto it = o.constFind(key);
        if (it == o.constEnd())
            return P::error(fp, QStringLiteral("missing"));
        Expected<Value> f = fromJsonAt(it.value(), m[i].type, ts, style, fp, depth + 1);
        if (!f)
            return f.error();
        fields.append(std::move(*f));
    }
    return Value::product(std::move(fields));
}

Expected<Value> sumFromJson(const QJsonValue &j, const AlgebraicType &t, const Typespace &ts,
                            Style style, const QString &path, int depth) {
    const QList<TypeMember> &m = t.members();
    auto findVariant = [&](const QString &key) -> qsizetype {
        for (qsizetype i = 0; i < m.size(); ++i)
            if (m[i].name && *m[i].name == key)
                return i;
        bool ok = false;
        const uint n = key.toUInt(&ok);
        return ok && n < uint(m.size()) ? qsizetype(n) : -1;
    };
    qsizetype tag = -1;
    QJsonValue payload;
    QString pp;
    if (j.isArray() && j.toArray().size() == 2 && j.toArray()[0].isDouble()) {
        const double d = j.toArray()[0].toDouble();
        if (d >= 0 && d < m.size() && d == std::floor(d))
            tag = qsizetype(d);
        else
            return P::error(
                P::index(path, 0),
                QStringLiteral("tag %1 out of range (%2 variants)").arg(d).arg(m.size()));
        payload = j.toArray()[1];
        pp = P::index(path, 1);
    } else if (j.isObject() && j.toObject().size() == 1) {
        const QString key = j.toObject().begin().key();
        tag = findVariant(key);
        if (tag < 0)
            return P::error(path,
                            QStringLiteral("unknown variant \"%1\" of %2").arg(key, t.toString()));
        payload = j.toObject().begin().value();
        pp = P::key(path, key);
    } else if (j.isString()) {
        // A payload-less variant written as its bare name.
        tag = findVariant(j.toString());
        if (tag < 0)
            return P::error(
                path,
                QStringLiteral("unknown variant \"%1\" of %2").arg(j.toString(), t.toString()));
        if (!ts.resolve(m[tag].type) || !ts.resolve(m[tag].type)->isUnit())
            return P::error(path,
                            QStringLiteral("variant \"%1\" needs a payload").arg(j.toString()));
        return Value::sum(quint8(tag));
    } else {
        return P::expected(path, "{\"Variant\": payload}", j);
    }
    Expected<Value> p = fromJsonAt(payload, m[tag].type, ts, style, pp, depth + 1);
    if (!p)
        return p.error();
    return Value::sum(quint8(tag), std::move(*p));
}

Expected<Value> specialFromJson(const QJsonValue &j, const AlgebraicType &t, S special,
                                const QString &path, bool *handled) {
    *handled = true;
    bool ok = false;
    switch (special) {
    case S::Identity:
    case S::ConnectionId:
        if (!j.isString())
            break;
        if (special == S::Identity) {
            const U256 v = U256::fromHex(j.toString(), &ok);
            if (!ok)
                return P::error(path, QStringLiteral("expected an identity as 64 hex digits"));
            return Value::product({Value::u256(v)});
        } else {
            const U128 v = U128::fromHex(j.toString(), &ok);
            if (!ok)
                return P::error(path, QStringLiteral("expected a connection id as 32 hex digits"));
            return Value::product({Value::u128(v)});
        }
    case S::Timestamp:
    case S::TimeDuration:
        if (j.isDouble() || (j.isString() && !j.toString().contains(u'T'))) {
            Expected<Value> v = intFromJson(j, K::I64, path);
            if (!v)
                return v.error();
            return Value::product({*v});
        }
        if (j.isString() && special == S::Timestamp) {
            const Timestamp ts = Timestamp::fromIso8601(j.toString(), &ok);
            if (!ok)
                return P::error(path, QStringLiteral("expected microseconds or an ISO-8601 time"));
            return Value::timestamp(ts);
        }
        break;
    case S::Uuid:
        if (j.isString()) {
            // The forms the server's Uuid::parse_str reads, no others.
            const Expected<Uuid> v = Uuid::fromString(j.toString());
            if (!v)
                return P::error(path, QStringLiteral("expected a UUID (8-4-4-4-12 hex)"));
            return Value::uuid(v->value());
        }
        break;
    default:
        break;
    }
    Q_UNUSED(t);
    *handled = false;
    return Value();
}

Expected<Value> fromJsonAt(const QJsonValue &j, const AlgebraicType &type, const Typespace &ts,
                           Style style, const QString &path, int depth) {
    if (depth > Value::kMaxDepth)
        return P::error(path, QStringLiteral("nested deeper than %1 levels").arg(Value::kMaxDepth));
    const AlgebraicType *t = ts.resolve(type);
    if (!t)
        return P::error(path, QStringLiteral("dangling type ref %1").arg(type.refIndex()));
    if (t->isProduct() || t->isSum()) {
        const S special = t->special();
        bool handled = false;
        Expected<Value> sv = specialFromJson(j, *t, special, path, &handled);
        if (handled)
            return sv;
        if (special == S::Option) {
            if (j.isNull() || j.isUndefined())
                return Value::none();
            if (style == Style::Inspector) {
                const AlgebraicType *inner = ts.resolve(t->optionType());
                if (inner && inner->isOption()) {
                    if (!j.isObject() || j.toObject().size() != 1 ||
                        !j.toObject().contains(u"some"))
                        return P::expected(path, "null or {\"some\": value} (nested Option)", j);
                    Expected<Value> v = fromJsonAt(j.toObject().value(u"some"), t->optionType(), ts,
                                                   style, P::key(path, u"some"), depth + 1);
                    if (!v)
                        return v.error();
                    return Value::some(std::move(*v));
                }
                Expected<Value> v = fromJsonAt(j, t->optionType(), ts, style, path, depth + 1);
                if (!v)
                    return v.error();
                return Value::some(std::move(*v));
            }
        }
        if (special == S::Unit) {
            if ((j.isObject() && j.toObject().isEmpty()) ||
                (j.isArray() && j.toArray().isEmpty()) || j.isNull())
                return Value::unit();
            return P::expected(path, "{} or [] (unit)", j);
        }
    }
    switch (t->kind()) {
    case K::Bool:
        if (!j.isBool())
            return P::expected(path, "a bool", j);
        return Value::boolean(j.toBool());
    case K::F32:
        return floatFromJson(j, true, path);
    case K::F64:
        return floatFromJson(j, false, path);
    case K::String:
        if (!j.isString())
            return P::expected(path, "a string", j);
        return Value::string(j.toString());
    case K::Array: {
        const AlgebraicType *elem = ts.resolve(t->elementType());
        if (elem && elem->kind() == K::U8 && j.isString()) {
            const std::optional<QByteArray> b = ValueJson::fromHex(j.toString());
            if (!b)
                return P::error(path,
                                QStringLiteral("expected bytes as an even number of hex digits"));
            return Value::bytes(*b);
        }
        if (!j.isArray())
            return P::expected(path, elem && elem->kind() == K::U8 ? "a hex string" : "an array",
                               j);
        const QJsonArray a = j.toArray();
        QList<Value> items;
        items.reserve(a.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            Expected<Value> e =
                fromJsonAt(a[i], t->elementType(), ts, style, P::index(path, i), depth + 1);
            if (!e)
                return e.error();
            items.append(std::move(*e));
        }
        if (elem && elem->kind() == K::U8) {
            QByteArray b;
            for (const Value &e : items)
                b.append(char(e.toUInt64()));
            return Value::bytes(b);
        }
        return Value::array(std::move(items));
    }
    case K::Product:
        return productFromJson(j, *t, ts, style, path, depth);
    case K::Sum:
        if (t->members().isEmpty())
            return P::error(path, QStringLiteral("the empty sum type has no values"));
        return sumFromJson(j, *t, ts, style, path, depth);
    case K::Ref:
        return P::error(path, QStringLiteral("unresolved type ref"));
    default:
        return intFromJson(j, t->kind(), path);
    }
}

} // namespace

QJsonValue ValueJson::toJson(const Value &value, const AlgebraicType &type, const Typespace &ts,
                             Style style) {
    return toJsonAt(value, type, ts, style, 0);
}

Expected<Value> ValueJson::fromJson(const QJsonValue &json, const AlgebraicType &type,
                                    const Typespace &ts, Style style, const QString &path) {
    return fromJsonAt(json, type, ts, style, path, 0);
}

QJsonValue ValueJson::productToObject(const Value &value, const AlgebraicType &product,
                                      const Typespace &ts, Style style) {
    const AlgebraicType *t = ts.resolve(product);
    if (!t || !t->isProduct() || value.kind() != Value::Kind::Product ||
        value.size() != t->members().size())
        return QJsonValue();
    QJsonObject o;
    const QList<TypeMember> &m = t->members();
    for (qsizetype i = 0; i < m.size(); ++i)
        o.insert(memberKey(m, i), toJsonAt(value[i], m[i].type, ts, style, 1));
    return o;
}

QString ValueJson::toHex(QByteArrayView bytes) {
    return QString::fromLatin1(bytes.toByteArray().toHex());
}

std::optional<QByteArray> ValueJson::fromHex(QStringView hex) {
    if (hex.startsWith(u"0x") || hex.startsWith(u"0X"))
        hex = hex.mid(2);
    if (hex.size() % 2)
        return std::nullopt;
    QByteArray out;
    out.reserve(hex.size() / 2);
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        const int hi = hexDigitValue(hex[i]);
        const int lo = hexDigitValue(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out.append(char(hi << 4 | lo));
    }
    return out;
}

} // namespace stdb
