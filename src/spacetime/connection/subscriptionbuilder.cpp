// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/subscriptionbuilder.h"

#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/subscriptionstate_p.h"

namespace stdb {

SubscriptionBuilder::SubscriptionBuilder(DbConnection *connection)
    : m_connection(connection) {}

SubscriptionBuilder &SubscriptionBuilder::onApplied(SubscriptionCallback fn) {
    m_onApplied = std::move(fn);
    return *this;
}

SubscriptionBuilder &SubscriptionBuilder::onError(SubscriptionCallback fn) {
    m_onError = std::move(fn);
    return *this;
}

SubscriptionBuilder &SubscriptionBuilder::withContext(QObject *context) {
    m_context = context;
    m_hasContext = context != nullptr;
    return *this;
}

SubscriptionHandle SubscriptionBuilder::subscribe(const QStringList &queries) {
    auto state = QSharedPointer<SubscriptionState>::create();
    state->queries = queries;
    state->onApplied = m_onApplied;
    state->onError = m_onError;
    state->context = m_context;
    state->hasContext = m_hasContext;
    state->connection = m_connection;
    if (!m_connection) {
        state->state = SubscriptionHandle::State::Failed;
        state->error =
            Error(Error::Kind::Disconnected, QStringLiteral("the connection no longer exists"));
        return SubscriptionHandle(state);
    }
    return m_connection->subscribe(state);
}

SubscriptionHandle SubscriptionBuilder::subscribe(const query::Statement &query) {
    return subscribe(QList<query::Statement>{query});
}

SubscriptionHandle SubscriptionBuilder::subscribe(std::initializer_list<query::Statement> queries) {
    return subscribe(QList<query::Statement>(queries));
}

SubscriptionHandle SubscriptionBuilder::subscribe(const QList<query::Statement> &queries) {
    QStringList sql;
    for (const query::Statement &q : queries) {
        if (!q.toSql()) {
            auto state = QSharedPointer<SubscriptionState>::create();
            state->state = SubscriptionHandle::State::Failed;
            state->error = q.toSql().error();
            state->connection = m_connection;
            return SubscriptionHandle(state);
        }
        sql.append(q.toSql().value());
    }
    return subscribe(sql);
}

SubscriptionHandle SubscriptionBuilder::subscribeToAllTables() {
    QStringList queries;
    if (m_connection)
        queries = m_connection->allTablesQueries();
    return subscribe(queries);
}

} // namespace stdb
