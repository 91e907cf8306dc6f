// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/failure.h"

#include <QWebSocketProtocol>

#include <algorithm>

namespace stdb {

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

Failure httpFailure(int status, const QString &body, const ConnectionOptions &o) {
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
    QString text = QStringLiteral("%1 answered HTTP %2 instead of opening a WebSocket for "
                                  "database %3")
                       .arg(where)
                       .arg(status)
                       .arg(db);
    if (!body.isEmpty())
        text += QStringLiteral(": ") + body.simplified().left(300);
    return {Error(Error::Kind::Server, text), serverSide || status == 408 || status == 429};
}

ConnectFailure::CertificateProblem certificateProblem(QSslError::SslError e) {
    using P = ConnectFailure::CertificateProblem;
    switch (e) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
        return P::SelfSigned;
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::InvalidCaCertificate:
    case QSslError::CertificateRejected:
        return P::Untrusted;
    case QSslError::HostNameMismatch:
        return P::HostnameMismatch;
    case QSslError::CertificateExpired:
        return P::Expired;
    case QSslError::CertificateNotYetValid:
        return P::NotYetValid;
    case QSslError::CertificateRevoked:
        return P::Revoked;
    default:
        return P::Other;
    }
}

QString secondsText(int ms) {
    return QString::number(double(ms) / 1000.0);
}

} // namespace

ConnectFailure classifyConnectFailure(const SocketFailure &f) {
    using K = ConnectFailure::Kind;
    using S = ConnectFailure::Stage;
    ConnectFailure c;
    c.stage = f.stage;
    c.detail = f.socketErrorString;
    if (!f.sslErrorCodes.isEmpty()) {
        c.kind = K::Certificate;
        for (QSslError::SslError e : f.sslErrorCodes) {
            const auto p = certificateProblem(e);
            if (!c.certificate.contains(p))
                c.certificate.append(p);
        }
        std::sort(c.certificate.begin(), c.certificate.end());
        c.certificateSubject = f.certificateSubject;
        c.certificateExpiry = f.certificateExpiry;
        c.detail = f.sslErrors.join(QStringLiteral("; "));
        return c;
    }
    if (f.upgradeRefused) {
        if (f.probeAnswered) {
            // 101 again: the server does switch protocols, but its answer was not a valid
            // WebSocket handshake.
            c.kind = f.httpStatus == 101 ? K::Protocol : K::HttpStatus;
            c.httpStatus = f.httpStatus;
            c.httpReason = f.httpReason;
            c.httpBody = f.httpBody;
        } else {
            c.kind = f.probeTimedOut ? K::Timeout : K::ClosedBeforeUpgrade;
            c.stage = S::Upgrading;
        }
        return c;
    }
    if (f.hasSocketError) {
        switch (f.socketError) {
        case QAbstractSocket::HostNotFoundError:
            c.kind = K::HostNotFound;
            return c;
        case QAbstractSocket::ConnectionRefusedError:
            c.kind = K::ConnectionRefused;
            return c;
        case QAbstractSocket::SocketTimeoutError:
            c.kind = K::Timeout;
            return c;
        case QAbstractSocket::SslHandshakeFailedError:
        case QAbstractSocket::SslInternalError:
        case QAbstractSocket::SslInvalidUserDataError:
            c.kind = K::TlsHandshake;
            return c;
        case QAbstractSocket::RemoteHostClosedError:
            break; // by stage, below
        default:
            c.kind = K::Network;
            return c;
        }
    }
    switch (f.stage) {
    case S::AwaitingHello:
        // Only an upgraded socket that then closed without a message points at the module.
        if (f.framesReceived > 0) {
            c.kind = K::Protocol;
            c.detail = QStringLiteral("the server closed the connection after %1 message(s) "
                                      "but before InitialConnection")
                           .arg(f.framesReceived);
            break;
        }
        c.kind = K::ClosedAfterUpgrade;
        if (f.closeCode && f.closeCode != QWebSocketProtocol::CloseCodeAbnormalDisconnection) {
            c.closeCode = f.closeCode;
            c.closeReason = f.closeReason;
        }
        break;
    case S::TlsHandshake:
        c.kind = K::TlsHandshake;
        break;
    case S::Upgrading:
        c.kind = K::ClosedBeforeUpgrade;
        break;
    case S::Resolving:
    case S::Connecting:
        c.kind = K::Network;
        break;
    }
    return c;
}

