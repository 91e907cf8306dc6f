// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/expected.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace stdb {

struct TypeMember;

// A SATS type as it appears in module schemas: one of the 20 kinds, with Ref pointing into a
// Typespace. Immutable value type; copies share their members.
//
// Special types (Option, Result, Identity, ConnectionId, Timestamp, TimeDuration, Uuid,
// ScheduleAt) are ordinary sums/products that special() recognises by their member names, the
// way the server and the official code generators do (spec §1.4/§1.5).
class STDB_SCHEMA_EXPORT AlgebraicType {
public:
    // Enumerator order == BSATN tag of AlgebraicType == SATS-JSON variant order.
    enum class Kind : quint8 {
        Ref,
        Sum,
        Product,
        Array,
        String,
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
    };
    enum class Special : quint8 {
        None,
        Unit,  // empty product
        Never, // empty sum
        Option,
        Result,
        Identity,
        ConnectionId,
        Timestamp,
        TimeDuration,
        Uuid,
        ScheduleAt,
    };

    // The unit type (empty product).
    AlgebraicType();
    // A primitive kind (String, Bool, I8 … F64). Compound kinds need the factories below; passing
    // one here gives the empty form (unit product, never sum, Array<unit>, Ref 0).
    AlgebraicType(Kind kind);

    static AlgebraicType ref(quint32 index);
    static AlgebraicType product(QList<TypeMember> elements);
    static AlgebraicType sum(QList<TypeMember> variants);
    static AlgebraicType array(const AlgebraicType &element);

    static AlgebraicType unit() { return {}; }
    static AlgebraicType never() { return sum({}); }
    static AlgebraicType bytes() { return array(Kind::U8); }
    static AlgebraicType option(const AlgebraicType &some);
    static AlgebraicType result(const AlgebraicType &ok, const AlgebraicType &err);
    static AlgebraicType identity();
    static AlgebraicType connectionId();
    static AlgebraicType timestamp();
    static AlgebraicType timeDuration();
    static AlgebraicType uuid();
    static AlgebraicType scheduleAt();

    Kind kind() const { return m_kind; }
    bool isRef() const { return m_kind == Kind::Ref; }
    bool isProduct() const { return m_kind == Kind::Product; }
    bool isSum() const { return m_kind == Kind::Sum; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isPrimitive() const { return m_kind >= Kind::String; }
    bool isInteger() const { return m_kind >= Kind::I8 && m_kind <= Kind::U256; }
    bool isFloat() const { return m_kind == Kind::F32 || m_kind == Kind::F64; }
    // Byte width of a fixed-size primitive (bool 1, u32 4, u256 32, f64 8); 0 otherwise.
    int primitiveSize() const;

    // Ref only.
    quint32 refIndex() const { return m_ref; }
    // Array only (unit for other kinds).
    const AlgebraicType &elementType() const;
    // Product elements or sum variants, in BSATN order; empty for other kinds.
    const QList<TypeMember> &members() const;

    Special special() const;
    bool isUnit() const { return special() == Special::Unit; }
    bool isOption() const { return special() == Special::Option; }
    // A sum whose variants all have unit payloads (a C-like enum); false for Option.
    bool isPlainEnum() const;
    // Option<T>: T; Result<T, E>: T (okType) and E (errType). Unit for other types.
    const AlgebraicType &optionType() const;
    const AlgebraicType &okType() const { return optionType(); }
    const AlgebraicType &errType() const;

    // "U32", "Product", … (the SATS-JSON variant name of the kind).
    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(QStringView name);
    // Readable form: "Option<String>", "Array<U8>", "Identity", "Ref(3)", "{a: U8, b: String}",
    // "(Some(U8) | None)" …
    QString toString() const;

    // SATS-JSON form, as in the module schema (spec §4.5): {"U32": []}, {"Ref": 3}, …
    QJsonValue toJson() const;
    // Parses the SATS-JSON form; errors name the JSON path (`path` is the prefix to use, e.g.
    // "typespace.types[2]").
    static Expected<AlgebraicType> fromJson(const QJsonValue &json, const QString &path = {});

    bool operator==(const AlgebraicType &o) const;

private:
    Kind m_kind = Kind::Product;
    quint32 m_ref = 0;
    std::shared_ptr<const QList<TypeMember>> m_members; // Product / Sum
    std::shared_ptr<const AlgebraicType> m_element;     // Array
};

// One product element or sum variant. Names are optional in SATS (tuples, unnamed variants).
struct STDB_SCHEMA_EXPORT TypeMember {
    std::optional<QString> name;
    AlgebraicType type;

    TypeMember() = default;
    TypeMember(std::optional<QString> n, AlgebraicType t)
        : name(std::move(n))
        , type(std::move(t)) {}
    TypeMember(const char *n, AlgebraicType t)
        : name(QString::fromUtf8(n))
        , type(std::move(t)) {}
    bool operator==(const TypeMember &) const = default;
};

} // namespace stdb
