// SPDX-License-Identifier: Apache-2.0
#include "tokensigner.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QUuid>

namespace host {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray b64(const QByteArray &data) {
    return data.toBase64(kB64);
}

std::optional<QByteArray> unb64(QByteArrayView text) {
    auto r = QByteArray::fromBase64Encoding(text.toByteArray(),
                                            kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return *r;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    if (a.size() != b.size())
        return false;
    uchar diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= uchar(a[i]) ^ uchar(b[i]);
    return diff == 0;
}

qint64 nowSecs() {
    return QDateTime::currentSecsSinceEpoch();
}

stdb::Error authError(const QString &message) {
    return stdb::Error(stdb::Error::Kind::Server, message);
}

} // namespace

stdb::Identity TokenClaims::identity() const {
    return TokenSigner::identityFor(issuer, subject);
}

bool TokenSigner::init(const QString &dataDir, QString *error) {
    if (dataDir.isEmpty()) {
        m_key.resize(32);
        QRandomGenerator::system()->generate(m_key.begin(), m_key.end());
        return true;
    }
    const QString path = QDir(dataDir).filePath(QStringLiteral("jwt-hs256.key"));
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, existing.errorString());
            return false;
        }
        const QByteArray key = QByteArray::fromHex(existing.readAll().trimmed());
        if (key.size() < 32) {
            *error = QStringLiteral("%1 does not hold a 32-byte hex key").arg(path);
            return false;
        }
        m_key = key;
        return true;
    }
    m_key.resize(32);
    QRandomGenerator::system()->generate(m_key.begin(), m_key.end());
    // Unbuffered: Qt 6.4's commit() misses a write that fails only when the buffer is flushed
    // (disk full, EFBIG) and replaces the old file with an empty one.
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = QStringLiteral("cannot create %1: %2").arg(path, out.errorString());
        return false;
    }
    // Owner-only: anyone who can read the key can impersonate every identity.
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    out.write(m_key.toHex() + '\n');
    if (!out.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}

stdb::Identity TokenSigner::identityFor(const QString &issuer, const QString &subject) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData("spacetime-chat-host identity v1");
    h.addData(QByteArrayView("\0", 1));
    h.addData(issuer.toUtf8());
    h.addData(QByteArrayView("\0", 1));
    h.addData(subject.toUtf8());
    QByteArray wire = h.result();
    // Little-endian on the wire: the last two bytes are the top of the number, which for
    // SpacetimeDB-minted identities reads "c200" in hex.
    wire[30] = char(0x00);
    wire[31] = char(0xc2);
    return stdb::Identity::fromWireBytes(wire);
}

TokenClaims TokenSigner::newAnonymousClaims() const {
    TokenClaims c;
    c.issuer = QString::fromLatin1(kIssuer);
    c.subject = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.issuedAt = nowSecs();
    return c;
}

QString TokenSigner::sign(const TokenClaims &claims) const {
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    QJsonObject payload{
        {QStringLiteral("hex_identity"), claims.identity().toHex()},
        {QStringLiteral("sub"), claims.subject},
        {QStringLiteral("iss"), claims.issuer},
        {QStringLiteral("aud"), QJsonArray{QStringLiteral("spacetimedb")}},
        {QStringLiteral("iat"), double(claims.issuedAt)},
        {QStringLiteral("exp"),
         claims.expiresAt ? QJsonValue(double(*claims.expiresAt)) : QJsonValue(QJsonValue::Null)},
    };
    const QByteArray signingInput = b64(QJsonDocument(header).toJson(QJsonDocument::Compact)) +
                                    '.' +
                                    b64(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray mac =
        QMessageAuthenticationCode::hash(signingInput, m_key, QCryptographicHash::Sha256);
    return QString::fromLatin1(signingInput + '.' + b64(mac));
}

QString TokenSigner::signShortLived(const TokenClaims &claims) const {
    TokenClaims c = claims;
    c.issuedAt = nowSecs();
    c.expiresAt = c.issuedAt + kWebSocketTokenLifetimeSecs;
    return sign(c);
}

stdb::Expected<TokenClaims> TokenSigner::verify(QStringView token) const {
    const QByteArray raw = token.toLatin1();
    if (token.size() > 8192 || raw.count('.') != 2)
        return authError(QStringLiteral("malformed token: expected a JWT (three dot-separated "
                                        "parts)"));
    const QList<QByteArray> parts = raw.split('.');
    const auto headerJson = unb64(parts[0]);
    const auto payloadJson = unb64(parts[1]);
    const auto signature = unb64(parts[2]);
    if (!headerJson || !payloadJson || !signature)
        return authError(QStringLiteral("malformed token: invalid base64url"));
    QJsonParseError perr;
    const QJsonDocument header = QJsonDocument::fromJson(*headerJson, &perr);
    if (perr.error != QJsonParseError::NoError || !header.isObject())
        return authError(QStringLiteral("malformed token: header is not a JSON object"));
    if (header.object().value(QStringLiteral("alg")).toString() != QStringLiteral("HS256"))
        return authError(QStringLiteral("token not issued by this host (algorithm is not "
                                        "HS256)"));
    const QByteArray expected = QMessageAuthenticationCode::hash(parts[0] + '.' + parts[1], m_key,
                                                                 QCryptographicHash::Sha256);
    if (!constantTimeEquals(expected, *signature))
        return authError(QStringLiteral("invalid token signature"));

    const QJsonDocument payload = QJsonDocument::fromJson(*payloadJson, &perr);
    if (perr.error != QJsonParseError::NoError || !payload.isObject())
        return authError(QStringLiteral("malformed token: payload is not a JSON object"));
    const QJsonObject o = payload.object();
    TokenClaims c;
    c.issuer = o.value(QStringLiteral("iss")).toString();
    c.subject = o.value(QStringLiteral("sub")).toString();
    if (c.issuer.isEmpty() || c.subject.isEmpty())
        return authError(QStringLiteral("token lacks the iss or sub claim"));
    c.issuedAt = qint64(o.value(QStringLiteral("iat")).toDouble());
    const QJsonValue exp = o.value(QStringLiteral("exp"));
    if (exp.isDouble()) {
        c.expiresAt = qint64(exp.toDouble());
        if (nowSecs() >= *c.expiresAt)
            return authError(QStringLiteral("token has expired"));
    } else if (!exp.isNull() && !exp.isUndefined()) {
        return authError(QStringLiteral("token has an invalid exp claim"));
    }
    const QString hex = o.value(QStringLiteral("hex_identity")).toString();
    if (!hex.isEmpty() && hex != c.identity().toHex())
        return authError(QStringLiteral("token's hex_identity does not match its claims"));
    return c;
}

} // namespace host
