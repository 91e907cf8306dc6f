// SPDX-License-Identifier: Apache-2.0
#include "chat/chatclient.h"
#include "chat/chatlog.h"

#include "chat/connectproblem.h"
#include "chat/errortext.h"
#include "chat/messagemodel.h"
#include "chat/messagerowview.h"
#include "chat/outbox.h"
#include "chat/readmarker.h"
#include "chat/rustcredentials.h"
#include "chat/usermodel.h"

#include "quickstart_chat/module.h"

#include "spacetime/connection/dbconnection.h"
#include "spacetime/connection/tablehandle.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

#include <functional>
#include <utility>

namespace chat {

namespace {

// Looking for older history steps back over empty windows of doubling length (1, 2, 4, …
// history windows); after this many the last query has no lower bound, so "nothing older" is
// an exact answer and a long silence costs a handful of queries.
constexpr int kMaxProbeSteps = 8;

ChatUser toChat(const quickstart_chat::User &u) {
    return ChatUser{u.identity, u.name, u.online};
}

// SQL string literal (the only dynamic parts are our own ISO timestamps, but quote anyway).
QString sqlTimestamp(qint64 us) {
    QString iso = stdb::Timestamp::fromMicros(us).toIso8601();
    iso.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + iso + QLatin1Char('\'');
}

} // namespace

ChatClient::ChatClient(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_credentials(new CredentialStore(this))
    , m_messages(new MessageModel(this))
    , m_users(new UserModel(this)) {
    m_messages->setUserModel(m_users);
    m_messages->setMaxMessages(qMax(0, m_options.maxMessages));
    if (!m_options.clock)
        m_options.clock = stdb::Clock::system();
    if (m_options.historyWindow < std::chrono::seconds(1))
        m_options.historyWindow = std::chrono::seconds(1);

    QString outboxPath = m_options.outboxPath;
    if (outboxPath == QLatin1String(":memory:"))
        outboxPath.clear();
    else if (outboxPath.isEmpty())
        outboxPath = QDir(m_options.profile.dataDir()).filePath(QStringLiteral("outbox.json"));
    m_outbox = new Outbox(outboxPath, this);
    QString outboxError;
    if (!m_outbox->load(&outboxError))
        QTimer::singleShot(0, this, [this, outboxError] { emit storageProblem(outboxError); });
    for (const Outbox::Entry &e : m_outbox->entries())
        m_messages->addOutgoing(e.localId, e.text, e.created, e.state);
    for (const Outbox::Entry &e : m_outbox->entries())
        if (e.state == DeliveryState::Failed)
            m_messages->setOutgoingState(e.localId, e.state, e.error);
    connect(m_outbox, &Outbox::entryChanged, this, &ChatClient::syncOutboxRow);
    connect(m_outbox, &Outbox::entryRemoved, m_messages, &MessageModel::removeOutgoing);
    connect(m_outbox, &Outbox::entryChanged, this, &ChatClient::updatePendingCount);
    connect(m_outbox, &Outbox::entryRemoved, this, &ChatClient::updatePendingCount);
    connect(m_outbox, &Outbox::saved, this, [this](quint64 snapshot) {
        if (!m_handedOver.isEmpty() && snapshot >= m_handOverSnapshot)
            sendHandedOver();
    });
    connect(m_outbox, &Outbox::saveFailed, this, &ChatClient::storageProblem);
    connect(m_messages, &MessageModel::fetchMoreRequested, this, &ChatClient::loadOlder);
    connect(m_messages, &MessageModel::oldestDropped, this, &ChatClient::onOldestDropped);
    connect(m_messages, &MessageModel::newestRequested, this, &ChatClient::reloadNewest);

    // The read position: next to the outbox, and not kept when the outbox is not (tests, pipe
    // mode) or the identity is a throwaway one, unless a path is given.
    m_readMarker = new ReadMarker(m_messages, m_options.clock, this);
    QString markerPath = m_options.readMarkerPath;
    if (markerPath.isEmpty())
        markerPath = m_options.anonymous || m_options.outboxPath == QLatin1String(":memory:")
                         ? QStringLiteral(":memory:")
                         : QDir(m_options.profile.dataDir()).filePath(QStringLiteral("state.ini"));
    m_readMarker->setStorage(markerPath, m_options.profile.normalizedServer() + QLatin1Char('|') +
                                             m_options.profile.database());

    m_subscriptionBackoff = std::make_unique<stdb::Backoff>(m_options.reconnect, m_options.clock);
    m_subscriptionRetry = m_options.clock->createTimer([this] { retrySubscriptions(); });

    m_credentials->setInsecureFileStore(m_options.insecureTokenFile);
    connect(m_credentials, &CredentialStore::loaded, this, &ChatClient::onLoaded);
    connect(m_credentials, &CredentialStore::problem, this,
            [this](const QString &, const QString &message) { emit credentialWarning(message); });
    connect(m_credentials, &CredentialStore::forgotten, this, [this](const QString &key) {
        if (!m_forgetting || key != m_options.profile.credentialKey())
            return;
        m_forgetting = false;
        beginConnect(QString());
    });

    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        const qint64 left = m_reconnectAtMs - qint64(m_options.clock->now().count());
        const int secs = left > 0 ? int((left + 999) / 1000) : 0;
        if (secs != m_reconnectSeconds) {
            m_reconnectSeconds = secs;
            emit reconnectSecondsChanged(secs);
        }
        if (secs == 0)
            m_countdown.stop();
    });
}

