// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// Writes the header/source pair of one table or view handle: a stdb::TableHandle subclass
// that configures the table's keys on the cache, decodes rows on demand and emits typed
// signals. (Event tables have their own: EventTableEmitter.)
class TableEmitter {
public:
    TableEmitter(const GenModule &module, const GenTable &table);

    QString header() const;
    QString source() const;

    // The two decodeRow overloads of a table handle (shared with EventTableEmitter): the
    // declarations in the class, and their definitions.
    static QString decodeRowDeclarations(const GenTable &table);
    static QString decodeRowDefinitions(const GenTable &table);

private:
    QString classComment() const;
    // kScheduledReducer / kScheduledProcedure and kScheduledAtColumn of a scheduled table.
    QString scheduleConstants() const;
    QString keyExtractor(int column) const;
    QString lookupDeclaration(const GenIndex &index) const;
    QString lookupDefinition(const GenIndex &index) const;
    QString decodeChangesDefinition() const;
    QString dispatchDefinition() const;
    QString keyFunction(int column) const;
    bool hasUpdates() const { return m_table.primaryKey >= 0; }

    const GenModule &m_module;
    const GenTable &m_table;
};
