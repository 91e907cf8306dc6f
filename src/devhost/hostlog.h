// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLoggingCategory>

namespace host {

Q_DECLARE_LOGGING_CATEGORY(lcHost)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcWs)
Q_DECLARE_LOGGING_CATEGORY(lcDb)
// The module's own log lines (what `spacetime logs` shows for a real database).
Q_DECLARE_LOGGING_CATEGORY(lcModule)

// Routes every qDebug/qInfo/qWarning to stderr as
// "2026-01-01T12:00:00.123456Z  INFO host.ws: text", UTC with microseconds, one line each.
void installLogHandler();

} // namespace host
