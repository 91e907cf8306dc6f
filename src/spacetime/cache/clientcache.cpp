// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/clientcache.h"

namespace stdb {

CacheChanges::~CacheChanges() {
    if (!m_releaseOnDestroy)
        return;
    for (const TableDelta &d : std::as_const(tables)) {
        if (!d.table)
            continue;
        // Rows that left the live storage are freed now that everyone has seen them. After a
        // resync swap they belong to the parked old storage, which goes away with us instead.
        if (!m_oldStorage.empty())
            continue;
        d.table->releaseDeleted(d.deleted);
        QList<const RowEntry *> oldHalves;
        oldHalves.reserve(d.updated.size());
        for (const auto &[oldRow, newRow] : d.updated)
            oldHalves.append(oldRow);
        d.table->releaseDeleted(oldHalves);
    }
}

const TableDelta *CacheChanges::delta(const QString &table) const {
    for (const TableDelta &d : tables)
        if (d.table && d.table->name() == table)
            return &d;
    return nullptr;
}

// The hidden replica built during a resync: one TableCache per registered table, configured
// like the live one.
struct ClientCache::Fresh {
    QHash<QString, TableCache *> tables;
    std::vector<std::unique_ptr<TableCache>> owned;
};

ClientCache::ClientCache() = default;
ClientCache::~ClientCache() = default;

TableCache *ClientCache::addTable(const QString &name) {
    if (TableCache *t = m_tables.value(name))
        return t;
    m_owned.push_back(std::make_unique<TableCache>(name));
    TableCache *t = m_owned.back().get();
    m_tables.insert(name, t);
    m_order.append(t);
    return t;
}

TableCache *ClientCache::table(const QString &name) const {
    return m_tables.value(name, nullptr);
}

TableCache *ClientCache::target(const QString &name) const {
    if (m_fresh) {
        if (TableCache *t = m_fresh->tables.value(name, nullptr))
            return t;
        // A table registered after beginResync(): give the hidden replica its twin now that
        // its keys are configured, instead of dereferencing a missing one.
        TableCache *live = m_tables.value(name, nullptr);
        if (!live)
            return nullptr;
        m_fresh->owned.push_back(live->cloneConfiguration());
        TableCache *t = m_fresh->owned.back().get();
        m_fresh->tables.insert(name, t);
        return t;
    }
    return m_tables.value(name, nullptr);
}

CacheLayout::~CacheLayout() = default;
PreparedSnapshot::~PreparedSnapshot() = default;

namespace {
// Epoch of tables built by prepare(): the live cache counts up from 1 and never reaches it, so
// adopted entries never look "already touched by the message being applied".
constexpr quint64 kPreparedEpoch = ~quint64(0);
} // namespace

std::shared_ptr<const CacheLayout> ClientCache::layout() const {
    // Serials only grow, so their sum (with the table count) changes with any configuration.
    quint64 signature = quint64(m_order.size()) << 48;
    for (const TableCache *t : m_order)
        signature += t->configSerial();
    if (!m_layout || signature != m_layoutSignature) {
        auto l = std::make_shared<CacheLayout>();
        for (const TableCache *t : m_order)
            l->m_tables.insert(t->name(), t->cloneConfiguration());
        m_layout = std::move(l);
        m_layoutSignature = signature;
    }
    return m_layout;
}

std::shared_ptr<PreparedSnapshot> ClientCache::prepare(const CacheLayout &layout,
                                                       protocol::QuerySetId set,
                                                       const protocol::QueryRows &rows,
                                                       qsizetype minRows) {
    QHash<QString, TableInput> inputs;
    for (const auto &t : rows.tables)
        inputs[t.table].inserts.append({set, &t.rows});
    std::shared_ptr<PreparedSnapshot> out;
    for (auto it = inputs.cbegin(); it != inputs.cend(); ++it) {
        const std::shared_ptr<const TableCache> config = layout.m_tables.value(it.key());
        if (!config || config->isEventTable())
            continue;
        qsizetype n = 0;
        for (const auto &d : it.value().inserts)
            n += d.rows->rowCount();
        if (n < minRows)
            continue;
        auto table = std::make_shared<PreparedSnapshot::Table>();
        table->table = config->cloneConfiguration();
        QStringList violations; // inserts into an empty table cannot violate anything
        TableCache::ApplyContext ctx;
        ctx.epoch = kPreparedEpoch;
        ctx.violations = &violations;
        table->table->apply(it.value(), ctx, table->delta);
        if (!out) {
            out = std::make_shared<PreparedSnapshot>();
            out->m_set = set;
        }
        out->m_tables.insert(it.key(), std::move(table));
    }
    return out;
}

CacheChanges ClientCache::applySubscribeApplied(protocol::QuerySetId set,
                                                const protocol::QueryRows &rows,
                                                PreparedSnapshot *prepared) {
    QHash<QString, TableInput> inputs;
    for (const auto &t : rows.tables)
        inputs[t.table].inserts.append({set, &t.rows});
    return applyInputs(inputs, prepared && prepared->m_set == set ? prepared : nullptr);
}

CacheChanges ClientCache::applyInputs(QHash<QString, TableInput> &inputs,
                                      PreparedSnapshot *prepared) {
    CacheChanges changes;
    TableCache::ApplyContext ctx;
    ctx.epoch = ++m_epoch;
    ctx.violations = &changes.violations;
    // Registration order keeps signal order deterministic.
    for (TableCache *live : std::as_const(m_order)) {
        auto it = inputs.find(live->name());
        if (it == inputs.end())
            continue;
        TableCache *t = target(live->name());
        TableDelta delta;
        const std::shared_ptr<PreparedSnapshot::Table> ready =
            prepared ? prepared->m_tables.take(live->name()) : nullptr;
        if (ready && ready->table->configSerial() == t->configSerial() && t->isPristine()) {
            // Built off this thread from exactly these rows: take it over as it is.
            t->adoptPrepared(*ready->table);
            delta = std::move(ready->delta);
        } else {
            t->apply(it.value(), ctx, delta);
        }
        delta.table = live;
        if (m_fresh) {
            // Nobody hears about the hidden replica; its deltas are settled by finishResync().
            t->releaseDeleted(delta.deleted);
            QList<const RowEntry *> oldHalves;
            for (const auto &[o, n] : delta.updated)
                oldHalves.append(o);
            t->releaseDeleted(oldHalves);
            // Event rows are no state to reconcile: they come once, so they are reported now,
            // against the live table, or never.
            if (!delta.events.isEmpty()) {
                TableDelta events;
                events.table = live;
                events.events = std::move(delta.events);
                changes.tables.append(std::move(events));
            }
            continue;
        }
        if (!delta.isEmpty())
            changes.tables.append(std::move(delta));
        inputs.erase(it);
    }
    if (!m_fresh) {
        for (auto it = inputs.cbegin(); it != inputs.cend(); ++it)
            changes.unknownTables.append(it.key());
    } else {
        for (auto it = inputs.cbegin(); it != inputs.cend(); ++it)
            if (!m_tables.contains(it.key()))
                changes.unknownTables.append(it.key());
    }
    changes.unknownTables.sort();
    return changes;
}

CacheChanges ClientCache::applySubscribeApplied(protocol::QuerySetId set,
                                                const protocol::QueryRows &rows) {
    QHash<QString, TableInput> inputs;
    for (const auto &t : rows.tables)
        inputs[t.table].inserts.append({set, &t.rows});
    return applyInputs(inputs);
}

CacheChanges ClientCache::applyUnsubscribeApplied(protocol::QuerySetId set,
                                                  const std::optional<protocol::QueryRows> &rows) {
    if (!rows)
        return dropQuerySet(set);
    QHash<QString, TableInput> inputs;
    for (const auto &t : rows->tables)
        inputs[t.table].deletes.append({set, &t.rows});
    return applyInputs(inputs);
}

CacheChanges ClientCache::applyTransaction(const protocol::TransactionUpdate &update) {
    QHash<QString, TableInput> inputs;
    for (const auto &qs : update.querySets) {
        for (const auto &tu : qs.tables) {
            TableInput &in = inputs[tu.tableName];
            for (const auto &rows : tu.rows) {
                if (const auto *p = std::get_if<protocol::PersistentTableRows>(&rows)) {
                    // Most transactions only insert or only delete: no list for the other.
                    if (!p->inserts.isEmpty())
                        in.inserts.append({qs.querySetId, &p->inserts});
                    if (!p->deletes.isEmpty())
                        in.deletes.append({qs.querySetId, &p->deletes});
                } else {
                    in.events.append(&std::get<protocol::EventTableRows>(rows).events);
                }
            }
        }
    }
    return applyInputs(inputs);
}

CacheChanges ClientCache::dropQuerySet(protocol::QuerySetId set) {
    CacheChanges changes;
    TableCache::ApplyContext ctx;
    ctx.epoch = ++m_epoch;
    ctx.violations = &changes.violations;
    for (TableCache *live : std::as_const(m_order)) {
        TableCache *t = target(live->name());
        TableDelta delta;
        t->dropQuerySet(set, ctx, delta);
        delta.table = live;
        if (m_fresh) {
            t->releaseDeleted(delta.deleted);
            continue;
        }
        if (!delta.isEmpty())
            changes.tables.append(std::move(delta));
    }
    return changes;
}

void ClientCache::beginResync() {
    m_fresh = std::make_unique<Fresh>();
    // The fresh tables need the live tables' key configuration; TableCache has no copy, so
    // the fresh replica borrows configuration through a clone of the settings.
    for (TableCache *live : std::as_const(m_order)) {
        m_fresh->owned.push_back(live->cloneConfiguration());
        m_fresh->tables.insert(live->name(), m_fresh->owned.back().get());
    }
}

CacheChanges ClientCache::finishResync() {
    CacheChanges changes;
    if (!m_fresh)
        return changes;
    for (TableCache *live : std::as_const(m_order)) {
        TableCache *fresh = target(live->name());
        TableDelta delta;
        changes.m_oldStorage.push_back(live->adopt(*fresh, delta));
        if (!delta.isEmpty())
            changes.tables.append(std::move(delta));
    }
    m_fresh.reset();
    return changes;
}

void ClientCache::abortResync() {
    m_fresh.reset();
}

void ClientCache::clear() {
    m_fresh.reset();
    for (TableCache *t : std::as_const(m_order))
        t->clear();
}

} // namespace stdb
