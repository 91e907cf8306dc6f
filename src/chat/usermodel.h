// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"
#include "chat/namedisambiguator.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>

namespace chat {

// Everyone in the `user` table: online first, then by name. Also the directory other models
// ask for a sender's name (displayName(), displayNameChanged()). Names that look alike are told
// apart by NameDisambiguator: the display name is worked out when a name changes, never while
// painting.
//
// While our own connection is down the online flags are only what was last seen: the client
// says so (setPresenceKnown(false)) and the views grey the list.
class UserModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
    Q_PROPERTY(QString selfDisplayName READ selfDisplayName NOTIFY selfDisplayNameChanged)
    Q_PROPERTY(bool presenceKnown READ presenceKnown NOTIFY presenceKnownChanged)
    Q_PROPERTY(QDateTime presenceLostAt READ presenceLostAt NOTIFY presenceKnownChanged)
public:
    enum Roles {
        NameRole = Qt::UserRole + 1, // the name as typed, or empty when unset
        DisplayNameRole, // the name (with "(c0ffee12)" when another looks alike), or the short
                         // identity
        IdentityRole,    // full hex
        OnlineRole,      // as last seen (see PresenceKnownRole)
        IsSelfRole,
        PresenceKnownRole, // false while our connection is down: OnlineRole may be out of date
        PresenceTextRole,  // "online", "offline", or what was last seen and when (translated)
    };
    Q_ENUM(Roles)

    explicit UserModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setSelf(const stdb::Identity &self);
    const stdb::Identity &self() const { return m_self; }

    // Replaces everything (a subscription was applied): one reset.
    void resetUsers(const QList<ChatUser> &users);
    // Insert or update by identity; moves the row only when its sort position changes.
    void upsert(const ChatUser &user);
    void remove(const stdb::Identity &identity);

    bool contains(const stdb::Identity &identity) const { return m_byIdentity.contains(identity); }
    std::optional<ChatUser> user(const stdb::Identity &identity) const;
    // The name to show for a user, disambiguated; the short identity when unnamed or unknown.
    QString displayName(const stdb::Identity &identity) const;
    // Our own display name (empty while we have no row).
    QString selfDisplayName() const;
    int onlineCount() const { return m_online; }
    int rowOf(const stdb::Identity &identity) const;

    bool presenceKnown() const { return m_presenceKnown; }
    // When the connection was lost (invalid while presence is known).
    QDateTime presenceLostAt() const { return m_presenceLostAt; }
    // The chat client: false when our connection went down (`lostAt`), true once the server's
    // rows are in again.
    void setPresenceKnown(bool known, const QDateTime &lostAt = {});

signals:
    void countChanged();
    void onlineCountChanged();
    void selfDisplayNameChanged();
    void presenceKnownChanged();
    // The user's name changed (display names before and after, without disambiguation).
    void userRenamed(const stdb::Identity &identity, const QString &oldName,
                     const QString &newName);
    // displayName(identity) changed: a rename, or another user's name began or stopped
    // looking like this one.
    void displayNameChanged(const stdb::Identity &identity);
    void userCameOnline(const stdb::Identity &identity);
    void userWentOffline(const stdb::Identity &identity);

private:
    bool lessThan(const ChatUser &a, const ChatUser &b) const;
    int insertPosition(const ChatUser &u) const;
    void reindex(int from, int to);
    QString presenceText(const ChatUser &u) const;
    // Rows of `changed` (other than `except`) get their display roles updated.
    void displayNamesChanged(const QList<stdb::Identity> &changed,
                             const stdb::Identity &except = {});

    QList<ChatUser> m_users; // sorted
    QHash<stdb::Identity, int> m_byIdentity;
    stdb::Identity m_self;
    int m_online = 0;
    NameDisambiguator m_names;
    bool m_presenceKnown = true;
    QDateTime m_presenceLostAt;
};

} // namespace chat
