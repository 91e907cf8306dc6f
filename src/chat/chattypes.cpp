// SPDX-License-Identifier: Apache-2.0
#include "chat/chattypes.h"

#include <QCoreApplication>

namespace chat {

QString validateName(const QString &name) {
    if (name.trimmed().isEmpty())
        return QCoreApplication::translate("chat", "Names must not be empty");
    if (name.size() > kMaxNameLength)
        return QCoreApplication::translate("chat", "Names must not be longer than %1 characters")
            .arg(kMaxNameLength);
    for (const QChar c : name)
        if (c.category() == QChar::Other_Control)
            return QCoreApplication::translate("chat", "Names must not contain control characters");
    return {};
}

std::optional<QString> nameCommand(const QString &text) {
    static const QLatin1String kName("/name");
    const QString trimmed = text.trimmed();
    if (trimmed != kName && !trimmed.startsWith(kName + QLatin1Char(' ')))
        return std::nullopt;
    return trimmed.mid(kName.size()).trimmed();
}

QString validateMessage(const QString &text) {
    if (text.trimmed().isEmpty())
        return QCoreApplication::translate("chat", "Messages must not be empty");
    if (text.toUtf8().size() > kMaxMessageBytes)
        return QCoreApplication::translate("chat", "Messages must not be longer than %1 KiB")
            .arg(kMaxMessageBytes / 1024);
    return {};
}

QString displayName(const stdb::Identity &identity, const std::optional<QString> &name) {
    if (name && !name->isEmpty())
        return *name;
    return identity.toShortHex();
}

} // namespace chat
