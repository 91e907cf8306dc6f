// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/tablehandle.h"

#include "spacetime/connection/dbconnection.h"

#include <QMetaMethod>

namespace stdb {

TableHandle::TableHandle(DbConnection *connection, const QString &tableName)
    : QObject(connection)
    , m_connection(connection)
    , m_name(tableName) {
    if (connection)
        m_cache = connection->registerTable(this);
}

DbConnection *TableHandle::connection() const {
    return m_connection;
}

TableHandle::~TableHandle() {
    if (m_connection)
        m_connection->unregisterTable(this);
}

void TableHandle::report(const TableDelta &delta, const EventContext &ctx) {
    Q_EMIT changesAboutToBeReported(ctx);
    dispatch(delta, ctx);
    Q_EMIT rawChanges(delta, ctx);
    Q_EMIT changesReported(ctx);
}

void TableHandle::dispatch(const TableDelta &delta, const EventContext &ctx) {
    // A million-row snapshot is a million emissions even with nobody listening: skip them.
    static const QMetaMethod raw[] = {
        QMetaMethod::fromSignal(&TableHandle::rawRowDeleted),
        QMetaMethod::fromSignal(&TableHandle::rawRowUpdated),
        QMetaMethod::fromSignal(&TableHandle::rawRowInserted),
        QMetaMethod::fromSignal(&TableHandle::rawEvent),
    };
    bool listened = false;
    for (const QMetaMethod &signal : raw)
        listened = listened || isSignalConnected(signal);
    if (!listened)
        return;
    for (const RowEntry *row : delta.deleted)
        Q_EMIT rawRowDeleted(row, ctx);
    for (const auto &[oldRow, newRow] : delta.updated)
        Q_EMIT rawRowUpdated(oldRow, newRow, ctx);
    for (const RowEntry *row : delta.inserted)
        Q_EMIT rawRowInserted(row, ctx);
    for (QByteArrayView row : delta.events)
        Q_EMIT rawEvent(row, ctx);
}

} // namespace stdb
