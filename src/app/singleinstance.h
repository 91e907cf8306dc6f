// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QLocalServer;

// One running app per profile: the first start listens on a local socket named after the
// user and the profile; a second start with the same profile tells the first to come to the
// front and exits.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(QObject *parent = nullptr);
    ~SingleInstance() override;

    // The socket name for a profile (per user, so two users on one machine do not collide).
    static QString serverName(const QString &profileName);
    // Asks a running instance to show itself; true if one answered.
    static bool activateRunning(const QString &profileName, int timeoutMs = 1500);
    // Starts listening for later starts; false if another instance already does.
    bool listen(const QString &profileName);
    void stop();
    QString profileName() const { return m_profile; }

Q_SIGNALS:
    void activationRequested();

private:
    QLocalServer *m_server = nullptr;
    QString m_profile;
};
