// SPDX-License-Identifier: Apache-2.0
#include "messageinput.h"

#include "chat/chattypes.h"
#include "chat/usermodel.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
constexpr int kHistoryMax = 100;
constexpr int kMaxLines = 8;
// The counter appears once the message uses this share of the limit.
constexpr double kCounterThreshold = 0.8;

// Pressing Shift on the way to Shift+Tab must not end a completion cycle.
bool isModifierKey(int key) {
    return key == Qt::Key_Shift || key == Qt::Key_Control || key == Qt::Key_Alt ||
           key == Qt::Key_Meta || key == Qt::Key_AltGr;
}
} // namespace

MessageInput::MessageInput(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_send(new QToolButton(this))
    , m_counter(new QLabel(this))
    , m_problem(new QLabel(this)) {
    m_edit->setObjectName(QStringLiteral("messageEdit"));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_edit->installEventFilter(this);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_send->setAutoRaise(false);
    m_send->setEnabled(false);
    m_send->setFocusPolicy(Qt::StrongFocus);
    connect(m_send, &QToolButton::clicked, this, &MessageInput::submit);

    m_counter->setObjectName(QStringLiteral("charCounter"));
    m_counter->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_counter->hide();
    m_problem->setObjectName(QStringLiteral("inputProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->hide();
    QPalette pp = m_problem->palette();
    pp.setColor(QPalette::WindowText, QColor(200, 40, 40));
    m_problem->setPalette(pp);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);
    row->addWidget(m_edit, 1);
    auto *side = new QVBoxLayout;
    side->setContentsMargins(0, 0, 0, 0);
    side->setSpacing(2);
    side->addWidget(m_counter);
    side->addStretch(1);
    side->addWidget(m_send);
    row->addLayout(side);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 8);
    outer->setSpacing(3);
    outer->addWidget(m_problem);
    outer->addLayout(row);

    connect(m_edit, &QPlainTextEdit::textChanged, this, &MessageInput::onTextChanged);
    connect(m_edit->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, &MessageInput::adjustHeight);
    setFocusProxy(m_edit);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    retranslate();
    adjustHeight();
}

void MessageInput::retranslate() {
    m_edit->setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter adds a line)"));
    m_edit->setAccessibleName(tr("Message"));
    m_edit->setAccessibleDescription(
        tr("Enter sends, Shift+Enter adds a line, Up and Down recall sent messages, "
           "Tab completes a name, /name NEW changes your name"));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Send the message (Enter)"));
    m_send->setAccessibleName(tr("Send"));
    m_counter->setAccessibleName(tr("Message size"));
}

void MessageInput::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

QString MessageInput::text() const {
    return m_edit->toPlainText();
}

void MessageInput::setText(const QString &text) {
    m_edit->setPlainText(text);
    m_edit->moveCursor(QTextCursor::End);
}

void MessageInput::setUserModel(chat::UserModel *users) {
    m_users = users;
    m_completer.reset();
}

bool MessageInput::completeName(bool backwards) {
    if (!m_users)
        return false;
    QTextCursor cursor = m_edit->textCursor();
    if (cursor.hasSelection())
        return false;
    const std::optional<chat::NameCompleter::Completion> c = m_completer.complete(
        m_edit->toPlainText(), cursor.position(), m_users->completionNames(), backwards);
    if (!c)
        return false;
    // An edit of the document, not setPlainText(): Undo takes the completion back.
    cursor.setPosition(int(c->from));
    cursor.setPosition(int(c->to), QTextCursor::KeepAnchor);
    cursor.insertText(c->insert);
    cursor.setPosition(int(c->cursor));
    m_edit->setTextCursor(cursor);
    return true;
}

