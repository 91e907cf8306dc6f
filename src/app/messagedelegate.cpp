// SPDX-License-Identifier: Apache-2.0
#include "messagedelegate.h"

#include "sendercolor.h"

#include "chat/chattypes.h"
#include "chat/daylabel.h"
#include "chat/messagemodel.h"
#include "chat/untrustedtext.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QBrush>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QTextLine>
#include <QToolTip>

using chat::DeliveryState;
using chat::MessageModel;

namespace {
constexpr int kMargin = 12;
constexpr int kAvatar = 34;
constexpr int kAvatarGap = 10;
constexpr int kGroupTop = 10;
constexpr int kRowTop = 2;
constexpr int kRowBottom = 3;

QFont boldFont(const QFont &f) {
    QFont b = f;
    b.setBold(true);
    return b;
}

QFont smallFont(const QFont &f) {
    QFont s = f;
    if (f.pointSizeF() > 0)
        s.setPointSizeF(f.pointSizeF() * 0.85);
    else
        s.setPixelSize(qMax(8, int(f.pixelSize() * 0.85)));
    return s;
}

DeliveryState stateOf(const QModelIndex &index) {
    return index.data(MessageModel::DeliveryStateRole).value<DeliveryState>();
}

// The avatar's letter: the first letter or digit of the sender's display name (which may start
// with a bidi isolate, or be "(no visible name) c0ffee12").
QString initialOf(const QString &name) {
    for (const char32_t c : name.toUcs4())
        if (QChar::isLetterOrNumber(c))
            return QString::fromUcs4(&c, 1).toUpper();
    return QStringLiteral("?");
}

QColor mutedColor(const QPalette &pal) {
    return pal.color(QPalette::PlaceholderText);
}
} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_font(QApplication::font()) {}

void MessageDelegate::setWidth(int width) {
    width = qMax(120, width);
    if (width == m_width)
        return;
    m_width = width;
    clearCache();
}

void MessageDelegate::setCompact(bool compact) {
    if (compact == m_compact)
        return;
    m_compact = compact;
    clearCache();
}

void MessageDelegate::setFont(const QFont &font) {
    if (font == m_font)
        return;
    m_font = font;
    clearCache();
}

void MessageDelegate::clearCache() {
    m_heights.clear();
}

int MessageDelegate::estimatedRowHeight() const {
    return QFontMetrics(m_font).height() + (m_compact ? 1 : kRowTop + kRowBottom);
}

QString MessageDelegate::unreadLineText() {
    return tr("New messages");
}

QString MessageDelegate::displayText(const QModelIndex &index) {
    QString text = index.data(MessageModel::TextRole).toString();
    // QTextLayout breaks lines only at U+2028; everything else stays exactly as received.
    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    return text;
}

QString MessageDelegate::deliveryText(const QModelIndex &index) {
    if (!index.data(MessageModel::IsOwnRole).toBool() &&
        index.data(MessageModel::LocalIdRole).toLongLong() == 0)
        return {};
    switch (stateOf(index)) {
    case DeliveryState::Sent:
        return {};
    case DeliveryState::Pending:
        return tr("Sending…");
    case DeliveryState::Unconfirmed:
        return tr("Not confirmed yet: will be checked when the connection is back");
    case DeliveryState::Failed: {
        const QString error = index.data(MessageModel::ErrorRole).toString();
        return error.isEmpty() ? tr("Not delivered. Right-click to retry or discard.")
                               : tr("Not delivered: %1. Right-click to retry or discard.")
                                     .arg(chat::UntrustedText::isolate(error));
    }
    }
    return {};
}

