// SPDX-License-Identifier: Apache-2.0
#include "applog.h"

Q_LOGGING_CATEGORY(lcApp, "app", QtInfoMsg)
