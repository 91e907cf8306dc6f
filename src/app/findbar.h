// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

// Ctrl+F: a bar above the conversation that filters it to matching messages (by text or
// sender). Enter (or F3) goes to the next older match, Shift+Enter (Shift+F3) to the next newer
// one. Escape or the close button clears the search and hides the bar.
class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QWidget *parent = nullptr);

    QString searchText() const;
    QLineEdit *lineEdit() const { return m_edit; }
    // "3 matches" next to the field; -1 hides it.
    void setMatchCount(int count);

public Q_SLOTS:
    void activate();
    void close();

Q_SIGNALS:
    void searchChanged(const QString &text);
    // The search is unchanged and the user asks for the next older / newer match.
    void findOlder();
    void findNewer();
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();

    QLineEdit *m_edit = nullptr;
    QString m_applied; // the text searchChanged last said
    QLabel *m_count = nullptr;
    QToolButton *m_close = nullptr;
};
