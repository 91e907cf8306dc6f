#pragma once

#include <QLoggingCategory>

// Log category of the desktop app ("spacetime.app"). Never log tokens.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
