// SPDX-License-Identifier: Apache-2.0
#include "messageview.h"

#include "messagedelegate.h"

#include "chat/chattypes.h"
#include "chat/messagemodel.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QStyleOptionViewItem>

#include <algorithm>
#include <limits>

using chat::DeliveryState;
using chat::MessageModel;

namespace {
constexpr int kPinSlack = 4; // px from the bottom that still count as "at the bottom"
// Conversations up to this many rows are measured completely (a few milliseconds); longer
// ones only where they are seen.
constexpr int kMeasureAllRows = 2000;
// Inserts up to this many rows (live messages) are measured at once, larger ones (history)
// when they come into view.
constexpr int kMeasureInsertedRows = 64;
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this)) {
    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setUniformItemSizes(false);
    setResizeMode(QListView::Adjust);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(true);
    // The area above short conversations (see updateGeometries) looks like the list.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    verticalScrollBar()->setSingleStep(24);
    setAccessibleName(tr("Messages"));
    setAccessibleDescription(tr(
        "The conversation, oldest at the top. Enter shows or hides the rest of a long message."));
    m_delegate->setFont(font());

    m_jump = new QPushButton(this);
    m_jump->setObjectName(QStringLiteral("jumpToLatest"));
    m_jump->setCursor(Qt::PointingHandCursor);
    m_jump->setAccessibleName(tr("Jump to the newest message"));
    m_jump->hide();
    connect(m_jump, &QPushButton::clicked, this, &MessageView::jumpToNewest);

    m_loadOlder = new QPushButton(tr("↑ Load older messages"), this);
    m_loadOlder->setObjectName(QStringLiteral("loadOlder"));
    m_loadOlder->setCursor(Qt::PointingHandCursor);
    m_loadOlder->setAccessibleName(tr("Load older messages"));
    m_loadOlder->hide();
    connect(m_loadOlder, &QPushButton::clicked, this, [this] {
        if (m_history && !m_loadingOlder)
            m_history->fetchMore({});
    });

    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onValueChanged);
}

void MessageView::setModel(QAbstractItemModel *model) {
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    QListView::setModel(model);
    m_unseen = 0;
    m_anchor = QPersistentModelIndex();
    setPinned(true);
    if (model) {
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                &MessageView::onRowsAboutToBeInserted);
        connect(model, &QAbstractItemModel::rowsInserted, this, &MessageView::onRowsInserted);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &MessageView::onRowsRemoved);
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            m_unseen = 0;
            if (m_openAtMarker && this->model()->rowCount() > 0) {
                // The first rows of a session: at the "New messages" line when there is one.
                m_openAtMarker = false;
                if (scrollToFirstUnread())
                    return;
                scrollToLatest();
            } else if (m_pinned) {
                scrollToLatest();
            }
            updateOverlays();
        });
    }
    scrollToLatest();
}

void MessageView::setHistoryModel(chat::MessageModel *history) {
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
    m_openAtMarker = history != nullptr;
    if (history) {
        connect(history, &chat::MessageModel::canFetchMoreChanged, this,
                &MessageView::updateOverlays);
        connect(history, &chat::MessageModel::newerUnloadedChanged, this,
                &MessageView::updateOverlays);
    }
    updateOverlays();
}

void MessageView::jumpToNewest() {
    if (m_history && m_history->newerUnloaded())
        m_history->reloadNewest(); // a reset: the view follows it to the bottom
    scrollToLatest();
}

void MessageView::setLoadingOlder(bool loading) {
    m_loadingOlder = loading;
    m_loadOlder->setText(loading ? tr("Loading older messages…") : tr("↑ Load older messages"));
    m_loadOlder->setEnabled(!loading);
    updateOverlays();
}

void MessageView::setCompact(bool compact) {
    m_delegate->setCompact(compact);
    scheduleDelayedItemsLayout();
}

void MessageView::scrollToLatest() {
    m_unseen = 0;
    setPinned(true);
    executeDelayedItemsLayout();
    m_adjusting = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_adjusting = false;
    updateOverlays();
}

