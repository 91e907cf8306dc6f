// SPDX-License-Identifier: Apache-2.0
#include "chat/readmarker.h"

#include "chat/chatlog.h"
#include "chat/messagemodel.h"

#include <QSettings>
#include <QUrl>

namespace chat {

namespace {
const QString kMemory = QStringLiteral(":memory:");

QString groupOf(const QString &key) {
    // One group per server and database; '/' would nest groups.
    return QStringLiteral("readMarker/") + QString::fromLatin1(QUrl::toPercentEncoding(key));
}
} // namespace

ReadMarker::ReadMarker(MessageModel *model, stdb::Clock *clock, QObject *parent)
    : QObject(parent)
    , m_model(model) {
    setClock(clock);
    if (model) {
        model->setReadUpTo(std::nullopt); // the model's read position is this marker's
        connect(model, &MessageModel::unreadChanged, this, &ReadMarker::onUnreadChanged);
        connect(model, &MessageModel::newerUnloadedChanged, this, &ReadMarker::evaluate);
    }
}

ReadMarker::~ReadMarker() = default;

void ReadMarker::setClock(stdb::Clock *clock) {
    m_clock = clock ? clock : stdb::Clock::system();
    const bool running = m_timer && m_timer->isActive();
    m_timer = m_clock->createTimer([this] { onSeen(); });
    if (running)
        m_timer->start(kSeenDelay);
}

void ReadMarker::setStorage(const QString &path, const QString &key) {
    m_path = path;
    m_key = key;
    m_settings.reset();
    if (path.isEmpty() || path == kMemory)
        return;
    m_settings = std::make_unique<QSettings>(path, QSettings::IniFormat);
    m_settings->beginGroup(groupOf(key));
    const QVariant sent = m_settings->value(QStringLiteral("sent"));
    const QString sender = m_settings->value(QStringLiteral("sender")).toString();
    m_settings->endGroup();
    if (!sent.isValid())
        return; // nothing read with this profile yet
    bool sentOk = false, senderOk = false;
    Position p;
    p.sentUs = sent.toLongLong(&sentOk);
    p.sender = stdb::Identity::fromHex(sender, &senderOk);
    if (!sentOk || !senderOk) {
        qCWarning(lcChatClient) << "ignoring an unreadable read position in" << path;
        return;
    }
    m_position = p;
    if (m_model)
        m_model->setReadUpTo(p.sentUs);
}

void ReadMarker::save() {
    if (!m_settings || !m_position)
        return;
    // The file is written later; a failed write shows in the status by the next move.
    if (m_settings->status() != QSettings::NoError && !m_saveFailureReported) {
        m_saveFailureReported = true;
        qCWarning(lcChatClient) << "the read position could not be saved to" << m_path;
    }
    // QSettings writes the file later from the event loop (and when destroyed): the GUI
    // never waits for the disk here.
    m_settings->beginGroup(groupOf(m_key));
    m_settings->setValue(QStringLiteral("sent"), m_position->sentUs);
    m_settings->setValue(QStringLiteral("sender"), m_position->sender.toHex());
    m_settings->endGroup();
}

void ReadMarker::setPosition(const Position &p) {
    if (m_position == p)
        return;
    m_position = p;
    save();
    if (m_model)
        m_model->setReadUpTo(p.sentUs);
    emit positionChanged();
}

void ReadMarker::markAllRead() {
    // While the cap unloaded the newest, the loaded ones are not all there is to read.
    if (!m_model || m_model->newerUnloaded())
        return;
    const std::optional<stdb::Timestamp> newest = m_model->newestSent();
    if (!newest || (m_position && newest->micros() <= m_position->sentUs))
        return;
    setPosition({newest->micros(), m_model->newestSender()});
}

void ReadMarker::startIfUnset(qint64 windowStartUs) {
    if (m_position || !m_model)
        return;
    if (m_model->newestSent())
        markAllRead();
    else // nothing to read yet: a message stamped exactly at the bound is new too
        setPosition({windowStartUs - 1, stdb::Identity()});
}

void ReadMarker::setAttended(bool attended) {
    if (attended == m_attended)
        return;
    m_attended = attended;
    emit attendedChanged(attended);
    evaluate();
}

void ReadMarker::setNewestVisible(bool visible) {
    if (visible == m_newestVisible)
        return;
    m_newestVisible = visible;
    emit newestVisibleChanged(visible);
    evaluate();
}

void ReadMarker::onUnreadChanged() {
    const int count = m_model->unreadCount();
    const int row = m_model->firstUnreadRow();
    if (count != m_unread) {
        m_unread = count;
        emit unreadCountChanged(count);
    }
    if (row != m_firstUnreadRow) {
        m_firstUnreadRow = row;
        emit firstUnreadRowChanged(row);
    }
    evaluate();
}

void ReadMarker::evaluate() {
    std::optional<stdb::Timestamp> newest = m_model ? m_model->newestSent() : std::nullopt;
    const bool unseen =
        newest && m_position && newest->micros() > m_position->sentUs && !m_model->newerUnloaded();
    if (!m_attended || !m_newestVisible || !unseen) {
        m_timer->stop();
        m_candidate.reset();
        return;
    }
    if (m_timer->isActive())
        return; // what arrives meanwhile waits for its own moment on screen
    m_candidate = Position{newest->micros(), m_model->newestSender()};
    m_timer->start(kSeenDelay);
}

void ReadMarker::onSeen() {
    if (const std::optional<Position> seen = std::exchange(m_candidate, std::nullopt))
        if (!m_position || seen->sentUs > m_position->sentUs)
            setPosition(*seen);
    evaluate();
}

} // namespace chat
