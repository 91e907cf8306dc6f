// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "rowheightindex.h"

#include <QListView>
#include <QPersistentModelIndex>
#include <QPointer>

namespace chat {
class MessageModel;
} // namespace chat

class MessageDelegate;
class QPushButton;

// The conversation list. Keeps the reading position the way a chat needs it:
// - pinned to the bottom while the user is at the bottom (new messages scroll in);
// - unmoved when messages arrive while reading history, with a "new messages" button;
// - unmoved when older history is prepended above;
// - a "Load older messages" button at the top while the message model can fetch more;
// - "Jump to newest" while the cap unloaded the newest messages (reading old history); they
//   come back when the user returns to the bottom;
// - a session opens at the "New messages" line (chat::MessageModel::FirstUnreadRole) when
//   there are unread messages, at the bottom otherwise.
//
// The rows are laid out by the view itself (RowHeightIndex), not by QListView's layout: that
// one measures every row again on each insert, which at 200k rows costs seconds per live
// message. Here an insert, removal or change measures only the rows concerned; a long history
// shows after measuring the rows on screen, the others count with an estimate until they
// scroll into view, and the content on screen stays put when rows above it get measured.
class MessageView : public QListView {
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    MessageDelegate *messageDelegate() const { return m_delegate; }

    bool isPinned() const { return m_pinned; }
    // The newest message is on screen: at the bottom, and no search hides it.
    bool isNewestVisible() const { return m_newestVisible; }
    int unseenCount() const { return m_unseen; }
    QPushButton *jumpButton() const { return m_jump; }
    QPushButton *loadOlderButton() const { return m_loadOlder; }

    // The MessageModel under the view's proxies: its canFetchMore() / fetchMore() load older
    // history (the proxies do not fetch, see MessageFilterModel), its newerUnloaded() shows.
    void setHistoryModel(chat::MessageModel *history);
    // Whether older history is being looked for.
    void setLoadingOlder(bool loading);
    void setCompact(bool compact);
    // Shown in the middle while there are no rows ("Connecting…", "No messages yet").
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }

    QRect visualRect(const QModelIndex &index) const override;
    QModelIndex indexAt(const QPoint &point) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    void doItemsLayout() override;
    void reset() override;
    // Rows whose height is still an estimate (they have not been on screen yet).
    int unmeasuredRows() const { return m_rows.unmeasuredCount(); }
    // Measures every row now: the layout then is exactly that of a fresh full layout.
    void measureAllRows();

    // Expands or collapses a long message (MessageModel::ExpandedRole); only its row is
    // measured again. The row's top keeps its place on screen, or its toggle when the top is
    // above the screen. Nothing happens for a message short enough to show in full.
    void toggleExpanded(const QModelIndex &index);
    // Find's current match: makes the row current, expands it when the first occurrence of
    // text lies in the part a collapsed message hides, and scrolls that line into view.
    void showMatch(const QModelIndex &index, const QString &text);
    // Find's text, highlighted in every row.
    void setHighlightText(const QString &text);

public Q_SLOTS:
    void scrollToLatest();
    // Puts the "New messages" line at the top; false when there is none (or it is filtered
    // out).
    bool scrollToFirstUnread();

Q_SIGNALS:
    void retryRequested(qint64 localId);
    void discardRequested(qint64 localId);
    void pinnedChanged(bool pinned);
    void newestVisibleChanged(bool visible);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void updateGeometries() override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    int horizontalOffset() const override;
    int verticalOffset() const override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;

private:
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRangeChanged(int min, int max);
    void onValueChanged(int value);
    void setPinned(bool pinned);
    void updateOverlays();
    void updateNewestVisible();
    void copyCurrent();
    // The row layout (see the class comment).
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    int modelRows() const;
    void rebuildRows();
    void measureRows(int first, int last);
    void measureVisible();
    void updateScrollRange();
    void setValueKeepingPins(qint64 value);
    void jumpToNewest();

    MessageDelegate *m_delegate = nullptr;
    QPushButton *m_jump = nullptr;
    QPushButton *m_loadOlder = nullptr;
    bool m_pinned = true;
    bool m_adjusting = false;
    QPointer<chat::MessageModel> m_history;
    bool m_loadingOlder = false;
    int m_unseen = 0;
    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    QString m_placeholder;
    RowHeightIndex m_rows;
    QPersistentModelIndex m_hover;
    QPersistentModelIndex m_togglePressed; // the row whose "Show more" the mouse went down on
    bool m_measuring = false;
    bool m_newestVisible = true;
    bool m_openAtMarker = false; // until the history model's first rows are in
};
