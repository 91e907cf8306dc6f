#pragma once

// Internal storage of TableCache; only in a header because forEach() is a template.

#include "spacetime/cache/tablecache.h"

namespace stdb {

// 16 bytes: the hash table holds one per row next to its RowEntry pointer.
struct RowKey {
    RowKey(QByteArrayView bytes, quint32 h)
        : data(bytes.data())
        , size(quint32(bytes.size()))
        , hash(h) {}
    const char *data;
    quint32 size;
    quint32 hash;
    QByteArrayView bytes() const { return QByteArrayView(data, qsizetype(size)); }
    bool operator==(const RowKey &o) const {
        return hash == o.hash && size == o.size && bytes() == o.bytes();
    }
};
inline size_t qHash(const RowKey &k, size_t = 0) {
    return k.hash;
}

struct TableCache::Storage {
    struct Segment {
        QByteArray buffer;
        quint32 live = 0;
    };

    std::deque<RowEntry> entries; // stable addresses
    QList<RowEntry *> freeEntries;
    QList<Segment> segments;
    QList<quint32> freeSegments;
    QHash<const char *, quint32> segmentOf; // buffer data pointer -> segment, live buffers only
    QHash<RowKey, RowEntry *> rows;
    // Parallel to m_indexConfig. Keys are owned copies: a multi-hash keeps one key object for
    // all values of a key, so a view would dangle once the row that supplied it is freed.
    QList<QMultiHash<QByteArray, RowEntry *>> indexes;
    QHash<QByteArrayView, RowEntry *> primaryKey;
};

} // namespace stdb
