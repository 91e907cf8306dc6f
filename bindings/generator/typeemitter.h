// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// Writes the header/source pair of one generated type: a struct for a product (also reducer
// arguments), a std::variant-based class for a sum, an enum class for a plain enum; each with
// its stdb::BsatnCodec specialisation.
class TypeEmitter {
public:
    TypeEmitter(const GenModule &module, const GenType &type);

    QString header() const;
    QString source() const;

private:
    QString qualified() const { return m_module.nameSpace + QStringLiteral("::") + m_type.cppName; }
    QString comment() const;
    QString productBody() const;
    QString sumBody() const;
    QString enumBody() const;
    QString codecDeclaration() const;
    QString codecWrite() const;
    QString codecRead() const;
    QString sumMembers() const;
    QString enumMembers() const;

    const GenModule &m_module;
    const GenType &m_type;
};
