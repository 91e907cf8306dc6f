// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/largeblock.h"
#include "spacetime/cache/rowentry.h"

#include <QByteArrayView>

namespace stdb {

// The distinct rows of one cached table, keyed by their BSATN bytes: an open-addressing hash
// table (linear probing, backward-shift deletion) of entry pointers next to each row's hash.
//
// Why not QHash: with a million rows the table is far larger than the CPU caches, so every
// lookup is a cache (and, on virtual machines, an expensive TLB) miss. QHash spends two or
// three per lookup (bucket offsets, the node, its entry storage, which also grows span by span);
// here a probe reads one 16-byte slot and the row bytes are compared only when the stored hash
// matches, which for a new row is almost never.
class STDB_EXPORT RowIndex {
public:
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    // Room for n rows without rehashing.
    void reserve(qsizetype n);

    RowEntry *find(QByteArrayView bytes, quint32 hash) const;
    bool contains(QByteArrayView bytes, quint32 hash) const { return find(bytes, hash); }
    // The entry holding `bytes`, or the one make() returns, which is added (one probe for both).
    template <typename Make>
    RowEntry *findOrAdd(QByteArrayView bytes, quint32 hash, Make &&make);
    // Removes `entry` (whose bytes hash to `hash`); false if it is not here.
    bool remove(const RowEntry *entry, quint32 hash);

    // Calls f(RowEntry *entry, quint32 hash) for every row, in no particular order.
    template <typename F>
    void forEach(F &&f) const;

private:
    struct Slot {
        RowEntry *entry = nullptr; // null: free
        quint32 hash = 0;
    };
    void grow();
    void rehash(qsizetype slotCount);
    // Where a hash's probe run starts: the hash scaled to the table (any size, so a reserved
    // table is no larger than it needs to be; a power of two could nearly double it).
    size_t home(quint32 hash) const { return size_t((quint64(hash) * m_slotCount) >> 32); }
    size_t next(size_t i) const { return i + 1 == m_slotCount ? 0 : i + 1; }
    Slot *slotArray() const { return static_cast<Slot *>(m_block.data()); }

    // At most 3/4 full; none until used. A LargeBlock: a snapshot's index is tens of MB,
    // zeroed (all slots free) by the allocation itself.
    LargeBlock m_block;
    size_t m_slotCount = 0;
    qsizetype m_size = 0;
};

template <typename Make>
RowEntry *RowIndex::findOrAdd(QByteArrayView bytes, quint32 hash, Make &&make) {
    if (4 * (m_size + 1) > 3 * qsizetype(m_slotCount))
        grow();
    for (size_t i = home(hash);; i = next(i)) {
        Slot &s = slotArray()[i];
        if (!s.entry) {
            s.entry = make();
            s.hash = hash;
            ++m_size;
            return s.entry;
        }
        if (s.hash == hash && s.entry->bytes() == bytes)
            return s.entry;
    }
}

template <typename F>
void RowIndex::forEach(F &&f) const {
    const Slot *all = slotArray();
    for (size_t i = 0; i < m_slotCount; ++i)
        if (const Slot &s = all[i]; s.entry)
            f(s.entry, s.hash);
}

} // namespace stdb
