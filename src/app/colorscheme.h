// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

class QApplication;

// "light" and "dark" switch to the Fusion style with a matching palette; "system" (or empty)
// keeps whatever the platform theme gives, which follows the desktop's dark mode.
void applyColorScheme(QApplication &app, const QString &scheme);
