// SPDX-License-Identifier: Apache-2.0
#include "chat/mentions.h"

namespace chat {

void Mentions::setName(const QString &name) {
    m_name = name;
    m_active = !name.trimmed().isEmpty();
    if (!m_active) {
        m_pattern = QRegularExpression();
        return;
    }
    // \W with Unicode properties: a name next to a letter of any script is part of a longer
    // word, not a mention ("Bobby" does not mention "Bob").
    m_pattern = QRegularExpression(
        QStringLiteral("(^|\\W)@?%1($|\\W)").arg(QRegularExpression::escape(name)),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    // Matched against every message a view shows: worth compiling now rather than on first use.
    m_pattern.optimize();
}

bool Mentions::matches(const QString &text) const {
    if (!m_active || text.isEmpty())
        return false;
    return m_pattern.match(text).hasMatch();
}

} // namespace chat
