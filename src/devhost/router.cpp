// SPDX-License-Identifier: Apache-2.0
#include "router.h"

namespace host {

void Router::add(const QByteArray &method, const QString &pattern, Handler handler) {
    m_routes.append({method, pattern, std::move(handler)});
}

std::optional<Router::Params> Router::match(const QString &pattern, const QStringList &segments) {
    const QStringList parts = pattern.split(u'/', Qt::SkipEmptyParts);
    QStringList segs = segments;
    if (!segs.isEmpty() && segs.back().isEmpty())
        segs.removeLast(); // tolerate one trailing slash
    if (parts.size() != segs.size())
        return std::nullopt;
    Params params;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i].startsWith(u':')) {
            if (segs[i].isEmpty())
                return std::nullopt;
            params.insert(parts[i].mid(1), segs[i]);
        } else if (parts[i] != segs[i]) {
            return std::nullopt;
        }
    }
    return params;
}

HttpResponse Router::dispatch(const HttpRequest &request) const {
    QByteArrayList allowed;
    // HEAD is served by the GET handler; the connection strips the body.
    const QByteArray method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    for (const Route &route : m_routes) {
        const std::optional<Params> params = match(route.pattern, request.segments);
        if (!params)
            continue;
        if (route.method == method)
            return route.handler(request, *params);
        allowed.append(route.method);
    }
    if (allowed.isEmpty())
        return HttpResponse::text(404, QStringLiteral("not found"));
    if (request.method == "OPTIONS") {
        HttpResponse r(204);
        r.setHeader("Access-Control-Allow-Methods", allowed.join(", ") + ", OPTIONS");
        r.setHeader("Access-Control-Allow-Headers", "Authorization, Accept, Content-Type");
        r.setHeader("Access-Control-Max-Age", "86400");
        return r;
    }
    HttpResponse r = HttpResponse::text(405, QStringLiteral("method not allowed"));
    r.setHeader("Allow", allowed.join(", "));
    return r;
}

} // namespace host
