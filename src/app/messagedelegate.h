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
// A message longer than collapseAboveLines() laid-out lines at the current width is collapsed
// to its first collapsedLines() lines, faded out at the cut, with a "Show more" toggle under
// it ("Show less" once expanded). Whether it is expanded is MessageModel::ExpandedRole; the
// view toggles it (toggleRect()).
//
// Row heights are cached by content (text, grouping flags, delivery state, expanded) and
// width, so a view with 100k rows lays out quickly and prepending history does not
// invalidate anything.
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

    static constexpr int collapseAboveLines() { return 12; }
    // A collapsed message is never taller than one of collapseAboveLines() lines.
    static constexpr int collapsedLines() { return 10; }
    // Whether the message is long enough at the current width to be collapsed.
    bool isCollapsible(const QModelIndex &index) const;
    // Collapsible and not expanded.
    bool isCollapsed(const QModelIndex &index) const;
    // The "Show more" / "Show less" toggle of the row at rect (view coordinates); empty when
    // the message is short.
    QRect toggleRect(const QRect &rect, const QModelIndex &index) const;
    static QString toggleText(bool expanded);
    // Where the text's character at position is drawn in the row at rect (the line's
    // rectangle, view coordinates), as laid out when the message is expanded.
    QRect textLineRect(const QRect &rect, const QModelIndex &index, int position) const;
    // Whether the character at position is in the part a collapsed message hides.
    bool isHiddenWhenCollapsed(const QModelIndex &index, int position) const;
    // Text to highlight in every row (Find), case-insensitively; empty for none.
    void setHighlightText(const QString &text) { m_highlight = text; }
    QString highlightText() const { return m_highlight; }

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
        int textHeight = 0;   // as shown: cut when collapsed
        int toggleHeight = 0; // the "Show more" line, 0 for short messages
        int statusHeight = 0;
        int total = 0;
    };

    // The text column: the same for every row (width, mode and font decide it).
    int textLeft() const;
    int textWidth() const;
    // The laid-out text's height in full and cut after collapsedLines() (equal for short
    // messages).
    struct TextHeight {
        qreal full = 0;
        qreal collapsed = 0;
        bool collapsible = false;
    };
    static TextHeight textHeight(const QTextLayout &layout);
    RowGeometry geometry(const QModelIndex &index, const QString &text,
                         const TextHeight *height) const;
    // With a palette: links (and with highlight, Find's matches) formatted.
    qreal layoutText(QTextLayout &layout, const QString &text, int width, const QPalette *palette,
                     bool highlight = false) const;
    QList<QTextLayout::FormatRange> highlightFormats(const QString &text,
                                                     const QPalette &palette) const;
    static QList<QTextLayout::FormatRange> linkFormats(const QString &text,
                                                       const QPalette &palette);

    int m_width = 400;
    bool m_compact = false;
    QFont m_font;
    QString m_highlight;
    mutable RowHeightCache m_heights;
};
