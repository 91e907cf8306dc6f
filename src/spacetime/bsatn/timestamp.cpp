// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/timestamp.h"

#include <QTimeZone>

#include <chrono>

namespace stdb {

Timestamp Timestamp::now() {
    // Microseconds, as the server stamps (QDateTime would round to milliseconds, so two
    // messages of one millisecond would tie).
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    return fromMicros(std::chrono::duration_cast<std::chrono::microseconds>(since).count());
}

QDateTime Timestamp::toDateTime() const {
    // floor division so pre-epoch values round towards -inf like the server does
    qint64 ms = m_us / 1000;
    if (m_us % 1000 < 0)
        --ms;
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

QString Timestamp::toIso8601() const {
    qint64 sub = m_us % 1000000;
    if (sub < 0)
        sub += 1000000;
    const qint64 secs = (m_us - sub) / 1000000;
    const QDateTime dt = QDateTime::fromSecsSinceEpoch(secs, QTimeZone::utc());
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + u'.' +
           QStringLiteral("%1").arg(sub, 6, 10, QLatin1Char('0')) + u'Z';
}

Timestamp Timestamp::fromIso8601(QStringView text, bool *ok) {
    // Split off the fractional seconds ourselves: Qt parses at most milliseconds.
    QString s = text.trimmed().toString();
    qint64 fracUs = 0;
    const qsizetype dot = s.indexOf(u'.');
    if (dot >= 0) {
        qsizetype end = dot + 1;
        while (end < s.size() && s[end].isDigit())
            ++end;
        QString frac = s.mid(dot + 1, end - dot - 1);
        if (frac.isEmpty()) {
            if (ok)
                *ok = false;
            return {};
        }
        frac = frac.left(6).leftJustified(6, u'0');
        fracUs = frac.toLongLong();
        s.remove(dot, end - dot);
    }
    QDateTime dt = QDateTime::fromString(s, Qt::ISODate);
    if (!dt.isValid()) {
        if (ok)
            *ok = false;
        return {};
    }
    if (ok)
        *ok = true;
    return fromMicros(dt.toSecsSinceEpoch() * 1000000 + fracUs);
}

} // namespace stdb
