// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/connectionoptions.h"
#include "spacetime/expected.h"

class QObject;

namespace stdb {

class DbConnection;

// Collects the connection settings; build() validates them and returns a DbConnection that
// starts connecting as soon as the event loop runs (it never blocks). Every problem with the
// arguments is reported by build() as an Error with kind InvalidArgument.
//
//   auto conn = stdb::DbConnectionBuilder()
//                   .withUri(QStringLiteral("http://localhost:3000"))
//                   .withDatabaseName(QStringLiteral("quickstart-chat"))
//                   .withToken(savedToken)
//                   .build(this);
class STDB_EXPORT DbConnectionBuilder {
public:
    DbConnectionBuilder() = default;

    // http, https, ws, wss, or host:port (taken as ws). A base path is kept.
    DbConnectionBuilder &withUri(const QString &uri);
    // A database name or its identity as 64 hex digits.
    DbConnectionBuilder &withDatabaseName(const QString &nameOrIdentity);
    // A long-lived token from an earlier session; empty = anonymous.
    DbConnectionBuilder &withToken(const QString &token);
    DbConnectionBuilder &withCompression(Compression compression);
    DbConnectionBuilder &withConfirmedReads(bool confirmed);
    // light=true in the subscribe URL (see ConnectionOptions::lightMode); off by default.
    DbConnectionBuilder &withLightMode(bool light);
    // The SDK's own frame reader (see ConnectionOptions::ownFrameReader): a proposal, off by
    // default.
    DbConnectionBuilder &withOwnFrameReader(bool own);
    DbConnectionBuilder &withProtocol(ProtocolVersion protocol);
    DbConnectionBuilder &withReconnectPolicy(const ReconnectPolicy &policy);
    DbConnectionBuilder &withMaxDecompressedSize(qsizetype bytes);
    DbConnectionBuilder &withKeepAlive(std::chrono::milliseconds idleBeforePing,
                                       std::chrono::milliseconds pingTimeout);
    DbConnectionBuilder &withConnectTimeout(std::chrono::milliseconds timeout);
    // Time for the connect timeout, reconnect delays and stable sessions (tests pass a
    // ManualClock); null or not called = the real clock. Must outlive the connection.
    DbConnectionBuilder &withClock(Clock *clock);
    // Trust this certificate for wss in addition to the system CAs (self-signed hosts). TLS
    // verification stays on: only chains ending in this exact certificate are accepted.
    DbConnectionBuilder &withTrustedCertificate(const QSslCertificate &certificate);

    // The validated settings, or the first problem found.
    Expected<ConnectionOptions> options() const;
    // A new connection (owned by parent), or the first problem found.
    Expected<DbConnection *> build(QObject *parent = nullptr) const;
    // For subclasses (generated bindings): T must be constructible from
    // (ConnectionOptions, QObject *).
    template <typename T>
    Expected<T *> buildAs(QObject *parent = nullptr) const {
        auto o = options();
        if (!o)
            return o.error();
        return new T(std::move(o.value()), parent);
    }

private:
    QString m_uri;
    QString m_database;
    QString m_token;
    ConnectionOptions m_options;
    QString m_error; // problems found by setters that have no better place to wait
};

} // namespace stdb
