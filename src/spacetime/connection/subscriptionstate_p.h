// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal: the shared state behind SubscriptionHandle, owned jointly by the handles and the
// connection's SubscriptionRegistry.

#include "spacetime/connection/subscriptionhandle.h"

#include <QPointer>

namespace stdb {

class DbConnection;

struct SubscriptionState {
    using State = SubscriptionHandle::State;

    State state = State::Pending;
    QStringList queries;
    quint64 serial = 0;               // creation order: resubscribe order
    protocol::QuerySetId wireId = 0;  // id on the current socket (0: none)
    protocol::QuerySetId cacheId = 0; // id its rows carry in the live cache (0: none)
    quint32 requestId = 0;            // of the last Subscribe
    bool everApplied = false;         // onApplied already ran once
    Error error;

    SubscriptionCallback onApplied;
    SubscriptionCallback onError;
    SubscriptionCallback onEnded;
    // Callbacks are skipped once a context object given to the builder is destroyed.
    QPointer<QObject> context;
    bool hasContext = false;

    QPointer<DbConnection> connection;

    bool contextAlive() const { return !hasContext || context; }
};

} // namespace stdb
