// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// The typed query builder's part of a table handle: `struct Cols` with one stdb::query::Col
// per column whose type has an SQL literal, and `static query()`.
class QueryEmitter {
public:
    QueryEmitter(const GenModule &module, const GenTable &table);

    QString declarations() const;
    // The stdb::query::Col type of a column, or empty when SQL has no literal for its type.
    // Relative to the Col alias declared in Cols.
    static QString columnType(const GenField &column);

private:
    const GenModule &m_module;
    const GenTable &m_table;
};
