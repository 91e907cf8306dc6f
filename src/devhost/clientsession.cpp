// SPDX-License-Identifier: Apache-2.0
#include "clientsession.h"

#include "chathost.h"
#include "hostlog.h"

#include "spacetime/protocol/messagecodec.h"

#include <QWebSocket>

namespace host {

using namespace stdb::protocol;

ClientSession::ClientSession(QWebSocket *socket, const Params &params, ChatHost *host)
    : QObject(host)
    , m_socket(socket)
    , m_params(params)
    , m_host(host) {
    m_clock.start();
    socket->setParent(this);
    // Client messages above 32 MiB end the connection, as on the real server.
    socket->setMaxAllowedIncomingMessageSize(quint64(kMaxClientMessageSize));
    socket->setMaxAllowedIncomingFrameSize(quint64(kMaxClientMessageSize));
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &ClientSession::flush);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &ClientSession::onBinaryMessage);
    connect(socket, &QWebSocket::textMessageReceived, this, &ClientSession::onTextMessage);
    connect(socket, &QWebSocket::pong, this, [this] {
        m_awaitingPong = false;
        touch();
    });
    connect(socket, &QWebSocket::disconnected, this, &ClientSession::onDisconnected);
}

ClientSession::~ClientSession() = default;

QString ClientSession::peer() const {
    if (!m_socket)
        return QStringLiteral("?");
    return QStringLiteral("%1:%2")
        .arg(m_socket->peerAddress().toString())
        .arg(m_socket->peerPort());
}

void ClientSession::touch() {
    m_lastHeardMs = m_clock.elapsed();
}

void ClientSession::sendInitialConnection() {
    send(InitialConnection{m_params.identity, m_params.connectionId, m_params.token});
}

void ClientSession::send(const ServerMessage &message) {
    if (m_closing)
        return;
    const QByteArray body = encodeServerMessage(message);
    enqueue({encodeServerFrame(body, m_params.compression), false, 0});
}

void ClientSession::sendRaw(const QByteArray &payload, bool asText) {
    if (m_closing)
        return;
    enqueue({payload, asText, 0});
}

void ClientSession::enqueue(Outgoing frame) {
    const int delay = m_host->outgoingDelayMs();
    if (delay <= 0 && m_queue.empty()) {
        m_queue.push_back(std::move(frame));
        flush();
        return;
    }
    frame.dueMs = m_clock.elapsed() + qMax(0, delay);
    m_queue.push_back(std::move(frame));
    if (!m_flushTimer.isActive())
        m_flushTimer.start(int(qMax<qint64>(0, m_queue.front().dueMs - m_clock.elapsed())));
}

void ClientSession::flush() {
    const qint64 now = m_clock.elapsed();
    while (!m_queue.empty() && m_queue.front().dueMs <= now) {
        Outgoing f = std::move(m_queue.front());
        m_queue.pop_front();
        if (!m_socket)
            continue;
        Counters &c = m_host->counters();
        ++c.framesOut;
        c.bytesOut += f.payload.size();
        if (f.text)
            m_socket->sendTextMessage(QString::fromUtf8(f.payload));
        else
            m_socket->sendBinaryMessage(f.payload);
    }
    if (!m_queue.empty())
        m_flushTimer.start(int(qMax<qint64>(0, m_queue.front().dueMs - now)));
}