ChatClient::~ChatClient() {
    // Pending callbacks must not reach a half-destroyed client.
    teardownConnection();
}

QString ChatClient::identityHex() const {
    return m_hasIdentity ? m_identity.toHex() : QString();
}

QString ChatClient::identityShort() const {
    return m_hasIdentity ? m_identity.toShortHex() : QString();
}

void ChatClient::updatePendingCount() {
    const int n = pendingCount();
    if (n == m_lastPendingCount)
        return;
    m_lastPendingCount = n;
    emit pendingCountChanged(n);
}

int ChatClient::pendingCount() const {
    int n = m_pendingName.isEmpty() ? 0 : 1;
    for (const Outbox::Entry &e : m_outbox->entries())
        if (e.state == DeliveryState::Pending)
            ++n;
    return n;
}

// ---- lifecycle ------------------------------------------------------------------------------

void ChatClient::start() {
    if (m_state != State::Offline && m_state != State::Error)
        return;
    if (m_connection) {
        if (m_failedQueries && m_connection->isActive()) {
            retrySubscriptions();
            return;
        }
        // Stopped earlier: resume the same session (same token, subscriptions, cache).
        setState(State::Connecting);
        m_connection->reconnectNow();
        return;
    }
    setLastError(QString());
    setState(State::Connecting);
    if (m_options.anonymous) {
        beginConnect(QString());
    } else if (!m_options.tokenOverride.isEmpty()) {
        beginConnect(m_options.tokenOverride);
    } else {
        m_startRequested = true;
        m_credentials->load(m_options.profile);
    }
}

void ChatClient::stop() {
    m_startRequested = false;
    m_countdown.stop();
    // Offline first: the connection's Disconnected state must not read as a failure.
    setState(State::Offline);
    if (m_connection && m_connection->state() != stdb::DbConnection::State::Disconnected)
        m_connection->disconnect();
}

void ChatClient::onLoaded(const QString &key, const QString &token) {
    if (key != m_options.profile.credentialKey() || !m_startRequested)
        return;
    m_startRequested = false;
    m_storedToken = token;
    if (!token.isEmpty() || m_options.rustImport == Options::RustImport::Never) {
        beginConnect(token);
        return;
    }
    const QString path = m_options.rustCredentialsPath.isEmpty()
                             ? RustCredentials::defaultPath(m_options.profile.database())
                             : m_options.rustCredentialsPath;
    if (!QFileInfo::exists(path)) {
        beginConnect(QString());
        return;
    }
    if (m_options.rustImport == Options::RustImport::Ask) {
        emit rustIdentityOffered(path);
        return; // acceptRustIdentity() continues
    }
    acceptRustIdentity(true);
}

void ChatClient::acceptRustIdentity(bool accept) {
    if (m_connection || m_state != State::Connecting)
        return;
    if (!accept) {
        beginConnect(QString());
        return;
    }
    const QString path = m_options.rustCredentialsPath.isEmpty()
                             ? RustCredentials::defaultPath(m_options.profile.database())
                             : m_options.rustCredentialsPath;
    const stdb::Expected<QString> token = RustCredentials::read(path);
    if (!token) {
        emit credentialWarning(
            tr("The Rust quickstart's credentials in %1 could not be used: %2. Continuing with "
               "a new identity.")
                .arg(QDir::toNativeSeparators(path), token.error().message()));
        beginConnect(QString());
        return;
    }
    qCInfo(lcChatClient) << "continuing as the identity of the Rust quickstart from" << path;
    beginConnect(token.value());
}

void ChatClient::beginConnect(const QString &token) {
    teardownConnection();
    buildConnection(token);
}

