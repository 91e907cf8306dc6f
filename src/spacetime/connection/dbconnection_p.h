// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal state of DbConnection; see dbconnection.cpp for the logic.

#include "spacetime/connection/backoff.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/failure.h"
#include "spacetime/connection/socketworker.h"
#include "spacetime/connection/subscriptionstate_p.h"
#include "spacetime/connection/tablehandle.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QWebSocketProtocol>

#include <deque>

namespace stdb {

class DbConnectionPrivate {
public:
    using State = DbConnection::State;
    using SubPtr = QSharedPointer<SubscriptionState>;
    using QuerySetId = protocol::QuerySetId;

    DbConnectionPrivate(DbConnection *q, ConnectionOptions options);
    ~DbConnectionPrivate();

    // ---- session ------------------------------------------------------------------------
    void startAttempt();
    void onSocketOpen(quint64 gen, const QString &chosenSubprotocol);
    void onSocketClosed(quint64 gen, const SocketFailure &why);
    void finishClosed(quint64 gen);
    void onDecoded(quint64 gen, const DecodedFrame &frame);
    void onDecodeFailed(quint64 gen, const Error &error);
    // Ends the session because we detected a problem (malformed frame, protocol violation,
    // dead connection); the socket is closed with `closeCode`.
    // `connect`: the typed reason when this ends a session attempt (derived from the error's
    // kind when left empty).
    void
    closeWithError(Error error, bool retryable,
                   QWebSocketProtocol::CloseCode closeCode = QWebSocketProtocol::CloseCodeNormal,
                   const ConnectFailure &connect = {});
    // The one place a session attempt or session ends. failure: nullopt when asked by the user.
    void endSession(std::optional<Failure> failure, bool byUser);
    void detachSocket(bool graceful, QWebSocketProtocol::CloseCode code, const QString &reason);
    // Lets the socket worker prepare large snapshots with the current table configuration.
    void publishLayout();
    void setState(State s);
    void doDisconnect();
    void doReconnectNow();
    bool canSend() const { return socketAttached && socketOpen && !doomed; }
    void sendRaw(const QByteArray &bytes);
    void flushOutbox();

    // ---- messages -----------------------------------------------------------------------
    // Handles the queued messages unless busy; processInbox() is the loop itself.
    void drain();
    void processInbox();
    void handle(const protocol::ServerMessage &m);
    void handle(const protocol::InitialConnection &m);
    void handle(const protocol::SubscribeApplied &m);
    void handle(const protocol::UnsubscribeApplied &m);
    void handle(const protocol::SubscriptionError &m);
    void handle(const protocol::TransactionUpdate &m);
    void handle(const protocol::OneOffQueryResult &m);
    void handle(const protocol::ReducerResult &m);
    void handle(const protocol::ProcedureResult &m);
    // The query sets of `update` whose rows live in the cache replica being written.
    protocol::TransactionUpdate filtered(const protocol::TransactionUpdate &update) const;
    // Signals for one applied message (table dispatch, unknown tables, violations).
    void report(CacheChanges &changes, const EventContext &ctx);
    void handleViolations(const QStringList &violations);

    // ---- subscriptions ------------------------------------------------------------------
    QuerySetId allocateQuerySetId();
    void sendSubscribe(const SubPtr &s);
    void sendUnsubscribe(QuerySetId id);
    void sendPendingSubscriptions();
    void startResync(bool sameSocket);
    void maybeFinishResync();
    void finishResync();
    void requestResync();
    void endDormant(const SubPtr &s);
    void removeSub(const SubPtr &s);
    void invoke(const SubPtr &s, SubscriptionCallback cb, const EventContext &ctx);
    QSet<QuerySetId> &targetSets() { return resyncing ? freshSets : liveSets; }

    // ---- calls --------------------------------------------------------------------------
    Expected<quint32> enqueue(const protocol::ClientMessage &m, quint32 id,
                              RequestTracker::Pending p, const QString &what);
    // Ends calls that will get no result: NeverSent when still queued here, OutcomeUnknown
    // once sent (byUser: because of disconnect()).
    void failRequests(const QList<std::pair<quint32, RequestTracker::Pending>> &list, bool byUser);

    // ---- re-entrancy --------------------------------------------------------------------
    // Runs f now, or after the message being handled has been reported completely.
    void whenIdle(std::function<void()> f);
    void runDeferred();
    struct Busy {
        explicit Busy(DbConnectionPrivate *d)
            : d(d) {
            ++d->busy;
        }
        ~Busy() {
            if (--d->busy == 0)
                d->runDeferred();
        }
        DbConnectionPrivate *d;
    };

    DbConnection *q;
    ConnectionOptions options;
    State state = State::Connecting;
    ClientCache cache;
    QHash<const TableCache *, QList<QPointer<TableHandle>>> handles;

    Identity identity;
    ConnectionId connectionId;
    bool hasIdentity = false;
    QString token;
    Error lastError;
    ConnectFailure lastConnectFailure;

    // Session (one socket). generation changes whenever a socket is dropped, so results of
    // frames that were still being decoded for an old socket are recognised and discarded.
    quint64 generation = 0;
    bool socketAttached = false; // the worker has a socket for this generation
    bool sessionActive = false;
    bool socketOpen = false;
    bool initialReceived = false;
    bool closeSeen = false;
    bool doomed = false; // a fatal problem was found; nothing more is processed
    bool v3 = false;
    QString subprotocol;
    SocketFailure failure;
    ConnectFailure::Stage attemptStage = ConnectFailure::Stage::Resolving;
    bool everConnected = false;

    // The socket, decompression and decoding live on this thread (see SocketWorker).
    QThread workerThread;
    SocketWorker *worker = nullptr;
    std::shared_ptr<const CacheLayout> publishedLayout;
    struct Inbound {
        quint64 gen;
        protocol::ServerMessage message;
        std::shared_ptr<PreparedSnapshot> prepared; // built on the worker, or null
        std::optional<FrameTiming> timing;          // on a frame's last message only
    };
    // The prepared tables of the message being handled (see FrameDecoder::prepare).
    std::shared_ptr<PreparedSnapshot> currentPrepared;
    std::deque<Inbound> inbox;
    int busy = 0;
    QList<std::function<void()>> deferred;

    Clock *clock; // options.clock or the real one
    std::unique_ptr<Clock::Timer> connectTimer;
    std::unique_ptr<Clock::Timer> reconnectTimer;
    Backoff backoff;
    int attempt = 0;

    RequestTracker requests;
    QList<QByteArray> outbox; // encoded calls waiting for the socket to open

    QList<SubPtr> subs; // not ended, creation order
    QHash<QuerySetId, SubPtr> byWireId;
    QSet<QuerySetId> retired; // unsubscribed by a resync, UnsubscribeApplied still to come
    QuerySetId nextQuerySetId = 1;
    quint64 subSerial = 0;
    // Query sets whose rows are in the live cache / in the hidden replica of a resync.
    QSet<QuerySetId> liveSets;
    QSet<QuerySetId> freshSets;
    bool resyncing = false;
    QSet<QuerySetId> resyncAwait;
    QList<SubPtr> deferredApplied; // first SubscribeApplied during a resync
    bool violationsDuringResync = false;
    int violationResyncs = 0;
    QSet<QString> reportedUnknown;
};

} // namespace stdb