void MessageInput::showProblem(const QString &text) {
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

void MessageInput::submit() {
    const QString text = m_edit->toPlainText();
    if (text.trimmed().isEmpty())
        return;
    if (const std::optional<QString> command = chat::nameCommand(text)) {
        const QString name = *command;
        if (name.isEmpty()) {
            showProblem(tr("Usage: /name NEW NAME"));
            return;
        }
        emit renameRequested(name);
        m_edit->clear();
        return;
    }
    const QString problem = chat::validateMessage(text);
    if (!problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    if (m_history.isEmpty() || m_history.constLast() != text) {
        m_history.append(text);
        if (m_history.size() > kHistoryMax)
            m_history.removeFirst();
        emit historyChanged();
    }
    m_historyPos = -1;
    m_draft.clear();
    emit sendRequested(text);
    m_edit->clear();
}

void MessageInput::onTextChanged() {
    const QString text = m_edit->toPlainText();
    const qsizetype bytes = text.toUtf8().size();
    const bool over = bytes > chat::kMaxMessageBytes;
    m_send->setEnabled(!text.trimmed().isEmpty() && !over);
    if (bytes >= chat::kMaxMessageBytes * kCounterThreshold) {
        m_counter->setText(tr("%1 / %2 bytes").arg(bytes).arg(chat::kMaxMessageBytes));
        QPalette p = palette();
        if (over)
            p.setColor(QPalette::WindowText, QColor(200, 40, 40));
        m_counter->setPalette(p);
        m_counter->show();
    } else {
        m_counter->hide();
    }
    if (!m_problem->isHidden())
        showProblem({});
}

void MessageInput::browseHistory(int direction) {
    if (m_history.isEmpty())
        return;
    int pos = m_historyPos;
    if (pos < 0) {
        if (direction > 0)
            return; // Down while not browsing: nothing newer than the draft
        m_draft = m_edit->toPlainText();
        pos = int(m_history.size());
    }
    pos += direction;
    if (pos < 0)
        pos = 0;
    if (pos >= m_history.size()) {
        m_historyPos = -1;
        setText(m_draft);
        return;
    }
    m_historyPos = pos;
    setText(m_history.at(pos));
}

bool MessageInput::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const auto mods = key->modifiers() & ~Qt::KeypadModifier;
        // Tab completes a name when one applies; otherwise it moves the focus as usual.
        const bool tab = key->key() == Qt::Key_Tab && mods == Qt::NoModifier;
        const bool backtab = (key->key() == Qt::Key_Backtab || key->key() == Qt::Key_Tab) &&
                             mods == Qt::ShiftModifier;
        if (tab || backtab) {
            if (completeName(backtab))
                return true;
        } else if (!isModifierKey(key->key())) {
            m_completer.reset(); // any other key ends the cycle
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (mods & Qt::ShiftModifier) {
                m_edit->textCursor().insertText(QStringLiteral("\n"));
                m_edit->ensureCursorVisible();
                return true;
            }
            if (mods == Qt::NoModifier) {
                submit();
                return true;
            }
        }
        const QTextCursor cursor = m_edit->textCursor();
        if (key->key() == Qt::Key_Up && mods == Qt::NoModifier && cursor.blockNumber() == 0 &&
            (m_historyPos >= 0 || m_edit->toPlainText().isEmpty() || cursor.position() == 0)) {
            browseHistory(-1);
            return true;
        }
        if (key->key() == Qt::Key_Down && mods == Qt::NoModifier && m_historyPos >= 0 &&
            cursor.blockNumber() == m_edit->document()->blockCount() - 1) {
            browseHistory(+1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void MessageInput::adjustHeight() {
    const QFontMetrics fm(m_edit->font());
    const int lines = qBound(1, int(m_edit->document()->size().height()), kMaxLines);
    const int frame = 2 * m_edit->frameWidth() + int(m_edit->document()->documentMargin() * 2) +
                      m_edit->contentsMargins().top() + m_edit->contentsMargins().bottom();
    const int h = lines * fm.lineSpacing() + frame;
    m_edit->setFixedHeight(qMax(h, m_send->sizeHint().height()));
    m_edit->setVerticalScrollBarPolicy(int(m_edit->document()->size().height()) > kMaxLines
                                           ? Qt::ScrollBarAsNeeded
                                           : Qt::ScrollBarAlwaysOff);
}