void ChatClient::buildConnection(const QString &token) {
    const quint64 generation = ++m_generation;
    stdb::DbConnectionBuilder builder;
    builder.withUri(Profile::expandServerShortcut(m_options.profile.serverUrl()))
        .withDatabaseName(m_options.profile.database())
        .withToken(token)
        .withReconnectPolicy(m_options.reconnect)
        .withCompression(m_options.compression)
        .withOwnFrameReader(m_options.ownFrameReader);
    if (!m_options.trustedCertificate.isNull())
        builder.withTrustedCertificate(m_options.trustedCertificate);
    if (m_options.maxMessageBytes > 0)
        builder.withMaxDecompressedSize(m_options.maxMessageBytes);
    stdb::Expected<stdb::DbConnection *> built = builder.build(this);
    if (!built) {
        setLastError(built.error());
        emit connectionProblem(m_lastError);
        m_errorSource = ErrorSource::Connection;
        setState(State::Error);
        return;
    }
    stdb::DbConnection *conn = built.value();
    m_connection = conn;
    m_module = new quickstart_chat::Module(conn);
    // After a reconnect the cache is current again once the resync finished (even when
    // nothing changed): settle what the drop left open.
    connect(conn, &stdb::DbConnection::resyncFinished, this, [this, generation] {
        if (generation == m_generation)
            onSubscriptionApplied();
    });

    connect(conn, &stdb::DbConnection::stateChanged, this, &ChatClient::onConnectionStateChanged);
    connect(conn, &stdb::DbConnection::connected, this,
            [this](const stdb::Identity &identity, const stdb::ConnectionId &,
                   const QString &newToken) { onConnected(identity, newToken); });
    connect(conn, &stdb::DbConnection::connectError, this, [this, conn](const stdb::Error &e) {
        // The typed reason, in the user's language: the connect failure's kind when there is
        // one, else the error's.
        m_connectFailure = conn->lastConnectFailure();
        setLastError(m_connectFailure.isFailure()
                         ? ConnectProblem::describe(m_connectFailure, conn->options())
                         : ErrorText::describe(e),
                     e);
        emit connectionProblem(m_lastError);
    });
    connect(conn, &stdb::DbConnection::disconnected, this,
            [this](const std::optional<stdb::Error> &e) {
                setSynced(false);
                returnHandedOver();
                m_outbox->markInFlightUnconfirmed();
                if (e) {
                    setLastError(*e);
                    emit connectionProblem(m_lastError);
                }
            });
    connect(conn, &stdb::DbConnection::reconnecting, this, &ChatClient::onReconnecting);
    connect(m_module->user(), &quickstart_chat::UserTable::rowsChanged, this,
            &ChatClient::onUsersChanged);
    // Messages are read in place (no typed decode, no per-row allocation): a snapshot of a
    // million rows goes to the model as views into the cache's frame buffers.
    connect(m_module->message(), &stdb::TableHandle::rawChanges, this,
            &ChatClient::onMessagesChanged);

    m_appliedQueries = 0;
    m_failedQueries = 0;
    m_windowStartUs = m_options.clock->wallTime().micros() - windowUs();
    resetOlderPaging(m_windowStartUs);
    subscribeQuery(UsersQuery);
    subscribeQuery(MessagesQuery);
}

void ChatClient::subscribeQuery(Query q) {
    if (!m_connection)
        return;
    const quint64 generation = m_generation;
    auto applied = [this, generation, q](const stdb::EventContext &) {
        if (generation != m_generation)
            return;
        // The rows of this message are reported right after this callback: count the set
        // once they are in the models.
        QTimer::singleShot(0, this, [this, generation, q] {
            if (generation != m_generation)
                return;
            m_appliedQueries |= q;
            if (m_appliedQueries == (UsersQuery | MessagesQuery))
                onSubscriptionApplied();
        });
    };
    auto failed = [this, generation, q](const stdb::EventContext &ctx) {
        if (generation == m_generation)
            onSubscriptionFailed(q, ctx.error());
    };
    m_connection->subscriptionBuilder()
        .withContext(this)
        .onApplied(applied)
        .onError(failed)
        .subscribe(q == UsersQuery ? QStringLiteral("SELECT * FROM user")
                                   : windowStartSql(m_windowStartUs));
}

void ChatClient::onSubscriptionFailed(Query q, const stdb::Error &error) {
    m_appliedQueries &= ~int(q);
    m_failedQueries |= q;
    setSynced(false);
    // The server's own words (e.g. no such table: the database runs another module).
    setLastError(tr("The server refused the subscription: %1").arg(error.message()), error);
    emit connectionProblem(m_lastError);
    m_errorSource = ErrorSource::Subscription;
    scheduleSubscriptionRetry(); // first: the state change comes with the countdown
    if (m_state == State::Error)
        emit stateChanged(m_state);
    setState(State::Error);
}

void ChatClient::scheduleSubscriptionRetry() {
    if (!m_options.reconnect.enabled)
        return; // stays in Error; start() / reconnectNow() ask again
    const std::chrono::milliseconds delay = m_subscriptionBackoff->next();
    m_subscriptionRetry->start(delay);
    // The same countdown as a reconnect, shown with the Error state.
    m_reconnectAtMs = qint64(m_options.clock->now().count()) + delay.count();
    const int secs = int((delay.count() + 999) / 1000);
    if (secs != m_reconnectSeconds) {
        m_reconnectSeconds = secs;
        emit reconnectSecondsChanged(secs);
    }
    m_countdown.start();
}

