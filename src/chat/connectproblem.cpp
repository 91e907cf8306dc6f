// SPDX-License-Identifier: Apache-2.0
#include "chat/connectproblem.h"

#include "chat/untrustedtext.h"

#include <QLocale>

namespace chat {

namespace {
// The server's own words, kept short and unable to disturb our sentence.
QString serverText(const QString &body) {
    QString text = body.simplified();
    if (text.size() > 300)
        text = text.left(299) + QChar(0x2026);
    return UntrustedText::isolate(text);
}
} // namespace

QString ConnectProblem::describe(stdb::ConnectFailure::CertificateProblem problem,
                                 const stdb::ConnectFailure &failure) {
    using P = stdb::ConnectFailure::CertificateProblem;
    switch (problem) {
    case P::SelfSigned:
        return tr("it is self-signed and not trusted");
    case P::Untrusted:
        return tr("it is not issued by a trusted certificate authority");
    case P::HostnameMismatch:
        return tr("it was issued for another host name");
    case P::Expired:
        return failure.certificateExpiry.isValid()
                   ? tr("it expired on %1")
                         .arg(QLocale().toString(failure.certificateExpiry.date(),
                                                 QLocale::ShortFormat))
                   : tr("it has expired");
    case P::NotYetValid:
        return tr("it is not valid yet");
    case P::Revoked:
        return tr("it was revoked");
    case P::Other:
        break;
    }
    return tr("it could not be verified");
}

QString ConnectProblem::describe(const stdb::ConnectFailure &f, const stdb::ConnectionOptions &o) {
    using K = stdb::ConnectFailure::Kind;
    using S = stdb::ConnectFailure::Stage;
    const QString where = o.uri.display();
    const QString db = o.databaseName; // the user's own input
    switch (f.kind) {
    case K::None:
        return {};
    case K::HostNotFound:
        return tr("Cannot reach %1: the host name was not found. Check the server address.")
            .arg(where);
    case K::ConnectionRefused:
        return tr("Cannot reach %1: the connection was refused. Is the server running on that "
                  "port?")
            .arg(where);
    case K::Timeout: {
        const int ms = f.timeoutMs ? f.timeoutMs : int(o.connectTimeout.count());
        const QString secs = QLocale().toString(double(ms) / 1000.0, 'g', 3);
        switch (f.stage) {
        case S::Resolving:
        case S::Connecting:
            return tr("Cannot reach %1: no answer within %2 s.").arg(where, secs);
        case S::TlsHandshake:
            return tr("%1 did not complete the TLS handshake within %2 s. Is it an https "
                      "server?")
                .arg(where, secs);
        case S::Upgrading:
            return tr("%1 did not answer the connection request within %2 s.").arg(where, secs);
        case S::AwaitingHello:
            return tr("%1 accepted the connection but did not start the session within %2 s.")
                .arg(where, secs);
        }
        break;
    }
    case K::TlsHandshake:
        return f.detail.isEmpty()
                   ? tr("The secure connection to %1 failed in the TLS handshake. Is it an "
                        "https server?")
                         .arg(where)
                   : tr("The secure connection to %1 failed in the TLS handshake (%2). Is it "
                        "an https server?")
                         .arg(where, UntrustedText::isolate(f.detail));
    case K::Certificate: {
        QStringList why;
        for (const auto p : f.certificate)
            why.append(describe(p, f));
        if (why.isEmpty())
            why.append(describe(stdb::ConnectFailure::CertificateProblem::Other, f));
        const QString list = why.join(QStringLiteral("; "));
        return f.certificateSubject.isEmpty()
                   ? tr("The TLS certificate of %1 was not accepted: %2.").arg(where, list)
                   : tr("The TLS certificate of %1 (issued to %2) was not accepted: %3.")
                         .arg(where, UntrustedText::isolate(f.certificateSubject), list);
    }
    case K::HttpStatus: {
        QString text;
        switch (f.httpStatus) {
        case 404:
            text = tr("Database %1 was not found on %2 (HTTP 404).").arg(db, where);
            break;
        case 401:
            text = o.token.isEmpty()
                       ? tr("%1 requires a token to open database %2 (HTTP 401).").arg(where, db)
                       : tr("%1 rejected the saved token (HTTP 401); it may have expired or "
                            "belong to another server. Sign in again or connect without it.")
                             .arg(where);
            break;
        case 403:
            text = tr("%1 does not allow this identity to open database %2 (HTTP 403).")
                       .arg(where, db);
            break;
        default:
            text = tr("%1 refused to open database %2 (HTTP %3).")
                       .arg(where, db, QString::number(f.httpStatus));
            break;
        }
        if (!f.httpBody.isEmpty())
            text += QLatin1Char(' ') + tr("The server said: %1").arg(serverText(f.httpBody));
        return text;
    }
    case K::ClosedBeforeUpgrade:
        return tr("%1 closed the connection without answering. Is it a SpacetimeDB server?")
            .arg(where);
    case K::ClosedAfterUpgrade: {
        QString text = tr("%1 accepted the connection, then closed it before the session "
                          "started: the module's client_connected reducer may have rejected "
                          "this client.")
                           .arg(where);
        if (!f.closeReason.isEmpty())
            text += QLatin1Char(' ') + tr("The server said: %1").arg(serverText(f.closeReason));
        return text;
    }
    case K::Protocol:
        return tr("%1 did not answer like a SpacetimeDB server (%2).")
            .arg(where, UntrustedText::isolate(f.detail));
    case K::Network:
        return f.detail.isEmpty()
                   ? tr("Cannot reach %1.").arg(where)
                   : tr("Cannot reach %1: %2").arg(where, UntrustedText::isolate(f.detail));
    }
    return tr("Cannot reach %1.").arg(where);
}

} // namespace chat
