// SPDX-License-Identifier: Apache-2.0
#include "chat/daylabel.h"

#include <QLocale>

namespace chat {

QString DayLabel::text(QDate day, QDate today) {
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

} // namespace chat
