// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/protocol/messages.h"

#include <QByteArrayView>
#include <QHash>

#include <memory>

namespace stdb {

// One distinct row of a cached table: its BSATN bytes (a view into a retained frame buffer,
// never copied), how many times the server currently delivers it, and which query sets those
// deliveries come from (so a failed or dropped set can take exactly its rows away).
class STDB_EXPORT RowEntry {
public:
    QByteArrayView bytes() const { return QByteArrayView(m_data, qsizetype(m_size)); }
    quint32 refCount() const { return m_refs; }
    // How many deliveries of this row query set `id` accounts for.
    quint32 countFor(protocol::QuerySetId id) const;

private:
    friend class TableCache;

    void addRef(protocol::QuerySetId set, quint32 n = 1);
    // Returns false if `set` did not deliver this row (an invariant violation).
    bool removeRef(protocol::QuerySetId set);
    // Removes every delivery of `set`; returns how many there were.
    quint32 dropSet(protocol::QuerySetId set);

    // 48 bytes on 64-bit systems: one per cached row, so a million rows cost 48 MB here (plus
    // its 16-byte RowIndex slot, the only place its hash is kept: a delete recomputes it).
    const char *m_data = nullptr;
    // The common case is one query set per row: keep it inline, spill the rest.
    std::unique_ptr<QHash<protocol::QuerySetId, quint32>> m_otherSets;
    // Per-message bookkeeping (see TableCache::apply).
    quint64 m_epoch = 0;
    quint32 m_size : 31 = 0; // rows are at most kMaxRowSize bytes
    quint32 m_live : 1 = 0;
    quint32 m_refs = 0;
    quint32 m_segment = 0;
    protocol::QuerySetId m_set = 0;
    quint32 m_setCount = 0;
    quint32 m_refsBefore = 0;

public:
    // The largest row the cache holds (2 GiB - 1; far above any frame limit in practice).
    static constexpr qsizetype kMaxRowSize = 0x7fffffff;
};

} // namespace stdb
