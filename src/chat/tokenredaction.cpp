#include "chat/tokenredaction.h"

namespace chat {

QString redactToken(const QString &token) {
    if (token.isEmpty())
        return QStringLiteral("<no token>");
    return QStringLiteral("<token, %1 chars>").arg(token.size());
}

} // namespace chat
