// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/rowentry.h"
#include "spacetime/protocol/messages.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <deque>
#include <functional>
#include <memory>

namespace stdb {

class TableCache;

// What one server message changed in one table, computed after the whole message was applied.
// Entries stay valid until the CacheChanges that carries this delta is destroyed, even the
// deleted ones.
struct STDB_EXPORT TableDelta {
    TableCache *table = nullptr;
    QList<const RowEntry *> inserted;
    QList<const RowEntry *> deleted;
    QList<std::pair<const RowEntry *, const RowEntry *>> updated; // (old, new); PK tables only
    QList<QByteArrayView> events;                                 // event-table rows
    bool isEmpty() const {
        return inserted.isEmpty() && deleted.isEmpty() && updated.isEmpty() && events.isEmpty();
    }
};

// Row deliveries for one table, gathered from every query set of one message.
struct STDB_EXPORT TableInput {
    struct Rows {
        protocol::QuerySetId set = 0;
        const protocol::RowList *rows = nullptr;
    };
    QList<Rows> inserts;
    QList<Rows> deletes;
    QList<const protocol::RowList *> events;
};

// The client-side replica of one table: distinct rows keyed by their BSATN bytes, each with a
// reference count, plus hash indexes on key columns. Knows nothing about row types: the
// bindings give it key extractors (functions returning the bytes of one column of a row).
class STDB_EXPORT TableCache {
public:
    // Returns the bytes of one column within `row` (a sub-view of it), or a null view if the
    // row does not decode.
    using KeyExtractor = std::function<QByteArrayView(QByteArrayView row)>;
    // Returns the key of `row` in an ordered index (see orderkey.h), or a null array if the row
    // does not decode.
    using OrderKeyExtractor = std::function<QByteArray(QByteArrayView row)>;

    explicit TableCache(QString name);
    ~TableCache();
    TableCache(const TableCache &) = delete;
    TableCache &operator=(const TableCache &) = delete;

    const QString &name() const { return m_name; }

    // Configuration (before rows arrive). Key extractors must be pure functions of the row
    // bytes: a connection also calls them on its decoder thread to prepare large snapshots.
    void setPrimaryKey(const QString &column, KeyExtractor key);
    bool hasPrimaryKey() const { return bool(m_primaryKey); }
    const QString &primaryKeyColumn() const { return m_primaryKeyColumn; }
    // The primary key's bytes within `row` (a sub-view of it); a null view without a primary
    // key or when the row does not decode.
    QByteArrayView primaryKeyOf(QByteArrayView row) const {
        return m_primaryKey ? m_primaryKey(row) : QByteArrayView();
    }
    void addIndex(const QString &column, KeyExtractor key, bool unique);
    // An ordered (btree) index named `name`, over keys that compare as the rows' index columns
    // (orderkey.h). It costs nothing until the first range() on it, which builds it from the
    // cached rows; from then on it is kept up to date as rows come and go.
    void addOrderedIndex(const QString &name, OrderKeyExtractor key);
    void setEventTable(bool isEvent) {
        m_isEvent = isEvent;
        ++m_configSerial;
    }
    bool isEventTable() const { return m_isEvent; }

    // Reading. No copies: entries and views point into retained frame buffers.
    qsizetype count() const;
    const RowEntry *find(QByteArrayView rowBytes) const;
    const RowEntry *findByPrimaryKey(QByteArrayView key) const;
    // A unique column (or the primary key column) by name.
    const RowEntry *findUnique(const QString &column, QByteArrayView key) const;
    // Rows whose indexed column equals key.
    QList<const RowEntry *> filter(const QString &column, QByteArrayView key) const;
    // Rows whose key in ordered index `index` is in [from, to), in key order; an empty `to`
    // means "to the end". Empty for an unknown index name.
    QList<const RowEntry *> range(const QString &index, QByteArrayView from,
                                  QByteArrayView to) const;
    // Calls f(const RowEntry &) for every row, in no particular order.
    template <typename F>
    void forEach(F &&f) const;
    // The shared frame buffer that holds `entry`'s bytes; `entry` must be a row of this table
    // now (e.g. an inserted or updated row of the delta being reported; a deleted row may
    // belong to storage a resync replaced). Holding a copy keeps those bytes valid after the
    // row leaves the cache, at no cost beyond a reference count.
    const QByteArray &buffer(const RowEntry &entry) const;
    // Bytes that cached rows keep alive (frame buffers), for memory reports.
    qsizetype retainedBytes() const;

    // ---- used by ClientCache ----
    struct Storage;
    struct ApplyContext {
        quint64 epoch = 0;
        QStringList *violations = nullptr;
    };
    void apply(const TableInput &in, ApplyContext &ctx, TableDelta &out);
    // Removes every delivery made by query set `set`.
    void dropQuerySet(protocol::QuerySetId set, ApplyContext &ctx, TableDelta &out);
    // Replaces this table's contents with `fresh`'s, describing the difference in `out`.
    // Returns the old storage, which must outlive `out`.
    std::unique_ptr<Storage> adopt(TableCache &fresh, TableDelta &out);
    // Frees entries that were deleted by the last apply (after their signals went out).
    void releaseDeleted(const QList<const RowEntry *> &entries);
    // An empty table with the same name, keys and indexes (the hidden replica of a resync).
    std::unique_ptr<TableCache> cloneConfiguration() const;
    // Changes whenever keys, indexes or the event flag change; prepared tables built from an
    // older configuration are not adopted.
    quint64 configSerial() const { return m_configSerial; }
    // No rows and no entry still referenced by an undelivered delta: storage may be replaced.
    bool isPristine() const;
    // Takes over `prepared`'s storage (built by apply() on a clone of this table's
    // configuration, possibly on another thread) in O(1). Only when isPristine().
    void adoptPrepared(TableCache &prepared);
    // Forgets every row without reporting anything.
    void clear();

private:
    struct Index {
        QString column;
        KeyExtractor key;
        bool unique = false;
    };
    struct OrderedIndexConfig {
        QString name;
        OrderKeyExtractor key;
    };

    // The segment of the frame buffer the rows of one list point into, looked up once per
    // list instead of once per row (segments are only freed after the inserts).
    struct SegmentHint {
        const char *data = nullptr;
        quint32 segment = 0;
    };
    // Adds one delivery of a row. A row that was not cached yet is reported through `added`;
    // `touched` (when given) collects every entry this message changed, once.
    RowEntry *insertDelivery(QByteArrayView bytes, const QByteArray &buffer, SegmentHint &hint,
                             protocol::QuerySetId set, ApplyContext &ctx,
                             QList<RowEntry *> *touched, bool *added = nullptr);
    void deleteDelivery(QByteArrayView bytes, protocol::QuerySetId set, ApplyContext &ctx,
                        QList<RowEntry *> &touched);
    void finish(QList<RowEntry *> &touched, TableDelta &out);
    void indexRow(RowEntry *e);
    void unindexRow(RowEntry *e);
    void pairUpdates(TableDelta &out);
    void freeEntry(RowEntry *e);

    QString m_name;
    QString m_primaryKeyColumn;
    KeyExtractor m_primaryKey;
    QList<Index> m_indexConfig;
    QList<OrderedIndexConfig> m_orderedConfig;
    bool m_isEvent = false;
    quint64 m_configSerial = 0;
    std::unique_ptr<Storage> m_s;
};

} // namespace stdb

#include "spacetime/cache/tablecache_p.h"

namespace stdb {
template <typename F>
void TableCache::forEach(F &&f) const {
    m_s->rows.forEach([&f](const RowEntry *e, quint32) { f(*e); });
}
} // namespace stdb
