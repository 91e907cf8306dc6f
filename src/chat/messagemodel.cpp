// SPDX-License-Identifier: Apache-2.0
#include "chat/messagemodel.h"

#include "chat/usermodel.h"

#include <QTimeZone>

#include <algorithm>
#include <limits>

namespace chat {

namespace {
// A sender not interned (never seen): no row has it.
constexpr quint32 kUnknownSender = std::numeric_limits<quint32>::max();
} // namespace

MessageModel::MessageModel(QObject *parent)
    : QAbstractListModel(parent) {}

int MessageModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> MessageModel::roleNames() const {
    return {{Qt::DisplayRole, "display"},
            {SenderNameRole, "senderName"},
            {SenderIdentityRole, "senderIdentity"},
            {SenderShortRole, "senderShort"},
            {TextRole, "text"},
            {SentRole, "sent"},
            {IsOwnRole, "isOwn"},
            {DeliveryStateRole, "deliveryState"},
            {FirstOfGroupRole, "firstOfGroup"},
            {DayChangedRole, "dayChanged"},
            {LocalIdRole, "localId"},
            {ErrorRole, "error"},
            {MentionsMeRole, "mentionsMe"},
            {MessageIdRole, "messageId"},
            {ExpandedRole, "expanded"},
            {FirstUnreadRole, "firstUnread"}};
}

QVariant MessageModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    const stdb::Identity &sender = m_senders[r.sender];
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return QString::fromUtf8(r.utf8());
    case SenderNameRole:
        return m_users ? m_users->displayName(sender) : sender.toShortHex();
    case SenderIdentityRole:
        return sender.toHex();
    case SenderShortRole:
        return sender.toShortHex();
    case SentRole:
        return stdb::Timestamp::fromMicros(r.sentUs).toDateTime().toLocalTime();
    case IsOwnRole:
        // Outbox rows are ours even before the identity is known.
        return index.row() >= m_confirmed || (!m_self.isZero() && sender == m_self);
    case DeliveryStateRole:
        return QVariant::fromValue(r.state);
    case FirstOfGroupRole:
        return firstOfGroup(index.row());
    case DayChangedRole:
        return dayChanged(index.row());
    case LocalIdRole:
        return r.localId;
    case ErrorRole:
        return m_errors.value(r.localId);
    case MentionsMeRole:
        // Matched when a view asks (only the rows it shows), never for every row at insert.
        if (m_mentions.isEmpty() || r.localId != 0 || (!m_self.isZero() && sender == m_self))
            return false;
        return m_mentions.matches(QString::fromUtf8(r.utf8()));
    case MessageIdRole:
        return messageId(index.row());
    case ExpandedRole:
        return !m_expanded.isEmpty() && m_expanded.contains(expandKey(r));
    case FirstUnreadRole:
        return index.row() == firstUnreadRow();
    default:
        return {};
    }
}

bool MessageModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (role != ExpandedRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    setRowExpanded(index.row(), expandKey(m_rows[index.row()]), value.toBool());
    return true;
}

MessageModel::ExpandKey MessageModel::expandKey(const Row &row) const {
    if (row.localId != 0)
        return {0, 0, row.localId};
    return {row.sender, row.sentUs, 0};
}

QString MessageModel::messageId(int row) const {
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows[row];
    if (r.localId != 0)
        return QStringLiteral("local:%1").arg(r.localId);
    return m_senders[r.sender].toHex() + QLatin1Char(':') + QString::number(r.sentUs);
}

std::optional<MessageModel::ExpandKey> MessageModel::parseMessageId(const QString &id) const {
    const qsizetype colon = id.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    bool ok = false;
    const qint64 number = QStringView(id).mid(colon + 1).toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const QStringView head = QStringView(id).left(colon);
    if (head == QLatin1String("local"))
        return number != 0 ? std::optional<ExpandKey>(ExpandKey{0, 0, number}) : std::nullopt;
    const stdb::Identity sender = stdb::Identity::fromHex(head, &ok);
    if (!ok)
        return std::nullopt;
    const auto it = m_senderIndex.constFind(sender);
    // A sender never seen: no loaded message has the id; it matches no row.
    return ExpandKey{it != m_senderIndex.cend() ? it.value() : kUnknownSender, number, 0};
}

