// SPDX-License-Identifier: Apache-2.0
#include "quickstartfeed.h"

#include "scriptedserver.h"

#include "spacetime/connection/dbconnectionbuilder.h"
#include "spacetime/connection/reconnectpolicy.h"

#include <QTest>

namespace P = stdb::protocol;
using namespace std::chrono_literals;

namespace {

P::InitialConnection hello() {
    return {QuickstartFeed::ident(1),
            stdb::ConnectionId::fromHex(QStringLiteral("0123456789abcdef0123456789abcdef")),
            QStringLiteral("minted.token")};
}

P::QueryRows snapshot(const QList<quickstart_chat::User> &users,
                      const QList<quickstart_chat::Message> &messages) {
    QList<QByteArray> u, m;
    for (const quickstart_chat::User &x : users)
        u << QuickstartFeed::bytes(x);
    for (const quickstart_chat::Message &x : messages)
        m << QuickstartFeed::bytes(x);
    return queryRows({{QStringLiteral("user"), u}, {QStringLiteral("message"), m}});
}

} // namespace

QuickstartFeed::QuickstartFeed(QObject *parent)
    : QObject(parent) {}

QuickstartFeed::~QuickstartFeed() {
    m_connection.reset();
    m_server.reset();
}

stdb::Identity QuickstartFeed::ident(int n) {
    return stdb::Identity::fromHex(QStringLiteral("c200%1").arg(n, 60, 10, QLatin1Char('0')));
}

quickstart_chat::User QuickstartFeed::user(int n, const QString &name, bool online) {
    return {ident(n), name.isEmpty() ? std::nullopt : std::optional<QString>(name), online};
}

quickstart_chat::Message QuickstartFeed::message(const QString &text, int sender) {
    return {ident(sender), stdb::Timestamp::fromMicros(1700000000000000), text};
}

QByteArray QuickstartFeed::bytes(const quickstart_chat::User &u) {
    return stdb::toBsatn(u);
}

QByteArray QuickstartFeed::bytes(const quickstart_chat::Message &m) {
    return stdb::toBsatn(m);
}

bool QuickstartFeed::start() {
    m_server = std::make_unique<ScriptedServer>();
    if (!m_server->listen())
        return false;
    stdb::ReconnectPolicy fast = stdb::ReconnectPolicy::standard();
    fast.initialDelay = 50ms;
    fast.maxDelay = 200ms;
    fast.jitter = 0;
    auto built = stdb::DbConnectionBuilder()
                     .withReconnectPolicy(fast)
                     .withUri(m_server->uri())
                     .withDatabaseName(QStringLiteral("quickstart-chat"))
                     .withCompression(stdb::Compression::None)
                     .build();
    if (!built)
        return false;
    m_connection.reset(built.value());
    m_module = new quickstart_chat::Module(m_connection.get());
    if (!m_server->waitForConnections(1))
        return false;
    m_server->send(hello());
    return QTest::qWaitFor([this] { return m_connection->isActive(); }, 5000);
}

bool QuickstartFeed::subscribe(const QList<quickstart_chat::User> &users,
                               const QList<quickstart_chat::Message> &messages) {
    m_subscription = m_module->subscribeToAllTables();
    const auto sub = m_server->next<P::Subscribe>();
    if (!sub)
        return false;
    m_set = sub->querySetId;
    m_server->send(P::SubscribeApplied{sub->requestId, sub->querySetId, snapshot(users, messages)});
    return QTest::qWaitFor([this] { return m_subscription.isActive(); }, 5000);
}

bool QuickstartFeed::roundTrip() {
    // Frames are handled in order: once a later answer is in, so is everything before it.
    static int n = 0;
    const QString marker = QStringLiteral("SELECT * FROM user WHERE name = 'sync %1'").arg(++n);
    auto answered = std::make_shared<bool>(false);
    if (!m_connection->oneOffQuery(
            marker, [answered](const stdb::Expected<P::QueryRows> &) { *answered = true; }))
        return false;
    std::optional<quint32> id;
    const bool asked = QTest::qWaitFor(
        [&] {
            for (const P::ClientMessage &m : std::as_const(m_server->received))
                if (const auto *q = std::get_if<P::OneOffQuery>(&m); q && q->queryString == marker)
                    id = q->requestId;
            return id.has_value();
        },
        5000);
    if (!asked)
        return false;
    m_server->send(P::OneOffQueryResult{*id, P::QueryRows{}});
    return QTest::qWaitFor([&] { return *answered; }, 5000);
}

bool QuickstartFeed::transaction(const QString &table, const QList<QByteArray> &inserts,
                                 const QList<QByteArray> &deletes) {
    m_server->send(::transaction(m_set, table, inserts, deletes));
    return roundTrip();
}

bool QuickstartFeed::unsubscribe() {
    if (m_subscription.unsubscribe().isError())
        return false;
    const auto un = m_server->next<P::Unsubscribe>();
    if (!un)
        return false;
    m_server->send(P::UnsubscribeApplied{un->requestId, un->querySetId, std::nullopt});
    return QTest::qWaitFor(
        [this] { return m_subscription.state() == stdb::SubscriptionHandle::State::Ended; }, 5000);
}

bool QuickstartFeed::resync(const QList<quickstart_chat::User> &users,
                            const QList<quickstart_chat::Message> &messages) {
    m_server->skipReceived();
    // A delete of a row the client never had: the client replaces the query set.
    m_server->send(::transaction(m_set, QStringLiteral("message"), {},
                                 {bytes(message(QStringLiteral("never sent")))}));
    const auto un = m_server->next<P::Unsubscribe>();
    const auto sub = m_server->next<P::Subscribe>();
    if (!un || !sub)
        return false;
    m_server->send(P::SubscribeApplied{sub->requestId, sub->querySetId, snapshot(users, messages)});
    m_server->send(P::UnsubscribeApplied{un->requestId, un->querySetId, std::nullopt});
    m_set = sub->querySetId;
    return roundTrip();
}

bool QuickstartFeed::reconnect(const QList<quickstart_chat::User> &users,
                               const QList<quickstart_chat::Message> &messages) {
    const int before = m_server->connectionCount();
    m_server->skipReceived();
    m_server->abortClient();
    if (!m_server->waitForConnections(before + 1))
        return false;
    const auto sub = m_server->next<P::Subscribe>();
    if (!sub)
        return false;
    m_server->send(hello());
    m_server->send(P::SubscribeApplied{sub->requestId, sub->querySetId, snapshot(users, messages)});
    m_set = sub->querySetId;
    return roundTrip();
}

bool QuickstartFeed::setUser(int n, const QString &name, bool online) {
    const std::optional<quickstart_chat::User> old = m_module->user()->findByIdentity(ident(n));
    const quickstart_chat::User now = user(n, name, online);
    return transaction(QStringLiteral("user"), {bytes(now)},
                       old ? QList<QByteArray>{bytes(*old)} : QList<QByteArray>{});
}

void QuickstartFeed::dropModule() {
    delete m_module;
    m_module = nullptr;
}
