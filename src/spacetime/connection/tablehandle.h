// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/tablecache.h"
#include "spacetime/connection/eventcontext.h"

#include <QObject>
#include <QPointer>

namespace stdb {

class DbConnection;

// The SDK side of one table of the module: bound to the table's cache, registered with the
// connection under the table's wire name. The connection calls dispatch() once per message that
// changed the table, after the whole message is in the cache, in table registration order.
//
// Generated bindings subclass it: they configure keys and indexes on cache() in their
// constructor and override dispatch() to emit typed rowInserted/rowDeleted/rowUpdated signals.
// Used as is, it emits the raw signals below (tools, tests).
class STDB_EXPORT TableHandle : public QObject {
    Q_OBJECT
public:
    // Registers `tableName` with `connection` and becomes its child. Construct handles before
    // the event loop runs after build(), so no rows arrive before the table is known.
    TableHandle(DbConnection *connection, const QString &tableName);
    ~TableHandle() override;

    const QString &tableName() const { return m_name; }
    DbConnection *connection() const;
    // The live rows. Configure primary key and indexes here before rows arrive.
    TableCache *cache() const { return m_cache; }
    qsizetype count() const { return m_cache ? m_cache->count() : 0; }

Q_SIGNALS:
    // Around every dispatch(): models bracket their changes with these.
    void changesAboutToBeReported(const stdb::EventContext &ctx);
    void changesReported(const stdb::EventContext &ctx);

    // Everything one message changed in this table, once, after dispatch() (so after the
    // per-row signals of the bindings). For consumers that read rows in place: entries stay
    // valid until the handlers return, and cache()->buffer(*entry) keeps a row's bytes alive
    // beyond that without copying them.
    void rawChanges(const stdb::TableDelta &delta, const stdb::EventContext &ctx);

    // Emitted by the default dispatch(). Entries stay valid until the signal handlers return.
    void rawRowDeleted(const stdb::RowEntry *row, const stdb::EventContext &ctx);
    void rawRowUpdated(const stdb::RowEntry *oldRow, const stdb::RowEntry *newRow,
                       const stdb::EventContext &ctx);
    void rawRowInserted(const stdb::RowEntry *row, const stdb::EventContext &ctx);
    void rawEvent(QByteArrayView row, const stdb::EventContext &ctx);

protected:
    // One message's changes to this table. The default emits the raw signals in the order
    // deletes, updates, inserts, events (so a handler never sees two live rows for one key).
    virtual void dispatch(const TableDelta &delta, const EventContext &ctx);
    // A resync replaced the table's storage: every RowEntry pointer handed out before is
    // stale once the following dispatch() returns, including those of unchanged rows. Handles
    // that keep data keyed by RowEntry pointer rebuild it here (the new rows are in cache()).
    virtual void storageReplaced() {}

private:
    friend class DbConnection;
    friend class DbConnectionPrivate;
    void report(const TableDelta &delta, const EventContext &ctx);
    void notifyStorageReplaced() { storageReplaced(); }

    QPointer<DbConnection> m_connection;
    TableCache *m_cache = nullptr;
    QString m_name;
};

} // namespace stdb
