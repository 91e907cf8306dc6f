// SPDX-License-Identifier: Apache-2.0
#include "userdelegate.h"

#include "sendercolor.h"

#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

using chat::UserModel;

QSize UserDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const {
    return {120, option.fontMetrics.height() + 12};
}

void UserDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : nullptr;
    if (style)
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const bool online = index.data(UserModel::OnlineRole).toBool();
    // Our connection is down: the dots are only what we saw last, so the whole list is grey.
    const bool known = index.data(UserModel::PresenceKnownRole).toBool();
    const bool self = index.data(UserModel::IsSelfRole).toBool();
    const QString name = index.data(UserModel::DisplayNameRole).toString();
    const QRect r = option.rect;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const int d = 9;
    const QRect dot(r.left() + 10, r.center().y() - d / 2, d, d);
    const QColor grey = option.palette.color(QPalette::Mid);
    if (known) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(online ? QColor(40, 175, 80) : grey);
    } else {
        // Last seen online: a grey ring, not a green dot.
        painter->setPen(online ? QPen(grey, 1.5) : Qt::NoPen);
        painter->setBrush(online ? QBrush(Qt::NoBrush) : QBrush(grey));
    }
    painter->drawEllipse(dot);

    const bool selected = option.state & QStyle::State_Selected;
    QColor text = selected ? option.palette.color(QPalette::HighlightedText)
                           : option.palette.color(QPalette::Text);
    if ((!online || !known) && !selected)
        text = option.palette.color(QPalette::PlaceholderText);
    QFont f = option.font;
    f.setBold(self);
    painter->setFont(f);
    const QFontMetrics fm(f);
    QString shown = self ? tr("%1 (you)").arg(chat::UntrustedText::isolate(name)) : name;
    const QRect textRect(dot.right() + 9, r.top(), r.right() - dot.right() - 14, r.height());
    shown = fm.elidedText(shown, Qt::ElideRight, textRect.width());
    painter->setPen(text);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, shown);
    painter->restore();
}

bool UserDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                             const QStyleOptionViewItem &option, const QModelIndex &index) {
    if (!event || event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString name = index.data(UserModel::DisplayNameRole).toString();
    // "online", "offline", or what was last seen before our connection was lost.
    const QString state = index.data(UserModel::PresenceTextRole).toString();
    const QString tip = tr("%1 (%2)\nIdentity: %3")
                            .arg(chat::UntrustedText::isolate(name), state,
                                 index.data(UserModel::IdentityRole).toString());
    QString html = tip.toHtmlEscaped();
    html.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    QToolTip::showText(event->globalPos(), QLatin1String("<qt>") + html + QLatin1String("</qt>"),
                       view, option.rect);
    return true;
}
