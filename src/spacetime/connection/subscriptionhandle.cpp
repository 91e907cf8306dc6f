// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/subscriptionhandle.h"

#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/subscriptionstate_p.h"

namespace stdb {

SubscriptionHandle::State SubscriptionHandle::state() const {
    return d ? d->state : State::Ended;
}

bool SubscriptionHandle::isActive() const {
    return d && d->state == State::Applied;
}

bool SubscriptionHandle::isEnded() const {
    return !d || d->state == State::Ended || d->state == State::Failed;
}

QStringList SubscriptionHandle::queries() const {
    return d ? d->queries : QStringList();
}

std::optional<protocol::QuerySetId> SubscriptionHandle::querySetId() const {
    if (!d || d->wireId == 0)
        return std::nullopt;
    return d->wireId;
}

Error SubscriptionHandle::error() const {
    return d ? d->error : Error();
}

Error SubscriptionHandle::unsubscribe() {
    return unsubscribeThen({});
}

Error SubscriptionHandle::unsubscribeThen(SubscriptionCallback onEnded) {
    if (!d)
        return Error(Error::Kind::InvalidArgument, QStringLiteral("empty subscription handle"));
    if (!d->connection)
        return Error(Error::Kind::Disconnected,
                     QStringLiteral("the connection of this subscription no longer exists"));
    return d->connection->unsubscribe(d, std::move(onEnded));
}

QString stateName(SubscriptionHandle::State state) {
    switch (state) {
    case SubscriptionHandle::State::Pending:
        return QStringLiteral("pending");
    case SubscriptionHandle::State::Sent:
        return QStringLiteral("sent");
    case SubscriptionHandle::State::Applied:
        return QStringLiteral("applied");
    case SubscriptionHandle::State::Unsubscribing:
        return QStringLiteral("unsubscribing");
    case SubscriptionHandle::State::Ended:
        return QStringLiteral("ended");
    case SubscriptionHandle::State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace stdb
