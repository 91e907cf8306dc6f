// SPDX-License-Identifier: Apache-2.0
#include "sendercolor.h"

#include <QCryptographicHash>

bool isDarkPalette(const QPalette &palette) {
    return palette.color(QPalette::Base).lightness() < 128;
}

namespace {
int hueOf(const QString &identityHex) {
    const QByteArray digest =
        QCryptographicHash::hash(identityHex.toLatin1(), QCryptographicHash::Sha1);
    const quint32 h = (quint32(quint8(digest[0])) << 8) | quint8(digest[1]);
    return int(h % 360);
}
} // namespace

QColor avatarColor(const QString &identityHex) {
    return QColor::fromHsl(hueOf(identityHex), 150, 105);
}

QColor senderColor(const QString &identityHex, const QPalette &palette) {
    // A hash of the identity picks the hue; the process-independent digest keeps the colour
    // the same on every start and in every client.
    const int hue = hueOf(identityHex);
    if (isDarkPalette(palette))
        return QColor::fromHsl(hue, 170, 175);
    return QColor::fromHsl(hue, 190, 100);
}
