// SPDX-License-Identifier: Apache-2.0
#include "scriptedserver.h"

#include "spacetime/protocol/messagecodec.h"

#include <QTest>

using namespace stdb;

ScriptedServer::ScriptedServer(QStringList subprotocols, QObject *parent)
    : QObject(parent)
    , m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode) {
    m_server.setSupportedSubprotocols(subprotocols);
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *s = m_server.nextPendingConnection()) {
            s->setParent(this);
            s->setMaxAllowedIncomingMessageSize(QWebSocket::maxIncomingMessageSize());
            m_lastRequest = s->request();
            ++m_connectionCount;
            m_clients.append(s);
            connect(s, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &b) {
                auto m = protocol::decodeClientMessage(b);
                if (m)
                    received.append(m.value());
                else
                    qWarning() << "scripted server: undecodable client message"
                               << m.error().toString();
            });
        }
    });
}

ScriptedServer::~ScriptedServer() = default;

bool ScriptedServer::listen(quint16 port) {
    return m_server.listen(QHostAddress::LocalHost, port);
}

quint16 ScriptedServer::port() const {
    return m_server.serverPort();
}

QString ScriptedServer::uri() const {
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

bool ScriptedServer::waitForConnections(int n, int timeoutMs) {
    return QTest::qWaitFor([&] { return m_connectionCount >= n; }, timeoutMs);
}

void ScriptedServer::send(const protocol::ServerMessage &m, Compression c) {
    sendRaw(protocol::encodeServerFrame(protocol::encodeServerMessage(m), c));
}

void ScriptedServer::sendBatch(const QList<protocol::ServerMessage> &ms, Compression c) {
    QByteArray body;
    for (const auto &m : ms)
        body += protocol::encodeServerMessage(m);
    sendRaw(protocol::encodeServerFrame(body, c));
}

void ScriptedServer::sendRaw(const QByteArray &frame) {
    if (QWebSocket *s = client())
        s->sendBinaryMessage(frame);
}

void ScriptedServer::sendText(const QString &text) {
    if (QWebSocket *s = client())
        s->sendTextMessage(text);
}

void ScriptedServer::closeClient(QWebSocketProtocol::CloseCode code, const QString &reason) {
    if (QWebSocket *s = client())
        s->close(code, reason);
}

void ScriptedServer::abortClient() {
    if (QWebSocket *s = client())
        s->abort();
}

bool ScriptedServer::waitForMessages(int total, int timeoutMs) {
    return QTest::qWaitFor([&] { return received.size() >= total; }, timeoutMs);
}

protocol::QueryRows queryRows(const QList<std::pair<QString, QList<QByteArray>>> &tables) {
    protocol::QueryRows q;
    for (const auto &[name, rows] : tables)
        q.tables.append({name, protocol::RowList::fromRows(rows)});
    return q;
}

protocol::TransactionUpdate transaction(protocol::QuerySetId set, const QString &table,
                                        const QList<QByteArray> &inserts,
                                        const QList<QByteArray> &deletes) {
    protocol::TransactionUpdate t;
    protocol::QuerySetUpdate qs;
    qs.querySetId = set;
    protocol::TableUpdate tu;
    tu.tableName = table;
    tu.rows.append(protocol::PersistentTableRows{protocol::RowList::fromRows(inserts),
                                                 protocol::RowList::fromRows(deletes)});
    qs.tables.append(tu);
    t.querySets.append(qs);
    return t;
}