bool MessageView::scrollToFirstUnread() {
    if (!m_history || !model())
        return false;
    const int row = m_history->firstUnreadRow();
    if (row < 0)
        return false;
    QModelIndex index = m_history->index(row, 0);
    if (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model()))
        index = proxy->mapFromSource(index);
    if (!index.isValid() || index.model() != model())
        return false; // filtered out (a search is on)
    executeDelayedItemsLayout();
    scrollTo(index, PositionAtTop);
    updateOverlays();
    return true;
}

void MessageView::updateNewestVisible() {
    // At the bottom, and the bottom row is the model's newest (no search hides it).
    bool visible = m_pinned && model();
    if (visible && m_history && model()->rowCount() > 0 && model() != m_history) {
        const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model());
        visible = proxy && proxy->mapToSource(model()->index(model()->rowCount() - 1, 0)).row() ==
                               m_history->rowCount() - 1;
    }
    if (visible == m_newestVisible)
        return;
    m_newestVisible = visible;
    emit newestVisibleChanged(visible);
}

void MessageView::setPinned(bool pinned) {
    if (pinned == m_pinned)
        return;
    m_pinned = pinned;
    if (pinned)
        m_unseen = 0;
    emit pinnedChanged(pinned);
    updateOverlays();
}

void MessageView::onRowsAboutToBeInserted(const QModelIndex &parent, int first, int) {
    if (parent.isValid() || first != 0 || model()->rowCount() == 0 || m_pinned) {
        m_anchor = QPersistentModelIndex();
        return;
    }
    // History goes in above: remember which row is at the top and where.
    executeDelayedItemsLayout();
    const QModelIndex top = indexAt(QPoint(4, 1));
    m_anchor = top;
    m_anchorOffset = top.isValid() ? visualRect(top).top() : 0;
}

void MessageView::onRowsInserted(const QModelIndex &parent, int first, int last) {
    if (parent.isValid())
        return;
    if (m_anchor.isValid()) {
        const QPersistentModelIndex anchor = m_anchor;
        m_anchor = QPersistentModelIndex();
        executeDelayedItemsLayout();
        const int delta = visualRect(anchor).top() - m_anchorOffset;
        m_adjusting = true;
        verticalScrollBar()->setValue(verticalScrollBar()->value() + delta);
        m_adjusting = false;
        updateOverlays();
        return;
    }
    if (last == model()->rowCount() - 1 && first > 0) {
        if (m_pinned) {
            scrollToLatest();
        } else {
            m_unseen += last - first + 1;
            updateOverlays();
        }
    }
}

void MessageView::onRangeChanged(int, int max) {
    if (m_pinned) {
        // Restored, not cleared: this can run inside a value change that is itself an
        // adjustment (setValue, then measuring rows on screen changes the range), whose
        // later slots must still see it as one.
        const bool adjusting = m_adjusting;
        m_adjusting = true;
        verticalScrollBar()->setValue(max);
        m_adjusting = adjusting;
    }
    updateOverlays();
}

void MessageView::onValueChanged(int value) {
    if (!m_adjusting)
        setPinned(value >= verticalScrollBar()->maximum() - kPinSlack);
    // Back at the bottom of what is loaded while the newest messages are unloaded: bring them
    // back (after this scroll step, not inside it). Checked then, not now: when the cap unloads
    // the newest rows, the range shrinks (and may clamp the view to the bottom) before the
    // model says they are unloaded.
    if (!m_adjusting && m_pinned && verticalScrollBar()->maximum() > 0 && m_history)
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_pinned && m_history && m_history->newerUnloaded())
                    jumpToNewest();
            },
            Qt::QueuedConnection);
    updateOverlays();
}

