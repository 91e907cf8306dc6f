#pragma once

#include "spacetime/protocol/messages.h"

#include <QByteArrayView>
#include <QHash>

#include <memory>

namespace stdb {

// One distinct row of a cached table: its BSATN bytes (a view into a retained frame buffer,
// never copied), how many times the server currently delivers it, and which query sets those
// deliveries come from (so a failed or dropped set can take exactly its rows away).
class RowEntry {
public:
    QByteArrayView bytes() const { return QByteArrayView(m_data, m_size); }
    quint32 refCount() const { return m_refs; }
    size_t hash() const { return m_hash; }
    // How many deliveries of this row query set `id` accounts for.
    quint32 countFor(protocol::QuerySetId id) const;

private:
    friend class TableCache;

    void addRef(protocol::QuerySetId set, quint32 n = 1);
    // Returns false if `set` did not deliver this row (an invariant violation).
    bool removeRef(protocol::QuerySetId set);
    // Removes every delivery of `set`; returns how many there were.
    quint32 dropSet(protocol::QuerySetId set);

    const char *m_data = nullptr;
    quint32 m_size = 0;
    quint32 m_refs = 0;
    size_t m_hash = 0;
    quint32 m_segment = 0;
    // The common case is one query set per row: keep it inline, spill the rest.
    protocol::QuerySetId m_set = 0;
    quint32 m_setCount = 0;
    std::unique_ptr<QHash<protocol::QuerySetId, quint32>> m_otherSets;
    // Per-message bookkeeping (see TableCache::apply).
    quint64 m_epoch = 0;
    quint32 m_refsBefore = 0;
    bool m_live = false;
};

} // namespace stdb
