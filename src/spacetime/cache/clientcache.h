#pragma once

#include "spacetime/cache/tablecache.h"
#include "spacetime/protocol/messages.h"

#include <QHash>
#include <QStringList>

#include <memory>
#include <vector>

namespace stdb {

// The result of applying one server message: per-table deltas (only tables that changed, in
// registration order) plus anything that went wrong. Keeps deleted rows alive until it is
// destroyed, so signal handlers can still read them.
class CacheChanges {
public:
    CacheChanges() = default;
    CacheChanges(CacheChanges &&) noexcept = default;
    CacheChanges &operator=(CacheChanges &&) noexcept = default;
    ~CacheChanges();

    QList<TableDelta> tables;
    // Cache invariant violations (delete of an absent row, …): the caller resyncs.
    QStringList violations;
    // Tables the server sent that nobody registered: the bindings are out of date.
    QStringList unknownTables;

    bool isEmpty() const { return tables.isEmpty(); }
    const TableDelta *delta(const QString &table) const;

private:
    friend class ClientCache;
    std::vector<std::unique_ptr<TableCache::Storage>> m_oldStorage;
    bool m_releaseOnDestroy = true;
};

// The client-side replica of every subscribed table. Applies server messages atomically
// (the whole message before anyone hears about it) with row reference counts, inserts before
// deletes, and primary-key update detection; can reconcile against a fresh snapshot after a
// reconnect.
class ClientCache {
public:
    ClientCache();
    ~ClientCache();

    // Registration order is the order deltas (and so signals) come out in.
    TableCache *addTable(const QString &name);
    TableCache *table(const QString &name) const;
    const QList<TableCache *> &tables() const { return m_order; }

    CacheChanges applySubscribeApplied(protocol::QuerySetId set, const protocol::QueryRows &rows);
    // With rows (SendDroppedRows), those rows lose one delivery each; without, the set's rows
    // are dropped using what the cache recorded per query set.
    CacheChanges applyUnsubscribeApplied(protocol::QuerySetId set,
                                         const std::optional<protocol::QueryRows> &rows);
    CacheChanges applyTransaction(const protocol::TransactionUpdate &update);
    // A set failed after it was applied: its rows go.
    CacheChanges dropQuerySet(protocol::QuerySetId set);

    // Reconnect: while resyncing, applies go to a hidden fresh replica; readers keep seeing the
    // old one. finishResync() swaps it in and returns the difference as ordinary deltas.
    void beginResync();
    bool isResyncing() const { return bool(m_fresh); }
    CacheChanges finishResync();
    void abortResync();

    // Drops everything without signals (a new, unrelated connection).
    void clear();

private:
    struct Fresh;
    CacheChanges applyInputs(QHash<QString, TableInput> &inputs);
    TableCache *target(const QString &name) const;

    QHash<QString, TableCache *> m_tables;
    QList<TableCache *> m_order;
    std::vector<std::unique_ptr<TableCache>> m_owned;
    std::unique_ptr<Fresh> m_fresh;
    quint64 m_epoch = 0;
};

} // namespace stdb