void MessageView::updateOverlays() {
    updateNewestVisible();
    const QRect vp = viewport()->geometry();
    // "New messages" / "jump to latest" at the bottom right while reading history.
    const bool newerUnloaded = m_history && m_history->newerUnloaded();
    const bool showJump = newerUnloaded || (!m_pinned && verticalScrollBar()->maximum() > 0);
    if (showJump) {
        m_jump->setText(newerUnloaded  ? tr("Newer messages unloaded · Jump to newest ↓")
                        : m_unseen > 0 ? tr("%n new message(s) ↓", nullptr, m_unseen)
                                       : tr("Jump to latest ↓"));
        m_jump->adjustSize();
        m_jump->move(vp.right() - m_jump->width() - 16, vp.bottom() - m_jump->height() - 12);
        m_jump->raise();
    }
    m_jump->setVisible(showJump);

    const bool atTop = verticalScrollBar()->value() <= verticalScrollBar()->minimum() + 40;
    const bool canFetch = m_history && m_history->canFetchMore({});
    const bool showOlder =
        (canFetch || m_loadingOlder) && atTop && model() && model()->rowCount() > 0;
    if (showOlder) {
        m_loadOlder->adjustSize();
        // Top right, clear of the day label that sits in the middle of the first row. When a
        // short conversation leaves free space above it, the button goes there, centred, so it
        // covers nothing.
        const int freeAbove = viewportMargins().top();
        if (freeAbove >= m_loadOlder->height() + 16)
            m_loadOlder->move(vp.center().x() - m_loadOlder->width() / 2,
                              vp.top() - m_loadOlder->height() - 8);
        else
            m_loadOlder->move(vp.right() - m_loadOlder->width() - 16, vp.top() + 8);
        m_loadOlder->raise();
    }
    m_loadOlder->setVisible(showOlder);
}

void MessageView::resizeEvent(QResizeEvent *event) {
    const bool wasPinned = m_pinned;
    m_delegate->setWidth(viewport()->width());
    QListView::resizeEvent(event);
    if (wasPinned)
        scrollToLatest();
    updateOverlays();
}

void MessageView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::FontChange) {
        m_delegate->setFont(font());
        scheduleDelayedItemsLayout();
    } else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        viewport()->update();
    }
    QListView::changeEvent(event);
}

void MessageView::contextMenuEvent(QContextMenuEvent *event) {
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    QMenu menu(this);
    const qint64 localId = index.data(MessageModel::LocalIdRole).toLongLong();
    const auto state = index.data(MessageModel::DeliveryStateRole).value<DeliveryState>();
    if (localId != 0 && (state == DeliveryState::Failed || state == DeliveryState::Unconfirmed)) {
        menu.addAction(tr("&Retry sending"), this,
                       [this, localId] { emit retryRequested(localId); });
    }
    if (localId != 0 && state != DeliveryState::Sent) {
        menu.addAction(tr("&Discard message"), this,
                       [this, localId] { emit discardRequested(localId); });
        menu.addSeparator();
    }
    const QUrl url = m_delegate->urlAt(visualRect(index), index, event->pos());
    if (url.isValid()) {
        menu.addAction(tr("Open &link"), this, [url] { QDesktopServices::openUrl(url); });
        menu.addAction(tr("Copy link &address"), this,
                       [url] { QApplication::clipboard()->setText(url.toString()); });
    }
    menu.addAction(tr("&Copy text"), this, &MessageView::copyCurrent);
    const QString identity = index.data(MessageModel::SenderIdentityRole).toString();
    menu.addAction(tr("Copy sender &identity"), this,
                   [identity] { QApplication::clipboard()->setText(identity); });
    menu.exec(event->globalPos());
}

void MessageView::copyCurrent() {
    const QModelIndex index = currentIndex();
    if (index.isValid())
        QApplication::clipboard()->setText(index.data(MessageModel::TextRole).toString());
}

void MessageView::mousePressEvent(QMouseEvent *event) {
    QListView::mousePressEvent(event);
    const QModelIndex index = indexAt(event->pos());
    m_togglePressed =
        event->button() == Qt::LeftButton && index.isValid() &&
                m_delegate->toggleRect(visualRect(index), index).contains(event->pos())
            ? QPersistentModelIndex(index)
            : QPersistentModelIndex();
}

