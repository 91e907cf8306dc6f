// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <cstddef>

namespace stdb {

// Zeroed memory for the cache's big arrays (row entries, the row index) of a large snapshot.
//
// Why not operator new: a million-row snapshot needs tens of MB at once, and every first
// touch of a 4 KiB page is a page fault. On virtual machines a fault costs microseconds
// (about 12 us on the machine of docs/PERFORMANCE.md), so 70 MB of fresh 4 KiB pages cost a
// fifth of a second. Blocks come from calloc (so memory a cleared table freed is reused
// without faults); from 2 MiB up they are offered to the kernel for transparent huge pages
// (MADV_HUGEPAGE, honoured when THP is "always" or "madvise"): a fresh block then costs one
// fault per 2 MiB. Such a block starts on a 2 MiB boundary, because malloc's blocks are not
// aligned and only whole aligned 2 MiB ranges can be huge pages: up to 511 4 KiB pages before
// the first boundary would fault one by one. Its calloc'd area is therefore larger than asked
// for (address space only: the slack is never touched). Elsewhere, or without huge pages,
// this is plain calloc.
class STDB_EXPORT LargeBlock {
public:
    LargeBlock() = default;
    // Throws std::bad_alloc like new when memory is exhausted.
    explicit LargeBlock(size_t bytes);
    ~LargeBlock();
    LargeBlock(LargeBlock &&other) noexcept;
    LargeBlock &operator=(LargeBlock &&other) noexcept;
    LargeBlock(const LargeBlock &) = delete;
    LargeBlock &operator=(const LargeBlock &) = delete;

    void *data() const { return m_data; }
    size_t size() const { return m_size; }

    // From this size up, huge pages are offered for a block.
    static constexpr size_t kHugeThreshold = size_t(2) << 20;

private:
    void release();
    void *m_base = nullptr; // what calloc returned (m_data is inside it)
    void *m_data = nullptr;
    size_t m_size = 0;
};

} // namespace stdb