int MessageModel::rowOfMessage(const QString &messageId) const {
    const std::optional<ExpandKey> key = parseMessageId(messageId);
    if (!key)
        return -1;
    if (key->localId != 0)
        return rowOfOutgoing(key->localId);
    // Confirmed rows are sorted by time.
    const auto begin = m_rows.cbegin();
    auto it = std::lower_bound(begin, begin + m_confirmed, key->sentUs,
                               [](const Row &r, qint64 us) { return r.sentUs < us; });
    for (; it != begin + m_confirmed && it->sentUs == key->sentUs; ++it)
        if (it->sender == key->sender)
            return int(it - begin);
    return -1;
}

bool MessageModel::isExpanded(const QString &messageId) const {
    const std::optional<ExpandKey> key = parseMessageId(messageId);
    return key && m_expanded.contains(*key);
}

bool MessageModel::setExpanded(const QString &messageId, bool expanded) {
    std::optional<ExpandKey> key = parseMessageId(messageId);
    if (!key) {
        qWarning("MessageModel::setExpanded: malformed message id \"%s\"", qPrintable(messageId));
        return false;
    }
    if (key->localId == 0 && key->sender == kUnknownSender) {
        bool ok = false;
        key->sender = intern(stdb::Identity::fromHex(
            QStringView(messageId).left(messageId.indexOf(QLatin1Char(':'))), &ok));
    }
    setRowExpanded(rowOfMessage(messageId), *key, expanded);
    return true;
}

void MessageModel::setRowExpanded(int row, const ExpandKey &key, bool expanded) {
    const bool changed = expanded ? !m_expanded.contains(key) : m_expanded.contains(key);
    if (!changed)
        return;
    if (expanded)
        m_expanded.insert(key);
    else
        m_expanded.remove(key);
    if (row >= 0)
        emit dataChanged(index(row), index(row), {ExpandedRole});
}

bool MessageModel::canFetchMore(const QModelIndex &parent) const {
    return !parent.isValid() && m_canFetchOlder;
}

void MessageModel::fetchMore(const QModelIndex &parent) {
    if (canFetchMore(parent))
        emit fetchMoreRequested();
}

void MessageModel::setCanFetchOlder(bool can) {
    if (m_canFetchOlder == can)
        return;
    m_canFetchOlder = can;
    emit canFetchMoreChanged();
    updateFirstUnread(); // whether the first loaded row can be the first unread
}

void MessageModel::reloadNewest() {
    if (m_newerUnloaded)
        emit newestRequested();
}

void MessageModel::setNewerUnloaded(bool unloaded) {
    if (m_newerUnloaded == unloaded)
        return;
    m_newerUnloaded = unloaded;
    emit newerUnloadedChanged(unloaded);
}

void MessageModel::setUserModel(UserModel *users) {
    if (m_users)
        disconnect(m_users, nullptr, this, nullptr);
    m_users = users;
    if (!users)
        return;
    // A rename, or a name that began or stopped colliding with another (NameDisambiguator).
    connect(users, &UserModel::displayNameChanged, this, &MessageModel::onUserRenamed);
    // Everyone at once (a new snapshot of the users): one change for all rows.
    connect(users, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0), index(int(m_rows.size()) - 1), {SenderNameRole});
    });
}

