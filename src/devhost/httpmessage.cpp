// SPDX-License-Identifier: Apache-2.0
#include "httpmessage.h"

namespace host {

QByteArray HttpRequest::header(QByteArrayView lowerName) const {
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return {};
}

QList<QByteArray> HttpRequest::headerValues(QByteArrayView lowerName) const {
    QList<QByteArray> out;
    for (const auto &h : headers)
        if (h.first == lowerName)
            out.append(h.second);
    return out;
}

QString HttpRequest::queryValue(const QString &key) const {
    if (!query.hasQueryItem(key))
        return {};
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

static bool headerHasToken(const QList<QByteArray> &values, QByteArrayView token) {
    for (const QByteArray &v : values)
        for (const QByteArray &part : v.split(','))
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
    return false;
}

bool HttpRequest::wantsKeepAlive() const {
    const QList<QByteArray> conn = headerValues("connection");
    if (versionMinor == 0)
        return headerHasToken(conn, "keep-alive");
    return !headerHasToken(conn, "close");
}

bool HttpRequest::isWebSocketUpgrade() const {
    return headerHasToken(headerValues("upgrade"), "websocket") &&
           headerHasToken(headerValues("connection"), "upgrade");
}

HttpResponse::HttpResponse(int status, QByteArray body, QByteArray contentType)
    : status(status)
    , body(std::move(body)) {
    if (!contentType.isEmpty())
        setHeader("Content-Type", contentType);
}

HttpResponse HttpResponse::text(int status, const QString &message) {
    return HttpResponse(status, message.toUtf8(), "text/plain; charset=utf-8");
}

HttpResponse HttpResponse::json(int status, const QByteArray &json) {
    return HttpResponse(status, json, "application/json");
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value) {
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(QByteArrayView name) const {
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 530:
        // Non-standard: what SpacetimeDB answers when a reducer fails.
        return "Reducer Failed";
    default:
        return "Unknown";
    }
}

QByteArray HttpResponse::serialize(bool keepAlive, bool headOnly) const {
    QByteArray out;
    out.reserve(256 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    bool hasCors = false;
    for (const auto &h : headers) {
        if (h.first.compare("Access-Control-Allow-Origin", Qt::CaseInsensitive) == 0)
            hasCors = true;
        out += h.first + ": " + h.second + "\r\n";
    }
    // The real server allows any origin; browsers running the TS SDK rely on it.
    if (!hasCors)
        out += "Access-Control-Allow-Origin: *\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    out += "Server: spacetime-chat-host\r\n\r\n";
    if (!headOnly)
        out += body;
    return out;
}

} // namespace host
