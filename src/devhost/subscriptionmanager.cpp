#include "subscriptionmanager.h"

#include <QSet>

namespace host {

using namespace stdb::protocol;

SubscriptionManager::SubscriptionManager(const Database &db)
    : m_db(db) {}

bool SubscriptionManager::hasQuerySet(ClientId client, QuerySetId id) const {
    const auto it = m_clients.constFind(client);
    return it != m_clients.cend() && it->contains(id);
}

SingleTableRows SubscriptionManager::evaluate(const SqlQuery &query, const Database &db) {
    QList<QByteArray> rows;
    for (const StoredRow &r : db.table(query.tableIndex()).rows)
        if (query.matches(r.values))
            rows.append(r.bytes);
    return SingleTableRows{query.tableName(), RowList::fromRows(rows)};
}

stdb::Expected<QueryRows> SubscriptionManager::subscribe(ClientId client, QuerySetId id,
                                                         const QStringList &queryStrings) {
    if (queryStrings.isEmpty())
        return stdb::Error(stdb::Error::Kind::InvalidArgument,
                           QStringLiteral("a subscription needs at least one query"));
    QuerySet set;
    QSet<QString> seen;
    for (const QString &sql : queryStrings) {
        auto compiled = SqlQuery::compileSubscription(sql, m_db.catalog());
        if (!compiled)
            return stdb::Error(
                compiled.error().kind(),
                QStringLiteral("%1 (in query: %2)").arg(compiled.error().message(), sql.left(200)));
        for (const SqlQuery &q : *compiled) {
            if (seen.contains(q.canonical()))
                continue; // identical queries within one Subscribe count once
            seen.insert(q.canonical());
            set.queries.append(q);
        }
    }
    QueryRows rows;
    for (const SqlQuery &q : set.queries)
        rows.tables.append(evaluate(q, m_db));
    m_clients[client].insert(id, set);
    return rows;
}

std::optional<QueryRows> SubscriptionManager::unsubscribe(ClientId client, QuerySetId id) {
    auto it = m_clients.find(client);
    if (it == m_clients.end() || !it->contains(id))
        return std::nullopt;
    const QuerySet set = it->take(id);
    if (it->isEmpty())
        m_clients.erase(it);
    QueryRows rows;
    for (const SqlQuery &q : set.queries)
        rows.tables.append(evaluate(q, m_db));
    return rows;
}

void SubscriptionManager::removeClient(ClientId client) {
    m_clients.remove(client);
}

int SubscriptionManager::querySetCount() const {
    int n = 0;
    for (const auto &sets : m_clients)
        n += int(sets.size());
    return n;
}

int SubscriptionManager::querySetCount(ClientId client) const {
    return int(m_clients.value(client).size());
}

QList<QuerySetUpdate> SubscriptionManager::updatesForClient(const QMap<quint32, QuerySet> &sets,
                                                            const TxDelta &delta) const {
    QList<QuerySetUpdate> out;
    for (auto it = sets.cbegin(); it != sets.cend(); ++it) {
        QuerySetUpdate qsu;
        qsu.querySetId = it.key();
        for (const TableDelta &td : delta.tables) {
            TableUpdate tu;
            tu.tableName = m_db.catalog()[td.table].name;
            for (const SqlQuery &q : it->queries) {
                if (q.tableIndex() != td.table)
                    continue;
                QList<QByteArray> ins, del;
                for (const StoredRow &r : td.inserts)
                    if (q.matches(r.values))
                        ins.append(r.bytes);
                for (const StoredRow &r : td.deletes)
                    if (q.matches(r.values))
                        del.append(r.bytes);
                if (ins.isEmpty() && del.isEmpty())
                    continue;
                tu.rows.append(PersistentTableRows{RowList::fromRows(ins), RowList::fromRows(del)});
            }
            if (!tu.rows.isEmpty())
                qsu.tables.append(tu);
        }
        if (!qsu.tables.isEmpty())
            out.append(qsu);
    }
    return out;
}

QHash<ClientId, QList<QuerySetUpdate>> SubscriptionManager::updatesFor(const TxDelta &delta) const {
    QHash<ClientId, QList<QuerySetUpdate>> out;
    if (delta.isEmpty())
        return out;
    for (auto it = m_clients.cbegin(); it != m_clients.cend(); ++it) {
        QList<QuerySetUpdate> updates = updatesForClient(*it, delta);
        if (!updates.isEmpty())
            out.insert(it.key(), std::move(updates));
    }
    return out;
}

} // namespace host