Failure describeConnectFailure(const SocketFailure &f, const ConnectionOptions &o) {
    return describeConnectFailure(classifyConnectFailure(f), o);
}

Failure describeConnectFailure(const ConnectFailure &c, const ConnectionOptions &o) {
    using K = ConnectFailure::Kind;
    using S = ConnectFailure::Stage;
    const QString where = o.uri.display();
    Failure r{Error(), true, c};
    switch (c.kind) {
    case K::None:
        r.error = Error(Error::Kind::Internal, QStringLiteral("no failure"));
        break;
    case K::HostNotFound:
        r.error = Error(Error::Kind::Network,
                        QStringLiteral("cannot reach %1: host not found").arg(where));
        break;
    case K::ConnectionRefused:
        r.error =
            Error(Error::Kind::Network,
                  QStringLiteral("cannot reach %1: connection refused (is the server running?)")
                      .arg(where));
        break;
    case K::Timeout: {
        const QString secs = secondsText(c.timeoutMs ? c.timeoutMs : int(o.connectTimeout.count()));
        QString text;
        switch (c.stage) {
        case S::Resolving:
        case S::Connecting:
            text = QStringLiteral("cannot reach %1: no answer within %2 s");
            break;
        case S::TlsHandshake:
            text = QStringLiteral("TLS handshake with %1 timed out: no answer within %2 s");
            break;
        case S::Upgrading:
            text = QStringLiteral("%1 did not answer the WebSocket upgrade within %2 s");
            break;
        case S::AwaitingHello:
            text = QStringLiteral("%1 accepted the WebSocket but did not send "
                                  "InitialConnection within %2 s");
            break;
        }
        r.error = Error(Error::Kind::Network, text.arg(where, secs));
        break;
    }
    case K::TlsHandshake:
        r.error =
            Error(Error::Kind::Network,
                  c.detail.isEmpty()
                      ? QStringLiteral("TLS handshake with %1 failed").arg(where)
                      : QStringLiteral("TLS handshake with %1 failed: %2").arg(where, c.detail));
        break;
    case K::Certificate:
        r.error = Error(
            Error::Kind::Network,
            QStringLiteral("the TLS certificate of %1 was not accepted: %2").arg(where, c.detail));
        r.retryable = false;
        break;
    case K::HttpStatus: {
        Failure h = httpFailure(c.httpStatus, c.httpBody, o);
        r.error = h.error;
        r.retryable = h.retryable;
        break;
    }
    case K::ClosedBeforeUpgrade:
        r.error = Error(Error::Kind::Server,
                        QStringLiteral("%1 closed the connection without answering the "
                                       "WebSocket upgrade; is it a SpacetimeDB server?")
                            .arg(where));
        break;
    case K::ClosedAfterUpgrade: {
        QString text = QStringLiteral("%1 closed the connection before accepting this client; "
                                      "the module's client_connected reducer may have rejected "
                                      "it")
                           .arg(where);
        if (c.closeCode)
            text += QStringLiteral(" (%1)").arg(closeCodeText(c.closeCode, c.closeReason));
        r.error = Error(Error::Kind::Server, text);
        break;
    }
    case K::Protocol:
        r.error = Error(Error::Kind::Protocol,
                        c.httpStatus == 101
                            ? QStringLiteral("%1 answered the WebSocket upgrade with an invalid "
                                             "handshake; is it a SpacetimeDB server?")
                                  .arg(where)
                            : QStringLiteral("%1: %2").arg(where, c.detail));
        r.retryable = false;
        break;
    case K::Network:
        r.error = Error(Error::Kind::Network,
                        c.detail.isEmpty()
                            ? QStringLiteral("cannot reach %1: the connection ended").arg(where)
                            : QStringLiteral("cannot reach %1: %2").arg(where, c.detail));
        break;
    }
    return r;
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
