// SPDX-License-Identifier: Apache-2.0
#include "chathost.h"

#include "apiroutes.h"
#include "clientsession.h"
#include "hostlog.h"
#include "testcontrols.h"

#include "spacetime/protocol/messagecodec.h"

#include <QDir>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace host {

using namespace stdb::protocol;

namespace {

QString peerKey(const QHostAddress &address, quint16 port) {
    return address.toString() + u'|' + QString::number(port);
}

QByteArray bsatnString(const QString &s) {
    stdb::BsatnWriter w;
    w.writeString(s);
    return w.take();
}

} // namespace

ChatHost::ChatHost(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options) {
    m_wsV2 = new QWebSocketServer(QStringLiteral("spacetime-chat-host"),
                                  QWebSocketServer::NonSecureMode, this);
    m_wsV2->setSupportedSubprotocols({QString::fromLatin1(kSubprotocolV2)});
    m_wsV3 = new QWebSocketServer(QStringLiteral("spacetime-chat-host"),
                                  QWebSocketServer::NonSecureMode, this);
    m_wsV3->setSupportedSubprotocols({QString::fromLatin1(kSubprotocolV3)});
    for (QWebSocketServer *server : {m_wsV2, m_wsV3}) {
        connect(server, &QWebSocketServer::newConnection, this,
                [this, server] { onWebSocketConnection(server); });
    }

    m_http.setIdleTimeout(m_options.httpIdleTimeoutMs);
    m_http.setRequestHandler([this](const HttpRequest &req) {
        ++m_counters.httpRequests;
        return m_router.dispatch(req);
    });
    m_http.setUpgradeHandler(
        [this](const HttpRequest &req, QTcpSocket *socket) { return handleUpgrade(req, socket); });
    ApiRoutes::registerRoutes(m_router, *this);
    if (m_options.testControls)
        TestControls::registerRoutes(m_router, *this);

    connect(&m_tickTimer, &QTimer::timeout, this, &ChatHost::tick);
}

ChatHost::~ChatHost() {
    // Sessions go first: their sockets' destructors still talk to the WebSocket servers.
    for (const QPointer<ClientSession> &s : std::as_const(m_sessions))
        delete s.data();
}

bool ChatHost::start(const QHostAddress &address, quint16 port, QString *error) {
    const bool memory = m_options.dataDir == QLatin1String(":memory:");
    if (!memory && !QDir().mkpath(m_options.dataDir)) {
        *error = QStringLiteral("cannot create data directory %1").arg(m_options.dataDir);
        return false;
    }
    if (!m_tokens.init(memory ? QString() : m_options.dataDir, error))
        return false;

    m_db = std::make_unique<Database>(ChatModule::catalog());
    const QString path =
        memory
            ? QStringLiteral(":memory:")
            : QDir(m_options.dataDir).filePath(m_options.databaseName + QStringLiteral(".sqlite3"));
    if (!m_db->open(path, error))
        return false;
    m_subscriptions = std::make_unique<SubscriptionManager>(*m_db);
    qCInfo(lcHost).noquote() << "database" << m_options.databaseName << "in"
                             << (memory ? QStringLiteral("memory") : path);

    // A new database runs the module's init reducer once, as on publish.
    if (m_db->storage().meta(QStringLiteral("initialized")).isEmpty()) {
        if (const ReducerDef *init = m_module.lifecycleReducer(Lifecycle::Init)) {
            TxDelta delta;
            const ReducerRun run =
                runReducer(*init, Caller{databaseIdentity(), stdb::ConnectionId()}, {}, &delta);
            if (run.kind != ReducerRun::Kind::Committed) {
                *error = QStringLiteral("init reducer failed: %1").arg(run.message);
                return false;
            }
        }
        if (!m_db->storage().setMeta(QStringLiteral("initialized"),
                                     stdb::Timestamp::now().toIso8601(), error))
            return false;
    }

    // Nobody is connected to a host that just started; clear what the last run left behind.
    {
        Transaction tx(*m_db);
        int n = 0;
        for (Row row : tx.scan(ChatModule::kUserTable)) {
            if (std::holds_alternative<bool>(row[2]) && std::get<bool>(row[2])) {
                row[2] = false;
                tx.updateByKey(ChatModule::kUserTable, row);
                ++n;
            }
        }
        auto delta = m_db->commit(tx);
        if (!delta) {
            *error = delta.error().message();
            return false;
        }
        if (n)
            qCInfo(lcHost) << "marked" << n << "users offline from the previous run";
    }

    if (m_options.tls)
        m_http.setTls(*m_options.tls);
    if (!m_http.listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_http.errorString());
        return false;
    }
    m_tickTimer.start(
        qBound(20, qMin(m_options.pingIntervalMs, m_options.idleTimeoutMs) / 4, 1000));
    return true;
}

