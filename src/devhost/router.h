// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpmessage.h"

#include <QHash>
#include <QList>

#include <functional>
#include <optional>

namespace host {

// Method + path-pattern dispatch. Patterns are slash-separated segments; a segment ":name"
// captures one decoded path segment. Unknown paths get 404, known paths with another method
// 405 (with Allow), and OPTIONS gets a CORS preflight answer for any known path.
class Router {
public:
    using Params = QHash<QString, QString>;
    using Handler = std::function<HttpResponse(const HttpRequest &, const Params &)>;

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    HttpResponse dispatch(const HttpRequest &request) const;

    // Captures of the first pattern matching these segments (any method), if any.
    static std::optional<Params> match(const QString &pattern, const QStringList &segments);

private:
    struct Route {
        QByteArray method;
        QString pattern;
        Handler handler;
    };
    QList<Route> m_routes;
};

} // namespace host
