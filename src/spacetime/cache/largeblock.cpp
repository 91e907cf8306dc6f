// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/largeblock.h"

#include "spacetime/hugepages.h"

#include <cstdlib>
#include <limits>
#include <new>
#include <utility>

namespace stdb {

LargeBlock::LargeBlock(size_t bytes)
    : m_size(bytes) {
    if (bytes == 0)
        return;
    // calloc, not mmap of our own: a block freed and allocated again (a table cleared and
    // filled anew) then reuses pages that are already there, without any fault. A fresh
    // mapping (large blocks) is not written by calloc, so the advice below comes first.
    const bool huge = kHugePageAdvice && bytes >= kHugeThreshold;
    // A very large block starts on a 2 MiB boundary, so no 4 KiB page before its first huge
    // page faults on its own. Not below kAlignThreshold: a block calloc takes from the heap
    // (memory a cleared table gave back) is zeroed whole, slack included, so the slack of a
    // middling block would be a large share of resident memory and of the zeroing.
    const bool aligned = huge && bytes >= kAlignThreshold;
    if (aligned && bytes > std::numeric_limits<size_t>::max() - 2 * kHugePageSize)
        throw std::bad_alloc();
    // An aligned block is advised up to the end of its last huge page when that adds at most
    // an eighth to it (the extra is resident once touched); otherwise its tail past the last
    // whole huge page stays in 4 KiB pages.
    const size_t rounded = aligned ? size_t(alignUpToHugePage(bytes)) : bytes;
    const size_t span = (rounded - bytes) * 8 <= bytes ? rounded : bytes;
    m_base = std::calloc(1, aligned ? rounded + kHugePageSize : bytes);
    if (!m_base)
        throw std::bad_alloc();
    m_data = m_base;
    if (aligned)
        m_data = reinterpret_cast<void *>(alignUpToHugePage(reinterpret_cast<quintptr>(m_base)));
    if (huge)
        offerHugePages(m_data, span);
}

LargeBlock::~LargeBlock() {
    release();
}

LargeBlock::LargeBlock(LargeBlock &&other) noexcept
    : m_base(std::exchange(other.m_base, nullptr))
    , m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0)) {}

LargeBlock &LargeBlock::operator=(LargeBlock &&other) noexcept {
    if (this != &other) {
        release();
        m_base = std::exchange(other.m_base, nullptr);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void LargeBlock::release() {
    std::free(m_base);
    m_base = nullptr;
    m_data = nullptr;
}

} // namespace stdb
