// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

#include <utility>

struct HttpReply {
    int status = 0; // 0: no response (network error or timeout)
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QString error;
    QByteArray header(const QByteArray &name) const;
};

// Blocking (event-loop spinning) HTTP for tests.
class HttpClient {
public:
    HttpReply request(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                      int timeoutMs = 10000);
    HttpReply get(const QUrl &url, const QList<std::pair<QByteArray, QByteArray>> &headers = {}) {
        return request("GET", url, {}, headers);
    }
    HttpReply post(const QUrl &url, const QByteArray &body = {},
                   const QList<std::pair<QByteArray, QByteArray>> &headers = {}) {
        return request("POST", url, body, headers);
    }

    // Writes raw bytes on a fresh TCP connection and returns everything received until the
    // server closes or `timeoutMs` passes (for malformed-request tests).
    static QByteArray raw(quint16 port, const QByteArray &bytes, int timeoutMs = 5000,
                          bool *closedByServer = nullptr);

private:
    QNetworkAccessManager m_nam;
};

// "Bearer <token>" header pair.
std::pair<QByteArray, QByteArray> bearer(const QString &token);
