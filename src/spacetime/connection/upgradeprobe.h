// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <functional>

class QTcpSocket;

namespace stdb {

// Reads the server's answer to a WebSocket upgrade request: status, reason and response text.
// QWebSocket refuses a non-101 answer but keeps only a (translatable) sentence about it, so
// after such a refusal the socket worker sends the same request once more through this probe.
// Runs on the caller's thread and never blocks; `done` is called exactly once (not after the
// probe is destroyed).
class UpgradeProbe : public QObject {
    Q_OBJECT
public:
    struct Result {
        bool answered = false; // a status line arrived
        bool timedOut = false;
        int status = 0;
        QString reason;
        QString body; // at most kMaxBody bytes of the response text, trimmed
    };
    static constexpr qsizetype kMaxBody = 4096;

    // `ssl` is used when the request URL is wss/https.
    UpgradeProbe(const QNetworkRequest &request, const QStringList &subprotocols,
                 const QSslConfiguration &ssl, std::chrono::milliseconds timeout,
                 std::function<void(const Result &)> done, QObject *parent = nullptr);
    ~UpgradeProbe() override;

    void start();

private:
    void sendRequest();
    void onReadyRead();
    // Done when the head and the announced body (or kMaxBody of it) are in.
    bool parse();
    void finish();

    QNetworkRequest m_request;
    QStringList m_subprotocols;
    QSslConfiguration m_ssl;
    std::function<void(const Result &)> m_done;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    QByteArray m_buffer;
    Result m_result;
    qsizetype m_headEnd = -1;
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_finished = false;
};

} // namespace stdb
