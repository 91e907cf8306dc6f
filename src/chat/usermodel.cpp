// SPDX-License-Identifier: Apache-2.0
#include "chat/usermodel.h"

#include <QLocale>

namespace chat {

UserModel::UserModel(QObject *parent)
    : QAbstractListModel(parent) {}

int UserModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatUser &u = m_users[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return m_names.displayName(u.identity);
    case NameRole:
        return u.name.value_or(QString());
    case IdentityRole:
        return u.identity.toHex();
    case OnlineRole:
        return u.online;
    case IsSelfRole:
        return !m_self.isZero() && u.identity == m_self;
    case PresenceKnownRole:
        return m_presenceKnown;
    case PresenceTextRole:
        return presenceText(u);
    case Qt::ToolTipRole:
        return u.identity.toHex();
    default:
        return {};
    }
}

QHash<int, QByteArray> UserModel::roleNames() const {
    return {{Qt::DisplayRole, "display"},
            {NameRole, "name"},
            {DisplayNameRole, "displayName"},
            {IdentityRole, "identity"},
            {OnlineRole, "online"},
            {IsSelfRole, "isSelf"},
            {PresenceKnownRole, "presenceKnown"},
            {PresenceTextRole, "presenceText"}};
}

QString UserModel::presenceText(const ChatUser &u) const {
    if (m_presenceKnown)
        return u.online ? tr("online") : tr("offline");
    const QLocale locale;
    const QDateTime lost = m_presenceLostAt.toLocalTime();
    const QString when = lost.date() == QDate::currentDate()
                             ? locale.toString(lost.time(), QLocale::ShortFormat)
                             : locale.toString(lost, QLocale::ShortFormat);
    return u.online ? tr("last seen online at %1, before the connection was lost").arg(when)
                    : tr("last seen offline at %1, before the connection was lost").arg(when);
}

void UserModel::setPresenceKnown(bool known, const QDateTime &lostAt) {
    // Lost twice (reconnecting, then giving up): the first loss is when we last saw anything.
    if (known == m_presenceKnown)
        return;
    m_presenceKnown = known;
    m_presenceLostAt = known ? QDateTime() : lostAt;
    if (!m_users.isEmpty())
        emit dataChanged(index(0), index(int(m_users.size()) - 1),
                         {PresenceKnownRole, PresenceTextRole});
    emit presenceKnownChanged();
}

QString UserModel::selfDisplayName() const {
    return !m_self.isZero() && m_names.contains(m_self) ? m_names.displayName(m_self) : QString();
}

void UserModel::displayNamesChanged(const QList<stdb::Identity> &changed,
                                    const stdb::Identity &except) {
    for (const stdb::Identity &id : changed) {
        const int row = rowOf(id);
        if (row >= 0 && id != except)
            emit dataChanged(index(row), index(row), {DisplayNameRole, Qt::DisplayRole});
        emit displayNameChanged(id);
        if (!m_self.isZero() && id == m_self)
            emit selfDisplayNameChanged();
    }
}

void UserModel::setSelf(const stdb::Identity &self) {
    if (self == m_self)
        return;
    const int oldRow = rowOf(m_self);
    m_self = self;
    const int newRow = rowOf(m_self);
    for (int row : {oldRow, newRow})
        if (row >= 0)
            emit dataChanged(index(row), index(row), {IsSelfRole});
    emit selfDisplayNameChanged();
}

bool UserModel::lessThan(const ChatUser &a, const ChatUser &b) const {
    if (a.online != b.online)
        return a.online;
    const QString an = chat::displayName(a.identity, a.name);
    const QString bn = chat::displayName(b.identity, b.name);
    const int c = an.localeAwareCompare(bn);
    if (c != 0)
        return c < 0;
    return a.identity < b.identity; // total order: equal names stay stable
}

int UserModel::insertPosition(const ChatUser &u) const {
    auto it =
        std::lower_bound(m_users.cbegin(), m_users.cend(), u,
                         [this](const ChatUser &a, const ChatUser &b) { return lessThan(a, b); });
    return int(it - m_users.cbegin());
}

