// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/connectfailure.h"
#include "spacetime/connection/connectionoptions.h"
#include "spacetime/error.h"

#include <QAbstractSocket>
#include <QSslError>
#include <QStringList>

namespace stdb {

// What the socket told us about why a session attempt or a session ended.
struct STDB_EXPORT SocketFailure {
    // The TCP/TLS socket's own error when it had one (QWebSocket loses it over TLS), else
    // QWebSocket's.
    bool hasSocketError = false;
    QAbstractSocket::SocketError socketError = QAbstractSocket::UnknownSocketError;
    QString socketErrorString;
    ConnectFailure::Stage stage = ConnectFailure::Stage::Resolving; // how far the attempt got
    QStringList sslErrors; // certificate problems, when the TLS handshake was refused
    QList<QSslError::SslError> sslErrorCodes;
    QString certificateSubject;
    QDateTime certificateExpiry;
    // TCP (and TLS) were up but QWebSocket did not accept the server's answer to the upgrade;
    // a second request (UpgradeProbe) read that answer:
    bool upgradeRefused = false;
    bool probeAnswered = false; // the probe got a status line
    bool probeTimedOut = false;
    int httpStatus = 0;
    QString httpReason;
    QString httpBody;
    int framesReceived = 0; // WebSocket messages received before the close
    int closeCode = 0;      // WebSocket close code (1006 for an abnormal drop)
    QString closeReason;
};

// A readable Error plus whether trying again could help; `connect` is the typed reason when a
// session attempt failed.
struct STDB_EXPORT Failure {
    Failure() = default;
    Failure(Error e, bool canRetry = true, ConnectFailure why = {})
        : error(std::move(e))
        , retryable(canRetry)
        , connect(std::move(why)) {}

    Error error;
    bool retryable = true;
    ConnectFailure connect;
};

// The typed reason a session attempt failed, from what the socket saw.
STDB_EXPORT ConnectFailure classifyConnectFailure(const SocketFailure &f);
// The session attempt ended before InitialConnection.
STDB_EXPORT Failure describeConnectFailure(const SocketFailure &f, const ConnectionOptions &o);
STDB_EXPORT Failure describeConnectFailure(const ConnectFailure &c, const ConnectionOptions &o);
// An established session ended without us asking.
STDB_EXPORT Failure describeSessionEnd(const SocketFailure &f, const ConnectionOptions &o);

} // namespace stdb
