// SPDX-License-Identifier: Apache-2.0
#include "findbar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QToolButton>

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_close(new QToolButton(this)) {
    setObjectName(QStringLiteral("findBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    auto *label = new QLabel(tr("&Find:"), this);
    label->setBuddy(m_edit);
    m_edit->setObjectName(QStringLiteral("findEdit"));
    m_edit->setPlaceholderText(tr("Search messages and senders"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setAccessibleName(tr("Find in conversation"));
    m_edit->setToolTip(tr("Enter: next older match · Shift+Enter: next newer match"));
    m_edit->installEventFilter(this);
    m_count->setObjectName(QStringLiteral("findCount"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close the find bar (Esc)"));
    m_close->setAccessibleName(tr("Close find bar"));
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_count);
    layout->addWidget(m_close);

    // Filtering 100k rows on every keystroke would stutter; wait for a short pause.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(120);
    connect(m_edit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, &FindBar::apply);
    connect(m_edit, &QLineEdit::returnPressed, this, [this, debounce] {
        debounce->stop();
        if (m_edit->text() == m_applied && !m_applied.isEmpty())
            emit findOlder();
        else
            apply();
    });
    connect(m_close, &QToolButton::clicked, this, &FindBar::close);
    setMatchCount(-1);
    hide();
}

QString FindBar::searchText() const {
    return m_edit->text();
}

void FindBar::setMatchCount(int count) {
    m_count->setVisible(count >= 0 && !m_edit->text().isEmpty());
    m_count->setText(tr("%n match(es)", nullptr, qMax(0, count)));
}

void FindBar::activate() {
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FindBar::apply() {
    m_applied = m_edit->text();
    emit searchChanged(m_applied);
}

void FindBar::close() {
    const bool hadText = !m_edit->text().isEmpty() || !m_applied.isEmpty();
    m_edit->clear();
    m_applied.clear();
    hide();
    if (hadText)
        emit searchChanged(QString());
    emit closed();
}

bool FindBar::eventFilter(QObject *watched, QEvent *event) {
    if (watched != m_edit || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    if (key->key() == Qt::Key_Escape) {
        close();
        return true;
    }
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    const bool newer = key->matches(QKeySequence::FindPrevious) ||
                       (enter && (key->modifiers() & ~Qt::KeypadModifier) == Qt::ShiftModifier);
    if ((newer || key->matches(QKeySequence::FindNext)) && !m_edit->text().isEmpty()) {
        if (m_edit->text() != m_applied)
            apply();
        else if (newer)
            emit findNewer();
        else
            emit findOlder();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}
