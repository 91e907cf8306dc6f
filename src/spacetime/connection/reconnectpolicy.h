// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QString>

#include <chrono>

namespace stdb {

// When and how often a DbConnection tries again after it lost its session (opt-in).
//
// Delays grow geometrically from initialDelay by multiplier up to maxDelay. Each delay is
// shortened by a random fraction of at most `jitter`, so many clients dropped at once do not
// come back in lockstep, and no delay ever exceeds the nominal schedule. After a session stayed
// up for stableAfter the schedule starts again from initialDelay.
struct STDB_EXPORT ReconnectPolicy {
    bool enabled = false;
    std::chrono::milliseconds initialDelay{500};
    std::chrono::milliseconds maxDelay{30000};
    double multiplier = 2.0;
    double jitter = 0.2; // fraction in [0, 1]
    std::chrono::milliseconds stableAfter{60000};

    // The defaults with enabled = true.
    static ReconnectPolicy standard() {
        ReconnectPolicy p;
        p.enabled = true;
        return p;
    }

    // Why this policy is unusable, or an empty string.
    QString validate() const;

    bool operator==(const ReconnectPolicy &) const = default;
};

} // namespace stdb
