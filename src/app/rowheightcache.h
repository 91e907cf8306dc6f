// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <cstddef>
#include <optional>
#include <unordered_map>

// Row heights of the message view by what decides them: the text, the grouping flags and the
// delivery line (the width is the same for every entry; the owner clears the cache when it
// changes). Keys are compared in full on every hit, so two rows whose hashes collide never
// share a height.
class RowHeightCache {
public:
    struct Key {
        QString text;
        int flags = 0;
        QString status;
        bool operator==(const Key &) const = default;
    };
    // Seeded per process unless given (tests pass a colliding one).
    using HashFunction = std::size_t (*)(const Key &);

    explicit RowHeightCache(HashFunction hash = nullptr);

    std::optional<int> find(const Key &key) const;
    // Beyond maxEntries() the cache starts over rather than grow without bound.
    void insert(Key key, int height);
    void clear() { m_heights.clear(); }
    int size() const { return int(m_heights.size()); }
    static constexpr int maxEntries() { return 500000; }

private:
    struct Hasher {
        HashFunction hash;
        std::size_t operator()(const Key &key) const { return hash(key); }
    };
    std::unordered_map<Key, int, Hasher> m_heights;
};
