// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// Writes the header/source pair of one table's list model: a thin stdb::TableModel subclass
// that names one role per column, decodes rows into the generated gadget and compares them
// column by column (so dataChanged names only the roles that changed). Event tables keep no
// rows and get no model.
class ModelEmitter {
public:
    ModelEmitter(const GenModule &module, const GenTable &table);

    static bool hasModel(const GenTable &table) { return !table.isEvent; }
    static QString className(const GenTable &table) {
        return table.cppClass + QStringLiteral("Model");
    }
    static QString fileStem(const GenTable &table) {
        return table.fileStem + QStringLiteral("model");
    }
    // What the table handle's class declares for its model: createModel().
    static QString handleDeclaration(const GenTable &table);

    QString header() const;
    QString source() const;

private:
    const GenModule &m_module;
    const GenTable &m_table;
};
