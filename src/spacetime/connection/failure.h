#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/connectionoptions.h"
#include "spacetime/error.h"

#include <QAbstractSocket>
#include <QStringList>

namespace stdb {

// What the socket told us about why a session attempt or a session ended.
struct STDB_EXPORT SocketFailure {
    bool hasSocketError = false;
    QAbstractSocket::SocketError socketError = QAbstractSocket::UnknownSocketError;
    QString socketErrorString;
    QStringList sslErrors; // certificate problems, when the TLS handshake was refused
    int closeCode = 0;     // WebSocket close code (1006 for an abnormal drop)
    QString closeReason;
};

// A readable Error plus whether trying again could help.
struct STDB_EXPORT Failure {
    Error error;
    bool retryable = true;
};

// The HTTP status Qt reports when the server refused the WebSocket upgrade, or 0. (Qt 6.4 has
// no API for it; it is only in the error string.)
STDB_EXPORT int httpStatusFromSocketError(const QString &errorString);

// The session attempt ended before InitialConnection.
STDB_EXPORT Failure describeConnectFailure(const SocketFailure &f, const ConnectionOptions &o);
// An established session ended without us asking.
STDB_EXPORT Failure describeSessionEnd(const SocketFailure &f, const ConnectionOptions &o);

} // namespace stdb
