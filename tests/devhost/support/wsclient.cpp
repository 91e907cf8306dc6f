// SPDX-License-Identifier: Apache-2.0
#include "wsclient.h"

#include <algorithm>

#include <QNetworkRequest>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocketHandshakeOptions>

using namespace stdb::protocol;

WsClient::WsClient() {
    m_socket.setMaxAllowedIncomingMessageSize(quint64(1) << 30);
    m_socket.setMaxAllowedIncomingFrameSize(quint64(1) << 30);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &WsClient::onBinary);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_textFrames.append(text); });
}

WsClient::~WsClient() {
    m_socket.abort();
}

bool WsClient::connectTo(quint16 port, const Options &o, int timeoutMs, bool expectInitial) {
    QUrl url(
        QStringLiteral("ws://127.0.0.1:%1/v1/database/%2/subscribe").arg(port).arg(o.database));
    QUrlQuery query;
    if (!o.compression.isEmpty())
        query.addQueryItem(QStringLiteral("compression"), o.compression);
    if (o.tokenInQuery && !o.token.isEmpty())
        query.addQueryItem(QStringLiteral("token"), o.token);
    QString q = query.toString(QUrl::FullyEncoded);
    if (!o.extraQuery.isEmpty())
        q += (q.isEmpty() ? QString() : QStringLiteral("&")) + o.extraQuery;
    url.setQuery(q, QUrl::StrictMode);
    QNetworkRequest request(url);
    if (!o.tokenInQuery && !o.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + o.token.toLatin1());
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(o.protocols);
    m_socket.open(request, options);
    if (!QTest::qWaitFor(
            [&] {
                return m_socket.state() == QAbstractSocket::ConnectedState ||
                       m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs) ||
        m_socket.state() != QAbstractSocket::ConnectedState) {
        m_error = QStringLiteral("WebSocket did not connect: %1").arg(m_socket.errorString());
        return false;
    }
    if (!expectInitial)
        return true;
    auto initial = nextAs<InitialConnection>(timeoutMs);
    if (!initial) {
        m_error = QStringLiteral("no InitialConnection: %1").arg(m_error);
        return false;
    }
    m_initial = *initial;
    return true;
}

void WsClient::onBinary(const QByteArray &frame) {
    m_rawFrames.append(frame);
    if (!frame.isEmpty())
        m_tags.append(quint8(frame[0]));
    if (isV3()) {
        auto messages = decodeServerFrameV3(frame);
        if (!messages) {
            ++m_decodeErrors;
            m_error = messages.error().toString();
            return;
        }
        for (auto &m : *messages)
            m_queue.push_back(std::move(m));
        return;
    }
    auto message = decodeServerFrame(frame);
    if (!message) {
        ++m_decodeErrors;
        m_error = message.error().toString();
        return;
    }
    m_queue.push_back(std::move(*message));
}

void WsClient::send(const ClientMessage &message) {
    m_socket.sendBinaryMessage(encodeClientMessage(message));
}

void WsClient::sendRaw(const QByteArray &payload) {
    m_socket.sendBinaryMessage(payload);
}

void WsClient::sendText(const QString &text) {
    m_socket.sendTextMessage(text);
}

std::optional<ServerMessage> WsClient::next(int timeoutMs) {
    if (m_queue.empty() && !QTest::qWaitFor([&] { return !m_queue.empty(); }, timeoutMs)) {
        m_error = QStringLiteral("timed out waiting for a server message");
        return std::nullopt;
    }
    ServerMessage m = std::move(m_queue.front());
    m_queue.pop_front();
    return m;
}

bool WsClient::nothingElseQueued(int timeoutMs) {
    const quint32 req = nextRequestId();
    send(OneOffQuery{req, QStringLiteral("SELECT * FROM user")});
    const auto answer = [&] {
        return std::find_if(m_queue.begin(), m_queue.end(), [req](const ServerMessage &m) {
            const auto *r = std::get_if<OneOffQueryResult>(&m);
            return r && r->requestId == req;
        });
    };
    if (!QTest::qWaitFor([&] { return answer() != m_queue.end(); }, timeoutMs)) {
        m_error = QStringLiteral("timed out waiting for the answer to a one-off query");
        return false;
    }
    const auto it = answer();
    const bool alone = it == m_queue.begin();
    if (!alone)
        m_error = QStringLiteral("%1 message(s) arrived first, the first a %2")
                      .arg(std::distance(m_queue.begin(), it))
                      .arg(stdb::protocol::messageName(m_queue.front()));
    m_queue.erase(it);
    return alone;
}

std::optional<SubscribeApplied> WsClient::subscribe(QuerySetId id, const QStringList &queries) {
    const quint32 req = nextRequestId();
    send(Subscribe{req, id, queries});
    auto applied = nextAs<SubscribeApplied>();
    if (applied && (applied->requestId != req || applied->querySetId != id)) {
        m_error = QStringLiteral("SubscribeApplied for another request");
        return std::nullopt;
    }
    return applied;
}

std::optional<ReducerResult> WsClient::call(const QString &reducer, const QByteArray &args) {
    const quint32 req = nextRequestId();
    send(CallReducer{req, 0, reducer, args});
    auto result = nextAs<ReducerResult>();
    if (result && result->requestId != req) {
        m_error = QStringLiteral("ReducerResult for another request");
        return std::nullopt;
    }
    return result;
}

bool WsClient::waitDisconnected(int timeoutMs) {
    return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

QList<UserRow> usersIn(const RowList &rows) {
    QList<UserRow> out;
    for (qsizetype i = 0; i < rows.rowCount(); ++i)
        if (auto u = decodeUser(rows.row(i)))
            out.append(*u);
    return out;
}

QList<MessageRow> messagesIn(const RowList &rows) {
    QList<MessageRow> out;
    for (qsizetype i = 0; i < rows.rowCount(); ++i)
        if (auto m = decodeMessage(rows.row(i)))
            out.append(*m);
    return out;
}

bool isOk(const ReducerOutcome &o) {
    return std::holds_alternative<ReducerOk>(o) || std::holds_alternative<ReducerOkEmpty>(o);
}

QString outcomeText(const ReducerOutcome &o) {
    if (const auto *e = std::get_if<ReducerErr>(&o)) {
        stdb::BsatnReader r(e->payload);
        const QString s = r.readString();
        return r.ok() && r.atEnd() ? s : QStringLiteral("<undecodable Err payload>");
    }
    if (const auto *e = std::get_if<ReducerInternalError>(&o))
        return QStringLiteral("internal: ") + e->message;
    return QStringLiteral("ok");
}

QList<QByteArray> rowsOf(const QueryRows &rows, const QString &table) {
    QList<QByteArray> out;
    for (const SingleTableRows &t : rows.tables)
        if (t.table == table)
            out += t.rows.rows();
    return out;
}

TableChanges changesOf(const QList<QuerySetUpdate> &sets, const QString &table,
                       std::optional<QuerySetId> onlySet) {
    TableChanges c;
    for (const QuerySetUpdate &qs : sets) {
        if (onlySet && qs.querySetId != *onlySet)
            continue;
        for (const TableUpdate &tu : qs.tables) {
            if (tu.tableName != table)
                continue;
            for (const TableUpdateRows &r : tu.rows) {
                ++c.entries;
                if (const auto *p = std::get_if<PersistentTableRows>(&r)) {
                    c.inserts += p->inserts.rows();
                    c.deletes += p->deletes.rows();
                }
            }
        }
    }
    return c;
}
