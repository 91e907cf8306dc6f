// SPDX-License-Identifier: Apache-2.0
#include "chat/messagebatch.h"

#include <algorithm>

#include "chat/messagerowview.h"
// Header-only and installed with the SDK's headers (not API: the SDK's huge-page advice).
#include "spacetime/hugepages.h"

namespace chat {

void MessageBatch::reserve(qsizetype n) {
    if (n <= m_items.capacity())
        return;
    m_items.reserve(n);
    // Before the items are written: a 2 MiB range already touched stays in 4 KiB pages. The
    // advice covers the allocation's first and last pages whole: advice on part of a mapping
    // splits it, glibc's realloc (mremap) of a split mapping fails and copies instead, and the
    // model's first live row after a 40 MB snapshot then doubled the peak RSS for a moment.
    const auto begin = reinterpret_cast<quintptr>(m_items.constData()) & ~quintptr(4095);
    const auto end = (reinterpret_cast<quintptr>(m_items.constData() + m_items.capacity()) + 4095) &
                     ~quintptr(4095);
    stdb::offerHugePages(reinterpret_cast<void *>(begin), size_t(end - begin));
}

quint32 MessageBatch::bufferIndex(const QByteArray &owner) {
    const char *key = owner.constData();
    if (key == m_lastBuffer && !m_buffers.isEmpty())
        return m_lastBufferIndex;
    auto it = m_bufferOf.constFind(key);
    quint32 i;
    if (it != m_bufferOf.cend()) {
        i = it.value();
    } else {
        i = quint32(m_buffers.size());
        m_buffers.append(owner);
        m_bufferOf.insert(key, i);
    }
    m_lastBuffer = key;
    m_lastBufferIndex = i;
    return i;
}

quint32 MessageBatch::senderIndex(const stdb::Identity &sender) {
    if (m_haveSender && m_senders[m_lastSender] == sender)
        return m_lastSender;
    auto it = m_senderOf.constFind(sender);
    quint32 i;
    if (it != m_senderOf.cend()) {
        i = it.value();
    } else {
        i = quint32(m_senders.size());
        m_senders.append(sender);
        m_senderOf.insert(sender, i);
    }
    m_lastSender = i;
    m_haveSender = true;
    return i;
}

void MessageBatch::add(const stdb::Identity &sender, stdb::Timestamp sent, QByteArrayView text,
                       const QByteArray &owner) {
    Q_ASSERT(text.isEmpty() || (text.data() >= owner.constData() &&
                                text.data() + text.size() <= owner.constData() + owner.size()));
    Item item;
    item.sentUs = sent.micros();
    item.text = text.data();
    item.length = quint32(text.size());
    item.buffer = bufferIndex(owner);
    item.sender = senderIndex(sender);
    m_items.append(item);
}

void MessageBatch::add(const ChatMessage &message) {
    const QByteArray utf8 = message.text.toUtf8();
    add(message.sender, message.sent, utf8, utf8);
}

bool MessageBatch::addRow(QByteArrayView row, const QByteArray &owner) {
    const std::optional<MessageRowView> m = decodeMessageRow(row);
    if (!m)
        return false;
    add(m->sender, m->sent, m->text, owner);
    return true;
}

MessageBatch MessageBatch::takeNewest(qsizetype n) {
    MessageBatch newest;
    if (n <= 0)
        return newest;
    QList<Item> items = std::move(m_items);
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.sentUs < b.sentUs; });
    const qsizetype keep = qMax<qsizetype>(0, items.size() - n);
    MessageBatch rest;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        (i < keep ? rest : newest)
            .add(m_senders.at(it.sender), stdb::Timestamp::fromMicros(it.sentUs), it.utf8(),
                 m_buffers.at(it.buffer));
    }
    *this = std::move(rest);
    return newest;
}

ChatMessage MessageBatch::message(qsizetype i) const {
    const Item &item = m_items.at(i);
    return ChatMessage{m_senders.at(item.sender), stdb::Timestamp::fromMicros(item.sentUs),
                       QString::fromUtf8(text(item))};
}

MessageBatch MessageBatch::fromMessages(const QList<ChatMessage> &messages) {
    MessageBatch batch;
    batch.reserve(messages.size());
    // One buffer for all texts, reserved for the worst case (3 UTF-8 bytes per UTF-16 unit)
    // so that appending never moves it and the views stay valid.
    qsizetype worst = 0;
    for (const ChatMessage &m : messages)
        worst += m.text.size() * 3;
    QByteArray arena;
    arena.reserve(worst);
    QList<std::pair<qsizetype, qsizetype>> spans;
    spans.reserve(messages.size());
    for (const ChatMessage &m : messages) {
        const qsizetype start = arena.size();
        arena.append(m.text.toUtf8());
        spans.append({start, arena.size() - start});
    }
    const QByteArrayView all(arena);
    for (qsizetype i = 0; i < messages.size(); ++i)
        batch.add(messages[i].sender, messages[i].sent, all.sliced(spans[i].first, spans[i].second),
                  arena);
    return batch;
}

} // namespace chat
