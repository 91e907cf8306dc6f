// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal storage of TableCache; only in a header because forEach() is a template.

#include "spacetime/cache/entryarena.h"
#include "spacetime/cache/rowindex.h"
#include "spacetime/cache/tablecache.h"

#include <cstring>
#include <set>

namespace stdb {

// An ordered index: (key, entry) pairs, so that removing one row of many with the same key is
// one lookup. Keys compare as unsigned bytes.
class OrderedIndex {
public:
    struct Less {
        using is_transparent = void;
        static int compare(QByteArrayView a, QByteArrayView b) {
            // An empty view may have no data pointer at all: memcmp must not see it (UB).
            const qsizetype common = std::min(a.size(), b.size());
            const int c = common ? std::memcmp(a.data(), b.data(), size_t(common)) : 0;
            return c ? c : (a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0);
        }
        using Item = std::pair<QByteArray, const RowEntry *>;
        bool operator()(const Item &a, const Item &b) const {
            const int c = compare(a.first, b.first);
            return c ? c < 0 : std::less<const RowEntry *>()(a.second, b.second);
        }
        bool operator()(const Item &a, QByteArrayView b) const { return compare(a.first, b) < 0; }
        bool operator()(QByteArrayView a, const Item &b) const { return compare(a, b.first) < 0; }
    };
    std::set<Less::Item, Less> items;
};

struct TableCache::Storage {
    struct Segment {
        QByteArray buffer;
        quint32 live = 0;
    };

    EntryArena entries; // stable addresses
    QList<RowEntry *> freeEntries;
    QList<Segment> segments;
    QList<quint32> freeSegments;
    QHash<const char *, quint32> segmentOf; // buffer data pointer -> segment, live buffers only
    RowIndex rows;
    // Parallel to m_indexConfig. Keys are owned copies: a multi-hash keeps one key object for
    // all values of a key, so a view would dangle once the row that supplied it is freed.
    QList<QMultiHash<QByteArray, RowEntry *>> indexes;
    QHash<QByteArrayView, RowEntry *> primaryKey;
    // Parallel to m_orderedConfig (shorter when later ones were never used); null until the
    // first range() on that index.
    std::vector<std::unique_ptr<OrderedIndex>> ordered;
};

} // namespace stdb
