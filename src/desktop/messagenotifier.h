// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chatclient.h"
#include "chat/chattypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

class QAbstractItemModel;

namespace chat {
class ReadMarker;
}

namespace desktop {

class Notifier;

// What every front end notifies about, and how: messages from others that arrive live while
// the user is not looking at the window (never our own, never the backlog or older history).
// A message that mentions us (chat::Mentions, the rule the message list highlights with) gets
// a notification of its own; the rest of a batch is summed up in one. Senders are named as the
// people list names them (chat::UserModel::displayName, told apart by chat::NameDisambiguator).
// Also gives the unread count for the window title and the tray: the client's
// chat::ReadMarker's, which it tells whether the window is attended.
//
// The backend is chosen without blocking when the first notification is due: the freedesktop
// service over D-Bus where it runs, else the front end's fallback (a tray balloon), else none.
class MessageNotifier : public QObject {
    Q_OBJECT
    // Whether the user looks at the window (visible, not minimised, active); the front end
    // keeps it up to date. Passed on to the client's read marker, which clears the unread count
    // once the newest message has been seen for a moment.
    Q_PROPERTY(bool attended READ isAttended WRITE setAttended NOTIFY attendedChanged)
    // Counted, but not shown.
    Q_PROPERTY(bool muted READ isMuted WRITE setMuted NOTIFY mutedChanged)
    Q_PROPERTY(int unread READ unread NOTIFY unreadChanged)
public:
    using Fallback = std::function<Notifier *(QObject *parent)>;

    explicit MessageNotifier(QObject *parent = nullptr);
    ~MessageNotifier() override;

    // The session to watch; null for none. A new session starts with nothing unread and no
    // notification to jump back to.
    void setClient(chat::ChatClient *client);
    chat::ChatClient *client() const { return m_client; }

    // Replaces the backend (taken over; null: choose one when the next notification is due).
    void setBackend(Notifier *backend);
    Notifier *backend() const { return m_backend; }
    // Makes the backend used when no notification service is on the session bus.
    void setFallback(Fallback fallback) { m_fallback = std::move(fallback); }

    bool isAttended() const { return m_attended; }
    void setAttended(bool attended);
    bool isMuted() const { return m_muted; }
    void setMuted(bool muted);
    int unread() const { return m_unread; }

    // The row of model (the client's MessageModel or a proxy with its roles) that holds the
    // message a notification was about; -1 when it is not (or no longer) there.
    Q_INVOKABLE int rowOf(quint64 notificationId, QAbstractItemModel *model) const;

    // How many notifications can still be jumped back to.
    static constexpr int kMaxRemembered = 200;

Q_SIGNALS:
    void attendedChanged();
    void mutedChanged();
    void unreadChanged(int count);
    // The user clicked the notification with this id: show the window at rowOf(id, …).
    void activated(quint64 notificationId);

private:
    struct Notified {
        QString sender; // identity hex
        qint64 sentMs = 0;
        QString text;
    };

    void onMessagesArrived(const QList<chat::ChatMessage> &messages);
    void setUnread(int count);
    void chooseBackend();
    void notifyAbout(const QList<chat::ChatMessage> &others);
    quint64 remember(const chat::ChatMessage &message);

    QPointer<chat::ChatClient> m_client;
    QPointer<chat::ReadMarker> m_marker;
    Notifier *m_backend = nullptr;
    Fallback m_fallback;
    bool m_choosing = false;
    QList<chat::ChatMessage> m_held; // arrived while the backend was being chosen
    bool m_attended = false;
    bool m_muted = false;
    int m_unread = 0;
    quint64 m_nextId = 1;
    QHash<quint64, Notified> m_notified;
};

} // namespace desktop
