// SPDX-License-Identifier: Apache-2.0
#include "testcontrols.h"

#include "chathost.h"
#include "clientsession.h"
#include "hostlog.h"
#include "router.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace host {

namespace {

HttpResponse json(const QJsonObject &o) {
    return HttpResponse::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The controls exist only when enabled and only for loopback peers; everyone else sees the
// same 404 as for any unknown path.
bool allowed(const ChatHost &host, const HttpRequest &req) {
    return host.options().testControls && req.peer.isLoopback();
}

HttpResponse hidden() {
    return HttpResponse::text(404, QStringLiteral("not found"));
}

// Sessions can end (and be removed) while we act on them; work on guarded copies.
QList<QPointer<ClientSession>> guarded(const ChatHost &host) {
    QList<QPointer<ClientSession>> out;
    for (ClientSession *s : host.sessions())
        out.append(s);
    return out;
}

} // namespace

void TestControls::registerRoutes(Router &router, ChatHost &host) {
    ChatHost *h = &host;

    router.add("POST", QStringLiteral("/_test/drop-all"),
               [h](const HttpRequest &req, const Router::Params &) {
                   if (!allowed(*h, req))
                       return hidden();
                   int n = 0;
                   for (const QPointer<ClientSession> &s : guarded(*h)) {
                       if (s && s->isOpen()) {
                           s->abort();
                           ++n;
                       }
                   }
                   qCInfo(lcHost) << "test control: dropped" << n << "connections";
                   return json({{QStringLiteral("dropped"), n}});
               });

    router.add("POST", QStringLiteral("/_test/close"),
               [h](const HttpRequest &req, const Router::Params &) {
                   if (!allowed(*h, req))
                       return hidden();
                   bool ok = false;
                   const int code = req.queryValue(QStringLiteral("code")).toInt(&ok);
                   // 1005/1006/1015 must never appear in a close frame; 1004 is reserved.
                   if (!ok || code < 1000 || code > 4999 || code == 1004 || code == 1005 ||
                       code == 1006 || code == 1015)
                       return HttpResponse::text(400, QStringLiteral("`code` must be a valid "
                                                                     "close code (1000-4999)"));
                   const QString reason = req.queryValue(QStringLiteral("reason"));
                   int n = 0;
                   for (const QPointer<ClientSession> &s : guarded(*h)) {
                       if (s && s->isOpen()) {
                           s->closeWith(code, reason);
                           ++n;
                       }
                   }
                   qCInfo(lcHost) << "test control: closed" << n << "connections with" << code;
                   return json({{QStringLiteral("closed"), n}});
               });

    router.add(
        "POST", QStringLiteral("/_test/send-raw"),
        [h](const HttpRequest &req, const Router::Params &) {
            if (!allowed(*h, req))
                return hidden();
            QByteArray payload;
            if (req.header("content-type").toLower().startsWith("application/octet-stream")) {
                payload = req.body;
            } else {
                QByteArray hex = req.body;
                hex.replace(' ', "").replace('\n', "").replace('\r', "").replace('\t', "");
                for (char c : hex)
                    if (!std::isxdigit(uchar(c)))
                        return HttpResponse::text(400, QStringLiteral("body must be hex "
                                                                      "digits"));
                if (hex.size() % 2)
                    return HttpResponse::text(400, QStringLiteral("odd number of hex "
                                                                  "digits"));
                payload = QByteArray::fromHex(hex);
            }
            const bool text = req.queryValue(QStringLiteral("text")) == u"1";
            int n = 0;
            for (const QPointer<ClientSession> &s : guarded(*h)) {
                if (s && s->isOpen()) {
                    s->sendRaw(payload, text);
                    ++n;
                }
            }
            qCInfo(lcHost) << "test control: sent a raw" << payload.size() << "byte"
                           << (text ? "text" : "binary") << "frame to" << n << "clients";
            return json({{QStringLiteral("sent"), n}});
        });

    router.add("POST", QStringLiteral("/_test/delay"),
               [h](const HttpRequest &req, const Router::Params &) {
                   if (!allowed(*h, req))
                       return hidden();
                   bool ok = false;
                   const int ms = req.queryValue(QStringLiteral("ms")).toInt(&ok);
                   if (!ok || ms < 0 || ms > 600000)
                       return HttpResponse::text(400, QStringLiteral("`ms` must be 0..600000"));
                   h->setOutgoingDelayMs(ms);
                   qCInfo(lcHost) << "test control: outgoing frames delayed by" << ms << "ms";
                   return json({{QStringLiteral("delay_ms"), ms}});
               });

    router.add("GET", QStringLiteral("/_test/counters"),
               [h](const HttpRequest &req, const Router::Params &) {
                   if (!allowed(*h, req))
                       return hidden();
                   QJsonObject o = h->counters().toJson();
                   o.insert(QStringLiteral("connections"), int(h->sessions().size()));
                   o.insert(QStringLiteral("query_sets"), h->subscriptions().querySetCount());
                   o.insert(QStringLiteral("delay_ms"), h->outgoingDelayMs());
                   return json(o);
               });

    router.add("POST", QStringLiteral("/_test/counters/reset"),
               [h](const HttpRequest &req, const Router::Params &) {
                   if (!allowed(*h, req))
                       return hidden();
                   h->resetCounters();
                   return HttpResponse(204);
               });

    router.add(
        "GET", QStringLiteral("/_test/clients"),
        [h](const HttpRequest &req, const Router::Params &) {
            if (!allowed(*h, req))
                return hidden();
            QJsonArray clients;
            for (ClientSession *s : h->sessions())
                clients.append(QJsonObject{
                    {QStringLiteral("identity"), s->identity().toHex()},
                    {QStringLiteral("connection_id"), s->connectionId().toHex()},
                    {QStringLiteral("peer"), s->peer()},
                    {QStringLiteral("protocol"), s->isV3()
                                                     ? QStringLiteral("v3.bsatn.spacetimedb")
                                                     : QStringLiteral("v2.bsatn.spacetimedb")},
                    {QStringLiteral("compression"), stdb::compressionName(s->compression())},
                    {QStringLiteral("query_sets"), h->subscriptions().querySetCount(s->id())}});
            return json({{QStringLiteral("clients"), clients}});
        });
}

} // namespace host
