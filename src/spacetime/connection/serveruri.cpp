// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/serveruri.h"

#include <QUrlQuery>

namespace stdb {

namespace {

bool hasSpaceOrControl(QStringView s) {
    for (QChar c : s)
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return true;
    return false;
}

} // namespace

Expected<ServerUri> ServerUri::parse(const QString &input) {
    const QString text = input.trimmed();
    if (text.isEmpty())
        return Error(Error::Kind::InvalidArgument, QStringLiteral("the server URI is empty"));
    if (hasSpaceOrControl(text))
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the server URI \"%1\" contains spaces or control characters")
                         .arg(text));

    // "localhost:3000" would parse as scheme "localhost"; a bare authority means ws.
    const bool hasScheme = text.contains(QLatin1String("://"));
    const QString withScheme = hasScheme ? text : QStringLiteral("ws://") + text;
    QUrl url(withScheme, QUrl::StrictMode);
    if (!url.isValid())
        return Error(
            Error::Kind::InvalidArgument,
            QStringLiteral("the server URI \"%1\" is not valid: %2").arg(text, url.errorString()));

    const QString scheme = url.scheme().toLower();
    QString wsScheme;
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        wsScheme = QStringLiteral("ws");
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        wsScheme = QStringLiteral("wss");
    else
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the server URI \"%1\" has the unsupported scheme \"%2\"; use "
                                    "http, https, ws or wss")
                         .arg(text, url.scheme()));
    if (url.host().isEmpty())
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the server URI \"%1\" has no host name").arg(text));
    if (url.hasQuery() || text.contains(QLatin1Char('?')))
        return Error(
            Error::Kind::InvalidArgument,
            QStringLiteral("the server URI \"%1\" must not contain a query string").arg(text));
    if (url.hasFragment() || text.contains(QLatin1Char('#')))
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the server URI \"%1\" must not contain a fragment").arg(text));
    if (!url.userInfo().isEmpty())
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("the server URI \"%1\" must not contain credentials; pass a "
                                    "token with withToken()")
                         .arg(text));

    ServerUri u;
    QUrl display = url;
    display.setScheme(scheme);
    QString path = url.path();
    while (path.endsWith(QLatin1String("//")))
        path.chop(1);
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    display.setPath(path == QLatin1String("/") ? QString() : path.chopped(1));
    u.m_display = display.toString();
    url.setScheme(wsScheme);
    url.setPath(path);
    u.m_ws = url;
    return u;
}

QUrl ServerUri::httpBase() const {
    QUrl u = m_ws;
    u.setScheme(isSecure() ? QStringLiteral("https") : QStringLiteral("http"));
    return u;
}

QUrl ServerUri::subscribeUrl(const QString &database, Compression compression,
                             std::optional<bool> confirmedReads, bool lightMode) const {
    QUrl u = m_ws;
    // validateDatabaseName() ruled out '/', '?', '#' and '%', so the decoded form is one path
    // segment; QUrl encodes anything else that needs it.
    u.setPath(m_ws.path() + QStringLiteral("v1/database/") + database +
              QStringLiteral("/subscribe"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("compression"), compressionParameter(compression));
    if (confirmedReads)
        q.addQueryItem(QStringLiteral("confirmed"),
                       *confirmedReads ? QStringLiteral("true") : QStringLiteral("false"));
    // Only when asked for, like the official SDKs: the server's default is false.
    if (lightMode)
        q.addQueryItem(QStringLiteral("light"), QStringLiteral("true"));
    u.setQuery(q);
    return u;
}

QString validateDatabaseName(const QString &name) {
    if (name.isEmpty())
        return QStringLiteral("the database name is empty");
    if (name.size() > 256)
        return QStringLiteral("the database name is longer than 256 characters");
    if (hasSpaceOrControl(name))
        return QStringLiteral("the database name \"%1\" contains spaces or control characters")
            .arg(name);
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("\"%1\" is not a database name").arg(name);
    for (QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#') ||
            c == QLatin1Char('%') || c == QLatin1Char('\\'))
            return QStringLiteral("the database name \"%1\" contains the character '%2'")
                .arg(name, c);
    }
    return {};
}

} // namespace stdb