void MessageModel::setOwnIdentity(const stdb::Identity &self) {
    if (self == m_self)
        return;
    m_self = self;
    // Outbox rows are ours by definition: they follow the identity.
    m_selfIndex = intern(self);
    for (int i = m_confirmed; i < m_rows.size(); ++i)
        m_rows[i].sender = m_selfIndex;
    // The outbox rows' sender changed, so whether they start a group changed too.
    if (!m_rows.isEmpty())
        emit dataChanged(
            index(0), index(int(m_rows.size()) - 1),
            {IsOwnRole, SenderNameRole, SenderIdentityRole, SenderShortRole, FirstOfGroupRole});
    updateFirstUnread(); // our own messages are never unread
}

void MessageModel::setOwnName(const QString &name) {
    if (name == m_mentions.name())
        return;
    m_mentions.setName(name);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {MentionsMeRole});
}

void MessageModel::setMaxMessages(int max) {
    m_max = qMax(0, max);
    enforceCap();
}

quint32 MessageModel::intern(const stdb::Identity &id) {
    auto it = m_senderIndex.constFind(id);
    if (it != m_senderIndex.cend())
        return it.value();
    const quint32 i = quint32(m_senders.size());
    m_senders.append(id);
    m_senderIndex.insert(id, i);
    return i;
}

quint32 MessageModel::acquireBuffer(const QByteArray &data) {
    auto it = m_bufferOf.constFind(data.constData());
    if (it != m_bufferOf.cend())
        return it.value();
    quint32 i;
    if (!m_freeBuffers.isEmpty()) {
        i = m_freeBuffers.takeLast();
        m_buffers[i] = {data, 0};
    } else {
        i = quint32(m_buffers.size());
        m_buffers.append({data, 0});
    }
    m_bufferOf.insert(data.constData(), i);
    return i;
}

void MessageModel::release(const Row &row) {
    Buffer &b = m_buffers[row.buffer];
    if (--b.live > 0)
        return;
    m_bufferOf.remove(b.data.constData());
    b.data = QByteArray();
    m_freeBuffers.append(row.buffer);
}

QList<MessageModel::Row> MessageModel::adopt(MessageBatch &&batch) {
    QList<quint32> buffers;
    buffers.reserve(batch.buffers().size());
    for (const QByteArray &b : batch.buffers())
        buffers.append(acquireBuffer(b));
    QList<quint32> senders;
    senders.reserve(batch.senders().size());
    for (const stdb::Identity &id : batch.senders())
        senders.append(intern(id));
    QList<Row> rows = std::move(batch.m_items);
    for (Row &r : rows) {
        r.buffer = buffers[r.buffer];
        r.sender = senders[r.sender];
        r.localId = 0;
        r.state = DeliveryState::Sent;
        ++m_buffers[r.buffer].live;
    }
    // Every buffer of a batch came with at least one row (MessageBatch::add), so each one
    // acquired above is now in use.
    return rows;
}

qsizetype MessageModel::bufferBytes() const {
    qsizetype total = 0;
    for (const Buffer &b : m_buffers)
        total += b.data.size();
    return total;
}

namespace {
qint64 floorMs(qint64 us) {
    return us >= 0 ? us / 1000 : -((-us + 999) / 1000);
}
} // namespace

bool MessageModel::dayChanged(int row) const {
    if (row == 0)
        return true;
    // Asked for every row a view sizes: day numbers, not QDateTime::toLocalTime().
    return m_localDays.day(floorMs(m_rows[row - 1].sentUs)) !=
           m_localDays.day(floorMs(m_rows[row].sentUs));
}

bool MessageModel::firstOfGroup(int row) const {
    if (row == 0)
        return true;
    const Row &prev = m_rows[row - 1];
    const Row &cur = m_rows[row];
    if (prev.sender != cur.sender || cur.sentUs - prev.sentUs > kGroupWindowUs)
        return true;
    return dayChanged(row);
}

void MessageModel::touchNeighbour(int row) {
    // Grouping and day separators depend on the previous row.
    if (row >= 0 && row < m_rows.size())
        emit dataChanged(index(row), index(row), {FirstOfGroupRole, DayChangedRole});
}

