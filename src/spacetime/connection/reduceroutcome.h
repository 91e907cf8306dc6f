// SPDX-License-Identifier: Apache-2.0
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
        Committed,      // Ok / OkEmpty: the reducer ran and its transaction committed
        Err,            // the reducer returned an error; nothing committed
        InternalError,  // it panicked, ran out of energy, or never ran (unknown reducer, bad args)
        NeverSent,      // the connection ended before the call went out: the server never saw it
        OutcomeUnknown, // the call went out, then the connection ended before its result came
    };

    Status status = Status::NeverSent;
    QString reducer;
    QByteArray args; // BSATN of the argument product, as sent
    quint32 requestId = 0;
    Timestamp timestamp; // when the reducer started (server clock); zero when Disconnected
    // The error text for every status but Committed: the module's own words for Err, the
    // server's for InternalError, a note of the SDK's (for logs) otherwise. Decide on status.
    QString message;
    // Committed: the BSATN of the value the reducer returned (V10 ok_return_type; empty for ()
    // and for OkEmpty). Generated bindings decode it for reducers that declare a return type.
    QByteArray returnValue;
    Identity callerIdentity; // us
    ConnectionId callerConnectionId;

    bool isCommitted() const { return status == Status::Committed; }
    // None for Committed; Server for Err/InternalError; Disconnected for NeverSent and
    // OutcomeUnknown.
    Error error() const;
};

STDB_EXPORT QString statusName(ReducerOutcome::Status status);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::ReducerOutcome)
