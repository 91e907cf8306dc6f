// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/compression.h"
#include "spacetime/expected.h"

#include <QUrl>

#include <optional>

namespace stdb {

// The address of a SpacetimeDB host as a user gives it: http, https, ws, wss or a bare
// host:port (taken as ws). A base path is kept (for hosts behind a reverse proxy); query
// strings, fragments and credentials in the URI are refused.
class STDB_EXPORT ServerUri {
public:
    ServerUri() = default;

    static Expected<ServerUri> parse(const QString &text);

    bool isNull() const { return m_ws.isEmpty(); }
    bool isSecure() const { return m_ws.scheme() == QLatin1String("wss"); }
    // ws(s)://host[:port]/base/ (always ends with '/').
    const QUrl &webSocketBase() const { return m_ws; }
    // The same with http(s), for the HTTP routes.
    QUrl httpBase() const;
    // For messages: the scheme the user wrote (ws when none), no trailing slash.
    const QString &display() const { return m_display; }

    // {base}v1/database/{database}/subscribe?compression=…[&confirmed=…][&light=true]
    QUrl subscribeUrl(const QString &database, Compression compression,
                      std::optional<bool> confirmedReads, bool lightMode = false) const;

    bool operator==(const ServerUri &) const = default;

private:
    QUrl m_ws;
    QString m_display;
};

// Checks a database name or a 64-hex-digit database identity; returns why it is unusable, or
// an empty string.
STDB_EXPORT QString validateDatabaseName(const QString &name);

} // namespace stdb
