#include "applog.h"

Q_LOGGING_CATEGORY(lcApp, "spacetime.app", QtInfoMsg)
