// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

// Ctrl+F: a bar above the conversation that filters it to matching messages (by text or
// sender). Escape or the close button clears the search and hides the bar.
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
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_edit = nullptr;
    QLabel *m_count = nullptr;
    QToolButton *m_close = nullptr;
};
