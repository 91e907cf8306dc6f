// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "rowheightcache.h"

#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QUrl>

// Paints one row of the conversation (chat::MessageModel): an optional day separator, the
// "New messages" line above the first unread message, the
// sender's name in a colour derived from the identity, the time, the wrapped text and — for our
// own messages on their way — the delivery state.
//
// Everything from the network is laid out as plain text with QTextLayout: nothing is ever
// interpreted as HTML or rich text. http(s) URLs are underlined and can be clicked (urlAt()).
//
// Row heights are cached by content (text, grouping flags, delivery state) and width, so a
// view with 100k rows lays out quickly and prepending history does not invalidate anything.
class MessageDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The width rows are laid out for (the view's viewport width). Clears the cache on change.
    void setWidth(int width);
    int width() const { return m_width; }
    // Compact mode: no avatars, tighter spacing, time in front of every message.
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }
    void setFont(const QFont &font);
    void clearCache();
    // A row's height before it is measured: one line of a grouped message.
    int estimatedRowHeight() const;
    int cachedHeights() const { return m_heights.size(); }

    // The clickable http(s) URL at pos (view coordinates) in the row at rect, if any.
    QUrl urlAt(const QRect &rect, const QModelIndex &index, const QPoint &pos) const;

    // Exactly the text the row shows (network text verbatim; newlines as line breaks).
    static QString displayText(const QModelIndex &index);
    // The line drawn above the first unread message (chat::MessageModel::FirstUnreadRole).
    static QString unreadLineText();
    // The line under an own message that is not confirmed yet ("Sending…"), or empty.
    static QString deliveryText(const QModelIndex &index);

private:
    struct Metrics;
    struct RowGeometry {
        int separatorHeight = 0; // day separator band
        int unreadHeight = 0;    // "New messages" line above the first unread message
        int headerHeight = 0;    // name + time line
        int textTop = 0;         // relative to the row
        int textLeft = 0;
        int textWidth = 0;
        int textHeight = 0;
        int statusHeight = 0;
        int total = 0;
    };

    // The text column: the same for every row (width, mode and font decide it).
    int textLeft() const;
    int textWidth() const;
    RowGeometry geometry(const QModelIndex &index, const QString &text,
                         const qreal *layoutHeight) const;
    qreal layoutText(QTextLayout &layout, const QString &text, int width,
                     const QPalette *palette) const;
    static QList<QTextLayout::FormatRange> linkFormats(const QString &text,
                                                       const QPalette &palette);

    int m_width = 400;
    bool m_compact = false;
    QFont m_font;
    mutable RowHeightCache m_heights;
};
