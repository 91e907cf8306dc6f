// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chatmodule.h"
#include "counters.h"
#include "database.h"
#include "httpserver.h"
#include "router.h"
#include "subscriptionmanager.h"
#include "tokensigner.h"

#include "spacetime/compression.h"
#include "spacetime/protocol/messages.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;
class QWebSocketServer;

namespace host {

class ClientSession;

// The local development/test host: one database running the quickstart-chat module, served
// over SpacetimeDB's HTTP API and WebSocket protocol (v2, and v3 framing) on one port.
// Everything runs on the thread that owns it; transactions are therefore naturally serial and
// every client sees them in commit order.
class ChatHost : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString databaseName = QStringLiteral("quickstart-chat");
        QString dataDir; // a directory, or ":memory:" for no persistence
        bool testControls = false;
        bool enableV3 = true;
        int pingIntervalMs = 15000;
        int idleTimeoutMs = 30000;
        int httpIdleTimeoutMs = 30000;
        // Serve https/wss with this certificate and key instead of plain http/ws.
        std::optional<QSslConfiguration> tls;
        // The database owner (on the real server: who published it): reads private tables and
        // may run INSERT/UPDATE/DELETE through /sql.
        std::optional<stdb::Identity> owner;
    };

    explicit ChatHost(const Options &options, QObject *parent = nullptr);
    ~ChatHost() override;

    // Opens storage, runs the module's init on a fresh database, marks everyone offline and
    // starts listening.
    bool start(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_http.port(); }
    QHostAddress address() const { return m_http.address(); }
    bool isTls() const { return m_http.isTls(); }

    const Options &options() const { return m_options; }
    TokenSigner &tokens() { return m_tokens; }
    const ChatModule &module() const { return m_module; }
    const Database &database() const { return *m_db; }
    SubscriptionManager &subscriptions() { return *m_subscriptions; }
    Counters &counters() { return m_counters; }
    void resetCounters() { m_counters = {}; }
    QList<ClientSession *> sessions() const;

    int outgoingDelayMs() const { return m_delayMs; }
    void setOutgoingDelayMs(int ms) { m_delayMs = ms; }

    // The SQL rights of a caller (owner or not).
    SqlAuth sqlAuth(const stdb::Identity &caller) const {
        return {caller, m_options.owner && *m_options.owner == caller};
    }

    // A database path segment names this database (by name or by its identity in hex).
    bool isThisDatabase(const QString &nameOrIdentity) const;
    stdb::Identity databaseIdentity() const;

    // ---- transactions -------------------------------------------------------------------

    struct Caller {
        stdb::Identity identity;
        stdb::ConnectionId connectionId;
    };
    struct ReducerRun {
        enum class Kind { Committed, UserError, InternalError };
        Kind kind = Kind::Committed;
        QString message;
        stdb::Timestamp timestamp;
    };

    // A CallReducer from a WebSocket client: runs it, answers with ReducerResult and fans the
    // changes out to every other affected client.
    void callReducer(ClientSession *session, const stdb::protocol::CallReducer &call);
    // Runs a reducer for a caller without a session (HTTP); changes go to every client.
    ReducerRun runAndBroadcast(const ReducerDef &reducer, const Caller &caller, const Row &args);
    // Commits what an SQL INSERT/UPDATE/DELETE staged and sends the changes to subscribers.
    stdb::Expected<SqlQuery::DmlStats> runSqlDml(const SqlQuery &query);
    // HTTP calls are short connections: connect lifecycle, body, disconnect lifecycle.
    // Returns false (and skips the body) if the connect lifecycle reducer failed.
    bool withShortConnection(const Caller &caller, const std::function<void()> &body);

signals:
    void sessionCountChanged(int count);

private:
    struct PendingUpgrade {
        QTcpSocket *socket = nullptr; // identity only, never dereferenced
        stdb::Identity identity;
        QString token;
        stdb::ConnectionId connectionId;
        stdb::Compression compression = stdb::Compression::Brotli;
        bool v3 = false;
    };

    std::optional<HttpResponse> handleUpgrade(const HttpRequest &request, QTcpSocket *socket);
    void onWebSocketConnection(QWebSocketServer *server);
    void onSessionEnded(ClientSession *session);
    ReducerRun runReducer(const ReducerDef &reducer, const Caller &caller, const Row &args,
                          TxDelta *delta);
    bool runLifecycle(Lifecycle lifecycle, const Caller &caller);
    // Sends each affected client its TransactionUpdate.
    void dispatchUpdates(const TxDelta &delta);
    stdb::Timestamp nextTimestamp();
    void tick();

    Options m_options;
    TokenSigner m_tokens;
    ChatModule m_module;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SubscriptionManager> m_subscriptions;
    Counters m_counters;
    HttpServer m_http;
    Router m_router;
    QWebSocketServer *m_wsV2 = nullptr;
    QWebSocketServer *m_wsV3 = nullptr;
    QHash<QString, PendingUpgrade> m_pending; // by "address|port" of the client
    QHash<ClientId, QPointer<ClientSession>> m_sessions;
    QSet<ClientId> m_admitted; // sessions whose connect lifecycle reducer succeeded
    ClientId m_nextClientId = 1;
    stdb::Timestamp m_lastTimestamp;
    int m_delayMs = 0;
    QTimer m_tickTimer;
};

} // namespace host
