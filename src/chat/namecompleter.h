// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace chat {

// Tab completion of user names in the message input. Tab completes the word before the cursor
// to a name that starts with it (any letter case, an optional leading "@" is kept): at the start
// of the message the name gets ": " after it, elsewhere a space. Tab again replaces it with the
// next candidate (in alphabetical order, wrapping), Shift+Tab with the previous one. The front
// end calls reset() on any other key; a text or cursor that is not what the last completion left
// starts a new cycle too.
class NameCompleter {
public:
    struct Completion {
        // text[from, to) of the text passed in becomes `insert`.
        qsizetype from = 0;
        qsizetype to = 0;
        QString insert;
        // The whole text afterwards, and where the cursor goes.
        QString text;
        qsizetype cursor = 0;
    };

    // `names`: the names as typed (UserModel::completionNames()). nullopt when nothing
    // applies (no word before the cursor, no name starts with it): the key then keeps its
    // usual meaning (moving the focus).
    std::optional<Completion> complete(const QString &text, qsizetype cursor,
                                       const QStringList &names, bool backwards = false);
    void reset();
    bool isCycling() const { return !m_candidates.isEmpty(); }
    // The names of the current cycle, in cycling order.
    const QStringList &candidates() const { return m_candidates; }

private:
    Completion step();

    QStringList m_candidates;
    qsizetype m_index = -1;
    QString m_before; // the text before the completed word
    QString m_after;  // the text after the cursor when the cycle began
    bool m_at = false;
    qsizetype m_replaced = 0; // length of what the last step inserted (the word, at first)
    QString m_lastText;
    qsizetype m_lastCursor = -1;
};

} // namespace chat
