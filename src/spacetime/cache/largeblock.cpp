// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/largeblock.h"

#include "spacetime/hugepages_p.h"

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
    if (huge && bytes > std::numeric_limits<size_t>::max() - 2 * kHugePageSize)
        throw std::bad_alloc();
    // A large block starts on a 2 MiB boundary. It is advised up to the end of its last huge
    // page when that adds at most an eighth to it (the extra is resident once touched);
    // otherwise its tail past the last whole huge page stays in 4 KiB pages.
    const size_t rounded = huge ? size_t(alignUpToHugePage(bytes)) : bytes;
    const size_t span = (rounded - bytes) * 8 <= bytes ? rounded : bytes;
    m_base = std::calloc(1, huge ? rounded + kHugePageSize : bytes);
    if (!m_base)
        throw std::bad_alloc();
    m_data = m_base;
    if (huge) {
        m_data = reinterpret_cast<void *>(alignUpToHugePage(reinterpret_cast<quintptr>(m_base)));
        offerHugePages(m_data, span);
    }
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
