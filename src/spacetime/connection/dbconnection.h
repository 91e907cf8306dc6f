// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/cache/clientcache.h"
#include "spacetime/connection/connectfailure.h"
#include "spacetime/connection/connectionoptions.h"
#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/eventcontext.h"
#include "spacetime/connection/frametiming.h"
#include "spacetime/connection/requesttracker.h"
#include "spacetime/connection/subscriptionbuilder.h"

#include <QObject>

#include <memory>
#include <optional>

namespace stdb {

class TableHandle;
class DbConnectionPrivate;

// One connection to one SpacetimeDB database: the WebSocket session (with optional automatic
// reconnect), the client cache, subscriptions, and our reducer, procedure and SQL calls.
//
// Lives on the thread that created it; every signal and callback runs there. Frames are
// decompressed and decoded on a worker thread and applied in arrival order, one whole server
// message at a time: the cache holds the complete message before the first signal about it.
// The callback order is documented in docs/sdk.md.
//
// Re-entrancy: calls from inside signals and callbacks are safe. Sends (subscribe, reducer
// calls, queries) go out at once; disconnect(), reconnectNow() and resyncs wait until the
// current message has been reported completely. Destroy the connection with deleteLater() when
// inside one of its signals.
class STDB_EXPORT DbConnection : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Disconnected, // no session and none coming (after disconnect() or a permanent failure)
        Connecting,   // first session being opened
        Connected,    // InitialConnection received: identity known, calls flow
        Reconnecting, // session lost or attempt failed; waiting for / making the next attempt
    };
    Q_ENUM(State)

    // Prefer DbConnectionBuilder::build(). Starts connecting once the event loop runs.
    explicit DbConnection(ConnectionOptions options, QObject *parent = nullptr);
    // Drops pending callbacks without calling them: call disconnect() first to have them
    // failed explicitly.
    ~DbConnection() override;

    const ConnectionOptions &options() const;
    State state() const;
    // Connected: a session is up.
    bool isActive() const;
    // Known after the first InitialConnection (zero before).
    Identity identity() const;
    bool hasIdentity() const;
    ConnectionId connectionId() const;
    // The token to store for next time: the one given to the builder, or, when connecting
    // anonymously, the one the server minted. Empty until known.
    QString token() const;
    // The error that ended the last attempt or session (none after a clean connect).
    Error lastError() const;
    // Why the last session attempt failed, typed (Kind::None after a successful connect).
    // Already set when connectError() is emitted; front ends translate it.
    ConnectFailure lastConnectFailure() const;
    // "v2.bsatn.spacetimedb" or "v3.bsatn.spacetimedb" while a socket is open.
    QString subprotocol() const;

    // ---- tables -------------------------------------------------------------------------
    ClientCache &cache();
    const ClientCache &cache() const;
    QStringList tableNames() const;
    // SELECT * FROM "t" for every registered table.
    QStringList allTablesQueries() const;

    // ---- subscriptions ------------------------------------------------------------------
    SubscriptionBuilder subscriptionBuilder();
    SubscriptionHandle subscribeToAllTables() {
        return subscriptionBuilder().subscribeToAllTables();
    }
    // Subscriptions that have not ended, in creation order.
    QList<SubscriptionHandle> subscriptions() const;

    // ---- calls --------------------------------------------------------------------------
    // Returns the request id, or an error when the call cannot be made (empty name, message
    // above 32 MiB, connection Disconnected); then the callback is never called. Otherwise the
    // callback is called exactly once: with the result, or with status Disconnected when the
    // connection ends first. While Connecting or Reconnecting calls are queued and sent when
    // the socket opens.
    Expected<quint32> callReducer(const QString &reducer, const QByteArray &args,
                                  ReducerCallback callback = {});
    // The callback is skipped once `context` is destroyed.
    Expected<quint32> callReducer(const QString &reducer, const QByteArray &args, QObject *context,
                                  ReducerCallback callback);
    Expected<quint32> oneOffQuery(const QString &sql, QueryCallback callback);
    Expected<quint32> oneOffQuery(const QString &sql, QObject *context, QueryCallback callback);
    // The same with a typed query (MessageTable::query().where(…)); its rendering error, if
    // any, is returned and nothing is sent.
    Expected<quint32> oneOffQuery(const query::Statement &query, QueryCallback callback);
    Expected<quint32> oneOffQuery(const query::Statement &query, QObject *context,
                                  QueryCallback callback);
    Expected<quint32> callProcedure(const QString &procedure, const QByteArray &args,
                                    ProcedureCallback callback);
    Expected<quint32> callProcedure(const QString &procedure, const QByteArray &args,
                                    QObject *context, ProcedureCallback callback);
    // Reducer, query and procedure calls waiting for their answer.
    qsizetype pendingRequestCount() const;

public Q_SLOTS:
    // Ends the session (or the reconnect wait) for good: state Disconnected, pending calls
    // fail with status Disconnected. The cache keeps its rows; reconnectNow() resumes.
    // Note: hides QObject::disconnect(); write QObject::disconnect(conn, …) for signals.
    void disconnect();
    // Skips the reconnect wait, or starts again after Disconnected (same token, subscriptions
    // resumed, cache reconciled). Does nothing while a session is up or being opened.
    void reconnectNow();

Q_SIGNALS:
    void stateChanged(stdb::DbConnection::State state);
    // InitialConnection of a session (also after each reconnect).
    void connected(const stdb::Identity &identity, const stdb::ConnectionId &connectionId,
                   const QString &token);
    // An attempt to open a session failed (also each failed reconnect attempt).
    void connectError(const stdb::Error &error);
    // An established session ended: nullopt when we asked for it (disconnect()).
    void disconnected(const std::optional<stdb::Error> &error);
    // The next attempt starts in msUntilNext; attempt counts from 1 per outage.
    void reconnecting(int attempt, int msUntilNext);

    // Around the table dispatches of one message (only when some table changed).
    void changesAboutToBeReported(const stdb::EventContext &ctx);
    void changesReported(const stdb::EventContext &ctx);
    // Every result of our own reducer calls, after its rows and its callback.
    void reducerCompleted(const stdb::ReducerOutcome &outcome);

    // The server sent rows of a table nobody registered (once per table): the bindings are
    // older than the module. Those rows are skipped.
    void bindingsOutOfDate(const QString &table);
    // A resync (after a reconnect, or after an invariant violation) is complete: the cache
    // equals the server's fresh snapshot, and the differences went out as row signals with
    // an EventContext of kind Resync just before. Emitted even when nothing changed, so a
    // client can settle what depended on the state before the drop (e.g. an outbox).
    void resyncFinished();
    // The cache caught the server contradicting itself (e.g. deleting a row it never sent).
    // The connection resubscribes everything and reconciles the cache.
    void cacheInvariantViolated(const QString &description);
    // One WebSocket message was received, decoded and handled (changes reported): where its
    // time went, for benchmarks and diagnostics.
    void frameProcessed(const stdb::FrameTiming &timing);

private:
    friend class DbConnectionPrivate;
    friend class TableHandle;
    friend class SubscriptionHandle;
    friend class SubscriptionBuilder;

    TableCache *registerTable(TableHandle *handle);
    void unregisterTable(TableHandle *handle);
    SubscriptionHandle subscribe(const QSharedPointer<SubscriptionState> &state);
    Error unsubscribe(const QSharedPointer<SubscriptionState> &state, SubscriptionCallback onEnded);

    std::unique_ptr<DbConnectionPrivate> d;
};

} // namespace stdb
