// SPDX-License-Identifier: Apache-2.0
#include "apiroutes.h"

#include "chathost.h"
#include "router.h"
#include "sqlquery.h"
#include "subscriptionmanager.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace host {

namespace {

HttpResponse jsonResponse(const QJsonObject &o) {
    return HttpResponse::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

HttpResponse databaseNotFound(const QString &name) {
    return HttpResponse::text(404, QStringLiteral("`%1` not found").arg(name));
}

// Converts JSON reducer arguments (an array in parameter order, or an object by parameter
// name) to a typed row.
stdb::Expected<Row> argsFromJson(const ReducerDef &reducer, const QJsonDocument &doc) {
    auto fail = [&](const QString &what) {
        return stdb::Error(stdb::Error::Kind::InvalidArgument, what);
    };
    Row row;
    if (doc.isArray()) {
        const QJsonArray a = doc.array();
        if (a.size() != reducer.params.size())
            return fail(QStringLiteral("expected %1 arguments, got %2")
                            .arg(reducer.params.size())
                            .arg(a.size()));
        row.resize(a.size());
        for (qsizetype i = 0; i < a.size(); ++i)
            if (std::optional<stdb::Error> e = valueFromJson(reducer.params[i], a.at(i), row[i]))
                return *e;
        return row;
    }
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        row.resize(reducer.params.size());
        for (qsizetype i = 0; i < reducer.params.size(); ++i) {
            const ColumnDef &p = reducer.params[i];
            if (!o.contains(p.name))
                return fail(QStringLiteral("missing argument `%1`").arg(p.name));
            if (std::optional<stdb::Error> e = valueFromJson(p, o.value(p.name), row[i]))
                return *e;
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            bool known = false;
            for (const ColumnDef &p : reducer.params)
                known = known || p.name == it.key();
            if (!known)
                return fail(QStringLiteral("unknown argument `%1`").arg(it.key()));
        }
        return row;
    }
    return fail(QStringLiteral("arguments must be a JSON array or object"));
}

QByteArray sqlResultJson(const SqlQuery::ResultSet &result, qint64 micros,
                         const SqlQuery::DmlStats &stats) {
    QJsonArray elements;
    for (const ColumnDef &c : result.columns)
        elements.append(
            QJsonObject{{QStringLiteral("name"), QJsonObject{{QStringLiteral("some"), c.name}}},
                        {QStringLiteral("algebraic_type"), algebraicTypeJson(c)}});
    QByteArray out = "{\"schema\":" +
                     QJsonDocument(QJsonObject{{QStringLiteral("elements"), elements}})
                         .toJson(QJsonDocument::Compact) +
                     ",\"rows\":[";
    for (qsizetype r = 0; r < result.rows.size(); ++r) {
        if (r)
            out += ',';
        out += '[';
        for (qsizetype i = 0; i < result.columns.size(); ++i) {
            if (i)
                out += ',';
            out += valueToSqlJson(result.columns[i], result.rows[r].value(i));
        }
        out += ']';
    }
    out += "],\"total_duration_micros\":" + QByteArray::number(micros) +
           ",\"stats\":{\"rows_inserted\":" + QByteArray::number(stats.inserted) +
           ",\"rows_deleted\":" + QByteArray::number(stats.deleted) +
           ",\"rows_updated\":" + QByteArray::number(stats.updated) + "}}";
    return out;
}

// A database route that acts for a caller: the handler runs only for this database and an
// authenticated caller (without a token, a new identity, as on the real server), with the clock
// for the duration headers started when the request arrived.
using CallerHandler = std::function<HttpResponse(const HttpRequest &, const Router::Params &,
                                                 const ApiRoutes::Auth &, const QElapsedTimer &)>;
void addCallerRoute(Router &router, const QByteArray &method, const QString &pattern,
                    ChatHost *host, CallerHandler handler) {
    router.add(method, pattern,
               [host, handler = std::move(handler)](const HttpRequest &request,
                                                    const Router::Params &params) {
                   QElapsedTimer timer;
                   timer.start();
                   const QString db = params.value(QStringLiteral("db"));
                   if (!host->isThisDatabase(db))
                       return databaseNotFound(db);
                   const auto auth = ApiRoutes::authenticate(request, host->tokens(), true);
                   if (const auto *refused = std::get_if<HttpResponse>(&auth))
                       return *refused;
                   return handler(request, params, std::get<ApiRoutes::Auth>(auth), timer);
               });
}

} // namespace