void MessageView::mouseMoveEvent(QMouseEvent *event) {
    QListView::mouseMoveEvent(event);
    const QModelIndex index = indexAt(event->pos());
    const QRect rect = visualRect(index);
    const bool clickable =
        index.isValid() && (m_delegate->urlAt(rect, index, event->pos()).isValid() ||
                            m_delegate->toggleRect(rect, index).contains(event->pos()));
    viewport()->setCursor(clickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event) {
    QListView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    const QPersistentModelIndex pressed = m_togglePressed;
    m_togglePressed = QPersistentModelIndex();
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    const QRect rect = visualRect(index);
    if (index == pressed && m_delegate->toggleRect(rect, index).contains(event->pos())) {
        toggleExpanded(index);
        return;
    }
    const QUrl url = m_delegate->urlAt(rect, index, event->pos());
    if (url.isValid())
        QDesktopServices::openUrl(url);
}

void MessageView::toggleExpanded(const QModelIndex &index) {
    if (!model() || index.model() != model() || index.parent() != rootIndex() ||
        !m_delegate->isCollapsible(index))
        return;
    executeDelayedItemsLayout();
    if (m_rows.count() != modelRows())
        return;
    const int row = index.row();
    const QRect before = visualRect(index);
    // What the user looks at stays put: the top of the message, or its toggle (the bottom)
    // when the top is above the screen.
    const bool keepBottom = before.top() < 0;
    const int edge = keepBottom ? before.bottom() : before.top();
    const bool expand = !index.data(MessageModel::ExpandedRole).toBool();
    model()->setData(index, expand, MessageModel::ExpandedRole); // dataChanged measures the row
    if (!m_rows.isMeasured(row)) // a model that did not say so: measure it here
        measureRows(row, row);
    updateGeometries();
    const qint64 top = m_rows.top(row);
    const qint64 target = keepBottom ? top + m_rows.height(row) - 1 - edge : top - edge;
    verticalScrollBar()->setValue(
        int(std::clamp<qint64>(target, 0, verticalScrollBar()->maximum())));
    viewport()->update();
}

void MessageView::showMatch(const QModelIndex &index, const QString &text) {
    if (!model() || !index.isValid() || index.model() != model() || index.parent() != rootIndex())
        return;
    setCurrentIndex(index);
    executeDelayedItemsLayout();
    if (m_rows.count() != modelRows())
        return;
    const QString body = index.data(MessageModel::TextRole).toString();
    const qsizetype at = text.isEmpty() ? -1 : body.indexOf(text, 0, Qt::CaseInsensitive);
    if (at >= 0 && !index.data(MessageModel::ExpandedRole).toBool() &&
        m_delegate->isHiddenWhenCollapsed(index, int(at)))
        model()->setData(index, true, MessageModel::ExpandedRole);
    const int row = index.row();
    if (!m_rows.isMeasured(row))
        measureRows(row, row);
    updateGeometries();
    const int page = viewport()->height();
    if (at < 0 || m_rows.height(row) <= page) {
        scrollTo(index, EnsureVisible);
        return;
    }
    // A message taller than the screen: the match's line, a third of the way down.
    const QRect line = m_delegate->textLineRect(
        QRect(0, 0, viewport()->width(), m_rows.height(row)), index, int(at));
    const qint64 lineTop = m_rows.top(row) + line.top();
    const int value = verticalOffset();
    if (lineTop >= value && lineTop + line.height() <= value + page)
        return;
    verticalScrollBar()->setValue(
        int(std::clamp<qint64>(lineTop - page / 3, 0, qint64(verticalScrollBar()->maximum()))));
}

void MessageView::setHighlightText(const QString &text) {
    if (text == m_delegate->highlightText())
        return;
    m_delegate->setHighlightText(text);
    viewport()->update();
}

void MessageView::keyPressEvent(QKeyEvent *event) {
    if (event->matches(QKeySequence::Copy)) {
        copyCurrent();
        return;
    }
    // Enter or Space on a long message shows or hides the rest of it.
    const int key = event->key();
    if ((key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space) &&
        (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && currentIndex().isValid() &&
        m_delegate->isCollapsible(currentIndex())) {
        toggleExpanded(currentIndex());
        return;
    }
    if (event->key() == Qt::Key_End && event->modifiers() == Qt::ControlModifier) {
        scrollToLatest();
        return;
    }
    QListView::keyPressEvent(event);
}

void MessageView::updateGeometries() {
    // Not QListView's: it would lay out every row (see the class comment).
    updateScrollRange();
    QAbstractItemView::updateGeometries();
    // A short conversation sits at the bottom, next to the input, as in every chat: the
    // free space goes above it as a viewport margin.
    const int content = int(qMin<qint64>(m_rows.total(), std::numeric_limits<int>::max()));
    const int available = viewport()->height() + viewportMargins().top();
    const int top = (model() && model()->rowCount() > 0) ? qMax(0, available - content) : 0;
    if (top != viewportMargins().top()) {
        setViewportMargins(0, top, 0, 0);
        updateOverlays();
    }
}

void MessageView::setPlaceholderText(const QString &text) {
    m_placeholder = text;
    viewport()->update();
}

void MessageView::paintEvent(QPaintEvent *event) {
    QPainter p(viewport());
    const int n = m_rows.count();
    if (n > 0 && n == modelRows()) {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        const QStyle::State state = option.state;
        const bool focus = hasFocus() || viewport()->hasFocus();
        const bool active = isActiveWindow();
        const QModelIndex current = currentIndex();
        const QRect area = event->rect();
        const int value = verticalOffset();
        const int width = viewport()->width();
        for (int row = m_rows.rowAt(value + area.top()); row < n; ++row) {
            const qint64 top = m_rows.top(row) - value;
            if (top > area.bottom())
                break;
            const QModelIndex index = model()->index(row, 0, rootIndex());
            option.rect = QRect(0, int(top), width, m_rows.height(row));
            option.state = state;
            if (selectionModel() && selectionModel()->isSelected(index))
                option.state |= QStyle::State_Selected;
            QPalette::ColorGroup group = active ? QPalette::Normal : QPalette::Inactive;
            if (model()->flags(index) & Qt::ItemIsEnabled) {
                option.state |= QStyle::State_Enabled;
            } else {
                option.state &= ~QStyle::State_Enabled;
                group = QPalette::Disabled;
            }
            option.palette.setCurrentColorGroup(group);
            option.state.setFlag(QStyle::State_HasFocus, focus && index == current);
            option.state.setFlag(QStyle::State_MouseOver, index == m_hover);
            itemDelegateForIndex(index)->paint(&p, option, index);
        }
    }
    if (m_placeholder.isEmpty() || (model() && model()->rowCount() > 0))
        return;
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
               m_placeholder);
}

// ---- the row layout ------------------------------------------------------------------------

int MessageView::modelRows() const {
    return model() ? model()->rowCount(rootIndex()) : 0;
}

void MessageView::rebuildRows() {
    m_rows.reset(modelRows(), m_delegate->estimatedRowHeight());
}

void MessageView::measureRows(int first, int last) {
    if (!model())
        return;
    const QStyleOptionViewItem option; // MessageDelegate::sizeHint needs only the index
    last = qMin(last, m_rows.count() - 1);
    for (int row = qMax(0, first); row <= last; ++row) {
        const QModelIndex index = model()->index(row, 0, rootIndex());
        QAbstractItemDelegate *delegate = itemDelegateForIndex(index);
        m_rows.setHeight(row, delegate ? delegate->sizeHint(option, index).height() : 0);
    }
}

void MessageView::measureAllRows() {
    if (m_rows.count() != modelRows())
        rebuildRows();
    measureRows(0, m_rows.count() - 1);
    updateGeometries();
    viewport()->update();
}

void MessageView::setValueKeepingPins(qint64 value) {
    // The content moved under a still reading position: no pixels to scroll, no pin change.
    const bool measuring = m_measuring;
    m_adjusting = true;
    m_measuring = true;
    verticalScrollBar()->setValue(
        int(std::clamp<qint64>(value, 0, verticalScrollBar()->maximum())));
    m_measuring = measuring;
    m_adjusting = false;
    viewport()->update();
}

void MessageView::updateScrollRange() {
    // Between a model change and the view's update of its rows (Qt's own slots run first),
    // the rows do not describe the model: the range waits for them.
    if (m_rows.count() != modelRows())
        return;
    const int page = viewport()->height();
    const qint64 max = m_rows.total() - page;
    verticalScrollBar()->setPageStep(page);
    verticalScrollBar()->setRange(0,
                                  int(std::clamp<qint64>(max, 0, std::numeric_limits<int>::max())));
    horizontalScrollBar()->setRange(0, 0);
}

// Measures the rows on screen that carry an estimate. What was on screen already stays where
// it is: the first measured row on screen keeps its place (at the top and at the bottom the
// view stays at the top and at the bottom).
void MessageView::measureVisible() {
    if (m_measuring || m_rows.count() == 0 || m_rows.count() != modelRows())
        return;
    m_measuring = true;
    QScrollBar *bar = verticalScrollBar();
    for (int pass = 0; pass < 8; ++pass) {
        const int value = bar->value();
        const int first = m_rows.rowAt(value);
        const int last = m_rows.rowAt(qint64(value) + qMax(1, viewport()->height()));
        int anchor = first;
        for (int row = first; row <= last; ++row) {
            if (m_rows.isMeasured(row)) {
                anchor = row;
                break;
            }
        }
        const qint64 offset = m_rows.top(anchor) - value;
        bool changed = false;
        for (int row = first; row <= last; ++row) {
            if (!m_rows.isMeasured(row)) {
                measureRows(row, row);
                changed = true;
            }
        }
        if (!changed)
            break;
        updateGeometries();
        if (!m_pinned && value > 0)
            setValueKeepingPins(m_rows.top(anchor) - offset);
        viewport()->update();
    }
    m_measuring = false;
}

void MessageView::doItemsLayout() {
    // A full layout: the width, font or mode may have changed. Heights stay as estimates, so
    // nothing jumps; rows are measured again where they are seen.
    if (m_rows.count() != modelRows())
        rebuildRows();
    else
        m_rows.markAllUnmeasured();
    if (m_rows.count() <= kMeasureAllRows)
        measureRows(0, m_rows.count() - 1);
    QAbstractItemView::doItemsLayout(); // not QListView's
    measureVisible();
}

void MessageView::reset() {
    QListView::reset();
    rebuildRows();
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end) {
    QAbstractItemView::rowsInserted(parent, start, end); // not QListView's full relayout
    if (parent != rootIndex())
        return;
    const int count = end - start + 1;
    if (m_rows.count() + count != modelRows() || start > m_rows.count()) {
        scheduleDelayedItemsLayout();
        return;
    }
    const int value = verticalOffset();
    m_rows.insert(start, count, m_delegate->estimatedRowHeight());
    if (count <= kMeasureInsertedRows || m_rows.count() <= kMeasureAllRows)
        measureRows(start, end);
    // Whatever is on screen from the insert down moves.
    const qint64 y = m_rows.top(start) - value;
    if (y < viewport()->height())
        viewport()->update(
            QRect(0, int(qMax<qint64>(0, y)), viewport()->width(), viewport()->height()));
    updateGeometries();
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) {
    // Not QListView's: it throws its layout away and lays out every row again. When the
    // current row goes (the oldest rows, past the cap), Qt makes the next row current and
    // scrolls to it; the reading position must not follow a row nobody chose.
    const bool autoScroll = hasAutoScroll();
    setAutoScroll(false);
    QAbstractItemView::rowsAboutToBeRemoved(parent, start, end);
    setAutoScroll(autoScroll);
}

void MessageView::onRowsRemoved(const QModelIndex &parent, int first, int last) {
    if (parent != rootIndex())
        return;
    const int count = last - first + 1;
    if (last >= m_rows.count() || m_rows.count() - count != modelRows()) {
        scheduleDelayedItemsLayout();
        return;
    }
    const int value = verticalOffset();
    const qint64 removedTop = m_rows.top(first);
    const qint64 removedHeight = m_rows.top(last + 1) - removedTop;
    m_rows.remove(first, count);
    updateGeometries();
    // Rows that went above the reading position (the oldest, past the cap) do not move it.
    if (!m_pinned && removedTop < value)
        setValueKeepingPins(value - qMin<qint64>(removedHeight, value - removedTop));
    viewport()->update();
    measureVisible();
}

void MessageView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                              const QList<int> &roles) {
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles); // not QListView's
    if (!topLeft.isValid() || topLeft.parent() != rootIndex() || m_rows.count() != modelRows())
        return;
    static const QList<int> heightRoles{Qt::DisplayRole,
                                        MessageModel::TextRole,
                                        MessageModel::FirstOfGroupRole,
                                        MessageModel::DayChangedRole,
                                        MessageModel::DeliveryStateRole,
                                        MessageModel::ErrorRole,
                                        MessageModel::IsOwnRole,
                                        MessageModel::LocalIdRole,
                                        MessageModel::ExpandedRole,
                                        MessageModel::FirstUnreadRole};
    if (!roles.isEmpty() && std::none_of(roles.cbegin(), roles.cend(),
                                         [](int role) { return heightRoles.contains(role); }))
        return; // a rename, for instance: no height changes
    const int first = topLeft.row();
    const int last = qMin(bottomRight.row(), m_rows.count() - 1);
    if (first > last)
        return;
    if (last - first + 1 > kMeasureInsertedRows && m_rows.count() > kMeasureAllRows) {
        m_rows.markUnmeasured(first, last);
        measureVisible();
        return;
    }
    // The row at the top of the screen keeps its place.
    const int value = verticalOffset();
    const int anchor = m_rows.rowAt(value);
    const qint64 offset = m_rows.top(anchor) - value;
    measureRows(first, last);
    updateGeometries();
    if (!m_pinned && value > 0 && first < anchor)
        setValueKeepingPins(m_rows.top(anchor) - offset);
    viewport()->update();
}

