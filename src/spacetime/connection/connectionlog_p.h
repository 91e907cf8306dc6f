#pragma once

#include <QLoggingCategory>

namespace stdb {

// "stdb.connection": shared by DbConnection and its socket worker, so one filter rule covers
// both threads (the CLI silences its warnings, for instance).
Q_DECLARE_LOGGING_CATEGORY(lcConnection)

} // namespace stdb
