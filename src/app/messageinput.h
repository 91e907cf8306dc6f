// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/namecompleter.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

namespace chat {
class UserModel;
}

class QLabel;
class QPlainTextEdit;
class QToolButton;

// Where the user writes. Enter sends, Shift+Enter starts a new line, Up/Down walk through the
// lines sent before (when the cursor is on the first/last line), Tab completes a user name
// (chat::NameCompleter; Shift+Tab cycles back), a counter appears near the size limit, and
// "/name NEW" renames instead of sending.
class MessageInput : public QWidget {
    Q_OBJECT
public:
    explicit MessageInput(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_edit; }
    QToolButton *sendButton() const { return m_send; }
    QLabel *counter() const { return m_counter; }
    // Sent lines remembered for Up/Down (oldest first).
    const QStringList &history() const { return m_history; }

    // Where Tab finds the names to complete (none: Tab only moves the focus).
    void setUserModel(chat::UserModel *users);

    // Shows a short problem under the input (e.g. a refused rename); empty hides it.
    void showProblem(const QString &text);

public Q_SLOTS:
    // Sends what is written (same as Enter).
    void submit();

Q_SIGNALS:
    void sendRequested(const QString &text);
    void renameRequested(const QString &name);
    void historyChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onTextChanged();
    void browseHistory(int direction);
    // Tab / Shift+Tab: false when there is nothing to complete.
    bool completeName(bool backwards);
    void adjustHeight();
    void retranslate();

    QPlainTextEdit *m_edit = nullptr;
    QToolButton *m_send = nullptr;
    QLabel *m_counter = nullptr;
    QLabel *m_problem = nullptr;
    QStringList m_history;
    int m_historyPos = -1; // -1: not browsing
    QString m_draft;       // what was being written before browsing
    QPointer<chat::UserModel> m_users;
    chat::NameCompleter m_completer;
};
