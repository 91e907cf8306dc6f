// SPDX-License-Identifier: Apache-2.0
#include "spacetime/connection/requesttracker.h"

#include <algorithm>

namespace stdb {

quint32 RequestTracker::nextId() {
    // Skips ids still pending (only possible after 2^32 requests) and 0 (some servers and our
    // logs read 0 as "none").
    for (;;) {
        const quint32 id = m_next++;
        if (id != 0 && !m_pending.contains(id))
            return id;
    }
}

void RequestTracker::add(quint32 id, Pending p) {
    p.serial = ++m_serial;
    m_pending.insert(id, std::move(p));
}

std::optional<RequestTracker::Pending> RequestTracker::take(quint32 id, Kind kind) {
    auto it = m_pending.find(id);
    if (it == m_pending.end() || it->kind != kind)
        return std::nullopt;
    Pending p = std::move(it.value());
    m_pending.erase(it);
    return p;
}

void RequestTracker::markAllSent() {
    for (auto &p : m_pending)
        p.sent = true;
}

QList<std::pair<quint32, RequestTracker::Pending>>
RequestTracker::takeAll(std::optional<bool> sent) {
    QList<std::pair<quint32, Pending>> out;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (!sent || it->sent == *sent) {
            out.append({it.key(), std::move(it.value())});
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.second.serial < b.second.serial; });
    return out;
}

} // namespace stdb