QList<QTextLayout::FormatRange> MessageDelegate::linkFormats(const QString &text,
                                                             const QPalette &palette) {
    static const QRegularExpression re(QStringLiteral("\\bhttps?://[^\\s<>\"\\x{2028}]+"),
                                       QRegularExpression::CaseInsensitiveOption);
    QList<QTextLayout::FormatRange> formats;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        int len = int(m.capturedLength());
        // Trailing punctuation belongs to the sentence, not the URL.
        while (len > 0 &&
               QStringLiteral(".,;:!?)]}'").contains(text.at(m.capturedStart() + len - 1)))
            --len;
        QTextLayout::FormatRange r;
        r.start = int(m.capturedStart());
        r.length = len;
        r.format.setFontUnderline(true);
        r.format.setForeground(palette.color(QPalette::Link));
        formats.append(r);
    }
    return formats;
}

qreal MessageDelegate::layoutText(QTextLayout &layout, const QString &text, int width,
                                  const QPalette *palette, bool highlight) const {
    layout.setText(text);
    layout.setFont(m_font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    // The text's own direction (its first strong character, as dir="auto" in HTML) orders and
    // aligns it: a Hebrew or Arabic message reads from the right edge of the text column.
    const bool rtl = text.isRightToLeft();
    option.setTextDirection(rtl ? Qt::RightToLeft : Qt::LeftToRight);
    option.setAlignment(rtl ? Qt::AlignRight : Qt::AlignLeft);
    layout.setTextOption(option);
    if (palette) {
        QList<QTextLayout::FormatRange> formats = linkFormats(text, *palette);
        if (highlight)
            formats += highlightFormats(text, *palette);
        layout.setFormats(formats);
    }
    layout.beginLayout();
    qreal y = 0;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    layout.endLayout();
    return y;
}

int MessageDelegate::textLeft() const {
    if (m_compact)
        return kMargin +
               QFontMetrics(smallFont(m_font)).horizontalAdvance(QStringLiteral("00:00")) + 10;
    return kMargin + kAvatar + kAvatarGap;
}

int MessageDelegate::textWidth() const {
    return qMax(40, m_width - textLeft() - kMargin);
}

MessageDelegate::TextHeight MessageDelegate::textHeight(const QTextLayout &layout) {
    TextHeight h;
    const int lines = layout.lineCount();
    if (lines == 0)
        return h;
    const QTextLine last = layout.lineAt(lines - 1);
    h.full = last.y() + last.height();
    h.collapsible = lines > collapseAboveLines();
    h.collapsed = h.collapsible ? layout.lineAt(collapsedLines()).y() : h.full;
    return h;
}

MessageDelegate::RowGeometry MessageDelegate::geometry(const QModelIndex &index,
                                                       const QString &text,
                                                       const TextHeight *height) const {
    const QFontMetrics fm(m_font);
    const QFontMetrics bold(boldFont(m_font));
    const QFontMetrics small(smallFont(m_font));
    const bool day = index.data(MessageModel::DayChangedRole).toBool();
    const bool unread = index.data(MessageModel::FirstUnreadRole).toBool();
    // Below the "New messages" line the sender is named again.
    const bool first = index.data(MessageModel::FirstOfGroupRole).toBool() || day || unread;

    RowGeometry g;
    if (day)
        g.separatorHeight = small.height() + 22;
    if (unread)
        g.unreadHeight = small.height() + 12;
    int y = g.separatorHeight + g.unreadHeight;
    if (first) {
        y += m_compact ? 4 : (day ? 4 : kGroupTop);
        g.headerHeight = bold.height() + 1;
        y += g.headerHeight;
    } else {
        y += m_compact ? 0 : kRowTop;
    }
    g.textLeft = textLeft();
    g.textTop = y;
    g.textWidth = textWidth();
    TextHeight th;
    if (height) {
        th = *height;
    } else {
        QTextLayout layout;
        layoutText(layout, text, g.textWidth, nullptr);
        th = textHeight(layout);
    }
    const bool expanded = index.data(MessageModel::ExpandedRole).toBool();
    g.textHeight = qCeil(th.collapsible && !expanded ? th.collapsed : th.full);
    g.textHeight = qMax(g.textHeight, fm.height());
    y += g.textHeight;
    if (th.collapsible) {
        g.toggleHeight = fm.height() + 4;
        y += g.toggleHeight;
    }
    if (!deliveryText(index).isEmpty()) {
        g.statusHeight = small.height() + 2;
        y += g.statusHeight;
    }
    y += m_compact ? 1 : kRowBottom;
    if (first && !m_compact)
        y = qMax(y, g.textTop - g.headerHeight + kAvatar + kRowBottom);
    g.total = y;
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &index) const {
    const QString text = displayText(index);
    const int flags = (index.data(MessageModel::FirstOfGroupRole).toBool() ? 1 : 0) |
                      (index.data(MessageModel::DayChangedRole).toBool() ? 2 : 0) |
                      (int(stateOf(index)) << 2) |
                      (index.data(MessageModel::ExpandedRole).toBool() ? 1 << 8 : 0) |
                      (index.data(MessageModel::FirstUnreadRole).toBool() ? 1 << 9 : 0);
    RowHeightCache::Key key{text, flags, deliveryText(index)};
    if (const std::optional<int> cached = m_heights.find(key))
        return {m_width, *cached};
    const int h = geometry(index, text, nullptr).total;
    m_heights.insert(std::move(key), h);
    return {m_width, h};
}

QString MessageDelegate::toggleText(bool expanded) {
    return expanded ? tr("Show less") : tr("Show more");
}

bool MessageDelegate::isCollapsible(const QModelIndex &index) const {
    QTextLayout layout;
    layoutText(layout, displayText(index), textWidth(), nullptr);
    return textHeight(layout).collapsible;
}

bool MessageDelegate::isCollapsed(const QModelIndex &index) const {
    return !index.data(MessageModel::ExpandedRole).toBool() && isCollapsible(index);
}

QRect MessageDelegate::toggleRect(const QRect &rect, const QModelIndex &index) const {
    const QString text = displayText(index);
    QTextLayout layout;
    layoutText(layout, text, textWidth(), nullptr);
    const TextHeight th = textHeight(layout);
    if (!th.collapsible)
        return {};
    const RowGeometry g = geometry(index, text, &th);
    const QString label = toggleText(index.data(MessageModel::ExpandedRole).toBool());
    const int width = qMin(g.textWidth, QFontMetrics(m_font).horizontalAdvance(label) + 8);
    return {rect.left() + g.textLeft, rect.top() + g.textTop + g.textHeight, width, g.toggleHeight};
}

QRect MessageDelegate::textLineRect(const QRect &rect, const QModelIndex &index,
                                    int position) const {
    const QString text = displayText(index);
    QTextLayout layout;
    layoutText(layout, text, textWidth(), nullptr);
    const TextHeight th = textHeight(layout);
    const RowGeometry g = geometry(index, text, &th);
    const QTextLine line = layout.lineForTextPosition(qBound(0, position, int(text.size())));
    if (!line.isValid())
        return {rect.left() + g.textLeft, rect.top() + g.textTop, g.textWidth, g.textHeight};
    return {rect.left() + g.textLeft, rect.top() + g.textTop + int(line.y()), g.textWidth,
            qCeil(line.height())};
}

bool MessageDelegate::isHiddenWhenCollapsed(const QModelIndex &index, int position) const {
    const QString text = displayText(index);
    QTextLayout layout;
    layoutText(layout, text, textWidth(), nullptr);
    if (!textHeight(layout).collapsible)
        return false;
    const QTextLine line = layout.lineForTextPosition(qBound(0, position, int(text.size())));
    return line.isValid() && line.lineNumber() >= collapsedLines();
}

QList<QTextLayout::FormatRange> MessageDelegate::highlightFormats(const QString &text,
                                                                  const QPalette &palette) const {
    QList<QTextLayout::FormatRange> formats;
    if (m_highlight.isEmpty())
        return formats;
    QColor back = palette.color(QPalette::Highlight);
    back.setAlpha(isDarkPalette(palette) ? 120 : 80);
    for (qsizetype at = text.indexOf(m_highlight, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(m_highlight, at + m_highlight.size(), Qt::CaseInsensitive)) {
        QTextLayout::FormatRange r;
        r.start = int(at);
        r.length = int(m_highlight.size());
        r.format.setBackground(back);
        formats.append(r);
    }
    return formats;
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const {
    const QPalette &pal = option.palette;
    const QString text = displayText(index);
    QTextLayout layout;
    layoutText(layout, text, textWidth(), &pal, true);
    const TextHeight th = textHeight(layout);
    const RowGeometry g = geometry(index, text, &th);
    const QRect r = option.rect;

    painter->save();
    painter->setClipRect(r);
    painter->setRenderHint(QPainter::Antialiasing, true);

    const bool own = index.data(MessageModel::IsOwnRole).toBool();
    const bool first = g.headerHeight > 0;
    const QDateTime sent = index.data(MessageModel::SentRole).toDateTime();
    const QFont small = smallFont(m_font);
    const QFontMetrics smallFm(small);
    const bool dark = isDarkPalette(pal);

    // Day separator: a rule with the date in the middle.
    if (g.separatorHeight > 0) {
        const QRect band(r.left(), r.top(), r.width(), g.separatorHeight);
        const QString label = chat::DayLabel::text(sent.date());
        QFont f = small;
        f.setBold(true);
        painter->setFont(f);
        const QFontMetrics bf(f);
        const int tw = bf.horizontalAdvance(label) + 24;
        const QRect pill(band.center().x() - tw / 2, band.center().y() - bf.height() / 2 - 3, tw,
                         bf.height() + 6);
        QColor line = pal.color(QPalette::Mid);
        line.setAlpha(dark ? 160 : 110);
        painter->setPen(QPen(line, 1));
        const int cy = band.center().y();
        painter->drawLine(band.left() + kMargin, cy, pill.left() - 6, cy);
        painter->drawLine(pill.right() + 6, cy, band.right() - kMargin, cy);
        painter->setPen(Qt::NoPen);
        painter->setBrush(pal.color(QPalette::AlternateBase));
        painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
        painter->setPen(mutedColor(pal));
        painter->drawText(pill, Qt::AlignCenter, label);
    }

    // The first unread message: a red rule with "New messages" at its right end.
    if (g.unreadHeight > 0) {
        const QRect band(r.left(), r.top() + g.separatorHeight, r.width(), g.unreadHeight);
        const QColor accent = dark ? QColor(240, 90, 90) : QColor(200, 40, 40);
        QFont f = small;
        f.setBold(true);
        painter->setFont(f);
        const QString label = unreadLineText();
        const int tw = QFontMetrics(f).horizontalAdvance(label);
        const int cy = band.center().y();
        const QRect text(band.right() - kMargin - tw, band.top(), tw, band.height());
        painter->setPen(QPen(accent, 1));
        painter->drawLine(band.left() + kMargin, cy, text.left() - 8, cy);
        painter->drawText(text, Qt::AlignCenter, label);
    }

    // Background: own messages tinted, hover and selection on top.
    const int bodyTop = g.separatorHeight + g.unreadHeight;
    const QRect body(r.left(), r.top() + bodyTop, r.width(), r.height() - bodyTop);
    if (own) {
        QColor tint = pal.color(QPalette::Highlight);
        tint.setAlpha(dark ? 34 : 20);
        painter->fillRect(body, tint);
    }
    // Someone mentioned us: an amber bar at the left edge over an amber tint, in both palettes.
    if (!own && index.data(MessageModel::MentionsMeRole).toBool()) {
        const QColor accent = dark ? QColor(240, 180, 60) : QColor(214, 140, 0);
        QColor tint = accent;
        tint.setAlpha(dark ? 44 : 30);
        painter->fillRect(body, tint);
        painter->fillRect(QRect(body.left(), body.top(), 3, body.height()), accent);
    }
    if (option.state & QStyle::State_Selected) {
        QColor sel = pal.color(QPalette::Highlight);
        sel.setAlpha(dark ? 90 : 60);
        painter->fillRect(body, sel);
    } else if (option.state & QStyle::State_MouseOver) {
        QColor hover = pal.color(QPalette::Text);
        hover.setAlpha(dark ? 14 : 9);
        painter->fillRect(body, hover);
    }
    if (option.state & QStyle::State_HasFocus && option.state & QStyle::State_Selected) {
        QColor focus = pal.color(QPalette::Highlight);
        painter->setPen(QPen(focus, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(body.adjusted(0, 0, -1, -1));
    }

    const QString identity = index.data(MessageModel::SenderIdentityRole).toString();
    const QColor nameColor = senderColor(identity, pal);
    const QString time = QLocale().toString(sent.time(), QStringLiteral("HH:mm"));
    const int headerTop = r.top() + g.textTop - g.headerHeight;

    if (first) {
        const QString name = index.data(MessageModel::SenderNameRole).toString();
        if (!m_compact) {
            // Avatar: the initial on a disc in the sender's colour.
            const QRect avatar(r.left() + kMargin, headerTop + 1, kAvatar, kAvatar);
            painter->setPen(Qt::NoPen);
            painter->setBrush(avatarColor(identity));
            painter->drawEllipse(avatar);
            QFont af = boldFont(m_font);
            af.setPixelSize(kAvatar / 2);
            painter->setFont(af);
            painter->setPen(Qt::white);
            painter->drawText(avatar, Qt::AlignCenter, initialOf(name));
        }
        const QFont bf = boldFont(m_font);
        const QFontMetrics bfm(bf);
        painter->setFont(bf);
        painter->setPen(nameColor);
        const int nameLeft = r.left() + g.textLeft;
        // The name is drawn on its own; next to "(you)" it is isolated so that bidi controls in
        // it cannot reorder our words.
        QString shownName = name;
        if (own)
            shownName = tr("%1 (you)").arg(chat::UntrustedText::isolate(name));
        const int maxName = qMax(40, g.textWidth - smallFm.horizontalAdvance(time) - 12);
        shownName = bfm.elidedText(shownName, Qt::ElideRight, maxName);
        painter->drawText(QPoint(nameLeft, headerTop + bfm.ascent()), shownName);
        if (!m_compact) {
            painter->setFont(small);
            painter->setPen(mutedColor(pal));
            painter->drawText(
                QPoint(nameLeft + bfm.horizontalAdvance(shownName) + 8, headerTop + bfm.ascent()),
                time);
        }
    }
    // The time in the left gutter: always in compact mode, on hover for grouped rows.
    if (m_compact || (!first && (option.state & QStyle::State_MouseOver))) {
        painter->setFont(small);
        painter->setPen(mutedColor(pal));
        const QFontMetrics fm(m_font);
        const int baseline = r.top() + g.textTop + fm.ascent();
        const int right = r.left() + g.textLeft - 8;
        painter->drawText(QPoint(right - smallFm.horizontalAdvance(time), baseline), time);
    }

    // The text, plain. Pending messages are drawn muted until the server has them.
    const DeliveryState state = stateOf(index);
    QColor textColor = pal.color(QPalette::Text);
    if (own && (state == DeliveryState::Pending || state == DeliveryState::Unconfirmed))
        textColor = mutedColor(pal);
    const QPointF textOrigin(r.left() + g.textLeft, r.top() + g.textTop);
    const bool expanded = index.data(MessageModel::ExpandedRole).toBool();
    if (th.collapsible && !expanded) {
        // Cut after collapsedLines(); the last line and a half shown fade out towards the cut
        // (the pen's gradient; above it the gradient pads with the full colour).
        painter->save();
        painter->setClipRect(QRect(r.left(), r.top() + g.textTop, r.width(), g.textHeight),
                             Qt::IntersectClip);
        const QTextLine fadeFrom = layout.lineAt(collapsedLines() - 2);
        QLinearGradient fade(0, textOrigin.y() + fadeFrom.y() + fadeFrom.height() / 2, 0,
                             textOrigin.y() + th.collapsed);
        QColor faded = textColor;
        faded.setAlphaF(0.05f);
        fade.setColorAt(0, textColor);
        fade.setColorAt(1, faded);
        painter->setPen(QPen(QBrush(fade), 1));
        layout.draw(painter, textOrigin);
        painter->restore();
    } else {
        painter->setPen(textColor);
        layout.draw(painter, textOrigin);
    }
    if (th.collapsible) {
        // The toggle, in the link colour, on its own line under the text.
        painter->setFont(m_font);
        painter->setPen(pal.color(QPalette::Link));
        const QRect toggle(r.left() + g.textLeft, r.top() + g.textTop + g.textHeight, g.textWidth,
                           g.toggleHeight);
        painter->drawText(toggle, Qt::AlignLeft | Qt::AlignVCenter, toggleText(expanded));
    }

    const QString status = deliveryText(index);
    if (!status.isEmpty()) {
        painter->setFont(small);
        const QColor c = state == DeliveryState::Failed
                             ? (dark ? QColor(255, 120, 110) : QColor(190, 30, 30))
                             : mutedColor(pal);
        painter->setPen(c);
        const QRect sr(r.left() + g.textLeft,
                       r.top() + g.textTop + g.textHeight + g.toggleHeight + 1, g.textWidth,
                       g.statusHeight);
        const QString glyph =
            state == DeliveryState::Failed ? QStringLiteral("⚠ ") : QStringLiteral("◷ ");
        painter->drawText(sr, Qt::AlignLeft | Qt::AlignVCenter,
                          smallFm.elidedText(glyph + status, Qt::ElideRight, g.textWidth));
    }
    painter->restore();
}

QUrl MessageDelegate::urlAt(const QRect &rect, const QModelIndex &index, const QPoint &pos) const {
    const QString text = displayText(index);
    if (!text.contains(QLatin1String("http"), Qt::CaseInsensitive))
        return {};
    QTextLayout layout;
    const QPalette pal;
    layoutText(layout, text, textWidth(), &pal);
    const TextHeight th = textHeight(layout);
    const RowGeometry probe = geometry(index, text, &th);
    const QPointF local = pos - QPointF(rect.left() + probe.textLeft, rect.top() + probe.textTop);
    // A collapsed message's hidden lines have no links to click.
    const int lines = th.collapsible && !index.data(MessageModel::ExpandedRole).toBool()
                          ? collapsedLines()
                          : layout.lineCount();
    for (int i = 0; i < lines; ++i) {
        const QTextLine line = layout.lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + line.height())
            continue;
        const QRectF drawn = line.naturalTextRect(); // right-aligned for right-to-left text
        if (local.x() < drawn.left() || local.x() > drawn.right())
            return {};
        const int cursor = line.xToCursor(local.x(), QTextLine::CursorOnCharacter);
        for (const auto &f : layout.formats()) {
            if (cursor >= f.start && cursor < f.start + f.length) {
                const QUrl url(text.mid(f.start, f.length), QUrl::StrictMode);
                if (url.isValid() && (url.scheme() == QLatin1String("http") ||
                                      url.scheme() == QLatin1String("https")))
                    return url;
            }
        }
        return {};
    }
    return {};
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index) {
    if (!event || event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QUrl url = urlAt(option.rect, index, event->pos());
    QString tip;
    if (toggleRect(option.rect, index).contains(event->pos())) {
        tip = index.data(MessageModel::ExpandedRole).toBool()
                  ? tr("Show only the start of this message (Enter)")
                  : tr("Show the whole message (Enter)");
    } else if (url.isValid()) {
        tip = url.toDisplayString();
    } else {
        const QDateTime sent = index.data(MessageModel::SentRole).toDateTime();
        tip = QLocale().toString(sent, QLocale::LongFormat);
        const QString status = deliveryText(index);
        if (!status.isEmpty())
            tip += QLatin1Char('\n') + status;
    }
    // QToolTip guesses rich text; escape everything and say so explicitly, so a server's error
    // text can never be interpreted as markup.
    QString html = tip.toHtmlEscaped();
    html.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    QToolTip::showText(event->globalPos(), QLatin1String("<qt>") + html + QLatin1String("</qt>"),
                       view, option.rect);
    return true;
}