void ChatClient::retrySubscriptions() {
    m_subscriptionRetry->stop();
    if (!m_failedQueries)
        return;
    if (!m_connection || !m_connection->isActive()) {
        // Not connected right now: the connection's own reconnect runs; ask again later.
        scheduleSubscriptionRetry();
        return;
    }
    const int failed = m_failedQueries;
    m_failedQueries = 0;
    setState(State::Connecting);
    if (failed & UsersQuery)
        subscribeQuery(UsersQuery);
    if (failed & MessagesQuery)
        subscribeQuery(MessagesQuery);
}

qint64 ChatClient::windowUs() const {
    return qint64(m_options.historyWindow.count()) * 1000 * 1000;
}

QString ChatClient::windowStartSql(qint64 startUs) const {
    return QStringLiteral("SELECT * FROM message WHERE sent >= %1").arg(sqlTimestamp(startUs));
}

void ChatClient::teardownConnection() {
    ++m_generation;
    ++m_probeSerial;
    m_probing = false;
    m_subscriptionRetry->stop();
    m_failedQueries = 0;
    m_appliedQueries = 0;
    m_sendRequests.clear();
    m_pendingName.clear();
    updatePendingCount();
    if (m_connection) {
        stdb::DbConnection *conn = m_connection;
        QObject::disconnect(conn, nullptr, this, nullptr);
        if (m_module) {
            QObject::disconnect(m_module->user(), nullptr, this, nullptr);
            QObject::disconnect(m_module->message(), nullptr, this, nullptr);
        }
        conn->disconnect();
        conn->deleteLater();
    }
    m_connection = nullptr;
    m_module = nullptr;
    returnHandedOver();
    m_outbox->markInFlightUnconfirmed();
    setSynced(false);
}

void ChatClient::forgetIdentity() {
    teardownConnection();
    m_storedToken.clear();
    m_hasIdentity = false;
    m_identity = stdb::Identity();
    emit identityChanged();
    setOwnName(QString());
    m_everSynced = false;
    m_users->resetUsers({});
    m_messages->resetMessages(MessageBatch());
    setState(State::Connecting);
    if (m_options.anonymous) {
        beginConnect(QString());
        return;
    }
    m_options.tokenOverride.clear();
    m_forgetting = true;
    m_credentials->forget(m_options.profile);
}

void ChatClient::reconnectNow() {
    if (!m_connection) {
        if (m_state == State::Error || m_state == State::Offline)
            start();
        return;
    }
    if (m_failedQueries && m_connection->isActive()) {
        retrySubscriptions(); // connected; only the subscription is missing
        return;
    }
    if (m_state == State::Offline || m_state == State::Error)
        setState(State::Connecting);
    m_connection->reconnectNow();
}

// ---- connection events ----------------------------------------------------------------------

void ChatClient::onConnected(const stdb::Identity &identity, const QString &token) {
    m_connectFailure = {};
    setLastError(QString());
    m_countdown.stop();
    if (m_reconnectSeconds != 0) {
        m_reconnectSeconds = 0;
        emit reconnectSecondsChanged(0);
    }
    if (!m_hasIdentity || identity != m_identity) {
        m_identity = identity;
        m_hasIdentity = true;
        m_users->setSelf(identity);
        m_messages->setOwnIdentity(identity);
        emit identityChanged();
    }
    // Keep a new long-lived token; the connection never hands out short-lived ones here.
    if (!m_options.anonymous && !token.isEmpty() && token != m_storedToken) {
        m_storedToken = token;
        m_credentials->save(m_options.profile, token);
    }
    if (m_everSynced && !m_failedQueries)
        setState(State::Online);
}

void ChatClient::onSubscriptionApplied() {
    if (m_failedQueries)
        return; // still in Error until the refused query is in (retrySubscriptions)
    if (m_errorSource == ErrorSource::Subscription || !m_lastError.isEmpty())
        setLastError(QString());
    m_subscriptionBackoff->reset();
    setSynced(true);
    m_everSynced = true;
    setState(State::Online);
    settleUnconfirmed();
    m_readMarker->startIfUnset(m_windowStartUs);
    emit synchronized();
    pumpOutbox();
    if (!m_hasOlder && !m_probing && !m_olderComplete && m_olderPage.isEmpty()) {
        // A snapshot bigger than the cap lost its oldest rows: page back from the oldest kept.
        const std::optional<stdb::Timestamp> oldest = m_messages->oldestSent();
        if (m_probeStep == 0 && m_olderBeforeUs == m_windowStartUs && oldest &&
            m_messages->maxMessages() > 0 &&
            m_messages->confirmedCount() >= m_messages->maxMessages())
            m_olderBeforeUs = oldest->micros();
        probeOlder();
    }
}

