// SPDX-License-Identifier: Apache-2.0
#include "desktop/desktoplog.h"

Q_LOGGING_CATEGORY(lcDesktop, "desktop", QtInfoMsg)
