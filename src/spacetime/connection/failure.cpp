#include "spacetime/connection/failure.h"

#include <QRegularExpression>
#include <QWebSocketProtocol>

namespace stdb {

int httpStatusFromSocketError(const QString &errorString) {
    static const QRegularExpression re(QStringLiteral("http status code: (\\d{3})"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(errorString);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

namespace {

QString closeCodeText(int code, const QString &reason) {
    QString what;
    switch (code) {
    case QWebSocketProtocol::CloseCodeNormal:
        what = QStringLiteral("normal closure");
        break;
    case QWebSocketProtocol::CloseCodeGoingAway:
        what = QStringLiteral("going away: the database was stopped or the server is shutting "
                              "down");
        break;
    case QWebSocketProtocol::CloseCodeAbnormalDisconnection:
        what = QStringLiteral("abnormal closure");
        break;
    case QWebSocketProtocol::CloseCodeProtocolError:
        what = QStringLiteral("protocol error");
        break;
    case QWebSocketProtocol::CloseCodeTooMuchData:
        what = QStringLiteral("message too big");
        break;
    case 1011:
        what = QStringLiteral("server error");
        break;
    case 1013:
        what = QStringLiteral("too many requests; try again later");
        break;
    default:
        what = QStringLiteral("code %1").arg(code);
        break;
    }
    if (!reason.isEmpty())
        return QStringLiteral("%1 (%2, code %3)").arg(reason, what).arg(code);
    return QStringLiteral("%1, code %2").arg(what).arg(code);
}

Failure httpFailure(int status, const ConnectionOptions &o) {
    const QString where = o.uri.display();
    const QString db = o.databaseName;
    switch (status) {
    case 404:
        return {Error(Error::Kind::Server,
                      QStringLiteral("database %1 not found on %2").arg(db, where)),
                false};
    case 401:
        if (!o.token.isEmpty())
            return {Error(Error::Kind::Server,
                          QStringLiteral("%1 rejected the saved token (HTTP 401); it may have "
                                         "expired or belong to another server. Sign in again "
                                         "or connect without it")
                              .arg(where)),
                    false};
        return {Error(Error::Kind::Server,
                      QStringLiteral("%1 requires a token to open database %2 (HTTP 401)")
                          .arg(where, db)),
                false};
    case 403:
        return {Error(Error::Kind::Server,
                      QStringLiteral("%1 does not allow this identity to open database %2 "
                                     "(HTTP 403)")
                          .arg(where, db)),
                false};
    case 400:
        return {Error(Error::Kind::Server,
                      QStringLiteral("%1 refused the connection request for database %2 "
                                     "(HTTP 400: bad request; is it a SpacetimeDB server?)")
                          .arg(where, db)),
                false};
    default:
        break;
    }
    const bool serverSide = status >= 500;
    return {Error(Error::Kind::Server,
                  QStringLiteral("%1 answered HTTP %2 instead of opening a WebSocket for "
                                 "database %3")
                      .arg(where)
                      .arg(status)
                      .arg(db)),
            serverSide || status == 408 || status == 429};
}

} // namespace

Failure describeConnectFailure(const SocketFailure &f, const ConnectionOptions &o) {
    const QString where = o.uri.display();
    if (!f.sslErrors.isEmpty())
        return {Error(Error::Kind::Network,
                      QStringLiteral("the TLS certificate of %1 was not accepted: %2")
                          .arg(where, f.sslErrors.join(QStringLiteral("; ")))),
                false};
    if (f.hasSocketError) {
        if (const int status = httpStatusFromSocketError(f.socketErrorString))
            return httpFailure(status, o);
        switch (f.socketError) {
        case QAbstractSocket::HostNotFoundError:
            return {Error(Error::Kind::Network,
                          QStringLiteral("cannot reach %1: host not found").arg(where)),
                    true};
        case QAbstractSocket::ConnectionRefusedError:
            return {Error(Error::Kind::Network,
                          QStringLiteral("cannot reach %1: connection refused (is the server "
                                         "running?)")
                              .arg(where)),
                    true};
        case QAbstractSocket::SocketTimeoutError:
            return {Error(Error::Kind::Network,
                          QStringLiteral("cannot reach %1: timed out").arg(where)),
                    true};
        case QAbstractSocket::SslHandshakeFailedError:
        case QAbstractSocket::SslInternalError:
        case QAbstractSocket::SslInvalidUserDataError:
            return {Error(Error::Kind::Network, QStringLiteral("TLS handshake with %1 failed: %2")
                                                    .arg(where, f.socketErrorString)),
                    true};
        case QAbstractSocket::RemoteHostClosedError:
            break; // closed after the upgrade: handled below
        default:
            return {Error(Error::Kind::Network,
                          QStringLiteral("cannot reach %1: %2").arg(where, f.socketErrorString)),
                    true};
        }
    }
    QString text = QStringLiteral("%1 closed the connection before accepting this client; the "
                                  "module's client_connected reducer may have rejected it")
                       .arg(where);
    if (f.closeCode && f.closeCode != QWebSocketProtocol::CloseCodeAbnormalDisconnection)
        text += QStringLiteral(" (%1)").arg(closeCodeText(f.closeCode, f.closeReason));
    return {Error(Error::Kind::Server, text), true};
}

Failure describeSessionEnd(const SocketFailure &f, const ConnectionOptions &o) {
    const QString where = o.uri.display();
    if (f.closeCode && f.closeCode != QWebSocketProtocol::CloseCodeAbnormalDisconnection)
        return {
            Error(Error::Kind::Server, QStringLiteral("%1 closed the connection: %2")
                                           .arg(where, closeCodeText(f.closeCode, f.closeReason))),
            true};
    QString text = QStringLiteral("connection to %1 lost").arg(where);
    if (f.hasSocketError && !f.socketErrorString.isEmpty())
        text += QStringLiteral(": ") + f.socketErrorString;
    return {Error(Error::Kind::Network, text), true};
}

} // namespace stdb