QRect MessageView::visualRect(const QModelIndex &index) const {
    if (!index.isValid() || index.model() != model() || index.parent() != rootIndex() ||
        index.row() >= m_rows.count() || isIndexHidden(index))
        return {};
    return QRect(0, int(m_rows.top(index.row()) - verticalOffset()), viewport()->width(),
                 m_rows.height(index.row()));
}

QModelIndex MessageView::indexAt(const QPoint &point) const {
    if (!model() || m_rows.count() == 0 || m_rows.count() != modelRows() ||
        !viewport()->rect().contains(point))
        return {};
    const qint64 y = qint64(point.y()) + verticalOffset();
    if (y < 0 || y >= m_rows.total())
        return {};
    return model()->index(m_rows.rowAt(y), 0, rootIndex());
}

void MessageView::scrollTo(const QModelIndex &index, ScrollHint hint) {
    if (!index.isValid() || index.model() != model() || index.parent() != rootIndex() ||
        index.row() >= m_rows.count())
        return;
    const int row = index.row();
    if (!m_rows.isMeasured(row))
        measureRows(row, row);
    updateGeometries();
    const qint64 top = m_rows.top(row);
    const qint64 bottom = top + m_rows.height(row);
    const int page = viewport()->height();
    const int value = verticalOffset();
    qint64 target = value;
    switch (hint) {
    case EnsureVisible:
        if (top < value)
            target = top;
        else if (bottom > value + page)
            target = qMin(top, bottom - page);
        break;
    case PositionAtTop:
        target = top;
        break;
    case PositionAtBottom:
        target = bottom - page;
        break;
    case PositionAtCenter:
        target = top - (page - (bottom - top)) / 2;
        break;
    }
    verticalScrollBar()->setValue(
        int(std::clamp<qint64>(target, 0, verticalScrollBar()->maximum())));
}

