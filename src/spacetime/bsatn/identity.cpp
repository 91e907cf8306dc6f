// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/identity.h"

namespace stdb {

Identity Identity::fromWireBytes(QByteArrayView le32) {
    Q_ASSERT(le32.size() == U256::size);
    return Identity(U256::fromLittleEndian(reinterpret_cast<const quint8 *>(le32.data())));
}

Identity Identity::fromHex(QStringView hex, bool *ok) {
    if (hex.startsWith(u"0x") || hex.startsWith(u"0X"))
        hex = hex.mid(2);
    if (hex.size() != 64) {
        if (ok)
            *ok = false;
        return {};
    }
    return Identity(U256::fromHex(hex, ok));
}

QByteArray Identity::toWireBytes() const {
    return QByteArray(reinterpret_cast<const char *>(m_value.littleEndian().data()), U256::size);
}

} // namespace stdb
