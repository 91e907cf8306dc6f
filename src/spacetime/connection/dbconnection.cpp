// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/dbconnection.h"

#include "spacetime/connection/dbconnection_p.h"
#include "spacetime/logging_p.h"
#include "spacetime/overloaded_p.h"

#include <QElapsedTimer>
#include <QNetworkRequest>

namespace stdb {

namespace {

// Violation-triggered resyncs in a row that still found violations before we stop trying.
constexpr int kMaxViolationResyncs = 3;

QString tooBig(const QString &what, qsizetype size) {
    return QStringLiteral("%1 is %2 bytes; the server accepts at most %3 bytes (32 MiB) per "
                          "message")
        .arg(what)
        .arg(size)
        .arg(protocol::kMaxClientMessageSize);
}

QString quoteIdentifier(const QString &name) {
    QString n = name;
    n.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + n + QLatin1Char('"');
}

} // namespace

// ===========================================================================================
// DbConnectionPrivate: session
// ===========================================================================================

DbConnectionPrivate::DbConnectionPrivate(DbConnection *q, ConnectionOptions o)
    : q(q)
    , options(std::move(o))
    , token(options.token)
    , clock(options.clock ? options.clock : Clock::system())
    , backoff(options.reconnect, clock) {
    qRegisterMetaType<stdb::DecodedFrame>();
    qRegisterMetaType<stdb::FrameTiming>();
    qRegisterMetaType<stdb::Error>();

    qRegisterMetaType<stdb::SocketSession>();
    qRegisterMetaType<stdb::SocketFailure>();

    protocol::FrameDecodeOptions decodeOptions;
    decodeOptions.maxDecompressedSize = options.maxDecompressedSize;
    worker = new SocketWorker(decodeOptions);
    worker->moveToThread(&workerThread);
    QObject::connect(
        worker, &SocketWorker::opened, q,
        [this](quint64 gen, const QString &sub) { onSocketOpen(gen, sub); }, Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::decoded, q,
        [this](quint64 gen, const DecodedFrame &f) { onDecoded(gen, f); }, Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::failed, q,
        [this](quint64 gen, const Error &e) { onDecodeFailed(gen, e); }, Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::closed, q,
        [this](quint64 gen, const SocketFailure &why) { onSocketClosed(gen, why); },
        Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::progressed, q,
        [this](quint64 gen, int stage) {
            if (gen == generation)
                attemptStage = ConnectFailure::Stage(stage);
        },
        Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::textReceived, q,
        [this](quint64 gen) {
            if (gen != generation || !sessionActive)
                return;
            closeWithError(
                Error(Error::Kind::Protocol,
                      QStringLiteral("%1 sent a text message; protocol %2 is binary only")
                          .arg(options.uri.display(), subprotocol)),
                true, QWebSocketProtocol::CloseCodeDatatypeNotSupported);
        },
        Qt::QueuedConnection);
    QObject::connect(
        worker, &SocketWorker::timedOut, q,
        [this](quint64 gen) {
            if (gen != generation || !sessionActive)
                return;
            const qint64 total = (options.idleTimeout + options.pingTimeout).count();
            closeWithError(Error(Error::Kind::Network,
                                 QStringLiteral("connection to %1 lost: nothing received for %2 s")
                                     .arg(options.uri.display())
                                     .arg(double(total) / 1000.0)),
                           true, QWebSocketProtocol::CloseCodeGoingAway);
        },
        Qt::QueuedConnection);
    workerThread.setObjectName(QStringLiteral("stdb-socket"));
    workerThread.start();

    connectTimer = clock->createTimer([this] {
        ConnectFailure c;
        c.kind = ConnectFailure::Kind::Timeout;
        c.stage = socketOpen ? ConnectFailure::Stage::AwaitingHello : attemptStage;
        c.timeoutMs =
            int(std::min<qint64>(options.connectTimeout.count(), std::numeric_limits<int>::max()));
        const Failure f = describeConnectFailure(c, options);
        closeWithError(f.error, f.retryable, QWebSocketProtocol::CloseCodeNormal, c);
    });

    reconnectTimer = clock->createTimer([this] {
        if (state == State::Reconnecting && !sessionActive)
            startAttempt();
    });
}

DbConnectionPrivate::~DbConnectionPrivate() {
    connectTimer->stop();
    reconnectTimer->stop();
    QObject::disconnect(worker, nullptr, q, nullptr);
    // The sockets and their timers belong to the worker's thread: drop them there. The worker
    // never waits for this thread, so blocking here cannot deadlock.
    QMetaObject::invokeMethod(worker, &SocketWorker::shutdown, Qt::BlockingQueuedConnection);
    workerThread.quit();
    workerThread.wait();
    // The thread has ended, so the worker can go from here. A deleteLater() on its finished()
    // signal is not enough: when a connection outlives the QCoreApplication (a test fixture,
    // a global), no event loop runs that deferred delete and the worker leaks.
    delete worker;
    worker = nullptr;
}

void DbConnectionPrivate::setState(State s) {
    if (state == s)
        return;
    state = s;
    qCDebug(lcConnection) << "state" << s;
    Q_EMIT q->stateChanged(s);
}

void DbConnectionPrivate::startAttempt() {
    Q_ASSERT(!sessionActive);
    ++generation;
    const quint64 gen = generation;
    sessionActive = true;
    socketOpen = false;
    initialReceived = false;
    closeSeen = false;
    doomed = false;
    v3 = false;
    subprotocol.clear();
    failure = {};
    attemptStage = ConnectFailure::Stage::Resolving;

    socketAttached = true;

    SocketSession session;
    session.generation = gen;
    const QUrl url = options.uri.subscribeUrl(options.databaseName, options.compression,
                                              options.confirmedReads, options.lightMode);
    session.request = QNetworkRequest(url);
    if (!token.isEmpty())
        session.request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (options.protocol == ProtocolVersion::V3) {
        session.v3Subprotocol = QString::fromLatin1(protocol::kSubprotocolV3);
        session.subprotocols.append(session.v3Subprotocol);
    }
    session.subprotocols.append(QString::fromLatin1(protocol::kSubprotocolV2));
    session.secure = options.uri.isSecure();
    session.trustedCertificates = options.trustedCertificates;
    session.idleTimeout = options.idleTimeout;
    session.pingTimeout = options.pingTimeout;
    session.connectTimeout = options.connectTimeout;
    session.display = options.uri.display();
    session.ownFrameReader = options.ownFrameReader;

    qCInfo(lcConnection).noquote()
        << "connecting to" << url.toString() << (token.isEmpty() ? "anonymously" : "with a token");
    connectTimer->start(options.connectTimeout);
    publishLayout();
    QMetaObject::invokeMethod(
        worker, [w = worker, session] { w->open(session); }, Qt::QueuedConnection);
}

void DbConnectionPrivate::publishLayout() {
    std::shared_ptr<const CacheLayout> layout = cache.layout();
    if (layout == publishedLayout)
        return;
    publishedLayout = layout;
    QMetaObject::invokeMethod(
        worker, [w = worker, layout] { w->setLayout(layout); }, Qt::QueuedConnection);
}

void DbConnectionPrivate::onSocketOpen(quint64 gen, const QString &chosenSubprotocol) {
    if (gen != generation || !sessionActive || doomed)
        return;
    subprotocol = chosenSubprotocol;
    const QString v2Name = QString::fromLatin1(protocol::kSubprotocolV2);
    const QString v3Name = QString::fromLatin1(protocol::kSubprotocolV3);
    if (subprotocol == v3Name && options.protocol == ProtocolVersion::V3) {
        v3 = true;
    } else if (subprotocol != v2Name) {
        closeWithError(Error(Error::Kind::Protocol,
                             subprotocol.isEmpty()
                                 ? QStringLiteral("%1 did not accept the %2 subprotocol; is it a "
                                                  "SpacetimeDB server?")
                                       .arg(options.uri.display(), v2Name)
                                 : QStringLiteral("%1 chose the subprotocol \"%2\", which this "
                                                  "client did not offer")
                                       .arg(options.uri.display(), subprotocol)),
                       false, QWebSocketProtocol::CloseCodeProtocolError);
        return;
    }
    socketOpen = true;
    qCDebug(lcConnection).noquote() << "socket open, subprotocol" << subprotocol;
    // Subscriptions and calls may go out before InitialConnection: the server queues them.
    if (!liveSets.isEmpty())
        startResync(false);
    else
        sendPendingSubscriptions();
    flushOutbox();
}

void DbConnectionPrivate::onSocketClosed(quint64 gen, const SocketFailure &why) {
    // When doomed, closeWithError() ends the session with its own, better reason.
    if (gen != generation || !sessionActive || closeSeen || doomed)
        return;
    closeSeen = true;
    socketAttached = false; // the worker let it go
    failure = why;
    // Every frame received before the close was reported before this: finishClosed() handles
    // what is still queued (a last ReducerResult must not turn into "outcome unknown").
    whenIdle([this, gen] { finishClosed(gen); });
}

void DbConnectionPrivate::finishClosed(quint64 gen) {
    if (gen != generation || !sessionActive)
        return;
    processInbox(); // anything decoded before the close (we are the busy one here)
    if (gen != generation || !sessionActive)
        return;
    const Failure f = initialReceived ? describeSessionEnd(failure, options)
                                      : describeConnectFailure(failure, options);
    endSession(f, false);
}

void DbConnectionPrivate::onDecoded(quint64 gen, const DecodedFrame &frame) {
    if (gen != generation || doomed)
        return;
    FrameTiming timing = frame.timing;
    timing.handedOverNs = FrameTiming::nowNs();
    for (qsizetype i = 0; i < frame.messages.size(); ++i) {
        inbox.push_back({gen, frame.messages[i], frame.prepared.value(i), std::nullopt});
        if (i == frame.messages.size() - 1)
            inbox.back().timing = timing;
    }
    drain();
}

void DbConnectionPrivate::onDecodeFailed(quint64 gen, const Error &error) {
    if (gen != generation || doomed)
        return;
    QString what = error.kind() == Error::Kind::Compression
                       ? QStringLiteral("could not decompress a message from %1: %2")
                       : QStringLiteral("malformed message from %1: %2");
    closeWithError(Error(error.kind() == Error::Kind::Compression ? Error::Kind::Compression
                                                                  : Error::Kind::Decode,
                         what.arg(options.uri.display(), error.message()), error.offset()),
                   true, QWebSocketProtocol::CloseCodeProtocolError);
}

void DbConnectionPrivate::closeWithError(Error error, bool retryable,
                                         QWebSocketProtocol::CloseCode closeCode,
                                         const ConnectFailure &connect) {
    if (!sessionActive || doomed)
        return;
    doomed = true;
    qCWarning(lcConnection).noquote() << error.toString();
    const quint64 gen = generation;
    // Nothing more is read (doomed); the socket goes away with endSession().
    whenIdle([this, gen, error, retryable, closeCode, connect] {
        if (gen != generation || !sessionActive)
            return;
        // A polite close when the socket still works; the reason helps server logs.
        detachSocket(true, closeCode, error.message().left(120));
        endSession(Failure{error, retryable, connect}, false);
    });
}

void DbConnectionPrivate::detachSocket(bool graceful, QWebSocketProtocol::CloseCode code,
                                       const QString &reason) {
    if (!socketAttached)
        return;
    socketAttached = false;
    QMetaObject::invokeMethod(
        worker,
        [w = worker, gen = generation, graceful, code, reason] {
            w->close(gen, graceful, int(code), reason);
        },
        Qt::QueuedConnection);
}

void DbConnectionPrivate::endSession(std::optional<Failure> f, bool byUser) {
    if (!sessionActive)
        return;
    Busy busyGuard(this);
    const bool hadSession = initialReceived;
    const bool socketOpenAtEnd = socketOpen;
    detachSocket(byUser, QWebSocketProtocol::CloseCodeNormal, QString());
    sessionActive = false;
    ++generation; // results of frames still in the worker are now stale
    inbox.clear();
    socketOpen = false;
    initialReceived = false;
    doomed = false;
    subprotocol.clear();
    connectTimer->stop();

    // The server forgets every query set of this socket.
    byWireId.clear();
    retired.clear();
    if (resyncing) {
        cache.abortResync();
        resyncing = false;
        freshSets.clear();
        resyncAwait.clear();
        deferredApplied.clear();
    }
    QList<SubPtr> unsubscribing;
    for (const SubPtr &s : std::as_const(subs)) {
        s->wireId = 0;
        if (s->state == SubscriptionHandle::State::Sent)
            s->state = SubscriptionHandle::State::Pending; // sent again on the next socket
        else if (s->state == SubscriptionHandle::State::Unsubscribing)
            unsubscribing.append(s);
        // Applied ones stay: their rows stay cached and they resume after a reconnect.
    }

    const Error err = f ? f->error : Error();
    if (f)
        lastError = err;
    if (f && !hadSession) {
        lastConnectFailure = f->connect;
        // Problems found by this side (subprotocol, malformed first message): a protocol
        // mismatch, or the network when that is what the error says.
        if (!lastConnectFailure.isFailure()) {
            lastConnectFailure.kind = err.kind() == Error::Kind::Network
                                          ? ConnectFailure::Kind::Network
                                          : ConnectFailure::Kind::Protocol;
            lastConnectFailure.stage =
                socketOpenAtEnd ? ConnectFailure::Stage::AwaitingHello : attemptStage;
            lastConnectFailure.detail = err.message();
        }
    }
    const bool retry = !byUser && options.reconnect.enabled && (!f || f->retryable);
    int delay = 0;
    if (retry) {
        delay = int(backoff.next().count());
        ++attempt;
        reconnectTimer->start(std::chrono::milliseconds(delay));
    }

    // Decide everything before telling anyone, so handlers see the final state and may call
    // disconnect() or reconnectNow() from inside.
    auto sent = requests.takeAll(true);
    QList<std::pair<quint32, RequestTracker::Pending>> unsent;
    if (!retry) {
        unsent = requests.takeAll(false);
        outbox.clear();
    }
    if (f)
        qCWarning(lcConnection).noquote()
            << (hadSession ? "session ended:" : "connect failed:") << err.toString()
            << (retry ? QStringLiteral("(retrying in %1 ms)").arg(delay) : QString());
    else
        qCInfo(lcConnection) << "disconnected";

    setState(retry ? State::Reconnecting : State::Disconnected);
    if (hadSession)
        Q_EMIT q->disconnected(f ? std::optional<Error>(err) : std::nullopt);
    else if (f)
        Q_EMIT q->connectError(err);
    failRequests(sent, byUser);
    failRequests(unsent, byUser);
    for (const SubPtr &s : std::as_const(unsubscribing))
        endDormant(s);
    if (retry && state == State::Reconnecting && reconnectTimer->isActive())
        Q_EMIT q->reconnecting(attempt, delay);
}

void DbConnectionPrivate::doDisconnect() {
    reconnectTimer->stop();
    if (sessionActive) {
        endSession(std::nullopt, true);
        return;
    }
    if (state == State::Disconnected)
        return;
    // Waiting to reconnect: nothing will be sent any more.
    Busy busyGuard(this);
    auto unsent = requests.takeAll();
    outbox.clear();
    QList<SubPtr> unsubscribing;
    for (const SubPtr &s : std::as_const(subs))
        if (s->state == SubscriptionHandle::State::Unsubscribing)
            unsubscribing.append(s);
    setState(State::Disconnected);
    failRequests(unsent, true);
    for (const SubPtr &s : std::as_const(unsubscribing))
        endDormant(s);
}

void DbConnectionPrivate::doReconnectNow() {
    if (sessionActive)
        return;
    reconnectTimer->stop();
    if (state == State::Disconnected) {
        backoff.reset();
        attempt = 0;
        setState(everConnected ? State::Reconnecting : State::Connecting);
    }
    startAttempt();
}

void DbConnectionPrivate::sendRaw(const QByteArray &bytes) {
    if (canSend())
        QMetaObject::invokeMethod(
            worker, [w = worker, gen = generation, bytes] { w->send(gen, bytes); },
            Qt::QueuedConnection);
}

void DbConnectionPrivate::flushOutbox() {
    for (const QByteArray &bytes : std::as_const(outbox))
        sendRaw(bytes);
    outbox.clear();
    requests.markAllSent();
}

// ===========================================================================================
// messages
// ===========================================================================================

void DbConnectionPrivate::drain() {
    if (busy)
        return; // whoever is busy drains afterwards (runDeferred), in order
    Busy busyGuard(this);
    processInbox();
}

void DbConnectionPrivate::processInbox() {
    while (!inbox.empty()) {
        Inbound in = std::move(inbox.front());
        inbox.pop_front();
        if (in.gen != generation || doomed)
            continue;
        QElapsedTimer timer;
        timer.start();
        currentPrepared = std::move(in.prepared);
        handle(in.message);
        if (currentPrepared) {
            // Tables that were not adopted (the target held rows, or the message was ignored)
            // can hold a million entries: free them on the worker, not here.
            QMetaObject::invokeMethod(
                worker, [p = std::move(currentPrepared)] {}, Qt::QueuedConnection);
            currentPrepared.reset();
        }
        if (in.timing && in.gen == generation) {
            in.timing->processedNs = FrameTiming::nowNs();
            Q_EMIT q->frameProcessed(*in.timing);
        }
        // Applying runs on the owner thread: make long stalls visible.
        if (const qint64 ms = timer.elapsed(); ms >= 50)
            qCInfo(lcConnection).noquote()
                << "handling" << protocol::messageName(in.message) << "took" << ms << "ms";
    }
}

void DbConnectionPrivate::handle(const protocol::ServerMessage &m) {
    qCDebug(lcConnection).noquote() << "received" << protocol::messageName(m);
    if (!initialReceived && !std::holds_alternative<protocol::InitialConnection>(m)) {
        closeWithError(
            Error(Error::Kind::Protocol, QStringLiteral("%1 sent %2 before InitialConnection")
                                             .arg(options.uri.display(), protocol::messageName(m))),
            true, QWebSocketProtocol::CloseCodeProtocolError);
        return;
    }
    std::visit([this](const auto &msg) { handle(msg); }, m);
}

void DbConnectionPrivate::handle(const protocol::InitialConnection &m) {
    if (initialReceived) {
        closeWithError(
            Error(Error::Kind::Protocol,
                  QStringLiteral("%1 sent a second InitialConnection").arg(options.uri.display())),
            true, QWebSocketProtocol::CloseCodeProtocolError);
        return;
    }
    initialReceived = true;
    connectTimer->stop();
    if (hasIdentity && identity != m.identity)
        qCWarning(lcConnection).noquote()
            << "the server assigned a different identity than before:" << m.identity.toHex()
            << "instead of" << identity.toHex();
    identity = m.identity;
    connectionId = m.connectionId;
    hasIdentity = true;
    // Keep the application's long-lived token: the server echoes whatever was presented,
    // which may be short-lived. Only an anonymous connection adopts the minted one.
    if (token.isEmpty())
        token = m.token;
    everConnected = true;
    attempt = 0;
    lastError = {};
    lastConnectFailure = {};
    backoff.sessionStarted();
    qCInfo(lcConnection).noquote()
        << "connected as" << identity.toShortHex() << "connection" << connectionId.toHex();
    setState(State::Connected);
    Q_EMIT q->connected(identity, connectionId, token);
}

void DbConnectionPrivate::handle(const protocol::SubscribeApplied &m) {
    const QuerySetId id = m.querySetId;
    const SubPtr s = byWireId.value(id);
    if (!s) {
        if (!retired.contains(id))
            qCWarning(lcConnection) << "SubscribeApplied for unknown query set" << id;
        return;
    }
    if (s->state == SubscriptionHandle::State::Unsubscribing)
        return; // cancelled before it applied: its rows never enter the cache
    if (s->state != SubscriptionHandle::State::Sent || targetSets().contains(id)) {
        qCWarning(lcConnection) << "duplicate SubscribeApplied for query set" << id;
        return;
    }
    CacheChanges changes = cache.applySubscribeApplied(id, m.rows, currentPrepared.get());
    const EventContext ctx = EventContext::subscribeApplied(q, SubscriptionHandle(s), id);
    if (resyncing) {
        // Stays Sent until finishResync() makes its rows visible.
        freshSets.insert(id);
        if (!s->everApplied)
            deferredApplied.append(s);
        resyncAwait.remove(id);
        report(changes, ctx); // only unknown tables and violations can come out of it
        maybeFinishResync();
        return;
    }
    s->state = SubscriptionHandle::State::Applied;
    liveSets.insert(id);
    s->cacheId = id;
    const bool first = !s->everApplied;
    s->everApplied = true;
    qCDebug(lcConnection) << "query set" << id << "applied";
    if (first)
        invoke(s, s->onApplied, ctx);
    report(changes, ctx);
}

void DbConnectionPrivate::handle(const protocol::UnsubscribeApplied &m) {
    const QuerySetId id = m.querySetId;
    if (retired.remove(id))
        return;
    const SubPtr s = byWireId.take(id);
    if (!s) {
        qCWarning(lcConnection) << "UnsubscribeApplied for unknown query set" << id;
        return;
    }
    CacheChanges changes;
    if (targetSets().remove(id))
        changes = cache.applyUnsubscribeApplied(id, m.rows);
    if (!resyncing)
        s->cacheId = 0;
    s->wireId = 0;
    s->state = SubscriptionHandle::State::Ended;
    removeSub(s);
    if (resyncing && resyncAwait.remove(id))
        whenIdle([this] { maybeFinishResync(); });
    const EventContext ctx = EventContext::unsubscribeApplied(q, SubscriptionHandle(s), id);
    invoke(s, s->onEnded, ctx);
    report(changes, ctx);
}

void DbConnectionPrivate::handle(const protocol::SubscriptionError &m) {
    const QuerySetId id = m.querySetId;
    if (retired.remove(id))
        return;
    const SubPtr s = byWireId.take(id);
    if (!s) {
        qCWarning(lcConnection).noquote()
            << "SubscriptionError for unknown query set" << id << ":" << m.error;
        return;
    }
    const Error err(Error::Kind::Server, m.error);
    qCWarning(lcConnection).noquote()
        << "query set" << id << "failed" << (m.requestId ? "" : "after it was applied") << ":"
        << m.error;
    CacheChanges changes;
    if (targetSets().remove(id))
        changes = cache.dropQuerySet(id);
    if (!resyncing)
        s->cacheId = 0;
    s->wireId = 0;
    const bool wasUnsubscribing = s->state == SubscriptionHandle::State::Unsubscribing;
    // Our Unsubscribe is on its way, and the server, which just dropped the set, answers it
    // with a SubscriptionError of its own ("not found"): expected, not worth a warning.
    if (wasUnsubscribing)
        retired.insert(id);
    s->state = SubscriptionHandle::State::Failed;
    s->error = err;
    removeSub(s);
    if (resyncing && resyncAwait.remove(id))
        whenIdle([this] { maybeFinishResync(); });
    const EventContext ctx = EventContext::subscriptionError(q, SubscriptionHandle(s), id, err);
    invoke(s, s->onError, ctx);
    if (wasUnsubscribing)
        invoke(s, s->onEnded, ctx); // it did end; whoever waits for that hears it
    report(changes, ctx);
}

protocol::TransactionUpdate
DbConnectionPrivate::filtered(const protocol::TransactionUpdate &update) const {
    const QSet<QuerySetId> &target = resyncing ? freshSets : liveSets;
    bool all = true;
    for (const auto &qs : update.querySets)
        if (!target.contains(qs.querySetId))
            all = false;
    if (all)
        return update; // shares everything, no row bytes are copied
    protocol::TransactionUpdate out;
    for (const auto &qs : update.querySets)
        if (target.contains(qs.querySetId))
            out.querySets.append(qs);
    return out;
}

void DbConnectionPrivate::handle(const protocol::TransactionUpdate &m) {
    CacheChanges changes = cache.applyTransaction(filtered(m));
    report(changes, EventContext::transaction(q));
}

void DbConnectionPrivate::handle(const protocol::OneOffQueryResult &m) {
    auto p = requests.take(m.requestId, RequestTracker::Kind::Query);
    if (!p) {
        qCWarning(lcConnection) << "OneOffQueryResult for unknown request" << m.requestId;
        return;
    }
    if (!p->onQuery || !p->contextAlive())
        return;
    if (const auto *rows = std::get_if<protocol::QueryRows>(&m.result))
        p->onQuery(*rows);
    else
        p->onQuery(Error(Error::Kind::Server, std::get<QString>(m.result)));
}

void DbConnectionPrivate::handle(const protocol::ReducerResult &m) {
    auto p = requests.take(m.requestId, RequestTracker::Kind::Reducer);
    ReducerOutcome o;
    o.requestId = m.requestId;
    o.timestamp = m.timestamp;
    o.callerIdentity = identity;
    o.callerConnectionId = connectionId;
    if (p) {
        o.reducer = p->name;
        o.args = p->args;
    } else {
        qCWarning(lcConnection) << "ReducerResult for unknown request" << m.requestId;
    }
    std::visit(
        Overloaded{
            [&](const protocol::ReducerOk &ok) {
                o.status = ReducerOutcome::Status::Committed;
                o.returnValue = ok.retValue;
                CacheChanges changes = cache.applyTransaction(filtered(ok.transactionUpdate));
                report(changes,
                       p ? EventContext::reducerEvent(q, o) : EventContext::transaction(q));
            },
            [&](const protocol::ReducerOkEmpty &) { o.status = ReducerOutcome::Status::Committed; },
            [&](const protocol::ReducerErr &e) {
                o.status = ReducerOutcome::Status::Err;
                o.message = e.message();
            },
            [&](const protocol::ReducerInternalError &e) {
                o.status = ReducerOutcome::Status::InternalError;
                o.message = e.message;
            },
        },
        m.result);
    if (!p)
        return;
    if (p->onReducer && p->contextAlive())
        p->onReducer(o);
    Q_EMIT q->reducerCompleted(o);
}

void DbConnectionPrivate::handle(const protocol::ProcedureResult &m) {
    auto p = requests.take(m.requestId, RequestTracker::Kind::Procedure);
    if (!p) {
        qCWarning(lcConnection) << "ProcedureResult for unknown request" << m.requestId;
        return;
    }
    ProcedureOutcome o;
    o.procedure = p->name;
    o.requestId = m.requestId;
    o.timestamp = m.timestamp;
    o.hostDuration = m.totalHostExecutionDuration;
    if (const auto *r = std::get_if<protocol::ProcedureReturned>(&m.status)) {
        o.status = ProcedureOutcome::Status::Returned;
        o.value = r->value;
    } else {
        o.status = ProcedureOutcome::Status::InternalError;
        o.message = std::get<protocol::ProcedureInternalError>(m.status).message;
    }
    if (p->onProcedure && p->contextAlive())
        p->onProcedure(o);
}

void DbConnectionPrivate::report(CacheChanges &changes, const EventContext &ctx) {
    for (const QString &table : std::as_const(changes.unknownTables)) {
        if (reportedUnknown.contains(table))
            continue;
        reportedUnknown.insert(table);
        qCWarning(lcConnection).noquote()
            << "the server sent rows of table" << table
            << "which the bindings do not know; they are skipped (bindings out of date?)";
        Q_EMIT q->bindingsOutOfDate(table);
    }
    if (!changes.tables.isEmpty()) {
        Q_EMIT q->changesAboutToBeReported(ctx);
        for (const TableDelta &delta : std::as_const(changes.tables)) {
            // Copy: a handler may register or destroy handles.
            const QList<QPointer<TableHandle>> list = handles.value(delta.table);
            for (const QPointer<TableHandle> &h : list)
                if (h)
                    h->report(delta, ctx);
        }
        Q_EMIT q->changesReported(ctx);
    }
    if (!changes.violations.isEmpty())
        handleViolations(changes.violations);
}

void DbConnectionPrivate::handleViolations(const QStringList &violations) {
    for (const QString &v : violations) {
        qCWarning(lcConnection).noquote() << "cache invariant violated:" << v;
        Q_EMIT q->cacheInvariantViolated(v);
    }
    if (resyncing)
        violationsDuringResync = true;
    else
        requestResync();
}

// ===========================================================================================
// subscriptions
// ===========================================================================================

protocol::QuerySetId DbConnectionPrivate::allocateQuerySetId() {
    // Never an id the server or either cache replica still knows.
    for (;;) {
        const QuerySetId id = nextQuerySetId++;
        if (id != 0 && !byWireId.contains(id) && !retired.contains(id) && !liveSets.contains(id) &&
            !freshSets.contains(id))
            return id;
    }
}

void DbConnectionPrivate::sendSubscribe(const SubPtr &s) {
    const QuerySetId id = allocateQuerySetId();
    const quint32 req = requests.nextId();
    s->wireId = id;
    s->requestId = req;
    s->state = SubscriptionHandle::State::Sent;
    byWireId.insert(id, s);
    if (resyncing)
        resyncAwait.insert(id);
    qCDebug(lcConnection) << "subscribing query set" << id << s->queries;
    // Ahead of the Subscribe, so its snapshot is prepared with tables registered until now.
    publishLayout();
    sendRaw(protocol::encodeClientMessage(protocol::Subscribe{req, id, s->queries}));
}

void DbConnectionPrivate::sendUnsubscribe(QuerySetId id) {
    // Default, not SendDroppedRows: the cache knows which rows each query set delivered, and
    // dropping exactly those also removes rows the server may have forgotten to retract.
    sendRaw(protocol::encodeClientMessage(
        protocol::Unsubscribe{requests.nextId(), id, protocol::UnsubscribeFlags::Default}));
}

void DbConnectionPrivate::sendPendingSubscriptions() {
    const QList<SubPtr> list = subs;
    for (const SubPtr &s : list) {
        if (s->state == SubscriptionHandle::State::Pending)
            sendSubscribe(s);
        else if (s->state == SubscriptionHandle::State::Unsubscribing && s->wireId == 0)
            endDormant(s);
    }
}

void DbConnectionPrivate::startResync(bool sameSocket) {
    if (!canSend() || resyncing)
        return;
    qCInfo(lcConnection) << "resynchronising the cache"
                         << (sameSocket ? "(after an invariant violation)" : "(after reconnect)");
    cache.beginResync();
    resyncing = true;
    freshSets.clear();
    resyncAwait.clear();
    deferredApplied.clear();
    violationsDuringResync = false;
    const QList<SubPtr> list = subs;
    for (const SubPtr &s : list) {
        switch (s->state) {
        case SubscriptionHandle::State::Pending:
        case SubscriptionHandle::State::Sent:
        case SubscriptionHandle::State::Applied:
            if (sameSocket && s->wireId) {
                // The old query set keeps feeding the live replica until the new one is
                // complete; then it goes away quietly.
                byWireId.remove(s->wireId);
                retired.insert(s->wireId);
                sendUnsubscribe(s->wireId);
            }
            sendSubscribe(s);
            break;
        case SubscriptionHandle::State::Unsubscribing:
            if (!sameSocket)
                endDormant(s); // its rows are not in the new snapshot: they leave at the swap
            break;
        case SubscriptionHandle::State::Ended:
        case SubscriptionHandle::State::Failed:
            break;
        }
    }
    maybeFinishResync();
}

void DbConnectionPrivate::maybeFinishResync() {
    if (resyncing && resyncAwait.isEmpty())
        whenIdle([this] {
            if (resyncing && resyncAwait.isEmpty())
                finishResync();
        });
}

void DbConnectionPrivate::finishResync() {
    Busy busyGuard(this);
    CacheChanges changes = cache.finishResync();
    resyncing = false;
    liveSets = freshSets;
    freshSets.clear();
    for (const SubPtr &s : std::as_const(subs)) {
        const bool visible = s->wireId && liveSets.contains(s->wireId);
        s->cacheId = visible ? s->wireId : 0;
        if (visible && s->state == SubscriptionHandle::State::Sent)
            s->state = SubscriptionHandle::State::Applied;
    }
    qCInfo(lcConnection) << "cache resynchronised:" << changes.tables.size() << "tables changed";

    // Every RowEntry pointer handed out before belongs to the old storage now.
    for (auto it = handles.cbegin(); it != handles.cend(); ++it)
        for (const QPointer<TableHandle> &h : it.value())
            if (h)
                h->notifyStorageReplaced();

    const QList<SubPtr> firstApplied = std::exchange(deferredApplied, {});
    for (const SubPtr &s : firstApplied) {
        if (s->state != SubscriptionHandle::State::Applied || s->everApplied)
            continue;
        s->everApplied = true;
        invoke(s, s->onApplied,
               EventContext::subscribeApplied(q, SubscriptionHandle(s), s->wireId));
    }
    report(changes, EventContext::resync(q));
    if (violationsDuringResync) {
        violationsDuringResync = false;
        requestResync();
    } else {
        violationResyncs = 0;
    }
    Q_EMIT q->resyncFinished();
}

void DbConnectionPrivate::requestResync() {
    if (violationResyncs >= kMaxViolationResyncs) {
        qCCritical(lcConnection) << "the cache keeps contradicting the server after"
                                 << kMaxViolationResyncs << "resyncs; giving up until reconnect";
        return;
    }
    ++violationResyncs;
    const quint64 gen = generation;
    whenIdle([this, gen] {
        if (gen == generation && initialReceived && !resyncing)
            startResync(true);
    });
}

void DbConnectionPrivate::endDormant(const SubPtr &s) {
    if (s->state != SubscriptionHandle::State::Unsubscribing)
        return;
    Busy busyGuard(this);
    CacheChanges changes;
    // Only rows in the live replica can be dropped here; during a resync they simply are not
    // part of the new snapshot.
    if (s->cacheId && !resyncing && liveSets.remove(s->cacheId))
        changes = cache.dropQuerySet(s->cacheId);
    const std::optional<QuerySetId> id =
        s->cacheId ? std::optional<QuerySetId>(s->cacheId) : std::nullopt;
    s->cacheId = 0;
    s->wireId = 0;
    s->state = SubscriptionHandle::State::Ended;
    removeSub(s);
    const EventContext ctx = EventContext::unsubscribeApplied(q, SubscriptionHandle(s), id);
    invoke(s, s->onEnded, ctx);
    report(changes, ctx);
}

void DbConnectionPrivate::removeSub(const SubPtr &s) {
    subs.removeOne(s);
}

void DbConnectionPrivate::invoke(const SubPtr &s, SubscriptionCallback cb,
                                 const EventContext &ctx) {
    if (cb && s->contextAlive())
        cb(ctx);
}

// ===========================================================================================
// calls
// ===========================================================================================

Expected<quint32> DbConnectionPrivate::enqueue(const protocol::ClientMessage &m, quint32 id,
                                               RequestTracker::Pending p, const QString &what) {
    if (state == State::Disconnected)
        return Error(
            Error::Kind::Disconnected,
            QStringLiteral("cannot send %1: not connected (call reconnectNow() first)").arg(what));
    QByteArray bytes = protocol::encodeClientMessage(m);
    if (bytes.size() > protocol::kMaxClientMessageSize)
        return Error(Error::Kind::InvalidArgument, tooBig(what, bytes.size()));
    p.sent = canSend();
    requests.add(id, std::move(p));
    if (canSend())
        sendRaw(bytes);
    else
        outbox.append(std::move(bytes));
    return id;
}

void DbConnectionPrivate::failRequests(
    const QList<std::pair<quint32, RequestTracker::Pending>> &list, bool byUser) {
    for (const auto &[id, p] : list) {
        if (!p.contextAlive())
            continue;
        // Whether the server may have run it decides what the caller can do (send it again,
        // or find out); the text is only for people and logs.
        const QString message =
            !p.sent  ? QStringLiteral("disconnected; the call was never sent")
            : byUser ? QStringLiteral("disconnected before the result arrived; the outcome is "
                                      "unknown")
                     : QStringLiteral("connection lost; outcome unknown");
        switch (p.kind) {
        case RequestTracker::Kind::Reducer: {
            ReducerOutcome o;
            o.status =
                p.sent ? ReducerOutcome::Status::OutcomeUnknown : ReducerOutcome::Status::NeverSent;
            o.reducer = p.name;
            o.args = p.args;
            o.requestId = id;
            o.message = message;
            o.callerIdentity = identity;
            o.callerConnectionId = connectionId;
            if (p.onReducer)
                p.onReducer(o);
            Q_EMIT q->reducerCompleted(o);
            break;
        }
        case RequestTracker::Kind::Query:
            if (p.onQuery)
                p.onQuery(Error(Error::Kind::Disconnected, message));
            break;
        case RequestTracker::Kind::Procedure: {
            ProcedureOutcome o;
            o.status = p.sent ? ProcedureOutcome::Status::OutcomeUnknown
                              : ProcedureOutcome::Status::NeverSent;
            o.procedure = p.name;
            o.requestId = id;
            o.message = message;
            if (p.onProcedure)
                p.onProcedure(o);
            break;
        }
        }
    }
}

// ===========================================================================================
// re-entrancy
// ===========================================================================================

void DbConnectionPrivate::whenIdle(std::function<void()> f) {
    if (busy) {
        deferred.append(std::move(f));
        return;
    }
    Busy busyGuard(this);
    f();
}

void DbConnectionPrivate::runDeferred() {
    while (!deferred.isEmpty() && busy == 0) {
        std::function<void()> f = deferred.takeFirst();
        Busy busyGuard(this);
        f();
    }
    // Messages that arrived while we were busy.
    if (busy == 0 && !inbox.empty())
        drain();
}

// ===========================================================================================
// DbConnection
// ===========================================================================================

DbConnection::DbConnection(ConnectionOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<DbConnectionPrivate>(this, std::move(options))) {
    // Not before the event loop runs: whoever built us connects to our signals first.
    QTimer::singleShot(0, this, [this] {
        if (d->state == State::Connecting && !d->sessionActive)
            d->startAttempt();
    });
}

DbConnection::~DbConnection() = default;

const ConnectionOptions &DbConnection::options() const {
    return d->options;
}

DbConnection::State DbConnection::state() const {
    return d->state;
}

bool DbConnection::isActive() const {
    return d->state == State::Connected;
}

Identity DbConnection::identity() const {
    return d->identity;
}

bool DbConnection::hasIdentity() const {
    return d->hasIdentity;
}

ConnectionId DbConnection::connectionId() const {
    return d->connectionId;
}

QString DbConnection::token() const {
    return d->token;
}

Error DbConnection::lastError() const {
    return d->lastError;
}

ConnectFailure DbConnection::lastConnectFailure() const {
    return d->lastConnectFailure;
}

QString DbConnection::subprotocol() const {
    return d->subprotocol;
}

ClientCache &DbConnection::cache() {
    return d->cache;
}

const ClientCache &DbConnection::cache() const {
    return d->cache;
}

QStringList DbConnection::tableNames() const {
    QStringList out;
    for (const TableCache *t : d->cache.tables())
        out.append(t->name());
    return out;
}

QStringList DbConnection::allTablesQueries() const {
    QStringList out;
    for (const QString &name : tableNames())
        out.append(QStringLiteral("SELECT * FROM ") + quoteIdentifier(name));
    return out;
}

SubscriptionBuilder DbConnection::subscriptionBuilder() {
    return SubscriptionBuilder(this);
}

QList<SubscriptionHandle> DbConnection::subscriptions() const {
    QList<SubscriptionHandle> out;
    for (const auto &s : d->subs)
        out.append(SubscriptionHandle(s));
    return out;
}

TableCache *DbConnection::registerTable(TableHandle *handle) {
    TableCache *t = d->cache.addTable(handle->tableName());
    d->handles[t].append(handle);
    return t;
}

void DbConnection::unregisterTable(TableHandle *handle) {
    for (auto it = d->handles.begin(); it != d->handles.end(); ++it)
        it.value().removeAll(handle);
}

SubscriptionHandle DbConnection::subscribe(const QSharedPointer<SubscriptionState> &s) {
    SubscriptionHandle handle(s);
    QString problem;
    if (s->queries.isEmpty())
        problem = QStringLiteral("a subscription needs at least one query");
    for (const QString &query : std::as_const(s->queries))
        if (query.trimmed().isEmpty())
            problem = QStringLiteral("a subscription query is empty");
    if (problem.isEmpty()) {
        const qsizetype size =
            protocol::encodeClientMessage(protocol::Subscribe{0, 0, s->queries}).size();
        if (size > protocol::kMaxClientMessageSize)
            problem = tooBig(QStringLiteral("the Subscribe message"), size);
    }
    if (!problem.isEmpty()) {
        s->state = SubscriptionHandle::State::Failed;
        s->error = Error(Error::Kind::InvalidArgument, problem);
        // Callbacks never run inside the call that registered them.
        QTimer::singleShot(0, this, [this, s] {
            d->invoke(s, s->onError,
                      EventContext::subscriptionError(this, SubscriptionHandle(s), std::nullopt,
                                                      s->error));
        });
        return handle;
    }
    s->serial = ++d->subSerial;
    d->subs.append(s);
    if (d->canSend())
        d->sendSubscribe(s);
    return handle;
}

Error DbConnection::unsubscribe(const QSharedPointer<SubscriptionState> &s,
                                SubscriptionCallback onEnded) {
    using S = SubscriptionHandle::State;
    switch (s->state) {
    case S::Ended:
    case S::Failed:
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the subscription already ended"));
    case S::Unsubscribing:
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the subscription is already being unsubscribed"));
    case S::Pending:
    case S::Sent:
    case S::Applied:
        break;
    }
    s->onEnded = std::move(onEnded);
    s->state = S::Unsubscribing;
    if (s->wireId && d->canSend()) {
        d->sendUnsubscribe(s->wireId);
        if (d->resyncing && d->resyncAwait.remove(s->wireId))
            d->maybeFinishResync();
        return {};
    }
    // Not on the wire (not sent yet, or the connection is down): end it here, on the next turn
    // of the event loop so the callback does not run inside this call.
    QTimer::singleShot(0, this, [this, s] { d->whenIdle([this, s] { d->endDormant(s); }); });
    return {};
}

Expected<quint32> DbConnection::callReducer(const QString &reducer, const QByteArray &args,
                                            ReducerCallback callback) {
    return callReducer(reducer, args, nullptr, std::move(callback));
}

Expected<quint32> DbConnection::callReducer(const QString &reducer, const QByteArray &args,
                                            QObject *context, ReducerCallback callback) {
    if (reducer.isEmpty())
        return Error(Error::Kind::InvalidArgument, QStringLiteral("the reducer name is empty"));
    const quint32 id = d->requests.nextId();
    RequestTracker::Pending p;
    p.kind = RequestTracker::Kind::Reducer;
    p.name = reducer;
    p.args = args;
    p.onReducer = std::move(callback);
    p.context = context;
    p.hasContext = context != nullptr;
    return d->enqueue(protocol::CallReducer{id, 0, reducer, args}, id, std::move(p),
                      QStringLiteral("the call of reducer %1").arg(reducer));
}

Expected<quint32> DbConnection::oneOffQuery(const QString &sql, QueryCallback callback) {
    return oneOffQuery(sql, nullptr, std::move(callback));
}

Expected<quint32> DbConnection::oneOffQuery(const QString &sql, QObject *context,
                                            QueryCallback callback) {
    if (sql.trimmed().isEmpty())
        return Error(Error::Kind::InvalidArgument, QStringLiteral("the query is empty"));
    const quint32 id = d->requests.nextId();
    RequestTracker::Pending p;
    p.kind = RequestTracker::Kind::Query;
    p.name = sql;
    p.onQuery = std::move(callback);
    p.context = context;
    p.hasContext = context != nullptr;
    return d->enqueue(protocol::OneOffQuery{id, sql}, id, std::move(p),
                      QStringLiteral("the one-off query"));
}

Expected<quint32> DbConnection::oneOffQuery(const query::Statement &query, QueryCallback callback) {
    return oneOffQuery(query, nullptr, std::move(callback));
}

Expected<quint32> DbConnection::oneOffQuery(const query::Statement &query, QObject *context,
                                            QueryCallback callback) {
    if (!query.toSql())
        return query.toSql().error();
    return oneOffQuery(query.toSql().value(), context, std::move(callback));
}

Expected<quint32> DbConnection::callProcedure(const QString &procedure, const QByteArray &args,
                                              ProcedureCallback callback) {
    return callProcedure(procedure, args, nullptr, std::move(callback));
}

Expected<quint32> DbConnection::callProcedure(const QString &procedure, const QByteArray &args,
                                              QObject *context, ProcedureCallback callback) {
    if (procedure.isEmpty())
        return Error(Error::Kind::InvalidArgument, QStringLiteral("the procedure name is empty"));
    const quint32 id = d->requests.nextId();
    RequestTracker::Pending p;
    p.kind = RequestTracker::Kind::Procedure;
    p.name = procedure;
    p.args = args;
    p.onProcedure = std::move(callback);
    p.context = context;
    p.hasContext = context != nullptr;
    return d->enqueue(protocol::CallProcedure{id, 0, procedure, args}, id, std::move(p),
                      QStringLiteral("the call of procedure %1").arg(procedure));
}

qsizetype DbConnection::pendingRequestCount() const {
    return d->requests.size();
}

void DbConnection::disconnect() {
    d->whenIdle([this] { d->doDisconnect(); });
}

void DbConnection::reconnectNow() {
    d->whenIdle([this] { d->doReconnectNow(); });
}

} // namespace stdb