void MessageView::scrollContentsBy(int dx, int dy) {
    if (m_measuring) { // the layout changed under the screen: paint it all
        viewport()->update();
        return;
    }
    viewport()->scroll(dx, dy);
    // Before onValueChanged sees the move: measuring may change the range, and a view that
    // was pinned must not be pulled back to the bottom by that.
    if (!m_adjusting)
        setPinned(verticalScrollBar()->value() >= verticalScrollBar()->maximum() - kPinSlack);
    measureVisible();
}

int MessageView::horizontalOffset() const {
    return 0;
}

int MessageView::verticalOffset() const {
    return verticalScrollBar()->value();
}

QModelIndex MessageView::moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers) {
    const int n = modelRows();
    if (n == 0 || m_rows.count() != n)
        return {};
    const QModelIndex current = currentIndex();
    if (!current.isValid())
        return model()->index(0, 0, rootIndex());
    const int row = current.row();
    const int page = qMax(1, viewport()->height());
    int target = row;
    switch (cursorAction) {
    case MoveUp:
    case MoveLeft:
    case MovePrevious:
        target = row - 1;
        break;
    case MoveDown:
    case MoveRight:
    case MoveNext:
        target = row + 1;
        break;
    case MoveHome:
        target = 0;
        break;
    case MoveEnd:
        target = n - 1;
        break;
    case MovePageUp:
        target = qMin(row - 1, m_rows.rowAt(m_rows.top(row) - page));
        break;
    case MovePageDown:
        target = qMax(row + 1, m_rows.rowAt(m_rows.top(row) + page));
        break;
    }
    return model()->index(qBound(0, target, n - 1), 0, rootIndex());
}

