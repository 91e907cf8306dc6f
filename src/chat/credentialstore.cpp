// SPDX-License-Identifier: Apache-2.0
#include "chat/credentialstore.h"
#include "chat/chatlog.h"

#include <qt6keychain/keychain.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTimer>

namespace chat {

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent) {}

void CredentialStore::setInsecureFileStore(bool enabled) {
    const Backend next = enabled ? Backend::InsecureFile : Backend::Keychain;
    if (next == m_backend)
        return;
    m_backend = next;
    if (enabled)
        qCWarning(lcCredentials).noquote() << insecureWarning();
    emit backendChanged(m_backend);
}

QString CredentialStore::insecureWarning() {
    return tr("Your identity token is stored in a plain file, not encrypted. Anyone who can read "
              "your files can chat as you.");
}

QString CredentialStore::tokenFilePath(const Profile &profile) {
    // One file per (server, database) inside the profile's directory; the name is a hash so the
    // URL never needs escaping.
    const QByteArray h =
        QCryptographicHash::hash(profile.credentialKey().toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    return profile.dataDir() + QStringLiteral("/token-") + QString::fromLatin1(h);
}

void CredentialStore::load(const Profile &profile) {
    const QString key = profile.credentialKey();
    switch (m_backend) {
    case Backend::SessionOnly: {
        const QString token = m_session.value(key);
        QTimer::singleShot(0, this, [this, key, token] { emit loaded(key, token); });
        return;
    }
    case Backend::InsecureFile: {
        QString token, error;
        if (!readFile(profile, &token, &error)) {
            QTimer::singleShot(0, this, [this, key, error] {
                emit problem(key, error);
                emit loaded(key, QString());
            });
            return;
        }
        m_known.insert(key, token);
        QTimer::singleShot(0, this, [this, key, token] { emit loaded(key, token); });
        return;
    }
    case Backend::Keychain:
        break;
    }

    auto *job = new QKeychain::ReadPasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext QSettings fallback behind our back
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, job] {
        const auto err = job->error();
        if (err == QKeychain::NoError) {
            const QString token = job->textData();
            m_known.insert(key, token);
            qCDebug(lcCredentials) << "loaded a token from the keychain for" << key;
            emit loaded(key, token);
        } else if (err == QKeychain::EntryNotFound) {
            qCDebug(lcCredentials) << "no token stored yet for" << key;
            emit loaded(key, QString());
        } else {
            fallBackToSession(key, err, job->errorString());
            emit loaded(key, m_session.value(key));
        }
    });
    job->start();
}

void CredentialStore::save(const Profile &profile, const QString &token) {
    const QString key = profile.credentialKey();
    if (m_known.value(key) == token && !token.isEmpty()) {
        QTimer::singleShot(0, this, [this, key] { emit saved(key); });
        return;
    }
    switch (m_backend) {
    case Backend::SessionOnly:
        m_session.insert(key, token);
        m_known.insert(key, token);
        QTimer::singleShot(0, this, [this, key] { emit saved(key); });
        return;
    case Backend::InsecureFile: {
        QString error;
        if (!writeFile(profile, token, &error)) {
            m_session.insert(key, token);
            QTimer::singleShot(0, this, [this, key, error] { emit problem(key, error); });
            return;
        }
        m_known.insert(key, token);
        QTimer::singleShot(0, this, [this, key] { emit saved(key); });
        return;
    }
    case Backend::Keychain:
        break;
    }

    auto *job = new QKeychain::WritePasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this, key, token, job] {
        if (job->error() == QKeychain::NoError) {
            m_known.insert(key, token);
            qCDebug(lcCredentials) << "saved the token in the keychain for" << key;
            emit saved(key);
        } else {
            m_session.insert(key, token);
            fallBackToSession(key, job->error(), job->errorString());
        }
    });
    job->start();
}

void CredentialStore::forget(const Profile &profile) {
    const QString key = profile.credentialKey();
    m_session.remove(key);
    m_known.remove(key);
    // Whatever mode we are in now, a token may sit in the file from an earlier opt-in: remove it.
    const QString path = tokenFilePath(profile);
    if (QFile::exists(path))
        QFile::remove(path);
    if (m_backend != Backend::Keychain) {
        QTimer::singleShot(0, this, [this, key] { emit forgotten(key); });
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, job] {
        const auto err = job->error();
        if (err == QKeychain::NoError || err == QKeychain::EntryNotFound) {
            emit forgotten(key);
        } else {
            emit problem(key, describeKeychainError(err, job->errorString()));
            emit forgotten(key);
        }
    });
    job->start();
}

void CredentialStore::fallBackToSession(const QString &key, int keychainError,
                                        const QString &detail) {
    const QString message = describeKeychainError(keychainError, detail);
    qCWarning(lcCredentials).noquote() << message;
    if (m_backend != Backend::SessionOnly) {
        m_backend = Backend::SessionOnly;
        emit backendChanged(m_backend);
    }
    emit problem(key, message);
}

QString CredentialStore::describeKeychainError(int keychainError, const QString &detail) {
    const QString fallback =
        tr("Until then this session uses a temporary identity that is forgotten when you quit "
           "(or start with --insecure-token-file to keep it in an unencrypted file).");
    QString what;
    switch (keychainError) {
    case QKeychain::NoBackendAvailable:
        what = tr("No keychain is available to store your identity. Install and start a Secret "
                  "Service provider such as GNOME Keyring (Debian: gnome-keyring) or KWallet.");
        break;
    case QKeychain::AccessDeniedByUser:
        what = tr("You declined access to the keychain, so your identity cannot be stored.");
        break;
    case QKeychain::AccessDenied:
        what = tr("The keychain refused access (%1). It may be locked: unlock your login "
                  "keyring and reconnect.")
                   .arg(detail);
        break;
    case QKeychain::NotImplemented:
        what = tr("This platform's keychain does not support storing secrets (%1).").arg(detail);
        break;
    case QKeychain::CouldNotDeleteEntry:
        what = tr("The keychain could not delete the stored identity (%1).").arg(detail);
        break;
    default:
        what = tr("The keychain failed: %1.").arg(detail.isEmpty() ? tr("unknown error") : detail);
        break;
    }
    return what + u' ' + fallback;
}

bool CredentialStore::readFile(const Profile &profile, QString *token, QString *error) const {
    QFile f(tokenFilePath(profile));
    if (!f.exists()) {
        token->clear();
        return true;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot read the token file %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    *token = QString::fromUtf8(f.read(64 * 1024)).trimmed();
    return true;
}

bool CredentialStore::writeFile(const Profile &profile, const QString &token,
                                QString *error) const {
    const QString path = tokenFilePath(profile);
    // Written to a temporary file that replaces the old one in one rename, and only once all
    // of it is on disk: a crash or a full disk leaves the previous token, never half of one or
    // none.
    // Unbuffered: Qt 6.4's commit() misses a write that fails only when the buffer is flushed
    // (disk full, EFBIG) and replaces the old file with an empty one.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = tr("Cannot write the token file %1: %2").arg(path, f.errorString());
        return false;
    }
    // Owner-only before the first byte: a new temporary file starts out with the umask's mode.
    if (!f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = tr("Cannot write the token file %1: %2").arg(path, f.errorString());
        f.cancelWriting();
        return false;
    }
    f.write(token.toUtf8());
    if (!f.commit()) {
        *error = tr("Cannot write the token file %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace chat
