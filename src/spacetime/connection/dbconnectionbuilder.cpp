// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/dbconnectionbuilder.h"

#include "spacetime/connection/dbconnection.h"

#include <QSslSocket>

namespace stdb {

namespace {
Error invalid(const QString &message) {
    return Error(Error::Kind::InvalidArgument, message);
}
} // namespace

DbConnectionBuilder &DbConnectionBuilder::withUri(const QString &uri) {
    m_uri = uri;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withDatabaseName(const QString &nameOrIdentity) {
    m_database = nameOrIdentity;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withToken(const QString &token) {
    m_token = token;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withCompression(Compression compression) {
    m_options.compression = compression;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withConfirmedReads(bool confirmed) {
    m_options.confirmedReads = confirmed;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withLightMode(bool light) {
    m_options.lightMode = light;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withOwnFrameReader(bool own) {
    m_options.ownFrameReader = own;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withProtocol(ProtocolVersion protocol) {
    m_options.protocol = protocol;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withReconnectPolicy(const ReconnectPolicy &policy) {
    m_options.reconnect = policy;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withMaxDecompressedSize(qsizetype bytes) {
    m_options.maxDecompressedSize = bytes;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withKeepAlive(std::chrono::milliseconds idleBeforePing,
                                                        std::chrono::milliseconds pingTimeout) {
    m_options.idleTimeout = idleBeforePing;
    m_options.pingTimeout = pingTimeout;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withClock(Clock *clock) {
    m_options.clock = clock;
    return *this;
}

DbConnectionBuilder &DbConnectionBuilder::withConnectTimeout(std::chrono::milliseconds timeout) {
    m_options.connectTimeout = timeout;
    return *this;
}

DbConnectionBuilder &
DbConnectionBuilder::withTrustedCertificate(const QSslCertificate &certificate) {
    if (certificate.isNull())
        m_error = QStringLiteral("the trusted certificate is empty or could not be parsed");
    else
        m_options.trustedCertificates.append(certificate);
    return *this;
}

Expected<ConnectionOptions> DbConnectionBuilder::options() const {
    if (!m_error.isEmpty())
        return invalid(m_error);
    if (m_uri.trimmed().isEmpty())
        return invalid(QStringLiteral("no server URI given (call withUri())"));
    auto uri = ServerUri::parse(m_uri);
    if (!uri)
        return uri.error();
    if (m_database.isEmpty())
        return invalid(QStringLiteral("no database name given (call withDatabaseName())"));
    if (const QString why = validateDatabaseName(m_database); !why.isEmpty())
        return invalid(why);
    for (QChar c : m_token) {
        // The token goes into an HTTP header: no way to smuggle in another line.
        if (c.isSpace() || c.category() == QChar::Other_Control || c.unicode() > 0x7e)
            return invalid(QStringLiteral("the token contains spaces, control or non-ASCII "
                                          "characters"));
    }
    switch (m_options.compression) {
    case Compression::None:
    case Compression::Gzip:
    case Compression::Brotli:
        break;
    default:
        return invalid(QStringLiteral("unknown compression method"));
    }
    if (m_options.protocol != ProtocolVersion::V2 && m_options.protocol != ProtocolVersion::V3)
        return invalid(QStringLiteral("unknown protocol version"));
    if (const QString why = m_options.reconnect.validate(); !why.isEmpty())
        return invalid(why);
    if (m_options.maxDecompressedSize <= 0)
        return invalid(QStringLiteral("the maximum decompressed size must be positive"));
    if (m_options.idleTimeout.count() <= 0 || m_options.pingTimeout.count() <= 0)
        return invalid(QStringLiteral("keep-alive intervals must be positive"));
    if (m_options.connectTimeout.count() <= 0)
        return invalid(QStringLiteral("the connect timeout must be positive"));
    if (uri->isSecure() && !QSslSocket::supportsSsl())
        return invalid(QStringLiteral("%1 needs TLS, which this Qt installation does not "
                                      "provide (no TLS backend found)")
                           .arg(uri->display()));

    ConnectionOptions o = m_options;
    o.uri = std::move(uri.value());
    o.databaseName = m_database;
    o.token = m_token;
    return o;
}

Expected<DbConnection *> DbConnectionBuilder::build(QObject *parent) const {
    return buildAs<DbConnection>(parent);
}

} // namespace stdb
