// SPDX-License-Identifier: Apache-2.0
#include "spacetime/error.h"

namespace stdb {

QString Error::toString() const {
    if (m_offset >= 0)
        return QStringLiteral("%1 (at byte %2)").arg(m_message).arg(m_offset);
    return m_message;
}

QString kindName(Error::Kind kind) {
    switch (kind) {
    case Error::Kind::None:
        return QStringLiteral("none");
    case Error::Kind::Decode:
        return QStringLiteral("decode");
    case Error::Kind::Compression:
        return QStringLiteral("compression");
    case Error::Kind::Protocol:
        return QStringLiteral("protocol");
    case Error::Kind::InvalidArgument:
        return QStringLiteral("invalid argument");
    case Error::Kind::Network:
        return QStringLiteral("network");
    case Error::Kind::Server:
        return QStringLiteral("server");
    case Error::Kind::Disconnected:
        return QStringLiteral("disconnected");
    case Error::Kind::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("unknown");
}

} // namespace stdb
