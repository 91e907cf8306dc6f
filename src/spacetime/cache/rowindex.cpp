// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/rowindex.h"

#include <algorithm>
#include <utility>

namespace stdb {

void RowIndex::reserve(qsizetype n) {
    // 3/2 of n slots: a load of 2/3, leaving room for n/8 more rows before the 3/4 limit, so
    // that the transactions after a snapshot do not rehash the whole table right away.
    const size_t needed = std::max<size_t>(16, 3 * size_t(n) / 2);
    if (needed > m_slots.size())
        rehash(qsizetype(needed));
}

void RowIndex::grow() {
    // Doubling: n rows added one at a time rehash O(log n) times.
    rehash(qsizetype(std::max<size_t>(16, 2 * m_slots.size())));
}

void RowIndex::rehash(qsizetype slotCount) {
    const std::vector<Slot> old = std::exchange(m_slots, std::vector<Slot>(size_t(slotCount)));
    for (const Slot &s : old) {
        if (!s.entry)
            continue;
        size_t i = home(s.hash);
        while (m_slots[i].entry)
            i = next(i);
        m_slots[i] = s;
    }
}

RowEntry *RowIndex::find(QByteArrayView bytes, quint32 hash) const {
    if (m_slots.empty())
        return nullptr;
    for (size_t i = home(hash);; i = next(i)) {
        const Slot &s = m_slots[i];
        if (!s.entry)
            return nullptr;
        if (s.hash == hash && s.entry->bytes() == bytes)
            return s.entry;
    }
}

bool RowIndex::remove(const RowEntry *entry, quint32 hash) {
    if (m_slots.empty())
        return false;
    size_t hole = home(hash);
    for (;; hole = next(hole)) {
        if (!m_slots[hole].entry)
            return false;
        if (m_slots[hole].entry == entry)
            break;
    }
    // Backward shift: move later members of the probe run into the hole whenever their home
    // slot is not between the hole and where they sit, so lookups never meet a gap early.
    for (size_t j = next(hole); m_slots[j].entry; j = next(j)) {
        const size_t h = home(m_slots[j].hash);
        const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
        if (stays)
            continue;
        m_slots[hole] = m_slots[j];
        hole = j;
    }
    m_slots[hole] = Slot{};
    --m_size;
    return true;
}

} // namespace stdb