std::variant<ApiRoutes::Auth, HttpResponse>
ApiRoutes::authenticate(const HttpRequest &request, const TokenSigner &tokens, bool mintIfMissing) {
    QString token;
    const QByteArray header = request.header("authorization");
    if (!header.isNull()) {
        const QByteArray trimmed = header.trimmed();
        if (!trimmed.startsWith("Bearer ") && !trimmed.startsWith("bearer "))
            return HttpResponse::text(400, QStringLiteral("malformed Authorization header: "
                                                          "expected `Bearer <token>`"));
        token = QString::fromLatin1(trimmed.mid(7).trimmed());
        if (token.isEmpty())
            return HttpResponse::text(400, QStringLiteral("malformed Authorization header: "
                                                          "empty token"));
    } else if (request.hasQueryItem(QStringLiteral("token"))) {
        token = request.queryValue(QStringLiteral("token"));
    }
    if (token.isEmpty()) {
        if (!mintIfMissing)
            return HttpResponse::text(401, QStringLiteral("Authorization required"));
        Auth auth;
        auth.claims = tokens.newAnonymousClaims();
        auth.token = tokens.sign(auth.claims);
        return auth;
    }
    auto claims = tokens.verify(token);
    if (!claims)
        return HttpResponse::text(401, claims.error().message());
    return Auth{*claims, token};
}

void ApiRoutes::addIdentityHeaders(HttpResponse &response, const Auth &auth) {
    response.setHeader("spacetime-identity", auth.claims.identity().toHex().toLatin1());
    response.setHeader("spacetime-identity-token", auth.token.toLatin1());
}

