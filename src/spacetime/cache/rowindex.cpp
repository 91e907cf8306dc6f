// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/rowindex.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace stdb {

void RowIndex::reserve(qsizetype n) {
    // 3/2 of n slots: a load of 2/3, leaving room for n/8 more rows before the 3/4 limit, so
    // that the transactions after a snapshot do not rehash the whole table right away.
    const size_t needed = std::max<size_t>(16, 3 * size_t(n) / 2);
    if (needed > m_slotCount)
        rehash(qsizetype(needed));
}

void RowIndex::grow() {
    // Doubling: n rows added one at a time rehash O(log n) times.
    rehash(qsizetype(std::max<size_t>(16, 2 * m_slotCount)));
}

void RowIndex::rehash(qsizetype slotCount) {
    static_assert(std::is_trivially_copyable_v<Slot>, "slots are zeroed and copied as bytes");
    const LargeBlock old = std::exchange(m_block, LargeBlock(size_t(slotCount) * sizeof(Slot)));
    const size_t oldCount = std::exchange(m_slotCount, size_t(slotCount));
    const Slot *from = static_cast<const Slot *>(old.data());
    Slot *to = slotArray();
    for (size_t k = 0; k < oldCount; ++k) {
        const Slot &s = from[k];
        if (!s.entry)
            continue;
        size_t i = home(s.hash);
        while (to[i].entry)
            i = next(i);
        to[i] = s;
    }
}

RowEntry *RowIndex::find(QByteArrayView bytes, quint32 hash) const {
    if (m_slotCount == 0)
        return nullptr;
    for (size_t i = home(hash);; i = next(i)) {
        const Slot &s = slotArray()[i];
        if (!s.entry)
            return nullptr;
        if (s.hash == hash && s.entry->bytes() == bytes)
            return s.entry;
    }
}

bool RowIndex::remove(const RowEntry *entry, quint32 hash) {
    if (m_slotCount == 0)
        return false;
    Slot *all = slotArray();
    size_t hole = home(hash);
    for (;; hole = next(hole)) {
        if (!all[hole].entry)
            return false;
        if (all[hole].entry == entry)
            break;
    }
    // Backward shift: move later members of the probe run into the hole whenever their home
    // slot is not between the hole and where they sit, so lookups never meet a gap early.
    for (size_t j = next(hole); all[j].entry; j = next(j)) {
        const size_t h = home(all[j].hash);
        const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
        if (stays)
            continue;
        all[hole] = all[j];
        hole = j;
    }
    all[hole] = Slot{};
    --m_size;
    return true;
}

} // namespace stdb
