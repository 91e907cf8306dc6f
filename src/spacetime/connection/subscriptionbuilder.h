// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/connection/subscriptionhandle.h"
#include "spacetime/query/statement.h"

#include <QPointer>

namespace stdb {

class DbConnection;

// Configures and starts one subscription (one query set):
//
//   conn->subscriptionBuilder()
//       .onApplied([](const stdb::EventContext &ctx) { … })
//       .onError([](const stdb::EventContext &ctx) { qWarning() << ctx.error().message(); })
//       .subscribe({QStringLiteral("SELECT * FROM user"), QStringLiteral("SELECT * FROM
//       message")});
//
// Subscribing before the connection is open is fine: the subscription is sent when it opens.
class STDB_EXPORT SubscriptionBuilder {
public:
    // After the cache holds the rows, before their insert signals.
    SubscriptionBuilder &onApplied(SubscriptionCallback fn);
    // The server refused the queries, or a live subscription failed later (its rows are
    // dropped, with delete signals after this callback). The connection stays up.
    SubscriptionBuilder &onError(SubscriptionCallback fn);
    // Callbacks are not called once `context` is destroyed.
    SubscriptionBuilder &withContext(QObject *context);

    SubscriptionHandle subscribe(const QStringList &queries);
    SubscriptionHandle subscribe(const QString &query) { return subscribe(QStringList{query}); }
    // Queries of the typed builder (MessageTable::query().where(…)), raw SQL mixed in as
    // QStrings. A query that did not render (e.g. a NaN literal) fails the handle with its
    // error; nothing is sent.
    SubscriptionHandle subscribe(const query::Statement &query);
    SubscriptionHandle subscribe(std::initializer_list<query::Statement> queries);
    SubscriptionHandle subscribe(const QList<query::Statement> &queries);
    // One query set with SELECT * FROM "t" for every table registered with the connection.
    SubscriptionHandle subscribeToAllTables();

private:
    friend class DbConnection;
    explicit SubscriptionBuilder(DbConnection *connection);

    QPointer<DbConnection> m_connection;
    SubscriptionCallback m_onApplied;
    SubscriptionCallback m_onError;
    QPointer<QObject> m_context;
    bool m_hasContext = false;
};

} // namespace stdb
