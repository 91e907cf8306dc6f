// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTimeZone>

namespace chat {

// The local calendar day of a UTC instant, as a day number (0 = 1970-01-01 local), without a
// time zone lookup per call. QDateTime::toLocalTime() goes through the C library, which
// re-reads the zone file's status (a stat() of /etc/localtime) on every call; a view that sizes
// 200k rows would pay that 200k times. Here the zone's offset is looked up once per span
// between two transitions and reused for every instant inside that span.
class LocalDays {
public:
    LocalDays();
    // For tests: days in this zone instead of the system's.
    explicit LocalDays(const QTimeZone &zone);

    qint64 day(qint64 utcMs) const;

private:
    struct Span {
        qint64 fromMs = 1; // empty until first used
        qint64 toMs = 0;
        qint64 offsetMs = 0;
        bool contains(qint64 ms) const { return ms >= fromMs && ms < toMs; }
    };
    Span lookUp(qint64 utcMs) const;

    QTimeZone m_zone;
    // The two spans used last: rows on both sides of a DST change alternate between them.
    mutable Span m_recent[2];
    mutable int m_next = 0;
};

} // namespace chat
