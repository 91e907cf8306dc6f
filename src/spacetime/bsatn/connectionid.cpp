// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/connectionid.h"

#include <QRandomGenerator>

namespace stdb {

ConnectionId ConnectionId::fromHex(QStringView hex, bool *ok) {
    if (hex.startsWith(u"0x") || hex.startsWith(u"0X"))
        hex = hex.mid(2);
    if (hex.size() != 32) {
        if (ok)
            *ok = false;
        return {};
    }
    return ConnectionId(U128::fromHex(hex, ok));
}

ConnectionId ConnectionId::random() {
    U128 v;
    do {
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(v.littleEndian().data()),
                                              4);
    } while (v.isZero());
    return ConnectionId(v);
}

} // namespace stdb
