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
        Returned,      // value holds the BSATN of the declared return type
        InternalError, // failed, or no such procedure
        Disconnected,  // no result will come: the connection ended
    };

    Status status = Status::Disconnected;
    QString procedure;
    quint32 requestId = 0;
    QByteArray value;
    QString message; // error text unless Returned
    Timestamp timestamp;
    TimeDuration hostDuration;

    bool isReturned() const { return status == Status::Returned; }
    Error error() const {
        if (status == Status::Returned)
            return {};
        return Error(status == Status::Disconnected ? Error::Kind::Disconnected
                                                    : Error::Kind::Server,
                     message);
    }
};

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ProcedureOutcome)
