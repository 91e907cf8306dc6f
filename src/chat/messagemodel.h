// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"
#include "chat/localdays.h"
#include "chat/mentions.h"
#include "chat/messagebatch.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <optional>

namespace chat {

class UserModel;

// The conversation: confirmed messages ordered by `sent` (ties by arrival), then our own
// messages still on their way (outbox rows) in the order they were written.
//
// Built for big histories: a row is a small fixed-size record whose text is a view into a
// shared buffer (the frame buffer the SDK's cache keeps; see MessageBatch), turned into a
// QString only when a view asks; senders are interned; a batch from one transaction is one
// beginInsertRows, a subscription snapshot is one reset; older history is prepended in one
// insert; the oldest rows are dropped past a configurable cap. A buffer is released when the
// last row pointing into it leaves the model.
class MessageModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    // Older history exists and can be asked for (fetchOlder()); see canFetchMore().
    Q_PROPERTY(bool canFetchOlder READ canFetchOlder NOTIFY canFetchMoreChanged)
    // The newest messages were dropped to keep the cap while reading old history;
    // reloadNewest() brings them back.
    Q_PROPERTY(bool newerUnloaded READ newerUnloaded NOTIFY newerUnloadedChanged)
public:
    enum Roles {
        SenderNameRole = Qt::UserRole + 1, // live: UserModel::displayName (follows renames and
                                           // collisions with other names)
        SenderIdentityRole,                // full hex
        SenderShortRole,                   // first 16 hex digits
        TextRole,
        SentRole, // QDateTime (local time)
        IsOwnRole,
        DeliveryStateRole, // chat::DeliveryState
        FirstOfGroupRole,  // first of a run from one sender within 5 minutes
        DayChangedRole,    // first message of a calendar day (local time)
        LocalIdRole,       // outbox id for our unsent messages, 0 otherwise
        ErrorRole,         // why a message failed
        MentionsMeRole,    // someone else's message that mentions our name (chat::Mentions)
        MessageIdRole,     // QString, stable while the message is loaded (see messageId())
        ExpandedRole,      // bool, writable: the user (or Find) expanded a long message
        FirstUnreadRole,   // the first unread message: views draw "New messages" above it
    };
    Q_ENUM(Roles)

    static constexpr qint64 kGroupWindowUs = 5LL * 60 * 1000 * 1000;

    explicit MessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Only ExpandedRole is writable.
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

    // Qt's incremental-loading idiom, for older history: canFetchMore() says whether the
    // server has messages older than the loaded ones, fetchMore() asks for them
    // (fetchMoreRequested; the ChatClient answers with prependOlder()). Unlike a list that
    // grows at its end, these rows go in at the top: Qt's stock views call fetchMore() when
    // their last row shows, so the view-facing proxies (MessageFilterModel, the Quick
    // client's DayProxyModel) answer false and the views ask this model when their first row
    // shows (MessageView, MessageList.qml).
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    bool canFetchOlder() const { return m_canFetchOlder; }
    Q_INVOKABLE void fetchOlder() { fetchMore({}); }
    // Set by the ChatClient when it knows whether older messages exist.
    void setCanFetchOlder(bool can);

    bool newerUnloaded() const { return m_newerUnloaded; }
    // Asks for the newest messages again (newestRequested; the ChatClient answers with
    // resetMessages()). Only while newerUnloaded().
    Q_INVOKABLE void reloadNewest();

    void setUserModel(UserModel *users);
    void setOwnIdentity(const stdb::Identity &self);
    const stdb::Identity &ownIdentity() const { return m_self; }
    // Our name as typed, for MentionsMeRole; a change updates that role of every row.
    void setOwnName(const QString &name);
    const Mentions &mentions() const { return m_mentions; }
    // At most this many confirmed messages are kept; the oldest go first. 0 = no cap.
    void setMaxMessages(int max);
    int maxMessages() const { return m_max; }

    // ---- confirmed messages (from the server) ----
    // A fresh snapshot: one reset. Outbox rows stay.
    void resetMessages(MessageBatch batch);
    void resetMessages(const QList<ChatMessage> &messages);
    // Live messages of one transaction.
    void addMessages(MessageBatch batch);
    void addMessages(const QList<ChatMessage> &messages);
    void removeMessages(const QList<ChatMessage> &messages);
    // Older history (loadOlder): rows older than everything loaded, one insert at the top.
    // Rows already present are ignored. Returns how many were added. Past the cap, the
    // newest confirmed rows are dropped (the user is reading old history) and newerUnloaded()
    // turns true; live messages newer than the loaded ones are then not added either, until
    // the next resetMessages().
    int prependOlder(MessageBatch batch);
    int prependOlder(const QList<ChatMessage> &messages);
    // Shared buffers the rows point into, and their total size (for memory reports).
    qsizetype bufferCount() const { return m_bufferOf.size(); }
    qsizetype bufferBytes() const;
    int confirmedCount() const { return m_confirmed; }
    // The newest confirmed `sent` and its sender, or nullopt when empty.
    std::optional<stdb::Timestamp> newestSent() const;
    stdb::Identity newestSender() const;

