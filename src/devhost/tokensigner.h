// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"
#include "spacetime/expected.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace host {

// The claims the host cares about. Identity = f(issuer, subject), as with SpacetimeDB.
struct TokenClaims {
    QString issuer;
    QString subject;
    qint64 issuedAt = 0;             // seconds since the epoch
    std::optional<qint64> expiresAt; // seconds since the epoch; none = never
    stdb::Identity identity() const;
};

// Issues and checks JWTs signed with HS256. The 32-byte key is generated on first start and
// kept in the data directory, so tokens survive restarts; without a directory it lives in
// memory only.
class TokenSigner {
public:
    static constexpr char kIssuer[] = "spacetime-chat-host";
    static constexpr qint64 kWebSocketTokenLifetimeSecs = 60;

    // dataDir empty: ephemeral key. Otherwise load or create <dataDir>/jwt-hs256.key.
    bool init(const QString &dataDir, QString *error);
    // For tests: use a fixed key.
    void setKey(const QByteArray &key) { m_key = key; }

    // Deterministic: a hash of issuer and subject, shaped like a SpacetimeDB identity (its hex
    // form starts with "c200").
    static stdb::Identity identityFor(const QString &issuer, const QString &subject);

    // A fresh anonymous identity with a non-expiring token.
    TokenClaims newAnonymousClaims() const;
    QString sign(const TokenClaims &claims) const;
    // The same claims re-signed with a short expiry, for `?token=` on a WebSocket URL.
    QString signShortLived(const TokenClaims &claims) const;

    // Checks shape, algorithm, signature and expiry. The error message says which failed.
    stdb::Expected<TokenClaims> verify(QStringView token) const;

private:
    QByteArray m_key;
};

} // namespace host