void ChatClient::onConnectionStateChanged() {
    if (!m_connection)
        return;
    switch (m_connection->state()) {
    case stdb::DbConnection::State::Connecting:
        setState(State::Connecting);
        break;
    case stdb::DbConnection::State::Connected:
        if (m_everSynced && !m_failedQueries)
            setState(State::Online);
        break;
    case stdb::DbConnection::State::Reconnecting:
        setSynced(false);
        setState(State::Reconnecting);
        break;
    case stdb::DbConnection::State::Disconnected:
        setSynced(false);
        m_countdown.stop();
        if (m_state != State::Offline) {
            // We did not ask for it: the connection gave up. Its reason is already known here
            // (the disconnected/connectError signals follow this state change).
            const stdb::Error why = m_connection->lastError();
            m_connectFailure = m_connection->lastConnectFailure();
            if (m_connectFailure.isFailure())
                setLastError(ConnectProblem::describe(m_connectFailure, m_connection->options()),
                             why);
            else if (why.kind() != stdb::Error::Kind::None)
                setLastError(why);
            else if (m_lastError.isEmpty())
                setLastError(tr("The connection ended."));
            m_subscriptionRetry->stop();
            m_errorSource = ErrorSource::Connection;
            if (m_state == State::Error)
                emit stateChanged(m_state);
            setState(State::Error);
        }
        break;
    }
}

void ChatClient::onReconnecting(int, int msUntilNext) {
    m_reconnectAtMs = qint64(m_options.clock->now().count()) + msUntilNext;
    const int secs = (msUntilNext + 999) / 1000;
    if (secs != m_reconnectSeconds) {
        m_reconnectSeconds = secs;
        emit reconnectSecondsChanged(secs);
    }
    m_countdown.start();
}

// ---- table changes -> models ----------------------------------------------------------------

void ChatClient::onUsersChanged(const quickstart_chat::UserTable::Changes &changes,
                                const stdb::EventContext &ctx) {
    if (ctx.kind() == stdb::EventContext::Kind::SubscribeApplied && m_users->rowCount() == 0) {
        QList<ChatUser> all;
        all.reserve(changes.inserted.size());
        for (const quickstart_chat::User &u : changes.inserted)
            all.append(toChat(u));
        m_users->resetUsers(all);
    } else {
        for (const quickstart_chat::User &u : changes.deleted)
            m_users->remove(u.identity);
        for (const auto &[oldRow, newRow] : changes.updated) {
            if (oldRow.identity != newRow.identity)
                m_users->remove(oldRow.identity);
            m_users->upsert(toChat(newRow));
        }
        for (const quickstart_chat::User &u : changes.inserted)
            m_users->upsert(toChat(u));
    }
    if (m_hasIdentity) {
        const std::optional<ChatUser> self = m_users->user(m_identity);
        setOwnName(self && self->name ? *self->name : QString());
    }
}

void ChatClient::onMessagesChanged(const stdb::TableDelta &delta, const stdb::EventContext &ctx) {
    const stdb::TableCache *cache = m_module->message()->cache();
    if (!delta.deleted.isEmpty()) {
        QList<ChatMessage> gone;
        gone.reserve(delta.deleted.size());
        for (const stdb::RowEntry *e : delta.deleted)
            if (const std::optional<MessageRowView> m = decodeMessageRow(e->bytes()))
                gone.append(ChatMessage{m->sender, m->sent, QString::fromUtf8(m->text)});
        m_messages->removeMessages(gone);
    }
    if (delta.inserted.isEmpty())
        return;

    // Settling many own messages (after a reconnect) writes the outbox once.
    const Outbox::SaveBatch saveOnce(m_outbox);
    MessageBatch batch;
    batch.reserve(delta.inserted.size());
    const bool ownCall = ctx.kind() == stdb::EventContext::Kind::Reducer &&
                         ctx.reducer().reducer == QLatin1String("send_message");
    qint64 newestOwnUs = 0;
    int undecodable = 0;
    for (const stdb::RowEntry *e : delta.inserted) {
        const std::optional<MessageRowView> m = decodeMessageRow(e->bytes());
        if (!m) {
            ++undecodable;
            continue;
        }
        batch.add(m->sender, m->sent, m->text, cache->buffer(*e));
        if (!m_hasIdentity || m->sender != m_identity)
            continue;
        newestOwnUs = qMax(newestOwnUs, m->sent.micros());
        if (m_outbox->isEmpty())
            continue;
        // One of ours: settle the outbox entry it confirms, so the message shows once.
        qint64 localId = ownCall ? m_sendRequests.value(ctx.reducer().requestId) : 0;
        if (!localId || !m_outbox->entry(localId))
            localId = m_outbox->match(QString::fromUtf8(m->text), m->sent);
        if (localId) {
            m_outbox->remove(localId);
            emit messageDelivered(localId);
        }
    }
    if (undecodable > 0)
        qCWarning(lcChatClient) << undecodable
                                << "message rows do not decode (are the bindings out of date?)";

    if (newestOwnUs > 0)
        m_outbox->noteOwnMessage(stdb::Timestamp::fromMicros(newestOwnUs));

    QList<ChatMessage> live;
    if (ctx.kind() == stdb::EventContext::Kind::Transaction ||
        ctx.kind() == stdb::EventContext::Kind::Reducer) {
        live.reserve(batch.size());
        for (qsizetype i = 0; i < batch.size(); ++i)
            live.append(batch.message(i));
        std::stable_sort(live.begin(), live.end(), [](const ChatMessage &a, const ChatMessage &b) {
            return a.sent.micros() < b.sent.micros();
        });
    }

    if (ctx.kind() == stdb::EventContext::Kind::SubscribeApplied &&
        m_messages->confirmedCount() == 0)
        m_messages->resetMessages(std::move(batch));
    else
        m_messages->addMessages(std::move(batch));

    if (!live.isEmpty())
        emit messagesArrived(live);
}

