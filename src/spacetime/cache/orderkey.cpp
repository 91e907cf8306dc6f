// SPDX-License-Identifier: Apache-2.0
#include "spacetime/cache/orderkey.h"

namespace stdb::orderkey {

QByteArray successor(QByteArray prefix) {
    while (!prefix.isEmpty()) {
        const quint8 last = quint8(prefix.back());
        if (last != 0xff) {
            prefix.back() = char(last + 1);
            return prefix;
        }
        prefix.chop(1);
    }
    return prefix;
}

} // namespace stdb::orderkey