    // ---- unread messages (kept by chat::ReadMarker) ----
    // Messages sent after `sentUs` are unread, except our own; nullopt = nothing is unread
    // (no read position yet). Ties count as read: the server stamps messages in microseconds.
    void setReadUpTo(std::optional<qint64> sentUs);
    std::optional<qint64> readUpTo() const { return m_readUs; }
    // The row of the first unread message, or -1: none, or it is older than the loaded rows
    // (older history exists and the read position is before the oldest loaded message).
    int firstUnreadRow() const;
    // Unread messages of others: the loaded ones, plus those the cap unloaded from the newest
    // side or that arrived while it was unloaded (until the newest are loaded again).
    int unreadCount() const;
    // The oldest loaded `sent`, or nullopt when empty.
    std::optional<stdb::Timestamp> oldestSent() const;

    // ---- expanded long messages ----
    // Views collapse long messages (what is long depends on their width); whether the user
    // expanded one is kept here, by message, so that it survives scrolling, inserts, history
    // prepended above, filtering and a reconnect's fresh snapshot, and every view shares it.
    // A message id is "<sender identity hex>:<sent µs>" for a confirmed message and
    // "local:<local id>" for one of ours still in the outbox (the chat's messages have no id
    // of their own; sender and time tell them apart).
    QString messageId(int row) const;
    // The row of the message with that id, or -1 (also for a malformed id).
    Q_INVOKABLE int rowOfMessage(const QString &messageId) const;
    Q_INVOKABLE bool isExpanded(const QString &messageId) const;
    // Returns false (and changes nothing) for a malformed id; an id of a message not loaded
    // now is remembered for when it is.
    Q_INVOKABLE bool setExpanded(const QString &messageId, bool expanded);

    // ---- outbox rows ----
    void addOutgoing(qint64 localId, const QString &text, stdb::Timestamp created,
                     DeliveryState state);
    void setOutgoingState(qint64 localId, DeliveryState state, const QString &error = {});
    void removeOutgoing(qint64 localId);
    int rowOfOutgoing(qint64 localId) const;

signals:
    void countChanged();
    // Rows were prepended at the top (views keep their reading position with this).
    void olderPrepended(int count);
    // The cap removed `count` rows from the oldest side (to make room for newer ones).
    void oldestDropped(int count);
    void canFetchMoreChanged();
    void fetchMoreRequested();
    void newerUnloadedChanged(bool unloaded);
    void newestRequested();
    // unreadCount() or firstUnreadRow() may have changed (rows, read position, identity).
    void unreadChanged();

private:
    // 40 bytes, no allocation of its own: a million rows are 40 MB plus their buffers.
    using Row = MessageBatch::Item;
    struct Buffer {
        QByteArray data;
        quint32 live = 0; // rows pointing into it
    };

    quint32 intern(const stdb::Identity &id);
    // Rows for every item of `batch` (buffers referenced, senders interned), in batch order:
    // the batch's own list, its indexes rewritten in place.
    QList<Row> adopt(MessageBatch &&batch);
    quint32 acquireBuffer(const QByteArray &data);
    void release(const Row &row);
    // Ties keep arrival order: every sort is stable and every insert goes after equal rows.
    static bool before(const Row &a, const Row &b) { return a.sentUs < b.sentUs; }
    bool firstOfGroup(int row) const;
    bool dayChanged(int row) const;
    void touchNeighbour(int row);
    void enforceCap();
    void setNewerUnloaded(bool unloaded);
    void onUserRenamed(const stdb::Identity &identity);
    // What ExpandedRole is stored by: the sender (interned, never reused), the time or the
    // local id. Parsed from and printed as messageId().
    struct ExpandKey {
        quint32 sender = 0;
        qint64 sentUs = 0;
        qint64 localId = 0;
        bool operator==(const ExpandKey &) const = default;
        friend size_t qHash(const ExpandKey &k, size_t seed = 0) noexcept {
            return qHashMulti(seed, k.sender, k.sentUs, k.localId);
        }
    };
    ExpandKey expandKey(const Row &row) const;
    std::optional<ExpandKey> parseMessageId(const QString &messageId) const;
    void setRowExpanded(int row, const ExpandKey &key, bool expanded);
    bool isUnread(const Row &row) const;
    int firstAfterRead() const;
    // Emits dataChanged for the rows that gained or lost FirstUnreadRole, then unreadChanged.
    void updateFirstUnread();

    QList<Row> m_rows; // [0, m_confirmed) confirmed, then outbox rows
    LocalDays m_localDays;
    int m_confirmed = 0;
    QList<Buffer> m_buffers;
    QList<quint32> m_freeBuffers;
    QHash<const char *, quint32> m_bufferOf; // live buffers by data pointer
    QList<stdb::Identity> m_senders;
    QHash<stdb::Identity, quint32> m_senderIndex;
    QHash<qint64, QString> m_errors; // by local id; failures are rare
    QPointer<UserModel> m_users;
    stdb::Identity m_self;
    quint32 m_selfIndex = 0;
    Mentions m_mentions;
    // Only messages someone expanded: a handful, never one per row.
    QSet<ExpandKey> m_expanded;
    int m_max = 0;
    bool m_canFetchOlder = false;
    bool m_newerUnloaded = false;
    std::optional<qint64> m_readUs;
    int m_unloadedUnread = 0;            // unread rows not loaded while m_newerUnloaded
    QPersistentModelIndex m_firstUnread; // the row last reported as first unread
};

} // namespace chat
