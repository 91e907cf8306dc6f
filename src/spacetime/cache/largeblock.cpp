// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/largeblock.h"

#include <cstdlib>
#include <new>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace stdb {

LargeBlock::LargeBlock(size_t bytes)
    : m_size(bytes) {
    if (bytes == 0)
        return;
    // calloc, not mmap of our own: a block freed and allocated again (a table cleared and
    // filled anew) then reuses pages that are already there, without any fault.
    m_data = std::calloc(1, bytes);
    if (!m_data)
        throw std::bad_alloc();
#ifdef Q_OS_LINUX
    if (bytes >= kHugeThreshold) {
        // Advice only (the whole pages inside the block): without THP the pages stay 4 KiB.
        const auto begin = (reinterpret_cast<quintptr>(m_data) + 4095) & ~quintptr(4095);
        const auto end = (reinterpret_cast<quintptr>(m_data) + bytes) & ~quintptr(4095);
        if (end > begin)
            madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
    }
#endif
}

LargeBlock::~LargeBlock() {
    release();
}

LargeBlock::LargeBlock(LargeBlock &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0)) {}

LargeBlock &LargeBlock::operator=(LargeBlock &&other) noexcept {
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void LargeBlock::release() {
    std::free(m_data);
    m_data = nullptr;
}

} // namespace stdb
