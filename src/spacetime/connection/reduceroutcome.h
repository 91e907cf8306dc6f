#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/error.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace stdb {

// The result of one of our own reducer calls. Also the reducer part of an EventContext of kind
// Reducer (the rows our call changed).
struct STDB_EXPORT ReducerOutcome {
    enum class Status {
        Committed,     // the reducer ran and its transaction committed
        Err,           // the reducer returned an error; nothing committed
        InternalError, // it panicked, ran out of energy, or never ran (unknown reducer, bad args)
        Disconnected,  // no result will come: the connection ended (see message)
    };

    Status status = Status::Disconnected;
    QString reducer;
    QByteArray args; // BSATN of the argument product, as sent
    quint32 requestId = 0;
    Timestamp timestamp; // when the reducer started (server clock); zero when Disconnected
    QString message;     // the error text for every status but Committed
    QByteArray returnValue;
    Identity callerIdentity; // us
    ConnectionId callerConnectionId;

    bool isCommitted() const { return status == Status::Committed; }
    // None for Committed; Server for Err/InternalError; Disconnected for Disconnected.
    Error error() const;
};

STDB_EXPORT QString statusName(ReducerOutcome::Status status);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ReducerOutcome)
