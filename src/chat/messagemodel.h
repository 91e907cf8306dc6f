#pragma once

#include "chat/chattypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>

namespace chat {

class UserModel;

// The conversation: confirmed messages ordered by `sent` (ties by arrival), then our own
// messages still on their way (outbox rows) in the order they were written.
//
// Built for big histories: text is kept as UTF-8 and turned into a QString only when a view
// asks; senders are interned; a batch from one transaction is one beginInsertRows, a
// subscription snapshot is one reset; older history is prepended in one insert; the oldest
// rows are dropped past a configurable cap.
class MessageModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Roles {
        SenderNameRole = Qt::UserRole + 1, // live: follows renames
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
    };
    Q_ENUM(Roles)

    static constexpr qint64 kGroupWindowUs = 5LL * 60 * 1000 * 1000;

    explicit MessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setUserModel(UserModel *users);
    void setOwnIdentity(const stdb::Identity &self);
    const stdb::Identity &ownIdentity() const { return m_self; }
    // At most this many confirmed messages are kept; the oldest go first. 0 = no cap.
    void setMaxMessages(int max);
    int maxMessages() const { return m_max; }

    // ---- confirmed messages (from the server) ----
    // A fresh snapshot: one reset. Outbox rows stay.
    void resetMessages(const QList<ChatMessage> &messages);
    // Live messages of one transaction.
    void addMessages(const QList<ChatMessage> &messages);
    void removeMessages(const QList<ChatMessage> &messages);
    // Older history (loadOlder): rows older than everything loaded, one insert at the top.
    // Rows already present are ignored. Returns how many were added.
    int prependOlder(const QList<ChatMessage> &messages);
    int confirmedCount() const { return m_confirmed; }
    // The oldest loaded `sent`, or nullopt when empty.
    std::optional<stdb::Timestamp> oldestSent() const;

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

private:
    struct Row {
        qint64 sentUs = 0;
        quint64 seq = 0;
        QByteArray text; // UTF-8
        qint64 localId = 0;
        quint32 sender = 0;
        DeliveryState state = DeliveryState::Sent;
    };

    quint32 intern(const stdb::Identity &id);
    Row makeRow(const ChatMessage &m);
    static bool before(const Row &a, const Row &b);
    bool firstOfGroup(int row) const;
    bool dayChanged(int row) const;
    void touchNeighbour(int row);
    void enforceCap();
    void onUserRenamed(const stdb::Identity &identity);

    QList<Row> m_rows; // [0, m_confirmed) confirmed, then outbox rows
    int m_confirmed = 0;
    quint64 m_seq = 0;
    QList<stdb::Identity> m_senders;
    QHash<stdb::Identity, quint32> m_senderIndex;
    QHash<qint64, QString> m_errors; // by local id; failures are rare
    QPointer<UserModel> m_users;
    stdb::Identity m_self;
    quint32 m_selfIndex = 0;
    int m_max = 0;
};

} // namespace chat
