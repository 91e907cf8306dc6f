// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>

namespace chat {

// Confirmed messages on their way into a MessageModel, without a copy of their text: each text
// is a view into a shared buffer (normally the frame buffer the SDK's client cache keeps for
// the row), and the batch holds a reference to every buffer it uses. A million-row snapshot is
// then one list of small fixed-size items and no per-row allocation.
class MessageBatch {
public:
    // One message; its text is `length` UTF-8 bytes at `text`, inside buffers()[buffer].
    // It is also MessageModel's row (40 bytes, no allocation of its own), so a model can take
    // a batch's items over without copying them; localId and state are the model's.
    struct Item {
        qint64 sentUs = 0;
        const char *text = nullptr;
        qint64 localId = 0;
        quint32 length = 0;
        quint32 buffer = 0;
        quint32 sender = 0; // into senders()
        DeliveryState state = DeliveryState::Sent;
        QByteArrayView utf8() const { return {text, qsizetype(length)}; }
    };

    // Room for n items, reserved once before a snapshot's rows are added. A million items are
    // 40 MB: that storage is offered for huge pages, which spares the GUI thread ~10 000 page
    // faults on their first touch.
    void reserve(qsizetype n);
    // `text` must lie inside `owner` (which is kept alive by reference, not copied).
    void add(const stdb::Identity &sender, stdb::Timestamp sent, QByteArrayView text,
             const QByteArray &owner);
    // Copies the text (UTF-8) into a buffer of its own; for the odd single message.
    void add(const ChatMessage &message);
    // Adds a quickstart-chat `message` row from its BSATN (see decodeMessageRow). Returns false
    // and adds nothing when the bytes do not decode.
    bool addRow(QByteArrayView row, const QByteArray &owner);

    qsizetype size() const { return m_items.size(); }
    bool isEmpty() const { return m_items.isEmpty(); }
    const QList<Item> &items() const { return m_items; }
    const QList<QByteArray> &buffers() const { return m_buffers; }
    const QList<stdb::Identity> &senders() const { return m_senders; }
    QByteArrayView text(const Item &item) const { return item.utf8(); }
    ChatMessage message(qsizetype i) const;
    // Moves the `n` newest items (by `sent`) into a batch of their own and keeps the rest
    // (a page of older history too big to show at once is shown from its newest end).
    MessageBatch takeNewest(qsizetype n);

    // Copies every text into one buffer (the convenience path of MessageModel's list API).
    static MessageBatch fromMessages(const QList<ChatMessage> &messages);

private:
    quint32 bufferIndex(const QByteArray &owner);
    quint32 senderIndex(const stdb::Identity &sender);

    QList<Item> m_items;
    QList<QByteArray> m_buffers;
    QHash<const char *, quint32> m_bufferOf;
    QList<stdb::Identity> m_senders;
    QHash<stdb::Identity, quint32> m_senderOf;
    // Most rows of a batch come from one buffer and runs of one sender: skip the hash then.
    const char *m_lastBuffer = nullptr;
    quint32 m_lastBufferIndex = 0;
    quint32 m_lastSender = 0;
    bool m_haveSender = false;
    friend class MessageModel; // takes m_items over
};

} // namespace chat
