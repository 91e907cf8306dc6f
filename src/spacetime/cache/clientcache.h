// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

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
class STDB_EXPORT CacheChanges {
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

// A snapshot of every registered table's configuration (name, keys, indexes), immutable and
// safe to read from any thread. Made by ClientCache::layout().
class STDB_EXPORT CacheLayout {
public:
    ~CacheLayout();

private:
    friend class ClientCache;
    QHash<QString, std::shared_ptr<const TableCache>> m_tables; // empty, configured clones
};

// The rows of one SubscribeApplied already built into tables of their own (hashed,
// deduplicated, counted, indexed), made by ClientCache::prepare() on any thread. Consumed by
// ClientCache::applySubscribeApplied() on the cache's thread.
class STDB_EXPORT PreparedSnapshot {
public:
    ~PreparedSnapshot();

private:
    friend class ClientCache;
    struct Table {
        std::unique_ptr<TableCache> table;
        TableDelta delta; // the inserts, pointing into table's storage
    };
    protocol::QuerySetId m_set = 0;
    QHash<QString, std::shared_ptr<Table>> m_tables;
};

// The client-side replica of every subscribed table. Applies server messages atomically
// (the whole message before anyone hears about it) with row reference counts, inserts before
// deletes, and primary-key update detection; can reconcile against a fresh snapshot after a
// reconnect.
class STDB_EXPORT ClientCache {
public:
    ClientCache();
    ~ClientCache();

    // Registration order is the order deltas (and so signals) come out in.
    TableCache *addTable(const QString &name);
    TableCache *table(const QString &name) const;
    const QList<TableCache *> &tables() const { return m_order; }

    CacheChanges applySubscribeApplied(protocol::QuerySetId set, const protocol::QueryRows &rows);
    // The same, taking over the tables `prepared` built for these rows wherever the target
    // table holds no rows (a first subscription, every resync replica): then the work left on
    // this thread is O(1) per table. Other tables are applied the ordinary way.
    CacheChanges applySubscribeApplied(protocol::QuerySetId set, const protocol::QueryRows &rows,
                                       PreparedSnapshot *prepared);

    // Large snapshots in two steps. layout() (this thread) snapshots the table configuration;
    // prepare() (any thread) builds the tables of every known table in `rows` that has at least
    // `minRows` rows; nullptr when none qualifies.
    std::shared_ptr<const CacheLayout> layout() const;
    static std::shared_ptr<PreparedSnapshot> prepare(const CacheLayout &layout,
                                                     protocol::QuerySetId set,
                                                     const protocol::QueryRows &rows,
                                                     qsizetype minRows = 0);
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
    CacheChanges applyInputs(QHash<QString, TableInput> &inputs,
                             PreparedSnapshot *prepared = nullptr);
    TableCache *target(const QString &name) const;

    QHash<QString, TableCache *> m_tables;
    QList<TableCache *> m_order;
    std::vector<std::unique_ptr<TableCache>> m_owned;
    std::unique_ptr<Fresh> m_fresh;
    quint64 m_epoch = 0;
    mutable std::shared_ptr<const CacheLayout> m_layout;
    mutable quint64 m_layoutSignature = 0;
};

} // namespace stdb
