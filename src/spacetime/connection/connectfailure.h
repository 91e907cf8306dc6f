// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace stdb {

// Why an attempt to open a session failed, as a type a front end can branch on and translate
// (DbConnection::lastConnectFailure()). The same classification holds for http/ws and
// https/wss; the English Error message of connectError() is made from it.
struct ConnectFailure {
    enum class Kind {
        None,
        HostNotFound,        // the name did not resolve
        ConnectionRefused,   // nothing listens on that port
        Timeout,             // no progress within the connect timeout; `stage` says where
        TlsHandshake,        // TLS failed for a reason other than the certificate (not a TLS
                             // server, no common protocol or cipher, an alert)
        Certificate,         // the server's certificate was not accepted; see `certificate`
        HttpStatus,          // the server answered the upgrade with an HTTP error
        ClosedBeforeUpgrade, // the server dropped the connection without answering the upgrade
        ClosedAfterUpgrade,  // upgraded, then closed before any message: the module's
                             // client_connected reducer may have refused this client
        Protocol,            // answered, but not like a SpacetimeDB server (subprotocol, first
                             // message, an invalid upgrade answer)
        Network,             // another socket error (network unreachable, proxy, …): `detail`
    };
    // How far the attempt got; with Timeout it says what did not answer.
    enum class Stage {
        Resolving,     // looking the host up
        Connecting,    // TCP connect
        TlsHandshake,  // TCP up, TLS handshake not finished
        Upgrading,     // HTTP upgrade request sent, no answer yet
        AwaitingHello, // WebSocket open, InitialConnection not received
    };
    // Certificate verification problems, the most telling first.
    enum class CertificateProblem {
        SelfSigned,       // self-signed and not trusted
        Untrusted,        // issued by an authority that is not trusted (or chain incomplete)
        HostnameMismatch, // valid, but for another name
        Expired,
        NotYetValid,
        Revoked,
        Other, // another verification error: `detail` has Qt's words
    };

    Kind kind = Kind::None;
    Stage stage = Stage::Resolving;
    QList<CertificateProblem> certificate; // Kind::Certificate: at least one
    QString certificateSubject;            // the peer's certificate, when known
    QDateTime certificateExpiry;           // its notAfter, when known
    int httpStatus = 0;                    // Kind::HttpStatus (also 101 for a bad upgrade)
    QString httpReason;                    // the status line's reason phrase
    QString httpBody;                      // the response text, trimmed and capped (4 KiB)
    int closeCode = 0;                     // Kind::ClosedAfterUpgrade: the close frame's code
    QString closeReason;                   // and reason, when the server sent one
    int timeoutMs = 0;                     // Kind::Timeout: the connect timeout
    QString detail;                        // Qt's or the system's own words, for logs

    bool isFailure() const { return kind != Kind::None; }
    bool operator==(const ConnectFailure &) const = default;
};

// "HostNotFound", "SelfSigned", … for logs and test output.
QString kindName(ConnectFailure::Kind kind);
QString stageName(ConnectFailure::Stage stage);
QString problemName(ConnectFailure::CertificateProblem problem);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ConnectFailure)