void MessageModel::resetMessages(const QList<ChatMessage> &messages) {
    resetMessages(MessageBatch::fromMessages(messages));
}

void MessageModel::resetMessages(MessageBatch batch) {
    QList<Row> rows = adopt(std::move(batch));
    if (!std::is_sorted(rows.cbegin(), rows.cend(), before)) // the usual case: already in order
        std::stable_sort(rows.begin(), rows.end(), before);
    if (m_max > 0 && rows.size() > m_max) {
        const qsizetype excess = rows.size() - m_max;
        for (qsizetype i = 0; i < excess; ++i)
            release(rows[i]);
        rows.remove(0, excess);
    }
    const int confirmed = int(rows.size());
    rows.reserve(rows.size() + (m_rows.size() - m_confirmed));
    for (int i = m_confirmed; i < m_rows.size(); ++i)
        rows.append(m_rows[i]);
    beginResetModel();
    std::swap(m_rows, rows);
    // The old confirmed rows let go of their buffers (after adopt(), so a buffer both old
    // and new rows use is not dropped and taken again).
    for (int i = 0; i < m_confirmed; ++i)
        release(rows[i]);
    m_confirmed = confirmed;
    m_unloadedUnread = 0; // the newest are loaded again: counted as rows
    endResetModel();
    emit countChanged();
    setNewerUnloaded(false);
    updateFirstUnread();
}

void MessageModel::addMessages(const QList<ChatMessage> &messages) {
    addMessages(MessageBatch::fromMessages(messages));
}

void MessageModel::addMessages(MessageBatch messages) {
    if (messages.isEmpty())
        return;
    QList<Row> batch = adopt(std::move(messages));
    if (m_newerUnloaded && m_confirmed > 0) {
        // The newest side was unloaded: what is newer than the loaded rows comes back with
        // the next reset (reloadNewest), not here, so no gap opens in the middle.
        const qint64 newestLoaded = m_rows[m_confirmed - 1].sentUs;
        batch.removeIf([&](const Row &r) {
            if (r.sentUs <= newestLoaded)
                return false;
            if (isUnread(r)) // not shown, but still unread
                ++m_unloadedUnread;
            release(r);
            return true;
        });
        if (batch.isEmpty()) {
            emit unreadChanged();
            return;
        }
    }
    if (!std::is_sorted(batch.cbegin(), batch.cend(), before)) // the usual case: already in order
        std::stable_sort(batch.begin(), batch.end(), before);

    // Split the batch into runs that land in the same gap; usually there is one run (new
    // messages are the newest), so this is one beginInsertRows per transaction.
    qsizetype i = 0;
    while (i < batch.size()) {
        auto posIt =
            std::upper_bound(m_rows.cbegin(), m_rows.cbegin() + m_confirmed, batch[i], before);
        const int pos = int(posIt - m_rows.cbegin());
        qsizetype j = i + 1;
        while (j < batch.size() && (pos == m_confirmed || before(batch[j], m_rows[pos])))
            ++j;
        const int n = int(j - i);
        beginInsertRows({}, pos, pos + n - 1);
        for (qsizetype k = i; k < j; ++k)
            m_rows.insert(pos + (k - i), std::move(batch[k]));
        m_confirmed += n;
        endInsertRows();
        touchNeighbour(pos + n);
        i = j;
    }
    emit countChanged();
    enforceCap();
    updateFirstUnread();
}

