// SPDX-License-Identifier: Apache-2.0
#include "desktop/messagenotifier.h"

#include "desktop/desktoplog.h"
#include "desktop/notifier.h"
#ifdef STDB_DESKTOP_HAVE_DBUS
#include "desktop/dbusnotifier.h"
#endif

#include "chat/chatclient.h"
#include "chat/mentions.h"
#include "chat/messagemodel.h"
#include "chat/readmarker.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

#include <QAbstractItemModel>
#include <QDateTime>

using chat::UntrustedText;

namespace desktop {

MessageNotifier::MessageNotifier(QObject *parent)
    : QObject(parent) {}

MessageNotifier::~MessageNotifier() = default;

void MessageNotifier::setClient(chat::ChatClient *client) {
    if (client && m_client == client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    if (m_marker)
        disconnect(m_marker, nullptr, this, nullptr);
    m_client = client;
    m_marker = client ? client->readMarker() : nullptr;
    m_held.clear();
    m_notified.clear();
    if (client)
        connect(client, &chat::ChatClient::messagesArrived, this,
                &MessageNotifier::onMessagesArrived);
    // The count is the read marker's: the tray, the title and the "New messages" line agree.
    if (m_marker) {
        connect(m_marker, &chat::ReadMarker::unreadCountChanged, this, &MessageNotifier::setUnread);
        m_marker->setAttended(m_attended);
    }
    setUnread(m_marker ? m_marker->unreadCount() : 0);
}

void MessageNotifier::setBackend(Notifier *backend) {
    if (m_backend == backend)
        return;
    delete m_backend;
    m_backend = backend;
    if (backend) {
        backend->setParent(this);
        connect(backend, &Notifier::activated, this, &MessageNotifier::activated);
    }
}

void MessageNotifier::setAttended(bool attended) {
    if (m_attended == attended)
        return;
    m_attended = attended;
    if (m_marker)
        m_marker->setAttended(attended);
    emit attendedChanged();
}

void MessageNotifier::setMuted(bool muted) {
    if (m_muted == muted)
        return;
    m_muted = muted;
    emit mutedChanged();
}

void MessageNotifier::setUnread(int count) {
    if (m_unread == count)
        return;
    m_unread = count;
    emit unreadChanged(count);
}

void MessageNotifier::onMessagesArrived(const QList<chat::ChatMessage> &messages) {
    if (!m_client)
        return;
    const stdb::Identity self = m_client->identity();
    QList<chat::ChatMessage> others;
    for (const chat::ChatMessage &m : messages)
        if (m.sender != self)
            others.append(m);
    if (others.isEmpty() || m_attended)
        return;
    if (m_muted)
        return;
    if (!m_backend) {
        // Held until the asynchronous choice of a notification service is made.
        m_held.append(others);
        chooseBackend();
        return;
    }
    notifyAbout(others);
}

void MessageNotifier::chooseBackend() {
    if (m_choosing)
        return;
    m_choosing = true;
    auto choose = [this](bool dbusAvailable) {
        m_choosing = false;
        if (!m_backend) {
#ifdef STDB_DESKTOP_HAVE_DBUS
            if (dbusAvailable)
                setBackend(new DBusNotifier(this));
#else
            Q_UNUSED(dbusAvailable)
#endif
            if (!m_backend && m_fallback)
                setBackend(m_fallback(this));
            if (m_backend)
                qCInfo(lcDesktop) << "notifications through" << m_backend->backendName();
            else
                qCInfo(lcDesktop) << "no notification service: notifications are off";
        }
        const QList<chat::ChatMessage> held = std::exchange(m_held, {});
        // The user may have come back or muted meanwhile.
        if (m_backend && m_client && !held.isEmpty() && !m_attended && !m_muted)
            notifyAbout(held);
    };
#ifdef STDB_DESKTOP_HAVE_DBUS
    DBusNotifier::probe(this, choose);
#else
    QMetaObject::invokeMethod(
        this, [choose] { choose(false); }, Qt::QueuedConnection);
#endif
}

quint64 MessageNotifier::remember(const chat::ChatMessage &m) {
    const quint64 id = m_nextId++;
    m_notified.insert(id, {m.sender.toHex(), m.sent.toDateTime().toMSecsSinceEpoch(), m.text});
    m_notified.remove(id - kMaxRemembered);
    return id;
}

void MessageNotifier::notifyAbout(const QList<chat::ChatMessage> &others) {
    const chat::UserModel *users = m_client->users();
    // Mentions get their own notification each; the rest are summed up in one.
    QList<chat::ChatMessage> plain;
    const chat::Mentions &mentions = m_client->messages()->mentions();
    for (const chat::ChatMessage &m : others) {
        if (mentions.matches(m.text)) {
            Notification n;
            n.id = remember(m);
            n.mention = true;
            n.title =
                tr("%1 mentioned you").arg(UntrustedText::isolate(users->displayName(m.sender)));
            n.body = Notifier::shorten(m.text);
            m_backend->notify(n);
        } else {
            plain.append(m);
        }
    }
    if (plain.isEmpty())
        return;
    const chat::ChatMessage &last = plain.constLast();
    Notification n;
    n.id = remember(last);
    if (plain.size() == 1) {
        n.title = users->displayName(last.sender);
        n.body = Notifier::shorten(last.text);
    } else {
        n.title = tr("%n new message(s)", nullptr, int(plain.size()));
        n.body = Notifier::shorten(
            tr("%1: %2").arg(UntrustedText::isolate(users->displayName(last.sender)),
                             UntrustedText::isolate(last.text)));
    }
    m_backend->notify(n);
}

int MessageNotifier::rowOf(quint64 notificationId, QAbstractItemModel *model) const {
    const auto it = m_notified.constFind(notificationId);
    if (it == m_notified.constEnd() || !model)
        return -1;
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(chat::MessageModel::SenderIdentityRole).toString() != it->sender)
            continue;
        if (index.data(chat::MessageModel::SentRole).toDateTime().toMSecsSinceEpoch() ==
                it->sentMs &&
            index.data(chat::MessageModel::TextRole).toString() == it->text)
            return row;
    }
    return -1;
}

} // namespace desktop