QList<ClientSession *> ChatHost::sessions() const {
    QList<ClientSession *> out;
    for (const QPointer<ClientSession> &s : m_sessions)
        if (s)
            out.append(s.data());
    return out;
}

stdb::Identity ChatHost::databaseIdentity() const {
    return TokenSigner::identityFor(QStringLiteral("spacetime-chat-host/database"),
                                    m_options.databaseName);
}

bool ChatHost::isThisDatabase(const QString &nameOrIdentity) const {
    if (nameOrIdentity == m_options.databaseName)
        return true;
    bool ok = false;
    const auto id = stdb::Identity::fromHex(nameOrIdentity, &ok);
    return ok && id == databaseIdentity();
}

stdb::Timestamp ChatHost::nextTimestamp() {
    // Strictly increasing, so two messages never share a timestamp (and rows stay distinct).
    const stdb::Timestamp now = stdb::Timestamp::now();
    m_lastTimestamp =
        now > m_lastTimestamp ? now : stdb::Timestamp::fromMicros(m_lastTimestamp.micros() + 1);
    return m_lastTimestamp;
}

// ---- WebSocket connections ------------------------------------------------------------

std::optional<HttpResponse> ChatHost::handleUpgrade(const HttpRequest &req, QTcpSocket *socket) {
    const auto params = Router::match(QStringLiteral("/v1/database/:db/subscribe"), req.segments);
    if (!params)
        return HttpResponse::text(404, QStringLiteral("no WebSocket endpoint at this path"));
    const QString db = params->value(QStringLiteral("db"));
    if (!isThisDatabase(db))
        return HttpResponse::text(404, QStringLiteral("`%1` not found").arg(db));

    auto authOr = ApiRoutes::authenticate(req, m_tokens, true);
    if (auto *err = std::get_if<HttpResponse>(&authOr))
        return *err;
    const ApiRoutes::Auth auth = std::get<ApiRoutes::Auth>(authOr);

    // Qt would silently drop a malformed handshake; answer it properly instead.
    if (req.header("sec-websocket-version").trimmed() != "13") {
        HttpResponse r = HttpResponse::text(426, QStringLiteral("WebSocket version 13 required"));
        r.setHeader("Sec-WebSocket-Version", "13");
        return r;
    }
    if (req.header("sec-websocket-key").trimmed().isEmpty())
        return HttpResponse::text(400, QStringLiteral("missing Sec-WebSocket-Key"));

    // Server preference, whatever order the client listed them in.
    QSet<QByteArray> offered;
    for (const QByteArray &v : req.headerValues("sec-websocket-protocol"))
        for (const QByteArray &p : v.split(','))
            offered.insert(p.trimmed());
    bool v3 = false;
    if (m_options.enableV3 && offered.contains(kSubprotocolV3))
        v3 = true;
    else if (!offered.contains(kSubprotocolV2))
        return HttpResponse::text(400, QStringLiteral("no valid protocol selected"));

    stdb::Compression compression = stdb::Compression::Brotli; // the server's default
    if (req.hasQueryItem(QStringLiteral("compression"))) {
        const QString c = req.queryValue(QStringLiteral("compression"));
        if (c == u"None")
            compression = stdb::Compression::None;
        else if (c == u"Brotli")
            compression = stdb::Compression::Brotli;
        else if (c == u"Gzip")
            compression = stdb::Compression::Gzip;
        else
            return HttpResponse::text(400, QStringLiteral("invalid query parameter `compression`: "
                                                          "expected None, Brotli or Gzip"));
    }
    for (const QString &flag : {QStringLiteral("confirmed"), QStringLiteral("light")}) {
        if (!req.hasQueryItem(flag))
            continue;
        const QString v = req.queryValue(flag);
        if (v != u"true" && v != u"false")
            return HttpResponse::text(
                400,
                QStringLiteral("invalid query parameter `%1`: expected true or false").arg(flag));
    }
    stdb::ConnectionId connectionId = stdb::ConnectionId::random();
    if (req.hasQueryItem(QStringLiteral("connection_id"))) {
        bool ok = false;
        const QString hex = req.queryValue(QStringLiteral("connection_id"));
        const auto id = stdb::ConnectionId::fromHex(hex, &ok);
        if (!ok || hex.size() != 32 || hex.startsWith(u"0x") || id.isZero())
            return HttpResponse::text(400, QStringLiteral("invalid query parameter "
                                                          "`connection_id`"));
        connectionId = id;
    }

    PendingUpgrade pending;
    pending.socket = socket;
    pending.identity = auth.claims.identity();
    pending.token = auth.token;
    pending.connectionId = connectionId;
    pending.compression = compression;
    pending.v3 = v3;
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    m_pending.insert(key, pending);
    // If Qt's handshake fails, the socket dies without a newConnection; forget it then.
    connect(socket, &QObject::destroyed, this, [this, key, socket] {
        const auto it = m_pending.constFind(key);
        if (it != m_pending.cend() && it->socket == socket)
            m_pending.remove(key);
    });
    (v3 ? m_wsV3 : m_wsV2)->handleConnection(socket);
    return std::nullopt;
}

