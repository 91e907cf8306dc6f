// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"

#include <QAbstractListModel>
#include <QHash>

namespace chat {

// Everyone in the `user` table: online first, then by display name. Also the directory other
// models ask for a sender's name (displayName(), userRenamed()).
class UserModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
public:
    enum Roles {
        NameRole = Qt::UserRole + 1, // the name, or empty when unset
        DisplayNameRole,             // the name, or the short identity
        IdentityRole,                // full hex
        OnlineRole,
        IsSelfRole,
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
    // The name to show for a sender; the short identity when unnamed or unknown.
    QString displayName(const stdb::Identity &identity) const;
    int onlineCount() const { return m_online; }
    int rowOf(const stdb::Identity &identity) const;

signals:
    void countChanged();
    void onlineCountChanged();
    void userRenamed(const stdb::Identity &identity, const QString &oldName,
                     const QString &newName);
    void userCameOnline(const stdb::Identity &identity);
    void userWentOffline(const stdb::Identity &identity);

private:
    bool lessThan(const ChatUser &a, const ChatUser &b) const;
    int insertPosition(const ChatUser &u) const;
    void reindex(int from, int to);

    QList<ChatUser> m_users; // sorted
    QHash<stdb::Identity, int> m_byIdentity;
    stdb::Identity m_self;
    int m_online = 0;
};

} // namespace chat
