// SPDX-License-Identifier: Apache-2.0
#include "rowheightindex.h"

#include <algorithm>

void RowHeightIndex::reset(int count, int estimate) {
    m_heights = QList<int>(count, estimate);
    m_measured = QList<quint8>(count, 0);
    m_sums.resize(count + 1);
    m_sums[0] = 0;
    m_valid = 0;
}

void RowHeightIndex::insert(int row, int count, int estimate) {
    if (count <= 0)
        return;
    m_heights.insert(row, count, estimate);
    m_measured.insert(row, count, 0);
    m_sums.resize(m_heights.size() + 1);
    invalidateFrom(row);
}

void RowHeightIndex::remove(int row, int count) {
    if (count <= 0)
        return;
    m_heights.remove(row, count);
    m_measured.remove(row, count);
    m_sums.resize(m_heights.size() + 1);
    invalidateFrom(row);
}

void RowHeightIndex::setHeight(int row, int height) {
    m_measured[row] = 1;
    if (m_heights[row] == height)
        return;
    m_heights[row] = height;
    invalidateFrom(row);
}

void RowHeightIndex::markUnmeasured(int first, int last) {
    for (int i = qMax(0, first); i <= last && i < count(); ++i)
        m_measured[i] = 0;
}

int RowHeightIndex::unmeasuredCount() const {
    return int(std::count(m_measured.cbegin(), m_measured.cend(), quint8(0)));
}

void RowHeightIndex::ensureSums(int upTo) const {
    if (upTo <= m_valid)
        return;
    qint64 y = m_sums[m_valid];
    for (int i = m_valid; i < upTo; ++i) {
        y += m_heights[i];
        m_sums[i + 1] = y;
    }
    m_valid = upTo;
}

qint64 RowHeightIndex::top(int row) const {
    row = qBound(0, row, count());
    ensureSums(row);
    return m_sums[row];
}

int RowHeightIndex::rowAt(qint64 y) const {
    if (m_heights.isEmpty())
        return -1;
    ensureSums(count());
    // The last row whose top is at or above y.
    const auto it = std::upper_bound(m_sums.cbegin(), m_sums.cbegin() + count(), y);
    return qBound(0, int(it - m_sums.cbegin()) - 1, count() - 1);
}
