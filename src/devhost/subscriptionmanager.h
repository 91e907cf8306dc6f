// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "database.h"
#include "sqlquery.h"

#include "spacetime/protocol/messages.h"

#include <QHash>
#include <QMap>
#include <QStringList>

#include <optional>

namespace host {

using ClientId = quint64;

// Live query sets per client, with the real server's row-multiplicity rules: every query of
// every set delivers its own rows (an overlapping row arrives once per query that matches it,
// per set), identical queries inside one Subscribe count once, and a transaction produces for
// each set one TableUpdate per table with one PersistentTable entry per contributing query.
class SubscriptionManager {
public:
    explicit SubscriptionManager(const Database &db);

    bool hasQuerySet(ClientId client, stdb::protocol::QuerySetId id) const;
    // Compiles and registers the set; the error text becomes a SubscriptionError. `auth` is
    // the subscriber (`:sender`, private tables for the owner).
    stdb::Expected<stdb::protocol::QueryRows> subscribe(ClientId client,
                                                        stdb::protocol::QuerySetId id,
                                                        const QStringList &queryStrings,
                                                        const SqlAuth &auth);
    // Removes the set and returns the rows it currently contributes (what SendDroppedRows
    // wants); std::nullopt if there is no such set.
    std::optional<stdb::protocol::QueryRows> unsubscribe(ClientId client,
                                                         stdb::protocol::QuerySetId id);
    void removeClient(ClientId client);

    // The updates each affected client must see for one committed transaction (call once per
    // commit: join queries keep their last result to diff against).
    QHash<ClientId, QList<stdb::protocol::QuerySetUpdate>> updatesFor(const TxDelta &delta);

    int querySetCount() const;
    int querySetCount(ClientId client) const;

    // Current rows of one query.
    static stdb::protocol::SingleTableRows evaluate(const SqlQuery &query, const Database &db);

private:
    struct QuerySet {
        QList<SqlQuery> queries;
        // Per query: the current result of a join (row bytes → multiplicity), which a
        // transaction's delta alone cannot update; empty for single-table queries.
        QList<QHash<QByteArray, int>> joinRows;
    };
    QList<stdb::protocol::QuerySetUpdate> updatesForClient(QMap<quint32, QuerySet> &sets,
                                                           const TxDelta &delta);

    const Database &m_db;
    QMap<ClientId, QMap<quint32, QuerySet>> m_clients;
};

} // namespace host
