// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/reconnectpolicy.h"

#include <limits>

namespace stdb {

QString ReconnectPolicy::validate() const {
    if (initialDelay.count() <= 0)
        return QStringLiteral("reconnect policy: the initial delay must be positive");
    if (maxDelay < initialDelay)
        return QStringLiteral("reconnect policy: the maximum delay must not be below the initial "
                              "delay");
    if (maxDelay.count() > std::numeric_limits<int>::max())
        return QStringLiteral("reconnect policy: the maximum delay is too large");
    if (!(multiplier >= 1.0) || multiplier > 1000.0)
        return QStringLiteral("reconnect policy: the multiplier must be between 1 and 1000");
    if (!(jitter >= 0.0) || jitter > 1.0)
        return QStringLiteral("reconnect policy: jitter must be a fraction between 0 and 1");
    if (stableAfter.count() < 0)
        return QStringLiteral("reconnect policy: stableAfter must not be negative");
    return {};
}

} // namespace stdb
