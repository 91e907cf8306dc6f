// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QUrl>

namespace chat {

// Where and as whom to chat: a named profile for one server and database. Each profile has
// its own identity (token in the keychain) and its own data directory (outbox, settings).
class Profile {
public:
    static constexpr char kDefaultServer[] = "http://127.0.0.1:3000";
    static constexpr char kDefaultDatabase[] = "quickstart-chat";
    static constexpr char kDefaultName[] = "default";

    Profile() = default;
    Profile(QString serverUrl, QString database, QString name);

    const QString &serverUrl() const { return m_serverUrl; }
    const QString &database() const { return m_database; }
    const QString &name() const { return m_name; }
    // A certificate file trusted for wss in addition to the system CAs (a self-signed
    // server; see TrustedCertificate), or empty.
    const QString &trustedCertificateFile() const { return m_trustedCertificateFile; }
    void setTrustedCertificateFile(const QString &path) { m_trustedCertificateFile = path; }

    // The server URL in one canonical spelling (lower-case scheme and host, no trailing
    // slash), so "http://Localhost:3000/" and "http://localhost:3000" share credentials.
    QString normalizedServer() const;
    // "maincloud" is a shortcut for the hosted SpacetimeDB.
    static QString expandServerShortcut(const QString &server);

    // The key this profile's token is stored under in the keychain.
    QString credentialKey() const;
    // A per-profile directory under the user's data location (created on demand).
    QString dataDir() const;
    // Profile names become directory names: letters, digits, '-', '_', '.', at most 64.
    static bool isValidName(const QString &name);

    bool operator==(const Profile &) const = default;

private:
    QString m_serverUrl = QString::fromLatin1(kDefaultServer);
    QString m_database = QString::fromLatin1(kDefaultDatabase);
    QString m_name = QString::fromLatin1(kDefaultName);
    QString m_trustedCertificateFile;
};

} // namespace chat
