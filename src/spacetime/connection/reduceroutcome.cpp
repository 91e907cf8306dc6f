// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/reduceroutcome.h"

namespace stdb {

Error ReducerOutcome::error() const {
    switch (status) {
    case Status::Committed:
        return {};
    case Status::Err:
    case Status::InternalError:
        return Error(Error::Kind::Server, message);
    case Status::NeverSent:
    case Status::OutcomeUnknown:
        return Error(Error::Kind::Disconnected, message);
    }
    return {};
}

QString statusName(ReducerOutcome::Status status) {
    switch (status) {
    case ReducerOutcome::Status::Committed:
        return QStringLiteral("committed");
    case ReducerOutcome::Status::Err:
        return QStringLiteral("error");
    case ReducerOutcome::Status::InternalError:
        return QStringLiteral("internal error");
    case ReducerOutcome::Status::NeverSent:
        return QStringLiteral("never sent");
    case ReducerOutcome::Status::OutcomeUnknown:
        return QStringLiteral("outcome unknown");
    }
    return {};
}

} // namespace stdb