// ---- sending --------------------------------------------------------------------------------

qint64 ChatClient::sendMessage(const QString &text) {
    const QString problem = validateMessage(text);
    if (!problem.isEmpty()) {
        emit messageRejected(text, problem);
        return 0;
    }
    const qint64 localId = m_outbox->add(text);
    pumpOutbox();
    return localId;
}

void ChatClient::syncOutboxRow(qint64 localId) {
    const Outbox::Entry *e = m_outbox->entry(localId);
    if (!e)
        return;
    if (m_messages->rowOfOutgoing(localId) < 0)
        m_messages->addOutgoing(localId, e->text, e->created, e->state);
    else
        m_messages->setOutgoingState(localId, e->state, e->error);
}

void ChatClient::pumpOutbox() {
    if (!m_module || !m_synced || !m_connection || !m_connection->isActive())
        return;
    {
        const Outbox::SaveBatch saveOnce(m_outbox);
        while (const qint64 localId = m_outbox->nextToSend()) {
            m_outbox->markInFlight(localId);
            m_handedOver.append(localId);
        }
    }
    if (m_handedOver.isEmpty())
        return;
    // The in-flight mark must be on disk before the call can reach the server: after a crash
    // in between, the restarted app would send the message a second time. The write runs off
    // the GUI thread; the calls go out when it is done.
    m_handOverSnapshot = m_outbox->saveRequested();
    if (m_outbox->saveCompleted() >= m_handOverSnapshot)
        sendHandedOver();
}

void ChatClient::sendHandedOver() {
    if (!m_module || !m_synced || !m_connection || !m_connection->isActive()) {
        returnHandedOver();
        return;
    }
    const QList<qint64> ids = std::exchange(m_handedOver, {});
    const quint64 generation = m_generation;
    const Outbox::SaveBatch saveOnce(m_outbox);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const qint64 localId = ids[i];
        const Outbox::Entry *e = m_outbox->entry(localId);
        if (!e || e->state != DeliveryState::Pending || !e->inFlight)
            continue; // discarded or settled meanwhile
        const stdb::Expected<quint32> call = m_module->reducers()->sendMessage(
            e->text, this, [this, localId, generation](const stdb::ReducerOutcome &outcome) {
                if (generation == m_generation)
                    onSendCompleted(localId, outcome);
            });
        if (!call) {
            if (call.error().kind() == stdb::Error::Kind::Disconnected) {
                // Never left this machine: Pending again, for the next connection.
                for (qsizetype j = i; j < ids.size(); ++j)
                    m_outbox->markUnsent(ids[j]);
                return;
            }
            const QString reason = ErrorText::describe(call.error());
            m_outbox->markFailed(localId, reason);
            emit messageFailed(localId, reason);
            continue;
        }
        m_sendRequests.insert(call.value(), localId);
    }
}

void ChatClient::returnHandedOver() {
    // Marked in flight but never handed to the connection: they did not leave this machine.
    const QList<qint64> ids = std::exchange(m_handedOver, {});
    const Outbox::SaveBatch saveOnce(m_outbox);
    for (qint64 localId : ids)
        m_outbox->markUnsent(localId);
}

void ChatClient::onSendCompleted(qint64 localId, const stdb::ReducerOutcome &outcome) {
    m_sendRequests.remove(outcome.requestId);
    const Outbox::Entry *e = m_outbox->entry(localId);
    if (!e)
        return; // already confirmed by its row
    switch (outcome.status) {
    case stdb::ReducerOutcome::Status::Committed:
        // Committed but the row did not reach us (outside the subscription?): it is sent.
        m_outbox->remove(localId);
        emit messageDelivered(localId);
        break;
    case stdb::ReducerOutcome::Status::Err:
    case stdb::ReducerOutcome::Status::InternalError: {
        const QString reason = ErrorText::reducerFailure(outcome);
        m_outbox->markFailed(localId, reason);
        emit messageFailed(localId, reason);
        break;
    }
    case stdb::ReducerOutcome::Status::NeverSent:
        m_outbox->markUnsent(localId);
        break;
    case stdb::ReducerOutcome::Status::OutcomeUnknown:
        m_outbox->markInFlightUnconfirmed();
        break;
    }
}