void MessageModel::removeMessages(const QList<ChatMessage> &messages) {
    bool removed = false;
    for (const ChatMessage &m : messages) {
        auto senderIt = m_senderIndex.constFind(m.sender);
        if (senderIt == m_senderIndex.cend())
            continue;
        const QByteArray text = m.text.toUtf8();
        Row probe;
        probe.sentUs = m.sent.micros();
        auto it = std::lower_bound(m_rows.cbegin(), m_rows.cbegin() + m_confirmed, probe,
                                   [](const Row &a, const Row &b) { return a.sentUs < b.sentUs; });
        for (int row = int(it - m_rows.cbegin());
             row < m_confirmed && m_rows[row].sentUs == probe.sentUs; ++row) {
            if (m_rows[row].sender == senderIt.value() && m_rows[row].utf8() == text) {
                beginRemoveRows({}, row, row);
                release(m_rows[row]);
                m_rows.removeAt(row);
                --m_confirmed;
                endRemoveRows();
                touchNeighbour(row);
                removed = true;
                break;
            }
        }
    }
    if (removed) {
        emit countChanged();
        updateFirstUnread();
    }
}

int MessageModel::prependOlder(const QList<ChatMessage> &messages) {
    return prependOlder(MessageBatch::fromMessages(messages));
}

int MessageModel::prependOlder(MessageBatch messages) {
    const qint64 oldest =
        m_confirmed > 0 ? m_rows.front().sentUs : std::numeric_limits<qint64>::max();
    QList<Row> batch = adopt(std::move(messages));
    batch.removeIf([&](const Row &r) {
        if (r.sentUs < oldest)
            return false;
        release(r);
        return true;
    });
    if (batch.isEmpty())
        return 0;
    if (!std::is_sorted(batch.cbegin(), batch.cend(), before)) // the usual case: already in order
        std::stable_sort(batch.begin(), batch.end(), before);
    const int n = int(batch.size());
    beginInsertRows({}, 0, n - 1);
    m_rows.insert(0, n, Row{});
    for (int k = 0; k < n; ++k)
        m_rows[k] = std::move(batch[k]);
    m_confirmed += n;
    endInsertRows();
    touchNeighbour(n);
    if (m_max > 0 && m_confirmed > m_max) {
        // The user is reading old history: keep the cap by dropping the newest rows.
        const int first = m_max;
        const int last = m_confirmed - 1;
        for (int i = first; i <= last; ++i)
            if (isUnread(m_rows[i]))
                ++m_unloadedUnread;
        beginRemoveRows({}, first, last);
        for (int i = first; i <= last; ++i)
            release(m_rows[i]);
        m_rows.remove(first, last - first + 1);
        m_confirmed = m_max;
        endRemoveRows();
        touchNeighbour(m_confirmed); // the first outbox row, if any
        setNewerUnloaded(true);
    }
    emit countChanged();
    emit olderPrepended(n);
    updateFirstUnread();
    return n;
}

std::optional<stdb::Timestamp> MessageModel::newestSent() const {
    if (m_confirmed == 0)
        return std::nullopt;
    return stdb::Timestamp::fromMicros(m_rows[m_confirmed - 1].sentUs);
}

stdb::Identity MessageModel::newestSender() const {
    return m_confirmed > 0 ? m_senders[m_rows[m_confirmed - 1].sender] : stdb::Identity();
}

void MessageModel::setReadUpTo(std::optional<qint64> sentUs) {
    if (sentUs == m_readUs)
        return;
    m_readUs = sentUs;
    if (!sentUs)
        m_unloadedUnread = 0;
    updateFirstUnread();
}

bool MessageModel::isUnread(const Row &row) const {
    // Only confirmed rows are passed here (outbox rows are ours anyway).
    if (!m_readUs || row.sentUs <= *m_readUs)
        return false;
    return m_self.isZero() || m_senders[row.sender] != m_self;
}

int MessageModel::firstAfterRead() const {
    if (!m_readUs)
        return m_confirmed;
    Row probe;
    probe.sentUs = *m_readUs;
    return int(std::upper_bound(m_rows.cbegin(), m_rows.cbegin() + m_confirmed, probe, before) -
               m_rows.cbegin());
}

