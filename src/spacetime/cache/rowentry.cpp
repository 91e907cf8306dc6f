// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/rowentry.h"

namespace stdb {

static_assert(sizeof(void *) != 8 || sizeof(RowEntry) == 48,
              "RowEntry is one per cached row: keep it small");

quint32 RowEntry::countFor(protocol::QuerySetId id) const {
    if (m_setCount && m_set == id)
        return m_setCount;
    return m_otherSets ? m_otherSets->value(id, 0) : 0;
}

void RowEntry::addRef(protocol::QuerySetId set, quint32 n) {
    m_refs += n;
    if (m_setCount == 0 || m_set == set) {
        m_set = set;
        m_setCount += n;
        return;
    }
    if (!m_otherSets)
        m_otherSets = std::make_unique<QHash<protocol::QuerySetId, quint32>>();
    (*m_otherSets)[set] += n;
}

bool RowEntry::removeRef(protocol::QuerySetId set) {
    if (m_setCount && m_set == set) {
        --m_setCount;
        --m_refs;
        if (m_setCount == 0 && m_otherSets && !m_otherSets->isEmpty()) {
            // promote another set to the inline slot
            auto it = m_otherSets->begin();
            m_set = it.key();
            m_setCount = it.value();
            m_otherSets->erase(it);
        }
        return true;
    }
    if (m_otherSets) {
        auto it = m_otherSets->find(set);
        if (it != m_otherSets->end()) {
            --m_refs;
            if (--it.value() == 0)
                m_otherSets->erase(it);
            return true;
        }
    }
    return false;
}

quint32 RowEntry::dropSet(protocol::QuerySetId set) {
    quint32 n = 0;
    while (removeRef(set))
        ++n;
    return n;
}

} // namespace stdb
