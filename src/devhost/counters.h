// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>

namespace host {

// What the host has done since start (or the last reset), for GET /_test/counters and the
// load benchmark. Plain counters, updated on the one host thread.
struct Counters {
    qint64 connectionsOpened = 0;
    qint64 connectionsClosed = 0;
    qint64 framesIn = 0;
    qint64 framesOut = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 transactions = 0; // committed transactions, lifecycle ones included
    qint64 reducerCalls = 0;
    qint64 reducerErrors = 0; // Err and InternalError outcomes
    qint64 subscribes = 0;
    qint64 subscriptionErrors = 0;
    qint64 unsubscribes = 0;
    qint64 oneOffQueries = 0;
    qint64 httpRequests = 0;
    qint64 protocolErrors = 0; // connections closed with 1011

    QJsonObject toJson() const {
        return {
            {QStringLiteral("connections_opened"), double(connectionsOpened)},
            {QStringLiteral("connections_closed"), double(connectionsClosed)},
            {QStringLiteral("frames_in"), double(framesIn)},
            {QStringLiteral("frames_out"), double(framesOut)},
            {QStringLiteral("bytes_in"), double(bytesIn)},
            {QStringLiteral("bytes_out"), double(bytesOut)},
            {QStringLiteral("transactions"), double(transactions)},
            {QStringLiteral("reducer_calls"), double(reducerCalls)},
            {QStringLiteral("reducer_errors"), double(reducerErrors)},
            {QStringLiteral("subscribes"), double(subscribes)},
            {QStringLiteral("subscription_errors"), double(subscriptionErrors)},
            {QStringLiteral("unsubscribes"), double(unsubscribes)},
            {QStringLiteral("one_off_queries"), double(oneOffQueries)},
            {QStringLiteral("http_requests"), double(httpRequests)},
            {QStringLiteral("protocol_errors"), double(protocolErrors)},
        };
    }
};

} // namespace host
