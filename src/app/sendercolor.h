// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

// A stable colour per sender, derived from the identity (not the name, which can change), and
// readable on the palette's base colour (lighter on dark backgrounds, darker on light ones).
QColor senderColor(const QString &identityHex, const QPalette &palette);

// True when the palette's window colour is dark (a dark theme).
bool isDarkPalette(const QPalette &palette);

// The avatar disc's colour for a sender: the same hue, dark enough for white initials on any
// palette.
QColor avatarColor(const QString &identityHex);