void ChatHost::onWebSocketConnection(QWebSocketServer *server) {
    while (QWebSocket *ws = server->nextPendingConnection()) {
        const QString key = peerKey(ws->peerAddress(), ws->peerPort());
        const auto it = m_pending.constFind(key);
        if (it == m_pending.cend()) {
            qCWarning(lcWs) << "upgraded connection without a pending handshake; dropping it";
            ws->abort();
            ws->deleteLater();
            continue;
        }
        const PendingUpgrade pending = *it;
        m_pending.erase(it);

        ClientSession::Params p;
        p.id = m_nextClientId++;
        p.identity = pending.identity;
        p.connectionId = pending.connectionId;
        p.token = pending.token;
        p.compression = pending.compression;
        p.v3 = pending.v3;
        auto *session = new ClientSession(ws, p, this);
        connect(session, &ClientSession::ended, this, &ChatHost::onSessionEnded);
        m_sessions.insert(p.id, session);
        ++m_counters.connectionsOpened;
        qCInfo(lcWs).noquote() << "client" << p.identity.toHex() << "connected from"
                               << session->peer() << "connection" << p.connectionId.toHex()
                               << (p.v3 ? "v3" : "v2") << stdb::compressionName(p.compression);

        if (!runLifecycle(Lifecycle::OnConnect, Caller{p.identity, p.connectionId})) {
            // A rejected client sees the socket end before any message (no close frame).
            session->abort();
            continue;
        }
        m_admitted.insert(p.id);
        session->sendInitialConnection();
        emit sessionCountChanged(int(m_sessions.size()));
    }
}

void ChatHost::onSessionEnded(ClientSession *session) {
    const ClientId id = session->id();
    m_subscriptions->removeClient(id);
    m_sessions.remove(id);
    ++m_counters.connectionsClosed;
    qCInfo(lcWs).noquote() << "client" << session->identity().toHex() << "disconnected";
    if (m_admitted.remove(id))
        runLifecycle(Lifecycle::OnDisconnect, Caller{session->identity(), session->connectionId()});
    session->deleteLater();
    emit sessionCountChanged(int(m_sessions.size()));
}

void ChatHost::tick() {
    for (ClientSession *s : sessions())
        s->tick(m_options.pingIntervalMs, m_options.idleTimeoutMs);
}

// ---- transactions ---------------------------------------------------------------------

ChatHost::ReducerRun ChatHost::runReducer(const ReducerDef &reducer, const Caller &caller,
                                          const Row &args, TxDelta *delta) {
    ReducerRun run;
    run.timestamp = nextTimestamp();
    Transaction tx(*m_db);
    ReducerContext ctx{caller.identity, caller.connectionId, run.timestamp, tx};
    const ModuleOutcome outcome = m_module.run(reducer, ctx, args);
    switch (outcome.kind) {
    case ModuleOutcome::Kind::Ok:
        break;
    case ModuleOutcome::Kind::UserError:
        run.kind = ReducerRun::Kind::UserError;
        run.message = outcome.message;
        return run;
    case ModuleOutcome::Kind::Panic:
        run.kind = ReducerRun::Kind::InternalError;
        run.message = outcome.message;
        qCWarning(lcModule).noquote()
            << "reducer" << reducer.name << "panicked:" << outcome.message;
        return run;
    }
    auto committed = m_db->commit(tx);
    if (!committed) {
        run.kind = ReducerRun::Kind::InternalError;
        run.message = committed.error().message();
        qCCritical(lcDb).noquote() << "commit of" << reducer.name << "failed:" << run.message;
        return run;
    }
    ++m_counters.transactions;
    *delta = std::move(*committed);
    return run;
}

