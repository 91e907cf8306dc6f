// SPDX-License-Identifier: Apache-2.0
#include "connectdialog.h"

#include "profilestore.h"
#include "ui_connectdialog.h"

#include "chat/trustedcertificate.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>

namespace {
const QString kMaincloud = QStringLiteral("maincloud");
}

ConnectDialog::ConnectDialog(ProfileStore *store, const chat::Profile &current, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConnectDialog>())
    , m_store(store) {
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    QStringList servers = store->recentServers();
    for (const QString &s : {QString::fromLatin1(chat::Profile::kDefaultServer), kMaincloud})
        if (!servers.contains(s))
            servers.append(s);
    m_ui->serverCombo->addItems(servers);
    m_ui->serverCombo->setToolTip(
        tr("http://host:port of a SpacetimeDB server; \"maincloud\" is the hosted one"));
    reloadProfiles(current.name());
    setProfile(current);

    connect(m_ui->profileCombo, &QComboBox::textActivated, this, &ConnectDialog::onProfileChosen);
    connect(m_ui->profileCombo, &QComboBox::editTextChanged, this, &ConnectDialog::validate);
    connect(m_ui->serverCombo, &QComboBox::editTextChanged, this, &ConnectDialog::validate);
    connect(m_ui->databaseEdit, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_ui->certificateEdit, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_ui->browseCertificateButton, &QPushButton::clicked, this,
            &ConnectDialog::chooseCertificate);
    connect(m_ui->deleteButton, &QPushButton::clicked, this, [this] {
        const QString name = m_ui->profileCombo->currentText();
        if (!m_store->profile(name))
            return;
        // Window-modal and open(): no nested event loop while the main window keeps
        // receiving messages.
        auto *box = new QMessageBox(QMessageBox::Question, tr("Delete Profile"),
                                    tr("Remove the profile \"%1\" from the list? Its stored "
                                       "identity stays in the keychain.")
                                        .arg(name),
                                    QMessageBox::Yes | QMessageBox::No, this);
        box->setObjectName(QStringLiteral("deleteProfileQuestion"));
        box->setWindowModality(Qt::WindowModal);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this, [this, box, name] {
            if (box->standardButton(box->clickedButton()) != QMessageBox::Yes)
                return;
            m_store->remove(name);
            reloadProfiles(QString());
        });
        box->open();
    });
    validate();
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::reloadProfiles(const QString &select) {
    m_ui->profileCombo->clear();
    QStringList names = m_store->names();
    if (!names.contains(QLatin1String(chat::Profile::kDefaultName)))
        names.prepend(QString::fromLatin1(chat::Profile::kDefaultName));
    m_ui->profileCombo->addItems(names);
    m_ui->profileCombo->setCurrentText(select.isEmpty() ? names.constFirst() : select);
}

void ConnectDialog::onProfileChosen(const QString &name) {
    if (auto p = m_store->profile(name))
        setProfile(*p);
}

void ConnectDialog::setProfile(const chat::Profile &profile) {
    m_ui->profileCombo->setCurrentText(profile.name());
    QString server = profile.serverUrl();
    if (server == chat::Profile::expandServerShortcut(kMaincloud))
        server = kMaincloud;
    m_ui->serverCombo->setCurrentText(server);
    m_ui->databaseEdit->setText(profile.database());
    m_ui->certificateEdit->setText(profile.trustedCertificateFile());
    validate();
}

void ConnectDialog::chooseCertificate() {
    const QString current = m_ui->certificateEdit->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Trusted Certificate"), current.isEmpty() ? QString() : QFileInfo(current).path(),
        tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"));
    if (!path.isEmpty())
        m_ui->certificateEdit->setText(path);
}

chat::Profile ConnectDialog::profile() const {
    chat::Profile p(chat::Profile::expandServerShortcut(m_ui->serverCombo->currentText().trimmed()),
                    m_ui->databaseEdit->text().trimmed(),
                    m_ui->profileCombo->currentText().trimmed());
    const QString certificate = m_ui->certificateEdit->text().trimmed();
    p.setTrustedCertificateFile(certificate.isEmpty() ? QString()
                                                      : QFileInfo(certificate).absoluteFilePath());
    return p;
}

QString ConnectDialog::problem() const {
    const chat::Profile p = profile();
    if (!chat::Profile::isValidName(p.name()))
        return tr("Profile names use letters, digits, '.', '-' and '_' (at most 64).");
    const QUrl url(p.serverUrl(), QUrl::StrictMode);
    static const QStringList schemes{QStringLiteral("http"), QStringLiteral("https"),
                                     QStringLiteral("ws"), QStringLiteral("wss")};
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme()))
        return tr("The server must be a URL like http://127.0.0.1:3000, or \"maincloud\".");
    static const QRegularExpression dbName(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    if (!dbName.match(p.database()).hasMatch())
        return tr("The database name uses letters, digits, '-' and '_'.");
    if (!p.trustedCertificateFile().isEmpty()) {
        const auto certificate = chat::TrustedCertificate::load(p.trustedCertificateFile());
        if (!certificate)
            return certificate.error().message();
    }
    return {};
}

void ConnectDialog::validate() {
    const QString why = problem();
    const chat::Profile p = profile();
    QString hint = why;
    if (hint.isEmpty()) {
        hint = tr("Will connect to %1, database %2.").arg(p.serverUrl(), p.database());
        if (!p.trustedCertificateFile().isEmpty())
            hint += QLatin1Char(' ') +
                    tr("The certificate in %1 is trusted in addition to the system's.")
                        .arg(p.trustedCertificateFile());
    }
    m_ui->hintLabel->setText(hint);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_ui->deleteButton->setEnabled(m_store->profile(p.name()).has_value());
}

void ConnectDialog::accept() {
    if (!problem().isEmpty())
        return;
    m_store->save(profile());
    QDialog::accept();
}
