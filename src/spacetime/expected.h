// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/error.h"

#include <utility>
#include <variant>

namespace stdb {

// A value or an Error (std::expected is C++23; we target C++20).
template <typename T>
class Expected {
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error)
        : m_data(std::in_place_index<1>, std::move(error)) {}

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

} // namespace stdb
