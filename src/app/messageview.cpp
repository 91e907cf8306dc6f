// SPDX-License-Identifier: Apache-2.0
#include "messageview.h"

#include "messagedelegate.h"

#include "chat/chattypes.h"
#include "chat/messagemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>

using chat::DeliveryState;
using chat::MessageModel;

namespace {
constexpr int kPinSlack = 4; // px from the bottom that still count as "at the bottom"
}

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
    setAccessibleDescription(tr("The conversation, oldest at the top"));
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
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            m_unseen = 0;
            if (m_pinned)
                scrollToLatest();
            updateOverlays();
        });
    }
    scrollToLatest();
}

void MessageView::setHistoryModel(chat::MessageModel *history) {
    if (m_history)
        disconnect(m_history, nullptr, this, nullptr);
    m_history = history;
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
        m_adjusting = true;
        verticalScrollBar()->setValue(max);
        m_adjusting = false;
    }
    updateOverlays();
}

void MessageView::onValueChanged(int value) {
    if (!m_adjusting)
        setPinned(value >= verticalScrollBar()->maximum() - kPinSlack);
    // Back at the bottom of what is loaded while the newest messages are unloaded: bring them
    // back (after this scroll step, not inside it).
    if (!m_adjusting && m_pinned && verticalScrollBar()->maximum() > 0 && m_history &&
        m_history->newerUnloaded())
        QMetaObject::invokeMethod(this, &MessageView::jumpToNewest, Qt::QueuedConnection);
    updateOverlays();
}

void MessageView::updateOverlays() {
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

void MessageView::mouseMoveEvent(QMouseEvent *event) {
    QListView::mouseMoveEvent(event);
    const QModelIndex index = indexAt(event->pos());
    const bool onLink =
        index.isValid() && m_delegate->urlAt(visualRect(index), index, event->pos()).isValid();
    viewport()->setCursor(onLink ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event) {
    QListView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    const QUrl url = m_delegate->urlAt(visualRect(index), index, event->pos());
    if (url.isValid())
        QDesktopServices::openUrl(url);
}

void MessageView::keyPressEvent(QKeyEvent *event) {
    if (event->matches(QKeySequence::Copy)) {
        copyCurrent();
        return;
    }
    if (event->key() == Qt::Key_End && event->modifiers() == Qt::ControlModifier) {
        scrollToLatest();
        return;
    }
    QListView::keyPressEvent(event);
}

void MessageView::updateGeometries() {
    QListView::updateGeometries();
    // A short conversation sits at the bottom, next to the input, as in every chat: the
    // free space goes above it as a viewport margin.
    const int content = contentsSize().height();
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
    QListView::paintEvent(event);
    if (m_placeholder.isEmpty() || (model() && model()->rowCount() > 0))
        return;
    QPainter p(viewport());
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
               m_placeholder);
}
