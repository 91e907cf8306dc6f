// SPDX-License-Identifier: Apache-2.0
#include "chat/profile.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

namespace chat {

Profile::Profile(QString serverUrl, QString database, QString name)
    : m_serverUrl(expandServerShortcut(serverUrl.trimmed()))
    , m_database(std::move(database))
    , m_name(std::move(name)) {}

QString Profile::expandServerShortcut(const QString &server) {
    if (server.compare(QLatin1String("maincloud"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("https://maincloud.spacetimedb.com");
    return server;
}

QString Profile::normalizedServer() const {
    QString s = m_serverUrl.trimmed();
    if (!s.contains(QLatin1String("://")))
        s.prepend(QLatin1String("http://"));
    QUrl url(s);
    if (!url.isValid())
        return m_serverUrl.trimmed();
    url.setScheme(url.scheme().toLower());
    url.setHost(url.host().toLower());
    // "http://host/" and "http://host" are the same server; a base path is kept.
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url.toString(QUrl::NormalizePathSegments);
}

QString Profile::credentialKey() const {
    return QStringLiteral("%1|%2|%3").arg(normalizedServer(), m_database, m_name);
}

QString Profile::dataDir() const {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString dir = base + QStringLiteral("/profiles/") + m_name;
    QDir().mkpath(dir);
    return dir;
}

bool Profile::isValidName(const QString &name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return re.match(name).hasMatch() && name != QLatin1String(".") && name != QLatin1String("..");
}

} // namespace chat
