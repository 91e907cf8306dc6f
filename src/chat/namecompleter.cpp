// SPDX-License-Identifier: Apache-2.0
#include "chat/namecompleter.h"

#include <algorithm>

namespace chat {

namespace {
// Composed and decomposed spellings of one name compare equal ("É" typed as E + U+0301).
QString normalized(const QString &s) {
    return s.normalized(QString::NormalizationForm_C);
}
} // namespace

void NameCompleter::reset() {
    m_candidates.clear();
    m_index = -1;
    m_before.clear();
    m_after.clear();
    m_at = false;
    m_replaced = 0;
    m_lastText.clear();
    m_lastCursor = -1;
}

std::optional<NameCompleter::Completion> NameCompleter::complete(const QString &text,
                                                                 qsizetype cursor,
                                                                 const QStringList &names,
                                                                 bool backwards) {
    if (isCycling() && text == m_lastText && cursor == m_lastCursor) {
        const qsizetype n = m_candidates.size();
        m_index = backwards ? (m_index + n - 1) % n : (m_index + 1) % n;
        return step();
    }
    reset();
    if (cursor < 0 || cursor > text.size())
        return std::nullopt;
    qsizetype start = cursor;
    while (start > 0 && !text.at(start - 1).isSpace())
        --start;
    QString word = text.mid(start, cursor - start);
    const bool at = word.startsWith(QLatin1Char('@'));
    if (at)
        word.remove(0, 1);
    // A bare Tab keeps moving the focus; a lone "@" offers everyone.
    if (word.isEmpty() && !at)
        return std::nullopt;
    const QString prefix = normalized(word);

    QStringList candidates;
    for (const QString &name : names) {
        if (!name.trimmed().isEmpty() && normalized(name).startsWith(prefix, Qt::CaseInsensitive))
            candidates.append(name);
    }
    if (candidates.isEmpty())
        return std::nullopt;
    // A stable order whatever order the user list is in (it moves with presence); two users
    // of one name are one candidate.
    std::sort(candidates.begin(), candidates.end(), [](const QString &a, const QString &b) {
        const int c = QString::compare(a, b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    m_candidates = candidates;
    m_index = backwards ? candidates.size() - 1 : 0;
    m_before = text.left(start);
    m_after = text.mid(cursor);
    m_at = at;
    m_replaced = cursor - start;
    return step();
}

NameCompleter::Completion NameCompleter::step() {
    QString suffix = m_before.isEmpty() ? QStringLiteral(": ") : QStringLiteral(" ");
    // Completing in front of a space: use that space rather than doubling it.
    const bool spaceFollows = !m_after.isEmpty() && m_after.at(0).isSpace();
    if (spaceFollows)
        suffix.chop(1);

    Completion c;
    c.from = m_before.size();
    c.to = c.from + m_replaced;
    c.insert = (m_at ? QStringLiteral("@") : QString()) + m_candidates.at(m_index) + suffix;
    c.text = m_before + c.insert + m_after;
    c.cursor = c.from + c.insert.size() + (spaceFollows ? 1 : 0);
    m_replaced = c.insert.size();
    m_lastText = c.text;
    m_lastCursor = c.cursor;
    return c;
}

} // namespace chat
