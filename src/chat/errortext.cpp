// SPDX-License-Identifier: Apache-2.0
#include "chat/errortext.h"

namespace chat {

QString ErrorText::describe(const stdb::Error &error) {
    const QString detail = error.toString();
    switch (error.kind()) {
    case stdb::Error::Kind::None:
        return {};
    case stdb::Error::Kind::Decode:
        return tr("The server sent data this client cannot read: %1").arg(detail);
    case stdb::Error::Kind::Compression:
        return tr("A compressed message from the server could not be unpacked: %1").arg(detail);
    case stdb::Error::Kind::Protocol:
        return tr("The server did not follow the protocol: %1").arg(detail);
    case stdb::Error::Kind::InvalidArgument:
        return tr("Not possible: %1").arg(detail);
    case stdb::Error::Kind::Network:
        return tr("Network problem: %1").arg(detail);
    case stdb::Error::Kind::Server:
        return tr("The server refused: %1").arg(detail);
    case stdb::Error::Kind::Disconnected:
        // The detail only says which call it was; the state is all a person needs.
        return tr("Not connected to the server.");
    case stdb::Error::Kind::Internal:
        return tr("Internal error: %1").arg(detail);
    }
    return tr("Unexpected error: %1").arg(detail);
}

QString ErrorText::reducerFailure(const stdb::ReducerOutcome &outcome) {
    switch (outcome.status) {
    case stdb::ReducerOutcome::Status::Committed:
        return {};
    case stdb::ReducerOutcome::Status::Err:
        return outcome.message.isEmpty() ? tr("The server refused it.") : outcome.message;
    case stdb::ReducerOutcome::Status::InternalError:
        return tr("The server could not run it: %1").arg(outcome.message);
    case stdb::ReducerOutcome::Status::NeverSent:
        return tr("Not sent: the connection ended first.");
    case stdb::ReducerOutcome::Status::OutcomeUnknown:
        return tr("The connection was lost before the server answered.");
    }
    return {};
}

} // namespace chat
