// SPDX-License-Identifier: Apache-2.0
#include "renamedialog.h"

#include "ui_renamedialog.h"

#include "chat/chatclient.h"
#include "chat/chattypes.h"
#include "chat/untrustedtext.h"

#include <QPushButton>

RenameDialog::RenameDialog(chat::ChatClient *client, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::RenameDialog>())
    , m_client(client) {
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Rename"));
    m_ui->nameEdit->setMaxLength(chat::kMaxNameLength * 2); // the counter shows the real limit
    QPalette p = m_ui->errorLabel->palette();
    p.setColor(QPalette::WindowText, QColor(200, 40, 40));
    m_ui->errorLabel->setPalette(p);
    m_ui->errorLabel->hide();
    if (client)
        m_ui->nameEdit->setText(client->ownName());
    m_ui->nameEdit->selectAll();
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, [this] {
        if (!m_waiting)
            validate();
    });
    if (client) {
        connect(client, &chat::ChatClient::nameChanged, this, &RenameDialog::onNameChanged);
        connect(client, &chat::ChatClient::nameRejected, this, &RenameDialog::onNameRejected);
    }
    validate();
}

RenameDialog::~RenameDialog() = default;

QString RenameDialog::name() const {
    return m_ui->nameEdit->text();
}

void RenameDialog::setName(const QString &name) {
    m_ui->nameEdit->setText(name);
}

QString RenameDialog::errorText() const {
    return m_ui->errorLabel->isHidden() ? QString() : m_ui->errorLabel->text();
}

void RenameDialog::showError(const QString &text) {
    m_ui->errorLabel->setText(text);
    m_ui->errorLabel->setVisible(!text.isEmpty());
}

void RenameDialog::validate() {
    const QString name = m_ui->nameEdit->text();
    m_ui->counterLabel->setText(tr("%1/%2").arg(name.size()).arg(chat::kMaxNameLength));
    const QString problem = chat::validateName(name);
    // An empty field is not an error worth shouting about until something was typed.
    showError(name.isEmpty() ? QString() : problem);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

void RenameDialog::setWaiting(bool waiting) {
    m_waiting = waiting;
    m_ui->nameEdit->setReadOnly(waiting);
    auto *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setEnabled(!waiting);
    ok->setText(waiting ? tr("Renaming…") : tr("&Rename"));
}

void RenameDialog::accept() {
    if (m_waiting)
        return;
    const QString name = m_ui->nameEdit->text().trimmed();
    const QString problem = chat::validateName(name);
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    if (!m_client) {
        showError(tr("Not connected."));
        return;
    }
    if (name == m_client->ownName()) {
        QDialog::accept();
        return;
    }
    if (m_client->state() != chat::ChatClient::State::Online) {
        showError(tr("You are not connected. Try again once the status bar says Online."));
        return;
    }
    m_requested = name;
    showError({});
    setWaiting(true);
    if (!m_client->setName(name) && m_waiting) {
        // Refused before it went out; nameRejected normally says why already.
        setWaiting(false);
        if (errorText().isEmpty())
            showError(chat::validateName(name));
    }
}

void RenameDialog::onNameChanged(const QString &name) {
    if (m_waiting && name == m_requested) {
        setWaiting(false);
        QDialog::accept();
    }
}

void RenameDialog::onNameRejected(const QString &, const QString &reason) {
    if (!m_waiting)
        return;
    setWaiting(false);
    showError(tr("The server refused the name: %1").arg(chat::UntrustedText::isolate(reason)));
    m_ui->nameEdit->setFocus();
    m_ui->nameEdit->selectAll();
}