void ChatClient::settleUnconfirmed() {
    // The fresh snapshot holds every message sent since the window start: an unconfirmed
    // message attempted inside the window that is not there never reached the server.
    QList<qint64> lost;
    for (const Outbox::Entry &e : m_outbox->entries())
        if (e.state == DeliveryState::Unconfirmed && e.attempted.micros() >= m_windowStartUs)
            lost.append(e.localId);
    const QString reason =
        tr("Not delivered: the connection was lost before the server received it.");
    const Outbox::SaveBatch saveOnce(m_outbox);
    for (qint64 id : std::as_const(lost)) {
        m_outbox->markFailed(id, reason);
        emit messageFailed(id, reason);
    }
}

void ChatClient::retryMessage(qint64 localId) {
    const Outbox::Entry *e = m_outbox->entry(localId);
    if (!e || e->state == DeliveryState::Pending)
        return;
    m_outbox->retry(localId);
    pumpOutbox();
}

void ChatClient::discardMessage(qint64 localId) {
    m_outbox->remove(localId);
}

bool ChatClient::setName(const QString &name) {
    const QString problem = validateName(name);
    if (!problem.isEmpty()) {
        emit nameRejected(name, problem);
        return false;
    }
    if (!m_module) {
        emit nameRejected(name, tr("Not connected to the server."));
        return false;
    }
    const quint64 generation = m_generation;
    const stdb::Expected<quint32> call = m_module->reducers()->setName(
        name, this, [this, name, generation](const stdb::ReducerOutcome &outcome) {
            if (generation != m_generation)
                return;
            m_pendingName.clear();
            updatePendingCount();
            switch (outcome.status) {
            case stdb::ReducerOutcome::Status::Committed:
                setOwnName(name);
                emit nameChanged(name);
                break;
            case stdb::ReducerOutcome::Status::Err:
            case stdb::ReducerOutcome::Status::InternalError:
                emit nameRejected(name, ErrorText::reducerFailure(outcome));
                break;
            case stdb::ReducerOutcome::Status::NeverSent:
            case stdb::ReducerOutcome::Status::OutcomeUnknown:
                emit nameRejected(name, tr("The connection was lost before the server "
                                           "answered. Try again when connected."));
                break;
            }
        });
    if (!call) {
        emit nameRejected(name, ErrorText::describe(call.error()));
        return false;
    }
    m_pendingName = name;
    updatePendingCount();
    return true;
}

// ---- history --------------------------------------------------------------------------------

void ChatClient::resetOlderPaging(qint64 beforeUs) {
    ++m_probeSerial;
    m_probing = false;
    m_olderPage = MessageBatch();
    m_olderComplete = false;
    m_probeStep = 0;
    m_olderBeforeUs = beforeUs;
    m_loadWhenProbed = false;
    setLoadingOlder(false);
    setHasOlder(false);
}

void ChatClient::onOldestDropped() {
    // Newer rows pushed the oldest out: a page fetched before ends before the rows that are
    // gone, so paging starts again right before the oldest row kept (else they would be a gap).
    // Older messages certainly exist now; the page is asked for only when the user wants it
    // (at the cap every live message drops one row, which must not cost a query each).
    // Before the first snapshot is in, onSubscriptionApplied starts paging from there anyway.
    if (!m_synced)
        return;
    const std::optional<stdb::Timestamp> oldest = m_messages->oldestSent();
    if (!oldest)
        return;
    resetOlderPaging(oldest->micros());
    setHasOlder(true);
}

void ChatClient::probeOlder() {
    if (!m_connection || m_probing || m_olderComplete || !m_olderPage.isEmpty())
        return;
    const qint64 before = m_olderBeforeUs;
    const qint64 span = windowUs() * (qint64(1) << qMin(m_probeStep, kMaxProbeSteps));
    const qint64 from = before - span;
    const bool unbounded = m_probeStep >= kMaxProbeSteps || from <= 0;
    const QString sql =
        unbounded
            ? QStringLiteral("SELECT * FROM message WHERE sent < %1").arg(sqlTimestamp(before))
            : QStringLiteral("SELECT * FROM message WHERE sent >= %1 AND sent < %2")
                  .arg(sqlTimestamp(from), sqlTimestamp(before));
    const quint64 serial = m_probeSerial;
    const stdb::Expected<quint32> call = m_connection->oneOffQuery(
        sql, this,
        [this, serial, from, unbounded](const stdb::Expected<stdb::protocol::QueryRows> &r) {
            if (serial != m_probeSerial)
                return;
            m_probing = false;
            if (!r) {
                setLoadingOlder(false);
                emit connectionProblem(
                    tr("Could not load older messages: %1").arg(ErrorText::describe(r.error())));
                return; // asked again after the next snapshot (onSubscriptionApplied)
            }
            MessageBatch older;
            for (const stdb::protocol::SingleTableRows &t : r.value().tables) {
                if (t.table != QLatin1String(quickstart_chat::MessageTable::kTableName))
                    continue;
                older.reserve(older.size() + t.rows.rowCount());
                for (qsizetype i = 0; i < t.rows.rowCount(); ++i)
                    older.addRow(t.rows.row(i), t.rows.buffer());
            }
            if (older.isEmpty()) {
                if (unbounded) {
                    m_olderComplete = true;
                    setLoadingOlder(false);
                    setHasOlder(false);
                    return;
                }
                m_olderBeforeUs = from;
                ++m_probeStep;
                probeOlder(); // an empty stretch: look further back
                return;
            }
            m_probeStep = 0;
            if (unbounded) {
                m_olderComplete = true; // this page is everything older
            } else {
                m_olderBeforeUs = from;
            }
            m_olderPage = std::move(older);
            setLoadingOlder(false);
            setHasOlder(true);
            if (std::exchange(m_loadWhenProbed, false))
                loadOlder();
        });
    if (!call) {
        setLoadingOlder(false);
        emit connectionProblem(
            tr("Could not load older messages: %1").arg(ErrorText::describe(call.error())));
        return;
    }
    m_probing = true;
}

