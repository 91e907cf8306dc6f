// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDialog>
#include <QPointer>

#include <memory>

namespace chat {
class ChatClient;
}
namespace Ui {
class RenameDialog;
}

// Edit ▸ Rename: the current name prefilled, live validation (empty, too long), the server's
// refusal shown inline without closing; closes once the server accepted the new name.
class RenameDialog : public QDialog {
    Q_OBJECT
public:
    explicit RenameDialog(chat::ChatClient *client, QWidget *parent = nullptr);
    ~RenameDialog() override;

    QString name() const;
    void setName(const QString &name);
    // The problem shown under the field (validation or the server's words), or empty.
    QString errorText() const;
    bool isWaiting() const { return m_waiting; }

public Q_SLOTS:
    void accept() override;

private:
    void validate();
    void showError(const QString &text);
    void setWaiting(bool waiting);
    void onNameChanged(const QString &name);
    void onNameRejected(const QString &name, const QString &reason);

    std::unique_ptr<Ui::RenameDialog> m_ui;
    QPointer<chat::ChatClient> m_client;
    bool m_waiting = false;
    QString m_requested;
};
