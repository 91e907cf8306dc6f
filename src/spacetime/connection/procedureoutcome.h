// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/timestamp.h"
#include "spacetime/error.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace stdb {

// The result of one of our procedure calls.
struct STDB_EXPORT ProcedureOutcome {
    enum class Status {
        Returned,       // value holds the BSATN of the declared return type
        InternalError,  // failed, or no such procedure
        NeverSent,      // the connection ended before the call went out: the server never saw it
        OutcomeUnknown, // the call went out, then the connection ended before its result came
    };

    Status status = Status::NeverSent;
    QString procedure;
    quint32 requestId = 0;
    QByteArray value;
    QString message; // error text unless Returned (for people and logs; decide on status)
    Timestamp timestamp;
    TimeDuration hostDuration;

    bool isReturned() const { return status == Status::Returned; }
    Error error() const {
        switch (status) {
        case Status::Returned:
            return {};
        case Status::InternalError:
            return Error(Error::Kind::Server, message);
        case Status::NeverSent:
        case Status::OutcomeUnknown:
            return Error(Error::Kind::Disconnected, message);
        }
        return {};
    }
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ProcedureOutcome)
