// SPDX-License-Identifier: Apache-2.0
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
    for (const StoredRow *r : query.returnRows(db))
        rows.append(r->bytes);
    return SingleTableRows{query.tableName(), RowList::fromRows(rows)};
}

namespace {

QHash<QByteArray, int> resultBag(const SqlQuery &query, const Database &db) {
    QHash<QByteArray, int> bag;
    for (const StoredRow *r : query.returnRows(db))
        ++bag[r->bytes];
    return bag;
}

} // namespace

stdb::Expected<QueryRows> SubscriptionManager::subscribe(ClientId client, QuerySetId id,
                                                         const QStringList &queryStrings,
                                                         const SqlAuth &auth) {
    // An empty set is fine (the real server registers it and applies no rows).
    QuerySet set;
    QSet<QString> seen;
    for (const QString &sql : queryStrings) {
        auto compiled = SqlQuery::compileSubscription(sql, m_db.catalog(), auth);
        if (!compiled)
            return stdb::Error(compiled.error().kind(),
                               QStringLiteral("%1, executing: `%2`")
                                   .arg(compiled.error().message(), sql.trimmed()));
        for (const SqlQuery &q : *compiled) {
            if (seen.contains(q.canonical()))
                continue; // identical queries within one Subscribe count once
            seen.insert(q.canonical());
            set.queries.append(q);
            set.joinRows.append(q.isJoin() ? resultBag(q, m_db) : QHash<QByteArray, int>());
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

QList<QuerySetUpdate> SubscriptionManager::updatesForClient(QMap<quint32, QuerySet> &sets,
                                                            const TxDelta &delta) {
    QSet<int> touched;
    for (const TableDelta &td : delta.tables)
        if (!td.inserts.isEmpty() || !td.deletes.isEmpty())
            touched.insert(td.table);
    QList<QuerySetUpdate> out;
    for (auto it = sets.begin(); it != sets.end(); ++it) {
        QuerySetUpdate qsu;
        qsu.querySetId = it.key();
        // Join results: recomputed and diffed when a table they read changed.
        QHash<int, QList<TableUpdateRows>> joinUpdates;
        for (qsizetype k = 0; k < it->queries.size(); ++k) {
            const SqlQuery &q = it->queries[k];
            if (!q.isJoin())
                continue;
            bool affected = false;
            for (int t : q.tablesRead())
                affected = affected || touched.contains(t);
            if (!affected)
                continue;
            QHash<QByteArray, int> now = resultBag(q, m_db);
            QHash<QByteArray, int> &before = it->joinRows[k];
            QList<QByteArray> ins, del;
            for (auto r = now.cbegin(); r != now.cend(); ++r)
                for (int n = before.value(r.key()); n < r.value(); ++n)
                    ins.append(r.key());
            for (auto r = before.cbegin(); r != before.cend(); ++r)
                for (int n = now.value(r.key()); n < r.value(); ++n)
                    del.append(r.key());
            before = std::move(now);
            if (!ins.isEmpty() || !del.isEmpty())
                joinUpdates[q.tableIndex()].append(
                    PersistentTableRows{RowList::fromRows(ins), RowList::fromRows(del)});
        }
        for (const TableDelta &td : delta.tables) {
            TableUpdate tu;
            tu.tableName = m_db.catalog()[td.table].name;
            tu.rows = joinUpdates.take(td.table);
            for (const SqlQuery &q : it->queries) {
                if (q.isJoin() || q.tableIndex() != td.table)
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
        // A join's return table may not be in the delta at all (only the other table changed).
        for (auto j = joinUpdates.begin(); j != joinUpdates.end(); ++j)
            qsu.tables.append(TableUpdate{m_db.catalog()[j.key()].name, j.value()});
        if (!qsu.tables.isEmpty())
            out.append(qsu);
    }
    return out;
}

QHash<ClientId, QList<QuerySetUpdate>> SubscriptionManager::updatesFor(const TxDelta &delta) {
    QHash<ClientId, QList<QuerySetUpdate>> out;
    if (delta.isEmpty())
        return out;
    for (auto it = m_clients.begin(); it != m_clients.end(); ++it) {
        QList<QuerySetUpdate> updates = updatesForClient(*it, delta);
        if (!updates.isEmpty())
            out.insert(it.key(), std::move(updates));
    }
    return out;
}

} // namespace host
