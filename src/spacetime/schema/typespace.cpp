// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/typespace.h"

#include "spacetime/schema/jsonpath.h"

namespace stdb {

namespace {

// Recursive types are legal in SATS; anything deeper than this is treated as "not fixed".
constexpr int kMaxDepth = 64;

} // namespace

const AlgebraicType *Typespace::at(quint32 index) const {
    return index < quint32(m_types.size()) ? &m_types[qsizetype(index)] : nullptr;
}

AlgebraicType Typespace::add(const AlgebraicType &type) {
    m_types.append(type);
    return AlgebraicType::ref(quint32(m_types.size() - 1));
}

const AlgebraicType *Typespace::resolve(const AlgebraicType &type) const {
    const AlgebraicType *t = &type;
    // A chain longer than the typespace must contain a cycle.
    for (qsizetype steps = 0; t->isRef(); ++steps) {
        if (steps > m_types.size())
            return nullptr;
        t = at(t->refIndex());
        if (!t)
            return nullptr;
    }
    return t;
}

Error Typespace::validateType(const AlgebraicType &type, const QString &path) const {
    switch (type.kind()) {
    case AlgebraicType::Kind::Ref:
        if (!at(type.refIndex()))
            return JsonPath::error(path, QStringLiteral("type ref %1 out of range (typespace has "
                                                        "%2 types)")
                                             .arg(type.refIndex())
                                             .arg(m_types.size()));
        if (!resolve(type))
            return JsonPath::error(
                path, QStringLiteral("type ref %1 is a cycle of refs").arg(type.refIndex()));
        return {};
    case AlgebraicType::Kind::Array:
        return validateType(type.elementType(), JsonPath::key(path, u"Array"));
    case AlgebraicType::Kind::Product:
    case AlgebraicType::Kind::Sum: {
        const bool product = type.isProduct();
        const QString listPath = JsonPath::key(JsonPath::key(path, product ? u"Product" : u"Sum"),
                                               product ? u"elements" : u"variants");
        const QList<TypeMember> &m = type.members();
        for (qsizetype i = 0; i < m.size(); ++i) {
            Error e = validateType(m[i].type,
                                   JsonPath::key(JsonPath::index(listPath, i), u"algebraic_type"));
            if (e)
                return e;
        }
        return {};
    }
    default:
        return {};
    }
}

Error Typespace::validate(const QString &path) const {
    for (qsizetype i = 0; i < m_types.size(); ++i) {
        Error e = validateType(m_types[i], JsonPath::index(path, i));
        if (e)
            return e;
    }
    return {};
}

std::optional<qsizetype> Typespace::fixedSize(const AlgebraicType &type) const {
    return fixedSizeAt(type, 0);
}

std::optional<qsizetype> Typespace::fixedSizeAt(const AlgebraicType &type, int depth) const {
    if (depth > kMaxDepth)
        return std::nullopt;
    const AlgebraicType *t = resolve(type);
    if (!t)
        return std::nullopt;
    if (t->primitiveSize() > 0)
        return t->primitiveSize();
    switch (t->kind()) {
    case AlgebraicType::Kind::Product: {
        qsizetype total = 0;
        for (const TypeMember &m : t->members()) {
            const auto s = fixedSizeAt(m.type, depth + 1);
            if (!s)
                return std::nullopt;
            total += *s;
        }
        return total;
    }
    case AlgebraicType::Kind::Sum: {
        // Only when every variant's payload has the same fixed size (e.g. plain enums).
        std::optional<qsizetype> payload;
        for (const TypeMember &m : t->members()) {
            const auto s = fixedSizeAt(m.type, depth + 1);
            if (!s || (payload && *payload != *s))
                return std::nullopt;
            payload = s;
        }
        if (!payload)
            return std::nullopt; // never: no values at all
        return 1 + *payload;
    }
    default:
        return std::nullopt;
    }
}

} // namespace stdb
