// SPDX-License-Identifier: Apache-2.0
#include "schemasource.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace {

struct Response {
    int status = 0;
    QByteArray body;
    QString networkError; // set when no HTTP answer arrived
};

Response get(QNetworkAccessManager &nam, const QUrl &url, const QString &token, int timeoutMs) {
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Response r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    if (r.status == 0)
        r.networkError = reply->errorString();
    reply->deleteLater();
    return r;
}

} // namespace

stdb::Expected<QByteArray> SchemaSource::fromFile(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return stdb::Error(stdb::Error::Kind::InvalidArgument,
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return f.readAll();
}

QUrl SchemaSource::schemaUrl(const QString &server, const QString &database, int version) {
    QUrl url(server.contains(QStringLiteral("://")) ? server : QStringLiteral("http://") + server);
    if (url.scheme() == u"ws")
        url.setScheme(QStringLiteral("http"));
    else if (url.scheme() == u"wss")
        url.setScheme(QStringLiteral("https"));
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + QStringLiteral("/v1/database/") + database + QStringLiteral("/schema"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("version"), QString::number(version));
    url.setQuery(query);
    return url;
}

stdb::Expected<QByteArray> SchemaSource::fromServer(const QString &server, const QString &database,
                                                    const QString &token, int timeoutMs) {
    const QUrl probe = schemaUrl(server, database, 10);
    if (!probe.isValid() || (probe.scheme() != u"http" && probe.scheme() != u"https"))
        return stdb::Error(
            stdb::Error::Kind::InvalidArgument,
            QStringLiteral("--from-server: \"%1\" is not an http(s) URL").arg(server));
    QNetworkAccessManager nam;
    Response r;
    QUrl url;
    // Version 10 first, as the official CLI asks: the server's V9 form drops what V9 cannot
    // say (crates/schema `From<ModuleDef> for RawModuleDefV9`: submodules and everything in
    // them, event-table flags, view primary keys), which would leave them out silently. 9 is
    // the fallback for servers without V10 (they answer 400 to version=10).
    for (int version : {10, 9}) {
        const QUrl u = schemaUrl(server, database, version);
        const Response got = get(nam, u, token, timeoutMs);
        if (!got.networkError.isEmpty())
            return stdb::Error(stdb::Error::Kind::Network,
                               QStringLiteral("GET %1: %2").arg(u.toString(), got.networkError));
        // When version 9 fails as well, the version 10 answer says more (e.g. no such database).
        if (version == 10 || got.status < 400) {
            r = got;
            url = u;
        }
        if (got.status < 400 || got.status >= 500)
            break;
    }
    if (r.status != 200)
        return stdb::Error(stdb::Error::Kind::Server,
                           QStringLiteral("GET %1: HTTP %2 %3")
                               .arg(url.toString())
                               .arg(r.status)
                               .arg(QString::fromUtf8(r.body.left(500)).trimmed()));
    return r.body;
}