void ApiRoutes::registerRoutes(Router &router, ChatHost &host) {
    ChatHost *h = &host;

    router.add("GET", QStringLiteral("/v1/ping"),
               [](const HttpRequest &, const Router::Params &) { return HttpResponse(200); });

    router.add("POST", QStringLiteral("/v1/identity"),
               [h](const HttpRequest &, const Router::Params &) {
                   const TokenClaims claims = h->tokens().newAnonymousClaims();
                   return jsonResponse({{QStringLiteral("identity"), claims.identity().toHex()},
                                        {QStringLiteral("token"), h->tokens().sign(claims)}});
               });

    router.add(
        "POST", QStringLiteral("/v1/identity/websocket-token"),
        [h](const HttpRequest &req, const Router::Params &) {
            auto auth = authenticate(req, h->tokens(), false);
            if (auto *err = std::get_if<HttpResponse>(&auth))
                return *err;
            const Auth &a = std::get<Auth>(auth);
            return jsonResponse({{QStringLiteral("token"), h->tokens().signShortLived(a.claims)}});
        });

    router.add("GET", QStringLiteral("/v1/identity/:identity/verify"),
               [h](const HttpRequest &req, const Router::Params &p) {
                   bool ok = false;
                   const auto wanted =
                       stdb::Identity::fromHex(p.value(QStringLiteral("identity")), &ok);
                   auto auth = authenticate(req, h->tokens(), false);
                   if (auto *err = std::get_if<HttpResponse>(&auth))
                       return *err;
                   if (!ok)
                       return HttpResponse::text(400, QStringLiteral("invalid identity"));
                   if (std::get<Auth>(auth).claims.identity() != wanted)
                       return HttpResponse::text(400, QStringLiteral("identity does not match "
                                                                     "the token"));
                   return HttpResponse(204);
               });

    router.add("GET", QStringLiteral("/v1/database/:db"),
               [h](const HttpRequest &, const Router::Params &p) {
                   const QString db = p.value(QStringLiteral("db"));
                   if (!h->isThisDatabase(db))
                       return databaseNotFound(db);
                   return jsonResponse(
                       {{QStringLiteral("database_identity"), h->databaseIdentity().toHex()},
                        {QStringLiteral("names"), QJsonArray{h->options().databaseName}},
                        {QStringLiteral("host_type"), QStringLiteral("spacetime-chat-host")},
                        {QStringLiteral("module"), QStringLiteral("quickstart-chat")}});
               });

    router.add("GET", QStringLiteral("/v1/database/:db/identity"),
               [h](const HttpRequest &, const Router::Params &p) {
                   const QString db = p.value(QStringLiteral("db"));
                   if (!h->isThisDatabase(db))
                       return databaseNotFound(db);
                   return HttpResponse::text(200, h->databaseIdentity().toHex());
               });

    addCallerRoute(
        router, "GET", QStringLiteral("/v1/database/:db/schema"), h,
        [](const HttpRequest &req, const Router::Params &, const Auth &auth,
           const QElapsedTimer &) {
            // The texts of the real route's query-string extractor.
            if (!req.hasQueryItem(QStringLiteral("version")))
                return HttpResponse::text(400, QStringLiteral("Failed to deserialize query "
                                                              "string: missing field "
                                                              "`version`"));
            // Exactly "9" or "10" (serde variant names), not any integer spelling.
            const QString v = req.queryValue(QStringLiteral("version"));
            const int version = v == u"9" ? 9 : v == u"10" ? 10 : -1;
            const QByteArray json = version > 0 ? ChatModule::schemaJson(version) : QByteArray();
            if (json.isEmpty())
                return HttpResponse::text(
                    400, QStringLiteral("Failed to deserialize query string: unknown "
                                        "variant `%1`, expected `9` or `10`")
                             .arg(req.queryValue(QStringLiteral("version")).left(20)));
            HttpResponse r = HttpResponse::json(200, json);
            addIdentityHeaders(r, auth);
            return r;
        });

    router.add("GET", QStringLiteral("/v1/database/:db/subscribe"),
               [h](const HttpRequest &, const Router::Params &p) {
                   const QString db = p.value(QStringLiteral("db"));
                   if (!h->isThisDatabase(db))
                       return databaseNotFound(db);
                   HttpResponse r = HttpResponse::text(
                       426, QStringLiteral("this route needs a WebSocket upgrade"));
                   r.setHeader("Upgrade", "websocket");
                   return r;
               });

    addCallerRoute(
        router, "POST", QStringLiteral("/v1/database/:db/call/:reducer"), h,
        [h](const HttpRequest &req, const Router::Params &p, const Auth &auth,
            const QElapsedTimer &timer) {
            auto reply = [&](HttpResponse r) {
                addIdentityHeaders(r, auth);
                r.setHeader("spacetime-energy-used", "0");
                r.setHeader("spacetime-execution-duration-micros",
                            QByteArray::number(timer.nsecsElapsed() / 1000));
                return r;
            };
            // Compared exactly, like the real route: parameters such as charset fail; a
            // missing header fails its extractor first.
            if (req.header("content-type").isNull())
                return reply(HttpResponse::text(
                    400, QStringLiteral("Header of type `content-type` was missing")));
            if (req.header("content-type").trimmed().toLower() != "application/json")
                return reply(
                    HttpResponse::text(415, QStringLiteral("Expected request with `Content-Type: "
                                                           "application/json`")));
            const QString name = p.value(QStringLiteral("reducer"));
            // Everything below runs inside the caller's short connection, as on the real
            // server: its connect lifecycle has run even when the call then fails.
            const ChatHost::Caller caller{auth.claims.identity(), stdb::ConnectionId::random()};
            HttpResponse response(200);
            const bool admitted = h->withShortConnection(caller, [&] {
                const ReducerDef *reducer = h->module().findReducer(name);
                if (!reducer) {
                    // Not a reducer, so the server tries a procedure of that name.
                    response = HttpResponse::text(404, QStringLiteral("No such procedure"));
                    return;
                }
                if (reducer->lifecycle != Lifecycle::None) {
                    response = HttpResponse::text(
                        400, QStringLiteral("can't directly call special %1 lifecycle reducer")
                                 .arg(lifecycleName(reducer->lifecycle)));
                    return;
                }
                QJsonParseError perr;
                const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
                if (perr.error != QJsonParseError::NoError) {
                    response = HttpResponse::text(
                        400, QStringLiteral("invalid arguments for reducer %1: %2 at offset %3")
                                 .arg(name, perr.errorString())
                                 .arg(perr.offset));
                    return;
                }
                auto args = argsFromJson(*reducer, doc);
                if (!args) {
                    response = HttpResponse::text(
                        400, QStringLiteral("invalid arguments for reducer %1: %2")
                                 .arg(name, args.error().message()));
                    return;
                }
                const ChatHost::ReducerRun run = h->runAndBroadcast(*reducer, caller, *args);
                if (run.kind != ChatHost::ReducerRun::Kind::Committed)
                    response = HttpResponse::text(530, run.message);
            });
            if (!admitted)
                return reply(HttpResponse::text(
                    403, QStringLiteral("the module's client_connected reducer rejected "
                                        "the caller")));
            return reply(response);
        });

    addCallerRoute(
        router, "POST", QStringLiteral("/v1/database/:db/sql"), h,
        [h](const HttpRequest &req, const Router::Params &, const Auth &auth,
            const QElapsedTimer &timer) {
            auto reply = [&](HttpResponse r) {
                addIdentityHeaders(r, auth);
                return r;
            };
            // `?confirmed=` must be a bool (every answer here is durable anyway).
            if (req.hasQueryItem(QStringLiteral("confirmed"))) {
                const QString c = req.queryValue(QStringLiteral("confirmed"));
                if (c != u"true" && c != u"false")
                    return reply(HttpResponse::text(
                        400, QStringLiteral("Failed to deserialize query string: provided string "
                                            "was not `true` or `false`")));
            }
            // The route reads its body as a String: anything but UTF-8 fails the extractor.
            QStringDecoder utf8(QStringDecoder::Utf8);
            const QString sqlText = utf8.decode(req.body);
            if (utf8.hasError())
                return reply(HttpResponse::text(
                    400, QStringLiteral("Failed to buffer the request body: request body "
                                        "didn't contain valid UTF-8")));
            // As on the real server the statement runs inside the caller's short connection:
            // the connect lifecycle runs (and may refuse) before the text is even parsed.
            const ChatHost::Caller caller{auth.claims.identity(), stdb::ConnectionId::random()};
            std::optional<HttpResponse> failure;
            QByteArray body;
            const bool admitted = h->withShortConnection(caller, [&] {
                auto query = SqlQuery::compileSql(sqlText, h->database().catalog(),
                                                  h->sqlAuth(auth.claims.identity()));
                if (!query) {
                    failure = HttpResponse::text(400, query.error().message());
                    return;
                }
                SqlQuery::ResultSet result;
                SqlQuery::DmlStats stats;
                if (query->isDml()) {
                    auto applied = h->runSqlDml(*query);
                    if (!applied) {
                        failure = HttpResponse::text(400, applied.error().message());
                        return;
                    }
                    stats = *applied;
                } else {
                    result = query->run(h->database());
                }
                body = '[' + sqlResultJson(result, timer.nsecsElapsed() / 1000, stats) + ']';
            });
            if (!admitted)
                return reply(HttpResponse::text(403, QStringLiteral("the module's "
                                                                    "client_connected reducer "
                                                                    "rejected the caller")));
            if (failure)
                return reply(*failure);
            HttpResponse r = HttpResponse::json(200, body);
            r.setHeader("spacetime-execution-duration-micros",
                        QByteArray::number(timer.nsecsElapsed() / 1000));
            return reply(r);
        });
}

} // namespace host
