// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/timestamp.h"

#include <variant>

namespace stdb {

// When a scheduled reducer runs: every Interval, or once at Time. BSATN sum, Interval = tag 0.
class STDB_EXPORT ScheduleAt {
public:
    ScheduleAt() = default;
    ScheduleAt(TimeDuration interval)
        : m_value(interval) {}
    ScheduleAt(Timestamp time)
        : m_value(time) {}

    bool isInterval() const { return m_value.index() == 0; }
    bool isTime() const { return m_value.index() == 1; }
    TimeDuration interval() const { return std::get<0>(m_value); }
    Timestamp time() const { return std::get<1>(m_value); }

    bool operator==(const ScheduleAt &) const = default;

private:
    std::variant<TimeDuration, Timestamp> m_value;
};

} // namespace stdb
