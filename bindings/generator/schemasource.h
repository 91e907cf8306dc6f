// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/expected.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

// Where the schema JSON comes from: a file, or a running server's
// GET /v1/database/:name/schema route.
class SchemaSource {
public:
    static stdb::Expected<QByteArray> fromFile(const QString &path);
    // Asks for version=9 first (the canonical names are right there, spec §4.5) and, when the
    // server answers 4xx, for version=10. `server` is http(s)://host[:port][/base]; ws(s) is
    // taken as http(s). Blocks (with a local event loop) for at most `timeoutMs`.
    static stdb::Expected<QByteArray> fromServer(const QString &server, const QString &database,
                                                 const QString &token, int timeoutMs = 30000);
    // The URL fromServer() asks first (exposed for messages and tests).
    static QUrl schemaUrl(const QString &server, const QString &database, int version);
};
