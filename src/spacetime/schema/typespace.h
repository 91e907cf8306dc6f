// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/error.h"
#include "spacetime/schema/algebraictype.h"

#include <QList>

#include <optional>

namespace stdb {

// The module's list of types; AlgebraicType::ref(n) means types()[n].
class STDB_SCHEMA_EXPORT Typespace {
public:
    Typespace() = default;
    explicit Typespace(QList<AlgebraicType> types)
        : m_types(std::move(types)) {}

    const QList<AlgebraicType> &types() const { return m_types; }
    qsizetype size() const { return m_types.size(); }
    // nullptr when out of range.
    const AlgebraicType *at(quint32 index) const;
    // Appends a type and returns the ref that names it (for building schemas in code).
    AlgebraicType add(const AlgebraicType &type);

    // Follows Ref chains to a non-Ref type. Returns `type` itself when it is not a Ref, nullptr
    // for a dangling ref or a cycle of refs.
    const AlgebraicType *resolve(const AlgebraicType &type) const;

    // Every Ref anywhere in the typespace is in range and no type is only a cycle of refs.
    // The error names the offending entry ("typespace.types[3]…").
    Error validate(const QString &path = QStringLiteral("typespace.types")) const;
    // Checks the refs inside one type (not part of the typespace, e.g. reducer params).
    Error validateType(const AlgebraicType &type, const QString &path) const;

    // The BSATN size if every value of the type has the same size (products of fixed-size
    // primitives, special types); nullopt for strings, arrays, sums with unequal payloads,
    // dangling or recursive refs.
    std::optional<qsizetype> fixedSize(const AlgebraicType &type) const;

    bool operator==(const Typespace &) const = default;

private:
    std::optional<qsizetype> fixedSizeAt(const AlgebraicType &type, int depth) const;

    QList<AlgebraicType> m_types;
};

} // namespace stdb
