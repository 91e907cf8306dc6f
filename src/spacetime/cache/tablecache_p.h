// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal storage of TableCache; only in a header because forEach() is a template.

#include "spacetime/cache/entryarena.h"
#include "spacetime/cache/rowindex.h"
#include "spacetime/cache/tablecache.h"

namespace stdb {

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
};

} // namespace stdb
