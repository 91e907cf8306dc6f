// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/error.h"
#include "spacetime/protocol/messages.h"

#include <QSharedPointer>
#include <QStringList>

#include <functional>
#include <optional>

namespace stdb {

class EventContext;
struct SubscriptionState;

// Called with the event that applied, ended or failed a subscription.
using SubscriptionCallback = std::function<void(const EventContext &)>;

// One query set: a group of SQL queries subscribed together. A cheap value type; copies refer
// to the same subscription. Obtained from DbConnection::subscriptionBuilder().subscribe().
class STDB_EXPORT SubscriptionHandle {
public:
    enum class State {
        Pending,       // not sent yet (connection not open)
        Sent,          // waiting for SubscribeApplied
        Applied,       // rows are in the cache and kept up to date
        Unsubscribing, // Unsubscribe sent, waiting for UnsubscribeApplied
        Ended,         // unsubscribed
        Failed,        // ended with an error (see error())
    };

    SubscriptionHandle() = default;

    bool isNull() const { return !d; }
    State state() const;
    // Applied: its rows are in the cache.
    bool isActive() const;
    // Ended or Failed: nothing more will happen to it.
    bool isEnded() const;
    QStringList queries() const;
    // The id of its query set on the current connection, if it has one.
    std::optional<protocol::QuerySetId> querySetId() const;
    // Why it failed (kind Server for the server's SubscriptionError text).
    Error error() const;

    // Ends the subscription; its rows leave the cache (with delete signals) when the server
    // confirms. A subscription not sent yet is cancelled locally. Errors: already
    // unsubscribing, already ended, or the connection no longer exists.
    Error unsubscribe();
    // The same, then calls onEnded with the UnsubscribeApplied event (after the cache dropped
    // the rows, before the delete signals).
    Error unsubscribeThen(SubscriptionCallback onEnded);

    bool operator==(const SubscriptionHandle &o) const { return d == o.d; }

private:
    friend class DbConnection;
    friend class DbConnectionPrivate;
    friend class SubscriptionBuilder;
    explicit SubscriptionHandle(QSharedPointer<SubscriptionState> state)
        : d(std::move(state)) {}
    QSharedPointer<SubscriptionState> d;
};

STDB_EXPORT QString stateName(SubscriptionHandle::State state);

} // namespace stdb
