// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/profile.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ConnectDialog;
}
class ProfileStore;

// File ▸ Connect: pick or create a profile (server URL, database, profile name, and optionally
// a certificate file to trust for a self-signed wss server). The server accepts "maincloud" as
// a shortcut for https://maincloud.spacetimedb.com. Profiles are remembered in QSettings
// through ProfileStore.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectDialog(ProfileStore *store, const chat::Profile &current,
                           QWidget *parent = nullptr);
    ~ConnectDialog() override;

    // The profile as filled in (server shortcut expanded).
    chat::Profile profile() const;
    void setProfile(const chat::Profile &profile);
    // Why the form cannot be accepted, or empty.
    QString problem() const;

public Q_SLOTS:
    void accept() override;

private:
    void onProfileChosen(const QString &name);
    void chooseCertificate();
    void validate();
    void reloadProfiles(const QString &select);

    std::unique_ptr<Ui::ConnectDialog> m_ui;
    ProfileStore *m_store;
};
