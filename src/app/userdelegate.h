// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStyledItemDelegate>

// A row of the people list (chat::UserModel): a presence dot (green online, grey offline; a grey
// ring and grey text for everyone while our connection is down and the dots are only what was
// last seen), the display name (with an identity suffix when names look alike), "(you)" for
// ourselves; presence and the full identity as tooltip.
class UserDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;
};
