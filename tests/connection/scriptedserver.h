// SPDX-License-Identifier: Apache-2.0
#pragma once

// A scripted WebSocket peer for protocol-level tests of DbConnection: the test decides exactly
// which server messages (or broken frames) go out and when, and sees every client message.
// It is not a SpacetimeDB host; end-to-end behaviour is tested against spacetime-chat-host.

#include "spacetime/compression.h"
#include "spacetime/protocol/messages.h"

#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <optional>

class ScriptedServer : public QObject {
    Q_OBJECT
public:
    explicit ScriptedServer(QStringList subprotocols = {QStringLiteral("v2.bsatn.spacetimedb")},
                            QObject *parent = nullptr);
    ~ScriptedServer() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    QString uri() const; // http://127.0.0.1:PORT

    // The most recent client socket and its handshake request.
    QWebSocket *client() const { return m_clients.isEmpty() ? nullptr : m_clients.last().data(); }
    int connectionCount() const { return m_connectionCount; }
    QNetworkRequest lastRequest() const { return m_lastRequest; }
    bool waitForConnections(int n, int timeoutMs = 5000);

    // Sends one message to the most recent client, framed with compression tag c (compressed
    // only above the server's 1 KiB threshold unless force is set).
    void send(const stdb::protocol::ServerMessage &m,
              stdb::Compression c = stdb::Compression::None);
    // v3: several messages in one frame.
    void sendBatch(const QList<stdb::protocol::ServerMessage> &ms,
                   stdb::Compression c = stdb::Compression::None);
    void sendRaw(const QByteArray &frame);
    void sendText(const QString &text);
    void closeClient(QWebSocketProtocol::CloseCode code, const QString &reason = {});
    void abortClient();

    // Client messages received (decoded), across all connections, in order.
    QList<stdb::protocol::ClientMessage> received;
    int receivedSince = 0;
    bool waitForMessages(int total, int timeoutMs = 5000);
    // The next message of type T after the last one taken (waits for it).
    template <typename T>
    std::optional<T> next(int timeoutMs = 5000) {
        for (;;) {
            while (m_cursor < received.size()) {
                const auto &m = received[m_cursor++];
                if (const T *t = std::get_if<T>(&m))
                    return *t;
            }
            if (!waitForMessages(int(received.size()) + 1, timeoutMs))
                return std::nullopt;
        }
    }
    void skipReceived() { m_cursor = int(received.size()); }

private:
    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_clients;
    QNetworkRequest m_lastRequest;
    int m_connectionCount = 0;
    int m_cursor = 0;
};

// Small builders for server messages.
stdb::protocol::QueryRows queryRows(const QList<std::pair<QString, QList<QByteArray>>> &tables);
stdb::protocol::TransactionUpdate transaction(stdb::protocol::QuerySetId set, const QString &table,
                                              const QList<QByteArray> &inserts,
                                              const QList<QByteArray> &deletes);