void UserModel::reindex(int from, int to) {
    for (int i = qMax(0, from); i <= to && i < m_users.size(); ++i)
        m_byIdentity[m_users[i].identity] = i;
}

void UserModel::resetUsers(const QList<ChatUser> &users) {
    beginResetModel();
    QList<NameDisambiguator::User> names;
    names.reserve(users.size());
    for (const ChatUser &u : users)
        names.append({u.identity, u.name});
    m_names.reset(names);
    m_users = users;
    std::sort(m_users.begin(), m_users.end(),
              [this](const ChatUser &a, const ChatUser &b) { return lessThan(a, b); });
    m_byIdentity.clear();
    m_online = 0;
    for (int i = 0; i < m_users.size(); ++i) {
        m_byIdentity.insert(m_users[i].identity, i);
        m_online += m_users[i].online ? 1 : 0;
    }
    endResetModel();
    emit countChanged();
    emit onlineCountChanged();
    emit selfDisplayNameChanged();
}

void UserModel::upsert(const ChatUser &user) {
    const int row = rowOf(user.identity);
    if (row < 0) {
        // Before the insert: views ask for the new row's data as soon as it is there.
        const QList<stdb::Identity> changed = m_names.set(user.identity, user.name);
        const int pos = insertPosition(user);
        beginInsertRows({}, pos, pos);
        m_users.insert(pos, user);
        reindex(pos, int(m_users.size()) - 1);
        endInsertRows();
        emit countChanged();
        displayNamesChanged(changed, user.identity);
        if (user.online) {
            ++m_online;
            emit onlineCountChanged();
            emit userCameOnline(user.identity);
        }
        return;
    }
    const ChatUser old = m_users[row];
    if (old == user)
        return;
    const QList<stdb::Identity> changed = m_names.set(user.identity, user.name);
    // Where would it go once the old entry is out of the way?
    m_users.removeAt(row);
    int pos = insertPosition(user);
    m_users.insert(row, old);
    if (pos != row) {
        // beginMoveRows wants the destination in pre-move coordinates.
        const int dest = pos > row ? pos + 1 : pos;
        beginMoveRows({}, row, row, {}, dest);
        m_users.removeAt(row);
        m_users.insert(pos, user);
        reindex(qMin(row, pos), qMax(row, pos));
        endMoveRows();
    } else {
        m_users[row] = user;
    }
    QList<int> roles;
    if (old.name != user.name)
        roles << NameRole;
    if (changed.contains(user.identity))
        roles << DisplayNameRole << Qt::DisplayRole;
    if (old.online != user.online)
        roles << OnlineRole << PresenceTextRole;
    if (!roles.isEmpty())
        emit dataChanged(index(pos), index(pos), roles);
    displayNamesChanged(changed, user.identity);
    if (old.online != user.online) {
        m_online += user.online ? 1 : -1;
        emit onlineCountChanged();
        if (user.online)
            emit userCameOnline(user.identity);
        else
            emit userWentOffline(user.identity);
    }
    if (old.name != user.name)
        emit userRenamed(user.identity, chat::displayName(old.identity, old.name),
                         chat::displayName(user.identity, user.name));
}

void UserModel::remove(const stdb::Identity &identity) {
    const int row = rowOf(identity);
    if (row < 0)
        return;
    const bool wasOnline = m_users[row].online;
    beginRemoveRows({}, row, row);
    m_users.removeAt(row);
    m_byIdentity.remove(identity);
    reindex(row, int(m_users.size()) - 1);
    endRemoveRows();
    emit countChanged();
    if (wasOnline) {
        --m_online;
        emit onlineCountChanged();
    }
    displayNamesChanged(m_names.remove(identity));
}

std::optional<ChatUser> UserModel::user(const stdb::Identity &identity) const {
    const int row = rowOf(identity);
    if (row < 0)
        return std::nullopt;
    return m_users[row];
}

QString UserModel::displayName(const stdb::Identity &identity) const {
    return m_names.displayName(identity);
}

int UserModel::rowOf(const stdb::Identity &identity) const {
    return m_byIdentity.value(identity, -1);
}

} // namespace chat