void ChatClient::loadOlder() {
    if (m_olderPage.isEmpty()) {
        // Older rows were dropped by the cap and no page is fetched yet: fetch it, then load.
        if (m_hasOlder && !m_olderComplete) {
            m_loadWhenProbed = true;
            setLoadingOlder(true);
            probeOlder();
            if (!m_probing && m_olderPage.isEmpty())
                setLoadingOlder(false);
        }
        return;
    }
    MessageBatch page = std::move(m_olderPage);
    m_olderPage = MessageBatch();
    // With a cap, at most half of it at once, from the page's newest end: the messages the
    // user was reading stay in view, the rest is the next page.
    const int cap = m_messages->maxMessages();
    if (cap > 0 && page.size() > qMax(1, cap / 2)) {
        MessageBatch newest = page.takeNewest(qMax(1, cap / 2));
        m_olderPage = std::move(page);
        m_messages->prependOlder(std::move(newest));
        return; // hasOlder() stays true
    }
    m_messages->prependOlder(std::move(page));
    setHasOlder(false);
    if (m_olderComplete)
        return;
    setLoadingOlder(true);
    probeOlder();
    if (!m_probing)
        setLoadingOlder(false);
}

void ChatClient::reloadNewest() {
    if (!m_module || !m_messages->newerUnloaded())
        return;
    // The subscribed window is in the client cache: rebuild the model from it (the cap then
    // drops the oldest side, as for a fresh snapshot) and page back from there again.
    const stdb::TableCache *cache = m_module->message()->cache();
    MessageBatch batch;
    batch.reserve(cache->count());
    cache->forEach([&](const stdb::RowEntry &e) { batch.addRow(e.bytes(), cache->buffer(e)); });
    m_messages->resetMessages(std::move(batch));
    // The window's rows are all here unless the cap dropped its oldest: page back from the
    // oldest loaded one then.
    const std::optional<stdb::Timestamp> oldest = m_messages->oldestSent();
    const bool capped =
        m_messages->maxMessages() > 0 && m_messages->confirmedCount() >= m_messages->maxMessages();
    resetOlderPaging(capped && oldest ? oldest->micros() : m_windowStartUs);
    probeOlder();
}

void ChatClient::setHasOlder(bool has) {
    m_messages->setCanFetchOlder(has);
    if (m_hasOlder == has)
        return;
    m_hasOlder = has;
    emit hasOlderChanged(has);
}

void ChatClient::setLoadingOlder(bool loading) {
    if (m_loadingOlder == loading)
        return;
    m_loadingOlder = loading;
    emit loadingOlderChanged(loading);
}

// ---- property plumbing ----------------------------------------------------------------------

void ChatClient::setState(State s) {
    if (m_state == s)
        return;
    m_state = s;
    if (s != State::Error)
        m_errorSource = ErrorSource::None;
    const bool counting = s == State::Reconnecting ||
                          (s == State::Error && m_errorSource == ErrorSource::Subscription);
    if (!counting && m_reconnectSeconds != 0) {
        m_countdown.stop();
        m_reconnectSeconds = 0;
        emit reconnectSecondsChanged(0);
    }
    emit stateChanged(s);
}

void ChatClient::setLastError(const stdb::Error &cause) {
    setLastError(ErrorText::describe(cause), cause);
}

void ChatClient::setLastError(const QString &e, const stdb::Error &cause) {
    m_lastErrorCause = cause;
    if (m_lastError == e)
        return;
    m_lastError = e;
    emit lastErrorChanged(e);
}

void ChatClient::setSynced(bool s) {
    if (m_synced == s)
        return;
    m_synced = s;
    // Out of sync means our connection is down: who is online is only what we last saw, until
    // the next snapshot (or resync after a reconnect) brings the server's rows.
    m_users->setPresenceKnown(s, m_options.clock->wallTime().toDateTime());
    emit syncedChanged(s);
}

void ChatClient::setOwnName(const QString &name) {
    if (m_ownName == name)
        return;
    m_ownName = name;
    m_messages->setOwnName(name);
    emit ownNameChanged(name);
}

} // namespace chat
