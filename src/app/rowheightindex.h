// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>

// The vertical layout of the message view: one height per row and the running sum of the
// heights, so that the top of a row and the row at a y are found without asking the delegate
// again. Inserts and removals shift the rows after them; the sums are recomputed lazily from
// the first row that changed. A row is either measured (its real height) or estimated (not
// measured yet, or its content changed since): a long history shows after measuring only the
// rows on screen, and the rest is measured as it scrolls into view.
class RowHeightIndex {
public:
    int count() const { return int(m_heights.size()); }
    void reset(int count, int estimate);
    void insert(int row, int count, int estimate);
    void remove(int row, int count);

    int height(int row) const { return m_heights[row]; }
    bool isMeasured(int row) const { return m_measured[row] != 0; }
    void setHeight(int row, int height);
    // Keeps the height as the estimate until the row is measured again.
    void markUnmeasured(int first, int last);
    void markAllUnmeasured() { markUnmeasured(0, count() - 1); }
    int unmeasuredCount() const;

    // The y of the row's top edge (top(count()) is the total height).
    qint64 top(int row) const;
    qint64 total() const { return top(count()); }
    // The row whose span contains y (clamped to the first and last row), or -1 when empty.
    int rowAt(qint64 y) const;

private:
    void ensureSums(int upTo) const;
    void invalidateFrom(int row) { m_valid = qMin(m_valid, row); }

    QList<int> m_heights;
    QList<quint8> m_measured;
    // m_sums[i] is the top of row i; entries [0, m_valid] are up to date.
    mutable QList<qint64> m_sums{0};
    mutable int m_valid = 0;
};
