// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cstddef>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace stdb {

// Transparent huge pages for large buffers: the SDK's own (a history's decompressed body, the
// cache's entry arrays and row index) and an application's that it fills from a snapshot's
// rows (the chat layer's message batch), so they share one rule.
//
// Why: every first touch of a 4 KiB page is a page fault, and on virtual machines a fault costs
// about 10 us, so the ~90 MB of fresh memory behind a million-row snapshot cost more in faults
// than in the work done on it (docs/PERFORMANCE.md). Memory offered with MADV_HUGEPAGE
// (honoured when THP is "always" or "madvise") takes one fault per 2 MiB instead. Only whole,
// aligned 2 MiB ranges can be huge pages: the rest of a range stays 4 KiB. Advice only: where
// the kernel has no THP, or off Linux, nothing changes.
inline constexpr size_t kHugePageSize = size_t(2) << 20;

// Whether advice is given at all: aligning memory for huge pages is pointless where it is not.
#ifdef Q_OS_LINUX
inline constexpr bool kHugePageAdvice = true;
#else
inline constexpr bool kHugePageAdvice = false;
#endif

// Offers the whole 4 KiB pages of [data, data + size) for huge pages, for ranges of at least
// kHugePageSize (smaller ones could not hold a huge page). Must come before the pages are first
// written: a 2 MiB range that already has a 4 KiB page stays 4 KiB.
inline void offerHugePages(void *data, size_t size) {
#ifdef Q_OS_LINUX
    if (!data || size < kHugePageSize)
        return;
    const auto begin = (reinterpret_cast<quintptr>(data) + 4095) & ~quintptr(4095);
    const auto end = (reinterpret_cast<quintptr>(data) + size) & ~quintptr(4095);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
    Q_UNUSED(data);
    Q_UNUSED(size);
#endif
}

// `p` rounded up to the next multiple of kHugePageSize (unchanged if it is one).
inline quintptr alignUpToHugePage(quintptr p) {
    return (p + (kHugePageSize - 1)) & ~quintptr(kHugePageSize - 1);
}

// A QByteArray of `size` uninitialized bytes for a large buffer written once (a received
// message, a decompressed body): from kHugePageSize up (on Linux) its data starts on a 2 MiB
// boundary and its whole huge pages are offered, so no 4 KiB page at either end faults on its
// own. The array allocates 4 MiB more than it holds (address space only: that slack is
// never written, except within the last huge page) and starts past its unaligned head: Qt 6
// erases at the front of an unshared array by moving its start, not its bytes.
inline QByteArray hugePageBuffer(qsizetype size) {
    if (!kHugePageAdvice || size < qsizetype(kHugePageSize))
        return QByteArray(size, Qt::Uninitialized);
    const qsizetype slack = 2 * qsizetype(kHugePageSize);
    QByteArray b(size + slack, Qt::Uninitialized);
    const auto at = reinterpret_cast<quintptr>(b.constData());
    const auto head = qsizetype(alignUpToHugePage(at) - at);
    offerHugePages(b.data() + head, size_t(alignUpToHugePage(quintptr(size))));
    b.remove(0, head);
    b.truncate(size);
    return b;
}

} // namespace stdb
