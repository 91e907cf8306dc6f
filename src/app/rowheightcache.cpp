// SPDX-License-Identifier: Apache-2.0
#include "rowheightcache.h"

#include <QHashFunctions>

namespace {
std::size_t seededHash(const RowHeightCache::Key &key) {
    return qHashMulti(QHashSeed::globalSeed(), key.text, key.flags, key.status);
}
} // namespace

RowHeightCache::RowHeightCache(HashFunction hash)
    : m_heights(0, Hasher{hash ? hash : &seededHash}) {}

std::optional<int> RowHeightCache::find(const Key &key) const {
    const auto it = m_heights.find(key);
    if (it == m_heights.end())
        return std::nullopt;
    return it->second;
}

void RowHeightCache::insert(Key key, int height) {
    if (m_heights.size() >= std::size_t(maxEntries()))
        m_heights.clear();
    m_heights.insert_or_assign(std::move(key), height);
}
