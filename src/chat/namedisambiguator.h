// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/identity.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace chat {

// Tells apart users whose names look the same. In quickstart-chat a name is a string anyone can
// set, so two users may both be "Bob", or "Bob" and "bob", or "Bob" and "Воb" (with a Cyrillic
// В): the client is the only place that can keep them apart. Names are compared after removing
// invisible characters, collapsing white space, NFKC normalisation, case folding and mapping
// confusable characters to a common skeleton (ICU's spoof checker, UTS #39); every user of a
// group of two or more equal names is shown with the first 8 hex digits of their identity,
// "Bob (c0ffee12)", or more digits while two of the group share those 8. A name made only of
// invisible, white-space or control characters is always shown as "(no visible name) c0ffee12".
//
// The display names are computed when a name changes (set/remove), not when they are shown; the
// calls return the identities whose display name changed, so a model can update exactly those
// rows.
class NameDisambiguator {
    Q_DECLARE_TR_FUNCTIONS(chat::NameDisambiguator)
public:
    struct User {
        stdb::Identity identity;
        std::optional<QString> name;
    };

    // Replaces everyone (no change list: the caller resets its model).
    void reset(const QList<User> &users);
    // Adds a user or changes their name.
    QList<stdb::Identity> set(const stdb::Identity &identity, const std::optional<QString> &name);
    QList<stdb::Identity> remove(const stdb::Identity &identity);
    void clear();

    bool contains(const stdb::Identity &identity) const { return m_users.contains(identity); }
    // The name to show: the name, disambiguated when needed; the first 16 hex digits of the
    // identity for users without a name and for unknown identities.
    QString displayName(const stdb::Identity &identity) const;
    // True while the user's name collides with another user's (the display has the suffix).
    bool isAmbiguous(const stdb::Identity &identity) const;

    // What names are compared by: equal keys look alike. Empty for a name with nothing
    // visible in it.
    static QString comparisonKey(const QString &name);
    // True when `name` has no visible character: only white space, control, format or
    // other default-ignorable characters (or combining marks with nothing to combine with).
    static bool isInvisible(const QString &name);
    // The suffix: the first 8 hex digits of the identity (more while two users of a group share
    // those; see suffixDigits()).
    static constexpr int kSuffixDigits = 8;
    static QString shortIdentity(const stdb::Identity &identity);

private:
    struct Entry {
        std::optional<QString> name;
        QString key;     // group key; empty = in no group (invisible name)
        QString display; // cached
    };

    // How many hex digits tell every identity of `group` apart (8, 12, … 64).
    static int suffixDigits(const QList<stdb::Identity> &group);
    QString keyFor(const stdb::Identity &identity, const std::optional<QString> &name) const;
    QString computeDisplay(const stdb::Identity &identity, const Entry &e) const;
    // Recomputes the displays of `key`'s group; appends those that changed to `changed`.
    void refreshGroup(const QString &key, QList<stdb::Identity> &changed);
    void leaveGroup(const stdb::Identity &identity, const QString &key);

    QHash<stdb::Identity, Entry> m_users;
    QHash<QString, QList<stdb::Identity>> m_groups;
};

} // namespace chat
