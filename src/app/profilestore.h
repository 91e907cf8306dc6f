// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/profile.h"

#include <QList>
#include <QStringList>

// The profiles the user has connected with, remembered in QSettings (group "profiles"), and
// which one was used last.
class ProfileStore {
public:
    ProfileStore() = default;

    QList<chat::Profile> profiles() const;
    QStringList names() const;
    std::optional<chat::Profile> profile(const QString &name) const;
    void save(const chat::Profile &profile);
    void remove(const QString &name);

    QString lastProfileName() const;
    void setLastProfileName(const QString &name);
    // The last used profile, or the default one (local server, quickstart-chat).
    chat::Profile lastProfile() const;

    // Servers typed before, most recent first (for the connect dialog's list).
    QStringList recentServers() const;
};
