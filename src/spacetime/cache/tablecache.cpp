// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/tablecache.h"

#include "spacetime/hugepages.h"

namespace stdb {

namespace {
quint32 hashRow(QByteArrayView bytes) {
    const size_t h = qHashBits(bytes.data(), size_t(bytes.size()), 0x9e3779b97f4a7c15ULL);
    return quint32(h ^ (quint64(h) >> 32));
}
} // namespace

TableCache::TableCache(QString name)
    : m_name(std::move(name))
    , m_s(std::make_unique<Storage>()) {}

TableCache::~TableCache() = default;

void TableCache::setPrimaryKey(const QString &column, KeyExtractor key) {
    m_primaryKeyColumn = column;
    m_primaryKey = std::move(key);
    ++m_configSerial;
}

void TableCache::addIndex(const QString &column, KeyExtractor key, bool unique) {
    m_indexConfig.append({column, std::move(key), unique});
    m_s->indexes.resize(m_indexConfig.size());
    ++m_configSerial;
}

void TableCache::addOrderedIndex(const QString &name, OrderKeyExtractor key) {
    m_orderedConfig.append({name, std::move(key)});
    ++m_configSerial;
}

QList<const RowEntry *> TableCache::range(const QString &index, QByteArrayView from,
                                          QByteArrayView to) const {
    QList<const RowEntry *> out;
    qsizetype i = 0;
    while (i < m_orderedConfig.size() && m_orderedConfig[i].name != index)
        ++i;
    if (i == m_orderedConfig.size())
        return out;
    auto &ordered = m_s->ordered;
    if (qsizetype(ordered.size()) <= i)
        ordered.resize(size_t(i) + 1);
    if (!ordered[size_t(i)]) {
        // First use: build it from the rows now cached; indexRow() maintains it from here on.
        auto idx = std::make_unique<OrderedIndex>();
        const OrderKeyExtractor &key = m_orderedConfig[i].key;
        m_s->rows.forEach([&](const RowEntry *e, quint32) {
            QByteArray k = key(e->bytes());
            if (!k.isNull())
                idx->items.emplace(std::move(k), e);
        });
        ordered[size_t(i)] = std::move(idx);
    }
    const auto &items = ordered[size_t(i)]->items;
    for (auto it = items.lower_bound(from); it != items.end(); ++it) {
        if (!to.isEmpty() && OrderedIndex::Less::compare(it->first, to) >= 0)
            break;
        out.append(it->second);
    }
    return out;
}

qsizetype TableCache::count() const {
    return m_s->rows.size();
}

const RowEntry *TableCache::find(QByteArrayView rowBytes) const {
    return m_s->rows.find(rowBytes, hashRow(rowBytes));
}

const RowEntry *TableCache::findByPrimaryKey(QByteArrayView key) const {
    return m_s->primaryKey.value(key, nullptr);
}

const RowEntry *TableCache::findUnique(const QString &column, QByteArrayView key) const {
    if (m_primaryKey && column == m_primaryKeyColumn)
        return findByPrimaryKey(key);
    for (qsizetype i = 0; i < m_indexConfig.size(); ++i)
        if (m_indexConfig[i].column == column)
            return m_s->indexes[i].value(QByteArray::fromRawData(key.data(), key.size()), nullptr);
    return nullptr;
}

QList<const RowEntry *> TableCache::filter(const QString &column, QByteArrayView key) const {
    QList<const RowEntry *> out;
    for (qsizetype i = 0; i < m_indexConfig.size(); ++i) {
        if (m_indexConfig[i].column != column)
            continue;
        const auto &idx = m_s->indexes[i];
        const QByteArray k = QByteArray::fromRawData(key.data(), key.size());
        for (auto it = idx.constFind(k); it != idx.cend() && it.key() == k; ++it)
            out.append(it.value());
        return out;
    }
    if (m_primaryKey && column == m_primaryKeyColumn) {
        if (const RowEntry *e = findByPrimaryKey(key))
            out.append(e);
    }
    return out;
}

const QByteArray &TableCache::buffer(const RowEntry &entry) const {
    const QByteArray &b = m_s->segments.at(entry.m_segment).buffer;
    Q_ASSERT(entry.m_data >= b.constData() &&
             entry.m_data + entry.m_size <= b.constData() + b.size());
    return b;
}

qsizetype TableCache::retainedBytes() const {
    qsizetype n = 0;
    for (const auto &seg : m_s->segments)
        if (seg.live)
            n += seg.buffer.size();
    return n;
}

void TableCache::indexRow(RowEntry *e) {
    const QByteArrayView row = e->bytes();
    if (m_primaryKey) {
        const QByteArrayView k = m_primaryKey(row);
        if (!k.isNull()) {
            // QHash::insert() keeps the existing key object: that view points into the bytes of
            // the row being replaced (an update), which are freed soon. Re-key from this row.
            m_s->primaryKey.remove(k);
            m_s->primaryKey.insert(k, e);
        }
    }
    for (qsizetype i = 0; i < m_indexConfig.size(); ++i) {
        const QByteArrayView k = m_indexConfig[i].key(row);
        if (!k.isNull())
            m_s->indexes[i].insert(k.toByteArray(), e);
    }
    for (size_t i = 0; i < m_s->ordered.size(); ++i) {
        if (!m_s->ordered[i])
            continue;
        QByteArray k = m_orderedConfig[qsizetype(i)].key(row);
        if (!k.isNull())
            m_s->ordered[i]->items.emplace(std::move(k), e);
    }
}

void TableCache::unindexRow(RowEntry *e) {
    const QByteArrayView row = e->bytes();
    if (m_primaryKey) {
        const QByteArrayView k = m_primaryKey(row);
        auto it = m_s->primaryKey.find(k);
        if (it != m_s->primaryKey.end() && it.value() == e)
            m_s->primaryKey.erase(it);
    }
    for (qsizetype i = 0; i < m_indexConfig.size(); ++i) {
        const QByteArrayView k = m_indexConfig[i].key(row);
        if (!k.isNull())
            m_s->indexes[i].remove(QByteArray::fromRawData(k.data(), k.size()), e);
    }
    for (size_t i = 0; i < m_s->ordered.size(); ++i) {
        if (!m_s->ordered[i])
            continue;
        QByteArray k = m_orderedConfig[qsizetype(i)].key(row);
        if (!k.isNull())
            m_s->ordered[i]->items.erase({std::move(k), e});
    }
}

RowEntry *TableCache::insertDelivery(QByteArrayView bytes, const QByteArray &buffer,
                                     SegmentHint &hint, protocol::QuerySetId set, ApplyContext &ctx,
                                     QList<RowEntry *> *touched, bool *added) {
    if (bytes.size() > RowEntry::kMaxRowSize) {
        ctx.violations->append(QStringLiteral("table %1: a row of %2 bytes is larger than the "
                                              "cache supports")
                                   .arg(m_name)
                                   .arg(bytes.size()));
        return nullptr;
    }
    Storage &s = *m_s;
    bool isNew = false;
    RowEntry *e = s.rows.findOrAdd(bytes, hashRow(bytes), [&] {
        isNew = true;
        if (!s.freeEntries.isEmpty())
            return s.freeEntries.takeLast();
        return s.entries.make();
    });
    if (isNew) {
        // New distinct row: point into the frame buffer and keep that buffer alive.
        if (hint.data != buffer.constData()) {
            quint32 seg;
            auto segIt = s.segmentOf.constFind(buffer.constData());
            if (segIt != s.segmentOf.cend()) {
                seg = segIt.value();
            } else {
                if (!s.freeSegments.isEmpty()) {
                    seg = s.freeSegments.takeLast();
                    s.segments[seg] = {buffer, 0};
                } else {
                    seg = quint32(s.segments.size());
                    s.segments.append({buffer, 0});
                }
                s.segmentOf.insert(buffer.constData(), seg);
            }
            hint = {buffer.constData(), seg};
        }
        ++s.segments[hint.segment].live;
        e->m_data = bytes.data();
        e->m_size = quint32(bytes.size());
        e->m_segment = hint.segment;
        e->m_refs = 0;
        e->m_set = 0;
        e->m_setCount = 0;
        e->m_otherSets.reset();
        e->m_epoch = 0;
        e->m_live = true;
    }
    if (e->m_epoch != ctx.epoch) {
        e->m_epoch = ctx.epoch;
        e->m_refsBefore = e->m_refs;
        if (touched)
            touched->append(e);
    }
    e->addRef(set);
    if (added)
        *added = isNew;
    return e;
}

void TableCache::deleteDelivery(QByteArrayView bytes, protocol::QuerySetId set, ApplyContext &ctx,
                                QList<RowEntry *> &touched) {
    RowEntry *e = m_s->rows.find(bytes, hashRow(bytes));
    if (!e) {
        ctx.violations->append(
            QStringLiteral("table %1: delete of a row that is not in the cache").arg(m_name));
        return;
    }
    if (e->m_epoch != ctx.epoch) {
        e->m_epoch = ctx.epoch;
        e->m_refsBefore = e->m_refs;
        touched.append(e);
    }
    if (!e->removeRef(set)) {
        // The row is cached but this query set never delivered it; take a reference of
        // another set rather than letting counts drift negative.
        ctx.violations->append(
            QStringLiteral("table %1: query set %2 deleted a row it never delivered")
                .arg(m_name)
                .arg(set));
        if (e->m_setCount)
            e->removeRef(e->m_set);
    }
}

void TableCache::apply(const TableInput &in, ApplyContext &ctx, TableDelta &out) {
    out.table = this;
    for (const protocol::RowList *list : in.events)
        for (qsizetype i = 0; i < list->rowCount(); ++i)
            out.events.append(list->row(i));
    if (m_isEvent) {
        // Event tables are never stored: their inserts are events.
        for (const auto &d : in.inserts)
            for (qsizetype i = 0; i < d.rows->rowCount(); ++i)
                out.events.append(d.rows->row(i));
        return;
    }

    if (m_s->rows.isEmpty() && in.deletes.isEmpty()) {
        // A snapshot into an empty table: every distinct row is an insert, so the entries go
        // to the delta and the indexes as they are made, without a list of touched entries to
        // sort out afterwards; the tables are sized once instead of growing.
        qsizetype n = 0;
        for (const auto &d : in.inserts)
            n += d.rows->rowCount();
        m_s->rows.reserve(n);
        m_s->entries.reserve(n);
        out.inserted.reserve(out.inserted.size() + n);
        // Written once, in order, right below: huge pages before the first write.
        offerHugePages(out.inserted.data() + out.inserted.size(),
                       size_t(out.inserted.capacity() - out.inserted.size()) * sizeof(RowEntry *));
        for (const auto &d : in.inserts) {
            SegmentHint hint;
            for (qsizetype i = 0; i < d.rows->rowCount(); ++i) {
                bool added = false;
                RowEntry *e = insertDelivery(d.rows->row(i), d.rows->buffer(), hint, d.set, ctx,
                                             nullptr, &added);
                if (!added)
                    continue;
                indexRow(e);
                out.inserted.append(e);
            }
        }
        return;
    }
    QList<RowEntry *> touched;
    // Inserts before deletes: a row moved between queries in one transaction does not flicker.
    for (const auto &d : in.inserts) {
        SegmentHint hint;
        for (qsizetype i = 0; i < d.rows->rowCount(); ++i)
            insertDelivery(d.rows->row(i), d.rows->buffer(), hint, d.set, ctx, &touched);
    }
    for (const auto &d : in.deletes)
        for (qsizetype i = 0; i < d.rows->rowCount(); ++i)
            deleteDelivery(d.rows->row(i), d.set, ctx, touched);
    finish(touched, out);
}

void TableCache::dropQuerySet(protocol::QuerySetId set, ApplyContext &ctx, TableDelta &out) {
    out.table = this;
    QList<RowEntry *> touched;
    m_s->rows.forEach([&](RowEntry *e, quint32) {
        if (e->countFor(set) == 0)
            return;
        e->m_epoch = ctx.epoch;
        e->m_refsBefore = e->m_refs;
        touched.append(e);
    });
    for (RowEntry *e : touched)
        e->dropSet(set);
    finish(touched, out);
}

void TableCache::finish(QList<RowEntry *> &touched, TableDelta &out) {
    // Mostly inserts (a snapshot is nothing else): one allocation instead of repeated growth.
    out.inserted.reserve(out.inserted.size() + touched.size());
    for (RowEntry *e : touched) {
        const bool before = e->m_refsBefore > 0;
        const bool after = e->m_refs > 0;
        if (!before && after) {
            indexRow(e);
            out.inserted.append(e);
        } else if (before && !after) {
            unindexRow(e);
            m_s->rows.remove(e, hashRow(e->bytes()));
            e->m_live = false;
            out.deleted.append(e); // freed by releaseDeleted() after the signals
        } else if (!before && !after) {
            // inserted and deleted within one message: never visible
            m_s->rows.remove(e, hashRow(e->bytes()));
            freeEntry(e);
        }
    }
    pairUpdates(out);
}

void TableCache::pairUpdates(TableDelta &out) {
    if (!m_primaryKey || out.deleted.isEmpty() || out.inserted.isEmpty())
        return;
    QHash<QByteArrayView, qsizetype> deletedByKey;
    for (qsizetype i = 0; i < out.deleted.size(); ++i) {
        const QByteArrayView k = m_primaryKey(out.deleted[i]->bytes());
        if (!k.isNull())
            deletedByKey.insert(k, i);
    }
    QList<bool> deletedTaken(out.deleted.size(), false);
    QList<const RowEntry *> inserted;
    inserted.reserve(out.inserted.size());
    for (const RowEntry *e : std::as_const(out.inserted)) {
        const QByteArrayView k = m_primaryKey(e->bytes());
        auto it = k.isNull() ? deletedByKey.end() : deletedByKey.find(k);
        if (it != deletedByKey.end() && !deletedTaken[it.value()]) {
            deletedTaken[it.value()] = true;
            out.updated.append(std::make_pair(out.deleted[it.value()], e));
        } else {
            inserted.append(e);
        }
    }
    if (out.updated.isEmpty())
        return;
    QList<const RowEntry *> deleted;
    for (qsizetype i = 0; i < out.deleted.size(); ++i)
        if (!deletedTaken[i])
            deleted.append(out.deleted[i]);
    // The old halves of updates are freed like deletes; keep them reachable for release.
    out.inserted = std::move(inserted);
    out.deleted = std::move(deleted);
}

void TableCache::freeEntry(RowEntry *e) {
    Storage &s = *m_s;
    auto &seg = s.segments[e->m_segment];
    if (--seg.live == 0) {
        s.segmentOf.remove(seg.buffer.constData());
        seg.buffer = QByteArray();
        s.freeSegments.append(e->m_segment);
    }
    e->m_otherSets.reset();
    e->m_data = nullptr;
    e->m_size = 0;
    e->m_live = false;
    s.freeEntries.append(e);
}

void TableCache::releaseDeleted(const QList<const RowEntry *> &entries) {
    for (const RowEntry *c : entries) {
        auto *e = const_cast<RowEntry *>(c);
        if (!e->m_live && e->m_data)
            freeEntry(e);
    }
}

std::unique_ptr<TableCache> TableCache::cloneConfiguration() const {
    auto t = std::make_unique<TableCache>(m_name);
    t->m_primaryKeyColumn = m_primaryKeyColumn;
    t->m_primaryKey = m_primaryKey;
    t->m_indexConfig = m_indexConfig;
    t->m_orderedConfig = m_orderedConfig;
    t->m_isEvent = m_isEvent;
    t->m_configSerial = m_configSerial;
    t->m_s->indexes.resize(m_indexConfig.size());
    return t;
}

bool TableCache::isPristine() const {
    if (!m_s->rows.isEmpty())
        return false;
    // Deleted entries wait in their segment until their delta is released.
    for (const auto &seg : m_s->segments)
        if (seg.live)
            return false;
    return true;
}

void TableCache::adoptPrepared(TableCache &prepared) {
    Q_ASSERT(isPristine());
    m_s = std::move(prepared.m_s);
    prepared.m_s = std::make_unique<Storage>();
    prepared.m_s->indexes.resize(prepared.m_indexConfig.size());
}

void TableCache::clear() {
    m_s = std::make_unique<Storage>();
    m_s->indexes.resize(m_indexConfig.size());
}

std::unique_ptr<TableCache::Storage> TableCache::adopt(TableCache &fresh, TableDelta &out) {
    out.table = this;
    // Diff by row bytes: rows in both are unchanged, the rest are deletes and inserts.
    m_s->rows.forEach([&](const RowEntry *e, quint32 hash) {
        if (!fresh.m_s->rows.contains(e->bytes(), hash))
            out.deleted.append(e);
    });
    fresh.m_s->rows.forEach([&](const RowEntry *e, quint32 hash) {
        if (!m_s->rows.contains(e->bytes(), hash))
            out.inserted.append(e);
    });
    pairUpdates(out);
    std::unique_ptr<Storage> old = std::move(m_s);
    m_s = std::move(fresh.m_s);
    fresh.m_s = std::make_unique<Storage>();
    fresh.m_s->indexes.resize(fresh.m_indexConfig.size());
    return old;
}

} // namespace stdb
