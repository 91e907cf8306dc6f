#include "notifier.h"

QString Notifier::shorten(const QString &text) {
    QString oneLine = text.simplified();
    if (oneLine.size() <= kMaxBody)
        return oneLine;
    int cut = kMaxBody - 1;
    // Do not cut a surrogate pair in half.
    if (cut > 0 && oneLine.at(cut - 1).isHighSurrogate())
        --cut;
    return oneLine.left(cut) + QChar(0x2026);
}
