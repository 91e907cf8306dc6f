// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// The Qt meta-object parts of a generated type (docs/bindings.md, "Rows, enums and models in
// Qt"): a product (not reducer or procedure arguments) becomes a Q_GADGET with one Q_PROPERTY per
// field, a sum a Q_GADGET with tag, variant and value, and a plain enum is declared inside a
// Q_GADGET holder (<Enum>Meta) that registers it with Q_ENUM. Fields whose C++ type QML cannot
// use get a qml_<field>() getter that converts with stdb::QmlValue.
class GadgetEmitter {
public:
    GadgetEmitter(const GenModule &module, const GenType &type);

    // The holder of a plain enum's meta-object.
    static QString enumHolder(const QString &enumCppName) {
        return enumCppName + QStringLiteral("Meta");
    }

    bool isGadget() const;
    // Needs spacetime/models/qmlvalue.h (some getter converts).
    bool needsQmlValue() const;
    // Q_GADGET and the Q_PROPERTY lines, then "public:", opening a product's or sum's body.
    QString classHead() const;
    // The getters' declarations (with a comment) inside the class; empty when there are none.
    QString getterDeclarations() const;
    // Their definitions, inside the module's namespace.
    QString getterDefinitions() const;
    // A plain enum: the holder with the enum, the alias and toString().
    QString enumDeclaration() const;

private:
    struct Property {
        QString type;
        bool member = false; // MEMBER: QML uses the C++ type as it is
    };
    Property property(const GenField &field) const;

    const GenModule &m_module;
    const GenType &m_type;
};