void MessageView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags command) {
    if (!selectionModel())
        return;
    QItemSelection selection;
    const QRect r = rect.normalized();
    const qint64 top = qint64(r.top()) + verticalOffset();
    const qint64 bottom = qint64(r.bottom()) + verticalOffset();
    if (m_rows.count() > 0 && m_rows.count() == modelRows() && bottom >= 0 &&
        top < m_rows.total()) {
        const int first = m_rows.rowAt(qMax<qint64>(0, top));
        const int last = m_rows.rowAt(bottom);
        selection.select(model()->index(first, 0, rootIndex()),
                         model()->index(last, 0, rootIndex()));
    }
    selectionModel()->select(selection, command);
}

QRegion MessageView::visualRegionForSelection(const QItemSelection &selection) const {
    QRegion region;
    const QRect vp = viewport()->rect();
    for (const QItemSelectionRange &range : selection) {
        if (range.parent() != rootIndex() || range.bottom() >= m_rows.count())
            continue;
        const qint64 top = m_rows.top(range.top()) - verticalOffset();
        const qint64 bottom = m_rows.top(range.bottom() + 1) - verticalOffset();
        if (bottom <= vp.top() || top > vp.bottom())
            continue;
        region += QRect(0, int(qMax<qint64>(top, vp.top())), vp.width(),
                        int(qMin<qint64>(bottom, vp.bottom() + 1) - qMax<qint64>(top, vp.top())));
    }
    return region;
}

bool MessageView::viewportEvent(QEvent *event) {
    const bool handled = QListView::viewportEvent(event);
    // What QAbstractItemView tracks privately for its own painting.
    switch (event->type()) {
    case QEvent::HoverEnter:
    case QEvent::HoverMove:
        m_hover = indexAt(static_cast<QHoverEvent *>(event)->position().toPoint());
        break;
    case QEvent::HoverLeave:
    case QEvent::Leave:
        m_hover = QPersistentModelIndex();
        break;
    default:
        break;
    }
    return handled;
}
