// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace stdb {

// std::visit over a variant with one lambda per alternative: Overloaded{[](A) {}, [](B) {}}.
// Defined once here rather than in each .cpp, so that the library can be a unity build.
template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
// clang 14 has no CTAD for aggregates yet.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace stdb
