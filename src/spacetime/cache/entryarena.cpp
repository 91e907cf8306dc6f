// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/entryarena.h"

#include <algorithm>
#include <new>

namespace stdb {

namespace {
// The first block of a table that grows row by row, and the largest such block.
constexpr qsizetype kFirstBlock = 64;
constexpr qsizetype kLargestGrowthBlock = 65536;
} // namespace

EntryArena::~EntryArena() {
    for (Block &b : m_blocks)
        for (qsizetype i = 0; i < b.used; ++i)
            b.at(i)->~RowEntry();
}

void EntryArena::addBlock(qsizetype capacity) {
    Block b;
    b.memory = LargeBlock(size_t(capacity) * sizeof(RowEntry));
    b.capacity = capacity;
    m_blocks.push_back(std::move(b));
}

void EntryArena::reserve(qsizetype n) {
    const qsizetype spare = m_blocks.empty() ? 0 : m_blocks.back().capacity - m_blocks.back().used;
    if (n > spare)
        addBlock(n);
}

RowEntry *EntryArena::make() {
    if (m_blocks.empty() || m_blocks.back().used == m_blocks.back().capacity) {
        const qsizetype last = m_blocks.empty() ? 0 : m_blocks.back().capacity;
        addBlock(std::clamp<qsizetype>(2 * last, kFirstBlock, kLargestGrowthBlock));
    }
    Block &b = m_blocks.back();
    RowEntry *e = new (b.at(b.used)) RowEntry;
    ++b.used;
    ++m_count;
    return e;
}

} // namespace stdb
