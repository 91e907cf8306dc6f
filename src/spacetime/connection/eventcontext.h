// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/reduceroutcome.h"
#include "spacetime/connection/subscriptionhandle.h"

#include <QMetaType>

#include <optional>

namespace stdb {

class DbConnection;

// Why rows changed: carried by every row signal and subscription callback. A value type.
class STDB_EXPORT EventContext {
public:
    enum class Kind {
        SubscribeApplied,   // a subscription's initial rows (querySetId, subscription)
        UnsubscribeApplied, // a subscription ended; its rows left
        Transaction,        // someone else's transaction (v2 carries no reducer info)
        Reducer,            // our own reducer call (reducer())
        SubscriptionError,  // a subscription failed (error()); its rows left
        Resync,             // the cache was reconciled with a fresh snapshot after a reconnect
                            // or an invariant violation
    };

    EventContext() = default;

    static EventContext subscribeApplied(DbConnection *c, const SubscriptionHandle &s,
                                         protocol::QuerySetId id);
    static EventContext unsubscribeApplied(DbConnection *c, const SubscriptionHandle &s,
                                           std::optional<protocol::QuerySetId> id);
    static EventContext transaction(DbConnection *c);
    static EventContext reducerEvent(DbConnection *c, ReducerOutcome outcome);
    static EventContext subscriptionError(DbConnection *c, const SubscriptionHandle &s,
                                          std::optional<protocol::QuerySetId> id, Error error);
    static EventContext resync(DbConnection *c);

    Kind kind() const { return m_kind; }
    DbConnection *connection() const { return m_connection; }
    std::optional<protocol::QuerySetId> querySetId() const { return m_querySetId; }
    // The subscription concerned (SubscribeApplied, UnsubscribeApplied, SubscriptionError).
    const SubscriptionHandle &subscription() const { return m_subscription; }
    // Kind Reducer: our call and its outcome.
    const ReducerOutcome &reducer() const { return m_reducer; }
    // Kind SubscriptionError: what the server said.
    const Error &error() const { return m_error; }

private:
    Kind m_kind = Kind::Transaction;
    DbConnection *m_connection = nullptr;
    std::optional<protocol::QuerySetId> m_querySetId;
    SubscriptionHandle m_subscription;
    ReducerOutcome m_reducer;
    Error m_error;
};

STDB_EXPORT QString kindName(EventContext::Kind kind);

} // namespace stdb

Q_DECLARE_METATYPE(stdb::EventContext)
