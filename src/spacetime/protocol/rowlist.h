// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace stdb::protocol {

// BsatnRowList: N BSATN rows packed back to back, with a size hint saying where each starts.
//
// Zero-copy: a decoded RowList shares the received message buffer (QByteArray is implicitly
// shared) and row(i) returns a view into it, including the offsets array. Building one for
// sending (fromRows) packs a fresh buffer the way the server does.
class STDB_EXPORT RowList {
public:
    enum class Hint : quint8 { FixedSize = 0, RowOffsets = 1 };

    RowList() = default; // empty RowOffsets list, what the server sends for "no rows"

    // Packs rows like the server: FixedSize while all rows have one length that fits a u16 and
    // is non-zero, RowOffsets otherwise (and for no rows).
    static RowList fromRows(const QList<QByteArray> &rows);
    static RowList fromRowsWithOffsets(const QList<QByteArray> &rows);
    static RowList fromFixedSize(quint16 rowSize, const QByteArray &data);

    // Wraps already-validated wire data. buffer must outlive nothing: it is shared.
    // offsetsAt/offsetCount describe the little-endian u64 offsets inside buffer.
    static RowList fromWire(const QByteArray &buffer, Hint hint, quint16 fixedSize,
                            qsizetype offsetsAt, qsizetype offsetCount, qsizetype dataAt,
                            qsizetype dataSize);

    Hint hint() const { return m_hint; }
    quint16 fixedSize() const { return m_fixedSize; }
    qsizetype rowCount() const { return m_rowCount; }
    bool isEmpty() const { return m_rowCount == 0; }
    QByteArrayView row(qsizetype i) const;
    QByteArrayView data() const { return QByteArrayView(m_buffer).sliced(m_dataAt, m_dataSize); }
    quint64 offset(qsizetype i) const; // RowOffsets only
    QList<QByteArray> rows() const;    // copies; for tests and tools
    // The shared buffer the rows live in; the client cache keeps it alive instead of copying.
    const QByteArray &buffer() const { return m_buffer; }

    // Row lists compare by hint and content, not by buffer identity.
    bool operator==(const RowList &o) const;

private:
    QByteArray m_buffer;
    Hint m_hint = Hint::RowOffsets;
    quint16 m_fixedSize = 0;
    qsizetype m_offsetsAt = 0;
    qsizetype m_rowCount = 0;
    qsizetype m_dataAt = 0;
    qsizetype m_dataSize = 0;
};

} // namespace stdb::protocol
