#include "spacetime/connection/reduceroutcome.h"

namespace stdb {

Error ReducerOutcome::error() const {
    switch (status) {
    case Status::Committed:
        return {};
    case Status::Err:
    case Status::InternalError:
        return Error(Error::Kind::Server, message);
    case Status::Disconnected:
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
    case ReducerOutcome::Status::Disconnected:
        return QStringLiteral("disconnected");
    }
    return {};
}

} // namespace stdb