void ClientSession::closeWith(int code, const QString &reason) {
    if (m_closing || !m_socket)
        return;
    // Whatever was produced before the close still goes out first.
    for (Outgoing &f : m_queue)
        f.dueMs = 0;
    flush();
    m_closing = true;
    qCInfo(lcWs).noquote() << "closing" << m_params.identity.toShortHex() << "with" << code
                           << reason;
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientSession::abort() {
    if (!m_socket)
        return;
    m_closing = true;
    m_queue.clear();
    m_socket->abort();
}

void ClientSession::tick(int pingIntervalMs, int idleTimeoutMs) {
    if (!m_socket || m_ended)
        return;
    const qint64 now = m_clock.elapsed();
    if (now - m_lastHeardMs > idleTimeoutMs) {
        qCInfo(lcWs).noquote() << "dropping" << m_params.identity.toShortHex() << "after"
                               << (now - m_lastHeardMs) << "ms of silence";
        abort();
        return;
    }
    if (!m_closing && !m_awaitingPong && now - m_lastPingMs >= pingIntervalMs) {
        m_awaitingPong = true;
        m_lastPingMs = now;
        m_socket->ping();
    }
}

void ClientSession::protocolError(const QString &reason) {
    ++m_host->counters().protocolErrors;
    qCWarning(lcWs).noquote() << "protocol error from" << m_params.identity.toShortHex() << ":"
                              << reason;
    closeWith(1011, reason); // 1011: internal error, what the server uses for bad client input
}

void ClientSession::onTextMessage(const QString &) {
    if (m_closing)
        return;
    touch();
    ++m_host->counters().framesIn;
    protocolError(m_params.v3 ? QStringLiteral("v3 websocket does not support text messages")
                              : QStringLiteral("v2 websocket does not support text messages"));
}

void ClientSession::onBinaryMessage(const QByteArray &payload) {
    if (m_closing)
        return;
    touch();
    Counters &c = m_host->counters();
    ++c.framesIn;
    c.bytesIn += payload.size();
    if (m_params.v3) {
        if (payload.isEmpty())
            return protocolError(QStringLiteral("empty v3 message"));
        auto messages = decodeClientMessagesV3(payload);
        if (!messages)
            return protocolError(messages.error().toString());
        for (const ClientMessage &m : *messages) {
            handle(m);
            if (m_closing)
                return;
        }
        return;
    }
    // Like the server's v2 handler, bytes after the message are not looked at.
    qsizetype trailing = 0;
    auto message = decodeClientMessagePrefix(payload, &trailing);
    if (!message)
        return protocolError(message.error().toString());
    if (trailing > 0)
        qCDebug(lcWs) << "ignored" << trailing << "bytes after a v2 client message";
    handle(*message);
}

void ClientSession::handle(const ClientMessage &message) {
    SubscriptionManager &subs = m_host->subscriptions();
    Counters &c = m_host->counters();
    if (const auto *m = std::get_if<Subscribe>(&message)) {
        ++c.subscribes;
        if (subs.hasQuerySet(id(), m->querySetId))
            return protocolError(QStringLiteral("Subscription with id %1 already exists for this "
                                                "connection")
                                     .arg(m->querySetId));
        auto rows = subs.subscribe(id(), m->querySetId, m->queryStrings,
                                   m_host->sqlAuth(m_params.identity));
        if (!rows) {
            ++c.subscriptionErrors;
            qCInfo(lcWs).noquote() << "subscription error for" << m_params.identity.toShortHex()
                                   << ":" << rows.error().message();
            send(SubscriptionError{m->requestId, m->querySetId, rows.error().message()});
            return;
        }
        m_subscribedOnce = true;
        send(SubscribeApplied{m->requestId, m->querySetId, *rows});
        return;
    }
    if (const auto *m = std::get_if<Unsubscribe>(&message)) {
        ++c.unsubscribes;
        auto rows = subs.unsubscribe(id(), m->querySetId);
        if (!rows) {
            // The real server's texts, with its Debug rendering of the ids.
            const QString client =
                QStringLiteral("(Identity(%1), ConnectionId(%2))")
                    .arg(m_params.identity.toHex(), m_params.connectionId.toHex());
            const QString error =
                m_subscribedOnce
                    ? QStringLiteral("Subscription not found: (%1, QuerySetId { id: %2 })")
                          .arg(client)
                          .arg(m->querySetId)
                    : QStringLiteral("Client not found: %1").arg(client);
            send(SubscriptionError{m->requestId, m->querySetId, error});
            return;
        }
        UnsubscribeApplied applied{m->requestId, m->querySetId, std::nullopt};
        if (m->flags == UnsubscribeFlags::SendDroppedRows)
            applied.rows = *rows;
        send(applied);
        return;
    }
    if (const auto *m = std::get_if<OneOffQuery>(&message)) {
        ++c.oneOffQueries;
        OneOffQueryResult result{m->requestId, QString()};
        auto q = SqlQuery::compileQuery(m->queryString, m_host->database().catalog(),
                                        m_host->sqlAuth(m_params.identity));
        if (!q)
            result.result = q.error().message();
        else
            result.result = QueryRows{{SubscriptionManager::evaluate(*q, m_host->database())}};
        send(result);
        return;
    }
    if (const auto *m = std::get_if<CallReducer>(&message)) {
        if (m->flags != 0)
            return protocolError(QStringLiteral("invalid CallReducer flags %1").arg(m->flags));
        m_host->callReducer(this, *m);
        return;
    }
    if (const auto *m = std::get_if<CallProcedure>(&message)) {
        if (m->flags != 0)
            return protocolError(QStringLiteral("invalid CallProcedure flags %1").arg(m->flags));
        // quickstart-chat defines no procedures.
        send(ProcedureResult{ProcedureInternalError{QStringLiteral("no such procedure")},
                             stdb::Timestamp::now(), stdb::TimeDuration(), m->requestId});
        return;
    }
}

void ClientSession::onDisconnected() {
    if (m_ended)
        return;
    m_ended = true;
    m_closing = true;
    m_queue.clear();
    m_flushTimer.stop();
    emit ended(this);
}

} // namespace host
