// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <utility>

namespace host {

// One parsed HTTP/1.x request. Header names are stored lower-cased; repeated headers keep
// their order so callers can combine or reject them.
struct HttpRequest {
    QByteArray method;
    QByteArray target;    // as sent: path plus optional ?query
    QByteArray rawPath;   // target without the query, still percent-encoded
    QStringList segments; // rawPath split on '/', each segment percent-decoded
    QUrlQuery query;      // decoded query parameters
    int versionMinor = 1; // HTTP/1.<minor>
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;

    // Value of the first header with this (lower-case) name, or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const;
    // All values of a header, in order.
    QList<QByteArray> headerValues(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const { return !header(lowerName).isNull(); }
    // A query parameter, fully decoded, or a null QString.
    QString queryValue(const QString &key) const;
    bool hasQueryItem(const QString &key) const { return query.hasQueryItem(key); }
    bool wantsKeepAlive() const;
    bool isWebSocketUpgrade() const;
};

struct HttpResponse {
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    HttpResponse() = default;
    HttpResponse(int status, QByteArray body = {}, QByteArray contentType = {});

    static HttpResponse text(int status, const QString &message);
    static HttpResponse json(int status, const QByteArray &json);

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;

    // Status line, headers (with Content-Length and the CORS header added), blank line, body.
    // A HEAD response carries the headers only.
    QByteArray serialize(bool keepAlive, bool headOnly = false) const;
};

QByteArray reasonPhrase(int status);

} // namespace host
