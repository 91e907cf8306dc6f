// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quickstartrows.h"
#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/compression.h"
#include "spacetime/protocol/messagecodec.h"
#include "spacetime/protocol/messages.h"

#include <QObject>
#include <QStringList>
#include <QWebSocket>

#include <deque>
#include <optional>

// Connection options (outside the class so their defaults can be used as default arguments).
struct WsClientOptions {
    QString database = QStringLiteral("quickstart-chat");
    QString token;                                // empty: anonymous
    bool tokenInQuery = false;                    // ?token= instead of the Authorization header
    QString compression = QStringLiteral("None"); // empty: no parameter (server default)
    QStringList protocols{QStringLiteral("v2.bsatn.spacetimedb")};
    QString extraQuery; // appended verbatim, e.g. "confirmed=false"
};

// A raw protocol client for tests: QWebSocket plus the SDK's codec, no SDK logic. Every
// received frame is decoded and queued; tests pull messages in order.
class WsClient : public QObject {
    Q_OBJECT
public:
    using Options = WsClientOptions;

    WsClient();
    ~WsClient() override;

    // Opens the socket and waits for InitialConnection (if expectInitial).
    bool connectTo(quint16 port, const Options &options = Options(), int timeoutMs = 10000,
                   bool expectInitial = true);
    QString lastError() const { return m_error; }
    QWebSocket &socket() { return m_socket; }
    bool isV3() const { return m_socket.subprotocol() == QLatin1String("v3.bsatn.spacetimedb"); }

    const stdb::protocol::InitialConnection &initial() const { return m_initial; }
    stdb::Identity identity() const { return m_initial.identity; }
    QString token() const { return m_initial.token; }

    void send(const stdb::protocol::ClientMessage &message);
    void sendRaw(const QByteArray &payload);
    void sendText(const QString &text);
    quint32 nextRequestId() { return ++m_requestId; }

    // The next decoded server message, waiting up to timeoutMs.
    std::optional<stdb::protocol::ServerMessage> next(int timeoutMs = 5000);
    template <typename T>
    std::optional<T> nextAs(int timeoutMs = 5000) {
        auto m = next(timeoutMs);
        if (!m)
            return std::nullopt;
        if (const T *t = std::get_if<T>(&*m))
            return *t;
        m_error = QStringLiteral("expected another message type, got %1")
                      .arg(stdb::protocol::messageName(*m));
        return std::nullopt;
    }
    // A round trip: sends a one-off query and waits for its answer, which the host sends after
    // everything it sent this client before. True if nothing was queued ahead of the answer
    // (the answer itself is consumed); "nothing else arrived" checks use this, not a pause.
    bool nothingElseQueued(int timeoutMs = 5000);
    int pending() const { return int(m_queue.size()); }

    // Convenience round trips; they return the matching reply.
    std::optional<stdb::protocol::SubscribeApplied> subscribe(stdb::protocol::QuerySetId id,
                                                              const QStringList &queries);
    std::optional<stdb::protocol::ReducerResult> call(const QString &reducer,
                                                      const QByteArray &args);

    bool waitDisconnected(int timeoutMs = 5000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    const QList<quint8> &compressionTags() const { return m_tags; }
    const QList<QByteArray> &rawFrames() const { return m_rawFrames; }
    const QStringList &textFrames() const { return m_textFrames; }
    int decodeErrors() const { return m_decodeErrors; }

private:
    void onBinary(const QByteArray &frame);

    QWebSocket m_socket;
    std::deque<stdb::protocol::ServerMessage> m_queue;
    stdb::protocol::InitialConnection m_initial;
    QList<quint8> m_tags;
    QList<QByteArray> m_rawFrames;
    QStringList m_textFrames;
    int m_decodeErrors = 0;
    quint32 m_requestId = 0;
    QString m_error;
};

// ---- quickstart-chat rows (tests/support/quickstartrows.h) ---------------------------------

using stdb::testing::decodeMessage;
using stdb::testing::decodeUser;
using stdb::testing::MessageRow;
using stdb::testing::stringArgs;
using stdb::testing::UserRow;

// The rows of a RowList that decode as the table's rows.
QList<UserRow> usersIn(const stdb::protocol::RowList &rows);
QList<MessageRow> messagesIn(const stdb::protocol::RowList &rows);
// The String inside ReducerErr, or a description of the outcome.
QString outcomeText(const stdb::protocol::ReducerOutcome &o);
bool isOk(const stdb::protocol::ReducerOutcome &o);
// All rows for one table in a QueryRows / TransactionUpdate (concatenated).
QList<QByteArray> rowsOf(const stdb::protocol::QueryRows &rows, const QString &table);
struct TableChanges {
    QList<QByteArray> inserts;
    QList<QByteArray> deletes;
    int entries = 0; // TableUpdateRows seen for the table
};
TableChanges changesOf(const QList<stdb::protocol::QuerySetUpdate> &sets, const QString &table,
                       std::optional<stdb::protocol::QuerySetId> onlySet = std::nullopt);
