// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/profile.h"

#include <QHash>
#include <QObject>

namespace chat {

// Keeps each profile's token — the user's identity — in the OS keychain (QtKeychain), service
// "spacetime-chat", one entry per (server, database, profile).
//
// Everything is asynchronous: a keychain may prompt. When the keychain is missing or fails,
// the store says why (problem()) and falls back to holding tokens in memory for this session
// only, so the client keeps working with a temporary identity. A user may instead opt in to
// an unencrypted token file (0600) in the profile's data directory.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    enum class Backend {
        Keychain,     // the OS keychain
        InsecureFile, // opt-in plain file, 0600
        SessionOnly,  // in memory; after a keychain failure
    };
    Q_ENUM(Backend)

    static constexpr char kService[] = "spacetime-chat";

    explicit CredentialStore(QObject *parent = nullptr);

    // Opt in to (or out of) the plain-file store. Takes effect for the next operation.
    void setInsecureFileStore(bool enabled);
    bool insecureFileStore() const { return m_backend == Backend::InsecureFile; }
    Backend backend() const { return m_backend; }

    void load(const Profile &profile);
    // Does nothing (and emits saved) if the stored token is already this one.
    void save(const Profile &profile, const QString &token);
    void forget(const Profile &profile);

    // The plain-file location used in InsecureFile mode.
    static QString tokenFilePath(const Profile &profile);
    // The warning shown while the plain-file store is in use.
    static QString insecureWarning();

signals:
    // token is empty when nothing is stored (a first start).
    void loaded(const QString &key, const QString &token);
    void saved(const QString &key);
    void forgotten(const QString &key);
    // The keychain failed; message says what happened and what to do. The store has switched
    // to session-only for the rest of this run.
    void problem(const QString &key, const QString &message);
    void backendChanged(chat::CredentialStore::Backend backend);

private:
    void fallBackToSession(const QString &key, int keychainError, const QString &detail);
    static QString describeKeychainError(int keychainError, const QString &detail);

    bool readFile(const Profile &profile, QString *token, QString *error) const;
    bool writeFile(const Profile &profile, const QString &token, QString *error) const;

    Backend m_backend = Backend::Keychain;
    // Session-only tokens, and what we last saw per key (to skip needless writes).
    QHash<QString, QString> m_session;
    QHash<QString, QString> m_known;
};

} // namespace chat
