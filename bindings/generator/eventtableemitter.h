// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QString>

// Writes the header/source pair of one event table's handle. An event table's rows are events:
// the cache never keeps them, so the handle has no rows, finds or delete/update signals, only
// rowInserted once per event row (like the official SDKs' EventTable: on_insert only).
class EventTableEmitter {
public:
    EventTableEmitter(const GenModule &module, const GenTable &table);

    QString header() const;
    QString source() const;

private:
    const GenModule &m_module;
    const GenTable &m_table;
};
