// SPDX-License-Identifier: Apache-2.0
#include "httpclient.h"

#include <QBuffer>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>

QByteArray HttpReply::header(const QByteArray &name) const {
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

HttpReply HttpClient::request(const QByteArray &method, const QUrl &url, const QByteArray &body,
                              const QList<std::pair<QByteArray, QByteArray>> &headers,
                              int timeoutMs) {
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QBuffer *buffer = new QBuffer;
    buffer->setData(body);
    buffer->open(QIODevice::ReadOnly);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, buffer);
    buffer->setParent(reply);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();
    HttpReply out;
    if (!reply->isFinished()) {
        out.error = QStringLiteral("timeout");
        reply->abort();
    } else {
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.headers = reply->rawHeaderPairs();
        if (out.status == 0)
            out.error = reply->errorString();
    }
    reply->deleteLater();
    return out;
}

QByteArray HttpClient::raw(quint16 port, const QByteArray &bytes, int timeoutMs,
                           bool *closedByServer) {
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    socket.flush();
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    bool closed = false;
    while (!deadline.hasExpired()) {
        if (socket.state() != QAbstractSocket::ConnectedState) {
            closed = true;
            break;
        }
        socket.waitForReadyRead(qMin<qint64>(50, deadline.remainingTime()));
        received += socket.readAll();
    }
    received += socket.readAll();
    if (closedByServer)
        *closedByServer = closed;
    return received;
}

std::pair<QByteArray, QByteArray> bearer(const QString &token) {
    return {"Authorization", "Bearer " + token.toLatin1()};
}
