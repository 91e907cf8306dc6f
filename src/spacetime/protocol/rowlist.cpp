// SPDX-License-Identifier: Apache-2.0
#include "spacetime/protocol/rowlist.h"

#include <QtEndian>

#include <cstring>

namespace stdb::protocol {

namespace {

quint64 loadLe64(const char *p) {
    quint64 v;
    std::memcpy(&v, p, 8);
    return qFromLittleEndian(v);
}

} // namespace

RowList RowList::fromRows(const QList<QByteArray> &rows) {
    if (rows.isEmpty())
        return {};
    const qsizetype len = rows.first().size();
    if (len == 0 || len > 0xffff)
        return fromRowsWithOffsets(rows);
    for (const QByteArray &r : rows)
        if (r.size() != len)
            return fromRowsWithOffsets(rows);
    QByteArray data;
    data.reserve(len * rows.size());
    for (const QByteArray &r : rows)
        data.append(r);
    return fromFixedSize(quint16(len), data);
}

RowList RowList::fromRowsWithOffsets(const QList<QByteArray> &rows) {
    // One buffer: the little-endian offsets, then the row bytes, the same shape as on the wire.
    qsizetype dataSize = 0;
    for (const QByteArray &r : rows)
        dataSize += r.size();
    const qsizetype offsetsSize = rows.size() * 8;
    QByteArray buffer(offsetsSize + dataSize, Qt::Uninitialized);
    char *offs = buffer.data();
    char *data = buffer.data() + offsetsSize;
    quint64 at = 0;
    for (const QByteArray &r : rows) {
        const quint64 le = qToLittleEndian(at);
        std::memcpy(offs, &le, 8);
        offs += 8;
        if (!r.isEmpty())
            std::memcpy(data + at, r.constData(), r.size());
        at += quint64(r.size());
    }
    RowList l;
    l.m_buffer = buffer;
    l.m_hint = Hint::RowOffsets;
    l.m_offsetsAt = 0;
    l.m_rowCount = rows.size();
    l.m_dataAt = offsetsSize;
    l.m_dataSize = dataSize;
    return l;
}

RowList RowList::fromFixedSize(quint16 rowSize, const QByteArray &data) {
    RowList l;
    l.m_buffer = data;
    l.m_hint = Hint::FixedSize;
    l.m_fixedSize = rowSize;
    l.m_dataAt = 0;
    l.m_dataSize = data.size();
    // A malformed combination (size 0, or a partial last row) yields only the whole rows.
    l.m_rowCount = rowSize ? data.size() / rowSize : 0;
    return l;
}

RowList RowList::fromWire(const QByteArray &buffer, Hint hint, quint16 fixedSize,
                          qsizetype offsetsAt, qsizetype offsetCount, qsizetype dataAt,
                          qsizetype dataSize) {
    RowList l;
    l.m_buffer = buffer;
    l.m_hint = hint;
    l.m_dataAt = dataAt;
    l.m_dataSize = dataSize;
    if (hint == Hint::FixedSize) {
        l.m_fixedSize = fixedSize;
        l.m_rowCount = fixedSize ? dataSize / fixedSize : 0;
    } else {
        l.m_offsetsAt = offsetsAt;
        l.m_rowCount = offsetCount;
    }
    return l;
}

quint64 RowList::offset(qsizetype i) const {
    if (m_hint != Hint::RowOffsets || i < 0 || i >= m_rowCount)
        return 0;
    return loadLe64(m_buffer.constData() + m_offsetsAt + 8 * i);
}

QByteArrayView RowList::row(qsizetype i) const {
    if (i < 0 || i >= m_rowCount)
        return {};
    const char *data = m_buffer.constData() + m_dataAt;
    if (m_hint == Hint::FixedSize)
        return QByteArrayView(data + i * m_fixedSize, m_fixedSize);
    const char *offs = m_buffer.constData() + m_offsetsAt + 8 * i;
    const quint64 start = loadLe64(offs);
    const quint64 end = i + 1 < m_rowCount ? loadLe64(offs + 8) : quint64(m_dataSize);
    // Decoded lists were validated; the clamp only protects hand-built fromWire() misuse.
    if (start > end || end > quint64(m_dataSize))
        return {};
    return QByteArrayView(data + start, qsizetype(end - start));
}

QList<QByteArray> RowList::rows() const {
    QList<QByteArray> out;
    out.reserve(m_rowCount);
    for (qsizetype i = 0; i < m_rowCount; ++i)
        out.append(row(i).toByteArray());
    return out;
}

bool RowList::operator==(const RowList &o) const {
    if (m_hint != o.m_hint || m_rowCount != o.m_rowCount || data() != o.data())
        return false;
    if (m_hint == Hint::FixedSize)
        return m_fixedSize == o.m_fixedSize;
    for (qsizetype i = 0; i < m_rowCount; ++i)
        if (offset(i) != o.offset(i))
            return false;
    return true;
}

} // namespace stdb::protocol
