// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/expected.h"
#include "spacetime/schema/schemadefs.h"
#include "spacetime/schema/typespace.h"

#include <QByteArrayView>
#include <QJsonValue>

namespace stdb {

// A module's schema, parsed from the JSON of `GET /v1/database/:name/schema?version=9|10`
// (spec §4.5), either bare or wrapped as {"V9": …} / {"V10": …}. V10 documents are normalised to
// the V9 view: canonical names from ExplicitNames, lifecycle and schedules attached to their
// reducers/tables.
//
// Parsing never crashes on odd input; errors name the JSON path that failed, e.g.
// "tables[1].product_type_ref: expected a number, got a string".
class STDB_SCHEMA_EXPORT ModuleSchema {
public:
    ModuleSchema() = default;

    // Parses JSON text; integers beyond qint64 are kept exact (see ExactJson).
    static Expected<ModuleSchema> fromJson(QByteArrayView json);
    static Expected<ModuleSchema> fromJsonValue(const QJsonValue &root);

    int version() const { return m_version; } // 9 or 10
    const Typespace &typespace() const { return m_typespace; }

    const QList<TableDef> &tables() const { return m_tables; }
    const QList<ReducerDef> &reducers() const { return m_reducers; }
    const QList<ProcedureDef> &procedures() const { return m_procedures; }
    const QList<ViewDef> &views() const { return m_views; }
    const QList<TypeDef> &types() const { return m_types; }
    const QStringList &rowLevelSecurity() const { return m_rowLevelSecurity; }

    // Look-ups by canonical name; nullptr when absent.
    const TableDef *table(QStringView name) const;
    const ReducerDef *reducer(QStringView name) const;
    const ProcedureDef *procedure(QStringView name) const;
    const ViewDef *view(QStringView name) const;
    // The declared name of a typespace entry, if the module names it.
    const TypeDef *typeDef(quint32 ref) const;

    // The row product of what arrives under `name` in a row list: a table's row type, else a
    // view's row type; nullptr if neither exists.
    const AlgebraicType *rowTypeOf(QStringView name) const;
    // Column definitions for the same.
    const QList<FieldDef> *columnsOf(QStringView name) const;

private:
    friend class SchemaParser;

    int m_version = 9;
    Typespace m_typespace;
    QList<TableDef> m_tables;
    QList<ReducerDef> m_reducers;
    QList<ProcedureDef> m_procedures;
    QList<ViewDef> m_views;
    QList<TypeDef> m_types;
    QStringList m_rowLevelSecurity;
};

} // namespace stdb
