// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"
#include "chat/credentialstore.h"
#include "chat/profile.h"

#include "quickstart_chat/messagetable.h"
#include "quickstart_chat/usertable.h"

#include "chat/messagebatch.h"

#include "spacetime/connection/backoff.h"
#include "spacetime/connection/clock.h"
#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/reconnectpolicy.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>

#include <chrono>
#include <memory>

namespace quickstart_chat {
class Module;
} // namespace quickstart_chat

Q_MOC_INCLUDE("chat/messagemodel.h")
Q_MOC_INCLUDE("chat/usermodel.h")
Q_MOC_INCLUDE("chat/readmarker.h")

namespace chat {

class MessageModel;
class Outbox;
class ReadMarker;
class UserModel;

// One chat session with a quickstart-chat database, for every front end (Widgets, QML,
// console). Loads the profile's identity from the keychain, connects, subscribes to the users
// and to recent messages, and turns table changes into MessageModel / UserModel updates.
// Messages the user writes go through a persistent Outbox, so nothing typed is lost when the
// connection is down or the app restarts.
//
//   chat::ChatClient client(chat::ChatClient::Options{.profile = profile});
//   view->setModel(client.messages());
//   client.start();
class ChatClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(int reconnectSeconds READ reconnectSeconds NOTIFY reconnectSecondsChanged)
    Q_PROPERTY(QString identity READ identityHex NOTIFY identityChanged)
    Q_PROPERTY(QString identityShort READ identityShort NOTIFY identityChanged)
    Q_PROPERTY(QString ownName READ ownName NOTIFY ownNameChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(ErrorSource errorSource READ errorSource NOTIFY stateChanged)
    Q_PROPERTY(bool synced READ isSynced NOTIFY syncedChanged)
    Q_PROPERTY(bool wasOnline READ wasOnline NOTIFY stateChanged)
    Q_PROPERTY(bool loadingOlder READ isLoadingOlder NOTIFY loadingOlderChanged)
    Q_PROPERTY(bool hasOlder READ hasOlder NOTIFY hasOlderChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    Q_PROPERTY(QString serverUrl READ serverUrl CONSTANT)
    Q_PROPERTY(QString database READ database CONSTANT)
    Q_PROPERTY(QString profileName READ profileName CONSTANT)
    Q_PROPERTY(chat::MessageModel *messages READ messages CONSTANT)
    Q_PROPERTY(chat::UserModel *users READ users CONSTANT)
    Q_PROPERTY(chat::ReadMarker *readMarker READ readMarker CONSTANT)
public:
    enum class State {
        Connecting,   // loading the identity, opening the first session, or waiting for the
                      // first snapshot
        Online,       // connected and the users and messages are in
        Reconnecting, // lost; next attempt in reconnectSeconds
        Offline,      // stopped by the user (stop()), or not started
        Error,        // gave up: lastError says why (e.g. no such database)
    };
    Q_ENUM(State)

    // What the Error state is about, for front ends that decide what to show.
    enum class ErrorSource {
        None,
        Connection,   // the session could not be opened or ended for good
        Subscription, // connected, but the server refused a subscription (lastError says
                      // why); it is asked for again after reconnectSeconds
    };
    Q_ENUM(ErrorSource)

    struct Options {
        Profile profile;
        // Messages newer than this are subscribed to; loadOlder() pages back by the same
        // span. The official quickstart suggests exactly this refinement.
        std::chrono::seconds historyWindow = std::chrono::hours(24 * 7);
        // Confirmed messages kept in the model (oldest dropped first); 0 = no cap.
        int maxMessages = 200000;
        // Where the outbox lives: empty = <profile data dir>/outbox.json; ":memory:" = not
        // persisted (tests, the console client in pipe mode).
        QString outboxPath;
        // Keep the token in a 0600 plain file instead of the keychain (opt-in).
        bool insecureTokenFile = false;
        // Use this token instead of the stored one (e.g. imported from the Rust quickstart);
        // it is then saved for the profile.
        QString tokenOverride;
        // Connect without a token and never store one (throwaway identity).
        bool anonymous = false;
        // What to do when no token is stored yet but the official Rust quickstart's
        // credentials file exists: ignore it, use it, or ask (rustIdentityOffered(), answered
        // by acceptRustIdentity()).
        enum class RustImport { Never, Always, Ask };
        RustImport rustImport = RustImport::Never;
        // Empty = RustCredentials::defaultPath(database).
        QString rustCredentialsPath;
        stdb::ReconnectPolicy reconnect = stdb::ReconnectPolicy::standard();
        // Extra certificate to trust for wss (a self-signed server); verification stays on.
        QSslCertificate trustedCertificate;
        // Largest server message accepted after decompression (a message above it ends the
        // session with an error, then the client reconnects); 0 = the SDK's default, 1 GiB.
        qsizetype maxMessageBytes = 0;
        // What the server is asked to compress its messages with (benchmarks compare them).
        stdb::Compression compression = stdb::Compression::Brotli;
        // The SDK's own WebSocket frame reader (stdb::ConnectionOptions::ownFrameReader), a
        // proposal, off by default; benchmarks compare both.
        bool ownFrameReader = false;
        // Where the history window and the reconnect countdown read the time; null = the real
        // clock (tests pass a stdb::ManualClock to place the window exactly).
        stdb::Clock *clock = nullptr;
        // Where the read position (ReadMarker) is kept: empty = the profile's state.ini in its
        // data directory, or not kept (":memory:") when the outbox is not or `anonymous`.
        QString readMarkerPath;
    };

    explicit ChatClient(Options options, QObject *parent = nullptr);
    ~ChatClient() override;

    const Options &options() const { return m_options; }
    const Profile &profile() const { return m_options.profile; }
    QString serverUrl() const { return m_options.profile.serverUrl(); }
    QString database() const { return m_options.profile.database(); }
    QString profileName() const { return m_options.profile.name(); }

    State state() const { return m_state; }
    int reconnectSeconds() const { return m_reconnectSeconds; }
    stdb::Identity identity() const { return m_identity; }
    QString identityHex() const;
    QString identityShort() const;
    QString ownName() const { return m_ownName; }
    // Why the session is in trouble, for people (translated); empty when all is well.
    QString lastError() const { return m_lastError; }
    // The SDK's error behind lastError(), when it came from the SDK (kind None otherwise), for
    // front ends that decide on it.
    stdb::Error lastErrorCause() const { return m_lastErrorCause; }
    // Why the last attempt to connect failed (Kind::None once connected); lastError() is its
    // translated text (ConnectProblem).
    stdb::ConnectFailure connectFailure() const { return m_connectFailure; }
    bool isSynced() const { return m_synced; }
    // This session has been online (synchronised) at least once: a later drop is a lost
    // connection; before that, connecting has not worked yet.
    bool wasOnline() const { return m_everSynced; }
    ErrorSource errorSource() const { return m_errorSource; }
    // Older history: whether the next page is being looked for after a loadOlder(), and
    // whether the server has messages older than the loaded ones. hasOlder() is known
    // shortly after the first snapshot (a one-off query fetches the page before the window)
    // and false until then; the message model's canFetchMore() follows it.
    bool isLoadingOlder() const { return m_loadingOlder; }
    bool hasOlder() const { return m_hasOlder; }
    // The server was asked and has nothing older than the loaded messages.
    bool isHistoryComplete() const { return m_olderComplete && m_olderPage.isEmpty(); }

    MessageModel *messages() const { return m_messages; }
    UserModel *users() const { return m_users; }
    // The last message read, the first unread one and the unread count (see ReadMarker).
    ReadMarker *readMarker() const { return m_readMarker; }
    Outbox *outbox() const { return m_outbox; }
    CredentialStore *credentials() const { return m_credentials; }
    // The connection and the typed module, once start() built them (nullptr before, and after
    // a fatal error). For front ends that want raw table events (the console client).
    stdb::DbConnection *connection() const { return m_connection; }
    quickstart_chat::Module *module() const { return m_module; }

    // Reducer calls and outbox messages whose outcome is not known yet.
    int pendingCount() const;

public Q_SLOTS:
    // Loads the identity and connects. Does nothing unless Offline or Error.
    void start();
    // Ends the session (state Offline); the outbox keeps what is unsent.
    void stop();
    // Validates, then queues the message in the outbox and sends it when online. Returns the
    // outbox id, or 0 when the text is not acceptable (messageRejected says why).
    qint64 sendMessage(const QString &text);
    // Validates and calls set_name; the result arrives as nameChanged or nameRejected.
    bool setName(const QString &name);
    void reconnectNow();
    // Prepends the page of older messages fetched ahead (when hasOlder()), then looks for
    // the next one. The message model's fetchMore() calls this.
    void loadOlder();
    // Loads the newest messages again after the cap unloaded them (MessageModel::
    // reloadNewest() calls this).
    void reloadNewest();
    // A failed or unconfirmed message: send it again / drop it.
    void retryMessage(qint64 localId);
    void discardMessage(qint64 localId);
    // Deletes the stored token and reconnects anonymously with a new identity.
    void forgetIdentity();
    // The answer to rustIdentityOffered(): continue as that identity, or start a new one.
    void acceptRustIdentity(bool accept);

Q_SIGNALS:
    void stateChanged(chat::ChatClient::State state);
    void reconnectSecondsChanged(int seconds);
    void identityChanged();
    void ownNameChanged(const QString &name);
    void lastErrorChanged(const QString &error);
    void syncedChanged(bool synced);
    // Our messages waiting to be sent or confirmed, plus a rename in flight.
    void pendingCountChanged(int count);
    void loadingOlderChanged(bool loading);
    void hasOlderChanged(bool hasOlder);

    // The server accepted our new name.
    void nameChanged(const QString &name);
    // The name was refused: by the client's checks or by the server (its own words).
    void nameRejected(const QString &name, const QString &reason);
    // Text not acceptable before it was even queued (empty, too long).
    void messageRejected(const QString &text, const QString &reason);
    // A queued message was refused by the server, or could not be delivered.
    void messageFailed(qint64 localId, const QString &reason);
    // An outbox message is confirmed: it is now a row of the message table.
    void messageDelivered(qint64 localId);
    // Something about the connection a person should know (already translated).
    void connectionProblem(const QString &text);
    // The keychain could not be used; the text says what happened and what to do.
    void credentialWarning(const QString &text);
    // The saved outbox could not be read (it was kept aside); the text says where.
    void storageProblem(const QString &text);
    // No identity is stored for this profile, but the Rust quickstart has one at `path`.
    // Connecting waits for acceptRustIdentity().
    void rustIdentityOffered(const QString &path);

    // The first snapshot of users and messages is in (also after each reconnect).
    void synchronized();
    // Messages that arrived live (not the backlog, not loadOlder), in order, with the
    // sender's display name at arrival. For notifications.
    void messagesArrived(const QList<chat::ChatMessage> &messages);

private:
    void beginConnect(const QString &token);
    void buildConnection(const QString &token);
    void teardownConnection();
    void setState(State s);
    void setLastError(const stdb::Error &cause);
    void setLastError(const QString &e, const stdb::Error &cause = {});
    void setSynced(bool s);
    void setOwnName(const QString &name);
    void onLoaded(const QString &key, const QString &token);
    void onConnected(const stdb::Identity &identity, const QString &token);
    void onSubscriptionApplied();
    void onConnectionStateChanged();
    void onReconnecting(int attempt, int msUntilNext);
    void onUsersChanged(const quickstart_chat::UserTable::Changes &changes,
                        const stdb::EventContext &ctx);
    void onMessagesChanged(const stdb::TableDelta &delta, const stdb::EventContext &ctx);
    void pumpOutbox();
    void sendHandedOver();
    void returnHandedOver();
    void updatePendingCount();
    void onSendCompleted(qint64 localId, const stdb::ReducerOutcome &outcome);
    void settleUnconfirmed();
    void syncOutboxRow(qint64 localId);
    QString windowStartSql(qint64 startUs) const;
    qint64 windowUs() const;
    enum Query : quint8 { UsersQuery = 1, MessagesQuery = 2 };
    void subscribeQuery(Query q);
    void onSubscriptionFailed(Query q, const stdb::Error &error);
    void scheduleSubscriptionRetry();
    void retrySubscriptions();
    void probeOlder();
    void resetOlderPaging(qint64 beforeUs);
    void onOldestDropped();
    void setHasOlder(bool has);
    void setLoadingOlder(bool loading);

    Options m_options;
    CredentialStore *m_credentials = nullptr;
    MessageModel *m_messages = nullptr;
    UserModel *m_users = nullptr;
    Outbox *m_outbox = nullptr;
    ReadMarker *m_readMarker = nullptr;
    QPointer<stdb::DbConnection> m_connection;
    quickstart_chat::Module *m_module = nullptr;

    State m_state = State::Offline;
    int m_reconnectSeconds = 0;
    QTimer m_countdown;
    qint64 m_reconnectAtMs = 0; // on m_options.clock's monotonic time
    stdb::Identity m_identity;
    bool m_hasIdentity = false;
    QString m_storedToken; // what the keychain holds (never logged)
    QString m_ownName;
    QString m_lastError;
    stdb::Error m_lastErrorCause;
    stdb::ConnectFailure m_connectFailure;
    bool m_synced = false;
    bool m_everSynced = false;
    int m_appliedQueries = 0; // Query bits applied on this connection
    int m_failedQueries = 0;  // Query bits the server refused (retried)
    ErrorSource m_errorSource = ErrorSource::None;
    std::unique_ptr<stdb::Backoff> m_subscriptionBackoff;
    std::unique_ptr<stdb::Clock::Timer> m_subscriptionRetry;
    bool m_loadingOlder = false;
    bool m_hasOlder = false;
    MessageBatch m_olderPage; // fetched ahead, shown by loadOlder()
    bool m_probing = false;
    bool m_olderComplete = false;  // the last probe had no lower bound: nothing older exists
    bool m_loadWhenProbed = false; // loadOlder() found no page ready: prepend the probe's page
    int m_probeStep = 0;
    quint64 m_probeSerial = 0;  // bumped when paging restarts, to ignore late answers
    qint64 m_windowStartUs = 0; // start of the subscribed window
    qint64 m_olderBeforeUs = 0; // loadOlder fetches [m_olderBeforeUs - span, m_olderBeforeUs)
    QHash<quint32, qint64> m_sendRequests; // request id -> outbox id
    // Marked in flight, waiting for that mark to be on disk before the call goes out.
    QList<qint64> m_handedOver;
    quint64 m_handOverSnapshot = 0; // the outbox snapshot that holds the marks
    QString m_pendingName;
    int m_lastPendingCount = 0;
    bool m_startRequested = false;
    bool m_forgetting = false;
    quint64 m_generation = 0; // bumped per connection, to ignore late callbacks
};

} // namespace chat