void ChatHost::dispatchUpdates(const TxDelta &delta) {
    QHash<ClientId, QList<QuerySetUpdate>> updates = m_subscriptions->updatesFor(delta);
    for (auto it = updates.begin(); it != updates.end(); ++it) {
        const QPointer<ClientSession> s = m_sessions.value(it.key());
        if (s)
            s->send(TransactionUpdate{std::move(it.value())});
    }
}

bool ChatHost::runLifecycle(Lifecycle lifecycle, const Caller &caller) {
    const ReducerDef *reducer = m_module.lifecycleReducer(lifecycle);
    if (!reducer)
        return true;
    TxDelta delta;
    const ReducerRun run = runReducer(*reducer, caller, {}, &delta);
    if (run.kind != ReducerRun::Kind::Committed)
        return false;
    dispatchUpdates(delta);
    return true;
}

ChatHost::ReducerRun ChatHost::runAndBroadcast(const ReducerDef &reducer, const Caller &caller,
                                               const Row &args) {
    ++m_counters.reducerCalls;
    TxDelta delta;
    const ReducerRun run = runReducer(reducer, caller, args, &delta);
    if (run.kind == ReducerRun::Kind::Committed)
        dispatchUpdates(delta);
    else
        ++m_counters.reducerErrors;
    return run;
}

stdb::Expected<SqlQuery::DmlStats> ChatHost::runSqlDml(const SqlQuery &query) {
    Transaction tx(*m_db);
    auto stats = query.stage(tx, *m_db);
    if (!stats)
        return stats.error();
    auto committed = m_db->commit(tx);
    if (!committed)
        return committed.error();
    ++m_counters.transactions;
    dispatchUpdates(*committed);
    return stats;
}

bool ChatHost::withShortConnection(const Caller &caller, const std::function<void()> &body) {
    if (!runLifecycle(Lifecycle::OnConnect, caller))
        return false;
    body();
    runLifecycle(Lifecycle::OnDisconnect, caller);
    return true;
}

void ChatHost::callReducer(ClientSession *session, const CallReducer &call) {
    ++m_counters.reducerCalls;
    auto reply = [&](stdb::Timestamp ts, ReducerOutcome outcome) {
        if (!std::holds_alternative<ReducerOk>(outcome))
            ++m_counters.reducerErrors;
        session->send(ReducerResult{call.requestId, ts, std::move(outcome)});
    };
    const ReducerDef *reducer = m_module.findReducer(call.reducer);
    if (!reducer)
        return reply(nextTimestamp(), ReducerInternalError{QStringLiteral("no such reducer")});
    if (reducer->lifecycle != Lifecycle::None)
        return reply(nextTimestamp(),
                     ReducerInternalError{QStringLiteral("can't directly call special %1 "
                                                         "lifecycle reducer")
                                              .arg(lifecycleName(reducer->lifecycle))});
    auto args = decodeRowPrefix(reducer->params, call.args); // trailing bytes: as the server
    if (!args)
        return reply(nextTimestamp(),
                     ReducerInternalError{QStringLiteral("invalid arguments for reducer %1: %2")
                                              .arg(reducer->name, args.error().toString())});

    TxDelta delta;
    const ReducerRun run =
        runReducer(*reducer, Caller{session->identity(), session->connectionId()}, *args, &delta);
    switch (run.kind) {
    case ReducerRun::Kind::UserError:
        return reply(run.timestamp, ReducerErr{bsatnString(run.message)});
    case ReducerRun::Kind::InternalError:
        return reply(run.timestamp, ReducerInternalError{run.message});
    case ReducerRun::Kind::Committed:
        break;
    }
    // The caller's update travels inside its ReducerResult and nowhere else.
    QHash<ClientId, QList<QuerySetUpdate>> updates = m_subscriptions->updatesFor(delta);
    const QList<QuerySetUpdate> own = updates.take(session->id());
    reply(run.timestamp, ReducerOk{QByteArray(), TransactionUpdate{own}});
    for (auto it = updates.begin(); it != updates.end(); ++it) {
        const QPointer<ClientSession> s = m_sessions.value(it.key());
        if (s)
            s->send(TransactionUpdate{std::move(it.value())});
    }
}

} // namespace host
