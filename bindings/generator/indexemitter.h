// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// The ordered-index part of a table handle (GenTable::orderedIndexes): key extractors that
// encode a row's index columns as order keys (spacetime/cache/orderkey.h), their registration
// with the cache, and the lookups: prefix equality (filterBy<Cols>(a) / (a, b)), ranges on the
// column after an equal prefix (filterBy<Cols>(a, Bound from, Bound to)) and, for a unique
// constraint on the columns, findBy<Cols>(a, b).
class IndexEmitter {
public:
    IndexEmitter(const GenModule &module, const GenTable &table);

    bool isEmpty() const { return m_table.orderedIndexes.isEmpty(); }
    QString declarations() const;        // public lookups
    QString privateDeclarations() const; // the shared range helper
    QString keyFunctions() const;        // for the source's anonymous namespace
    QString configuration() const;       // statements of configureCache()
    QString definitions() const;

    // Whether orderkey::append() orders values of this column's type.
    bool isOrdered(const GenField &column) const;

private:
    struct Lookup {
        enum class Kind { Equal, Range, Find };
        Kind kind;
        const GenOrderedIndex *index;
        int prefix; // equal columns before the range column (Range) or in all (Equal, Find)
    };
    QList<Lookup> lookups() const;
    QString signature(const Lookup &l, const QString &qualifier) const;
    QString params(const Lookup &l) const;
    QString appendColumn(int column, const QString &value) const;
    QString keyFunction(const GenOrderedIndex &index) const;

    const GenModule &m_module;
    const GenTable &m_table;
};
