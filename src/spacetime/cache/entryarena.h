// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/cache/largeblock.h"
#include "spacetime/cache/rowentry.h"

#include <vector>

namespace stdb {

// The RowEntry objects of one table, in blocks that never move (entries are referred to by
// address). A snapshot reserves its row count first and gets one block for all of it, so a
// million rows are one allocation (huge pages offered, see LargeBlock) instead of a deque's
// hundred thousand small ones; rows added one at a time fill blocks that grow geometrically.
class STDB_EXPORT EntryArena {
public:
    EntryArena() = default;
    ~EntryArena();
    EntryArena(const EntryArena &) = delete;
    EntryArena &operator=(const EntryArena &) = delete;

    // Room for n more entries without another allocation.
    void reserve(qsizetype n);
    // A new default-constructed entry.
    RowEntry *make();
    // Entries made so far.
    qsizetype size() const { return m_count; }

private:
    struct Block {
        LargeBlock memory;
        qsizetype capacity = 0;
        qsizetype used = 0;
        RowEntry *at(qsizetype i) const { return static_cast<RowEntry *>(memory.data()) + i; }
    };
    void addBlock(qsizetype capacity);

    std::vector<Block> m_blocks;
    qsizetype m_count = 0;
};

} // namespace stdb