int MessageModel::firstUnreadRow() const {
    if (!m_readUs)
        return -1;
    int row = firstAfterRead();
    // Everything loaded is unread and older messages exist: the first unread is not loaded.
    if (row == 0 && m_canFetchOlder)
        return -1;
    while (row < m_confirmed && !isUnread(m_rows[row]))
        ++row; // our own
    return row < m_confirmed ? row : -1;
}

int MessageModel::unreadCount() const {
    if (!m_readUs)
        return 0;
    int count = m_unloadedUnread;
    for (int row = firstAfterRead(); row < m_confirmed; ++row)
        if (isUnread(m_rows[row]))
            ++count;
    return count;
}

void MessageModel::updateFirstUnread() {
    const int now = firstUnreadRow();
    const int was = m_firstUnread.isValid() ? m_firstUnread.row() : -1;
    if (now != was) {
        m_firstUnread = now >= 0 ? QPersistentModelIndex(index(now)) : QPersistentModelIndex();
        if (was >= 0)
            emit dataChanged(index(was), index(was), {FirstUnreadRole});
        if (now >= 0)
            emit dataChanged(index(now), index(now), {FirstUnreadRole});
    }
    emit unreadChanged();
}

std::optional<stdb::Timestamp> MessageModel::oldestSent() const {
    if (m_confirmed == 0)
        return std::nullopt;
    return stdb::Timestamp::fromMicros(m_rows.front().sentUs);
}

void MessageModel::enforceCap() {
    if (m_max <= 0 || m_confirmed <= m_max)
        return;
    const int excess = m_confirmed - m_max;
    beginRemoveRows({}, 0, excess - 1);
    for (int i = 0; i < excess; ++i)
        release(m_rows[i]);
    m_rows.remove(0, excess);
    m_confirmed -= excess;
    endRemoveRows();
    touchNeighbour(0);
    emit countChanged();
    emit oldestDropped(excess);
    updateFirstUnread();
}

void MessageModel::addOutgoing(qint64 localId, const QString &text, stdb::Timestamp created,
                               DeliveryState state) {
    // Interned even while our identity is still unknown (zero): index 0 may be another sender.
    m_selfIndex = intern(m_self);
    const QByteArray utf8 = text.toUtf8();
    Row r;
    r.sentUs = created.micros();
    r.buffer = acquireBuffer(utf8);
    ++m_buffers[r.buffer].live;
    r.text = utf8.constData();
    r.length = quint32(utf8.size());
    r.localId = localId;
    r.sender = m_selfIndex;
    r.state = state;
    const int pos = int(m_rows.size());
    beginInsertRows({}, pos, pos);
    m_rows.append(std::move(r));
    endInsertRows();
    emit countChanged();
}

int MessageModel::rowOfOutgoing(qint64 localId) const {
    for (int i = m_confirmed; i < m_rows.size(); ++i)
        if (m_rows[i].localId == localId)
            return i;
    return -1;
}

void MessageModel::setOutgoingState(qint64 localId, DeliveryState state, const QString &error) {
    const int row = rowOfOutgoing(localId);
    if (row < 0)
        return;
    m_rows[row].state = state;
    if (error.isEmpty())
        m_errors.remove(localId);
    else
        m_errors.insert(localId, error);
    emit dataChanged(index(row), index(row), {DeliveryStateRole, ErrorRole});
}

void MessageModel::removeOutgoing(qint64 localId) {
    const int row = rowOfOutgoing(localId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    release(m_rows[row]);
    m_rows.removeAt(row);
    m_errors.remove(localId);
    endRemoveRows();
    touchNeighbour(row);
    emit countChanged();
}

void MessageModel::onUserRenamed(const stdb::Identity &identity) {
    auto it = m_senderIndex.constFind(identity);
    if (it == m_senderIndex.cend())
        return;
    int first = -1, last = -1;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].sender == it.value()) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first >= 0)
        emit dataChanged(index(first), index(last), {SenderNameRole});
}

} // namespace chat
