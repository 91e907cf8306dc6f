// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/connectfailure.h"

namespace stdb {

QString kindName(ConnectFailure::Kind kind) {
    using K = ConnectFailure::Kind;
    switch (kind) {
    case K::None:
        return QStringLiteral("None");
    case K::HostNotFound:
        return QStringLiteral("HostNotFound");
    case K::ConnectionRefused:
        return QStringLiteral("ConnectionRefused");
    case K::Timeout:
        return QStringLiteral("Timeout");
    case K::TlsHandshake:
        return QStringLiteral("TlsHandshake");
    case K::Certificate:
        return QStringLiteral("Certificate");
    case K::HttpStatus:
        return QStringLiteral("HttpStatus");
    case K::ClosedBeforeUpgrade:
        return QStringLiteral("ClosedBeforeUpgrade");
    case K::ClosedAfterUpgrade:
        return QStringLiteral("ClosedAfterUpgrade");
    case K::Protocol:
        return QStringLiteral("Protocol");
    case K::Network:
        return QStringLiteral("Network");
    }
    return QStringLiteral("Kind(%1)").arg(int(kind));
}

QString stageName(ConnectFailure::Stage stage) {
    using S = ConnectFailure::Stage;
    switch (stage) {
    case S::Resolving:
        return QStringLiteral("Resolving");
    case S::Connecting:
        return QStringLiteral("Connecting");
    case S::TlsHandshake:
        return QStringLiteral("TlsHandshake");
    case S::Upgrading:
        return QStringLiteral("Upgrading");
    case S::AwaitingHello:
        return QStringLiteral("AwaitingHello");
    }
    return QStringLiteral("Stage(%1)").arg(int(stage));
}

QString problemName(ConnectFailure::CertificateProblem problem) {
    using P = ConnectFailure::CertificateProblem;
    switch (problem) {
    case P::SelfSigned:
        return QStringLiteral("SelfSigned");
    case P::Untrusted:
        return QStringLiteral("Untrusted");
    case P::HostnameMismatch:
        return QStringLiteral("HostnameMismatch");
    case P::Expired:
        return QStringLiteral("Expired");
    case P::NotYetValid:
        return QStringLiteral("NotYetValid");
    case P::Revoked:
        return QStringLiteral("Revoked");
    case P::Other:
        return QStringLiteral("Other");
    }
    return QStringLiteral("Problem(%1)").arg(int(problem));
}

} // namespace stdb
