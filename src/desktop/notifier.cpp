// SPDX-License-Identifier: Apache-2.0
#include "desktop/notifier.h"

namespace desktop {

QString Notifier::shorten(const QString &text) {
    QString oneLine = text.simplified();
    // Control characters left after that (ESC, NUL, C1) mean nothing in a notification; NUL
    // would even cut the D-Bus string short. Show them as U+FFFD.
    for (QChar &c : oneLine) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u < 0xa0))
            c = QChar(QChar::ReplacementCharacter);
    }
    if (oneLine.size() <= kMaxBody)
        return oneLine;
    int cut = kMaxBody - 1;
    // Do not cut a surrogate pair in half.
    if (cut > 0 && oneLine.at(cut - 1).isHighSurrogate())
        --cut;
    return oneLine.left(cut) + QChar(0x2026);
}

} // namespace desktop
