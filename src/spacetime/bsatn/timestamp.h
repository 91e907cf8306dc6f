// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QDateTime>
#include <QMetaType>

#include <compare>

namespace stdb {

// Microseconds since the Unix epoch (negative = before), as SpacetimeDB stores time.
class STDB_EXPORT Timestamp {
public:
    constexpr Timestamp() = default;
    static constexpr Timestamp fromMicros(qint64 us) {
        Timestamp t;
        t.m_us = us;
        return t;
    }
    static Timestamp fromDateTime(const QDateTime &dt) {
        return fromMicros(dt.toMSecsSinceEpoch() * 1000);
    }
    static Timestamp now();

    constexpr qint64 micros() const { return m_us; }
    // Millisecond precision: QDateTime cannot hold microseconds.
    QDateTime toDateTime() const;
    // RFC 3339 with microseconds, UTC ("2024-01-01T00:00:00.000000Z").
    QString toIso8601() const;
    static Timestamp fromIso8601(QStringView text, bool *ok = nullptr);

    constexpr bool operator==(const Timestamp &) const = default;
    constexpr auto operator<=>(const Timestamp &) const = default;

private:
    qint64 m_us = 0;
};

// A signed span of microseconds.
class STDB_EXPORT TimeDuration {
public:
    constexpr TimeDuration() = default;
    static constexpr TimeDuration fromMicros(qint64 us) {
        TimeDuration d;
        d.m_us = us;
        return d;
    }
    static constexpr TimeDuration fromMillis(qint64 ms) { return fromMicros(ms * 1000); }
    constexpr qint64 micros() const { return m_us; }
    constexpr qint64 millis() const { return m_us / 1000; }

    constexpr bool operator==(const TimeDuration &) const = default;
    constexpr auto operator<=>(const TimeDuration &) const = default;

private:
    qint64 m_us = 0;
};

constexpr Timestamp operator+(Timestamp t, TimeDuration d) {
    return Timestamp::fromMicros(t.micros() + d.micros());
}
constexpr Timestamp operator-(Timestamp t, TimeDuration d) {
    return Timestamp::fromMicros(t.micros() - d.micros());
}
constexpr TimeDuration operator-(Timestamp a, Timestamp b) {
    return TimeDuration::fromMicros(a.micros() - b.micros());
}

inline size_t qHash(Timestamp t, size_t seed = 0) {
    return ::qHash(t.micros(), seed);
}

} // namespace stdb

Q_DECLARE_METATYPE(stdb::Timestamp)
Q_DECLARE_METATYPE(stdb::TimeDuration)
