// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/eventcontext.h"

namespace stdb {

EventContext EventContext::subscribeApplied(DbConnection *c, const SubscriptionHandle &s,
                                            protocol::QuerySetId id) {
    EventContext e;
    e.m_kind = Kind::SubscribeApplied;
    e.m_connection = c;
    e.m_subscription = s;
    e.m_querySetId = id;
    return e;
}

EventContext EventContext::unsubscribeApplied(DbConnection *c, const SubscriptionHandle &s,
                                              std::optional<protocol::QuerySetId> id) {
    EventContext e;
    e.m_kind = Kind::UnsubscribeApplied;
    e.m_connection = c;
    e.m_subscription = s;
    e.m_querySetId = id;
    return e;
}

EventContext EventContext::transaction(DbConnection *c) {
    EventContext e;
    e.m_kind = Kind::Transaction;
    e.m_connection = c;
    return e;
}

EventContext EventContext::reducerEvent(DbConnection *c, ReducerOutcome outcome) {
    EventContext e;
    e.m_kind = Kind::Reducer;
    e.m_connection = c;
    e.m_reducer = std::move(outcome);
    return e;
}

EventContext EventContext::subscriptionError(DbConnection *c, const SubscriptionHandle &s,
                                             std::optional<protocol::QuerySetId> id, Error error) {
    EventContext e;
    e.m_kind = Kind::SubscriptionError;
    e.m_connection = c;
    e.m_subscription = s;
    e.m_querySetId = id;
    e.m_error = std::move(error);
    return e;
}

EventContext EventContext::resync(DbConnection *c) {
    EventContext e;
    e.m_kind = Kind::Resync;
    e.m_connection = c;
    return e;
}

QString kindName(EventContext::Kind kind) {
    switch (kind) {
    case EventContext::Kind::SubscribeApplied:
        return QStringLiteral("SubscribeApplied");
    case EventContext::Kind::UnsubscribeApplied:
        return QStringLiteral("UnsubscribeApplied");
    case EventContext::Kind::Transaction:
        return QStringLiteral("Transaction");
    case EventContext::Kind::Reducer:
        return QStringLiteral("Reducer");
    case EventContext::Kind::SubscriptionError:
        return QStringLiteral("SubscriptionError");
    case EventContext::Kind::Resync:
        return QStringLiteral("Resync");
    }
    return {};
}

} // namespace stdb
