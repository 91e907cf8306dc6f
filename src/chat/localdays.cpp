// SPDX-License-Identifier: Apache-2.0
#include "chat/localdays.h"

#include <QDateTime>

#include <limits>

namespace chat {

namespace {
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

qint64 floorDiv(qint64 a, qint64 b) {
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
} // namespace

LocalDays::LocalDays()
    : LocalDays(QTimeZone::systemTimeZone()) {}

LocalDays::LocalDays(const QTimeZone &zone)
    : m_zone(zone.isValid() ? zone : QTimeZone::utc()) {}

qint64 LocalDays::day(qint64 utcMs) const {
    for (const Span &s : m_recent)
        if (s.contains(utcMs))
            return floorDiv(utcMs + s.offsetMs, kDayMs);
    const Span s = lookUp(utcMs);
    m_recent[m_next] = s;
    m_next = 1 - m_next;
    return floorDiv(utcMs + s.offsetMs, kDayMs);
}

LocalDays::Span LocalDays::lookUp(qint64 utcMs) const {
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone::utc());
    Span s;
    s.offsetMs = qint64(m_zone.offsetFromUtc(at)) * 1000;
    s.fromMs = std::numeric_limits<qint64>::min();
    s.toMs = std::numeric_limits<qint64>::max();
    if (!m_zone.hasTransitions())
        return s;
    // previousTransition() is strictly before `at`, nextTransition() strictly after: a
    // transition exactly at `at` starts the span.
    const QTimeZone::OffsetData prev = m_zone.previousTransition(at.addMSecs(1));
    if (prev.atUtc.isValid())
        s.fromMs = prev.atUtc.toMSecsSinceEpoch();
    const QTimeZone::OffsetData next = m_zone.nextTransition(at);
    if (next.atUtc.isValid())
        s.toMs = next.atUtc.toMSecsSinceEpoch();
    if (s.fromMs > utcMs || s.toMs <= utcMs) {
        // A zone whose transition data disagrees with its offset: this instant alone.
        s.fromMs = utcMs;
        s.toMs = utcMs + 1;
    }
    return s;
}

} // namespace chat
