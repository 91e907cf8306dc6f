// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringView>

namespace chat {

// Whether a message mentions a name: the name as a whole word, with or without a leading "@",
// in any letter case ("hi @bob!", "BOB: look"). One rule for the message list's highlight
// (MessageModel::MentionsMeRole) and the desktop notifications. The pattern is compiled once
// per name, not per message.
class Mentions {
public:
    Mentions() = default;
    explicit Mentions(const QString &name) { setName(name); }

    // An empty or blank name mentions nothing.
    void setName(const QString &name);
    const QString &name() const { return m_name; }
    bool isEmpty() const { return !m_active; }

    bool matches(const QString &text) const;

private:
    QString m_name;
    QRegularExpression m_pattern;
    bool m_active = false;
};

} // namespace chat
