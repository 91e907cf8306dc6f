// SPDX-License-Identifier: Apache-2.0
#include "chat/outbox.h"
#include "chat/chatlog.h"
#include "chat/outboxwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace chat {

namespace {
QString stateName(DeliveryState s) {
    switch (s) {
    case DeliveryState::Sent:
        return QStringLiteral("sent");
    case DeliveryState::Pending:
        return QStringLiteral("pending");
    case DeliveryState::Unconfirmed:
        return QStringLiteral("unconfirmed");
    case DeliveryState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("pending");
}
std::optional<DeliveryState> stateFromName(const QString &s) {
    if (s == QLatin1String("pending"))
        return DeliveryState::Pending;
    if (s == QLatin1String("unconfirmed"))
        return DeliveryState::Unconfirmed;
    if (s == QLatin1String("failed"))
        return DeliveryState::Failed;
    return std::nullopt;
}
} // namespace

Outbox::Outbox(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path) {
    if (m_path.isEmpty())
        return;
    m_writer = new OutboxWriter(m_path, this);
    connect(m_writer, &OutboxWriter::done, this,
            [this](quint64 snapshot, bool ok, const QString &reason) {
                m_saveCompleted = qMax(m_saveCompleted, snapshot);
                if (ok)
                    m_saveFailing = false;
                else if (!std::exchange(m_saveFailing, true))
                    emit saveFailed(reason);
                emit saved(snapshot);
            });
}

Outbox::~Outbox() {
    flush();
}

void Outbox::flush() {
    if (!m_writer)
        return;
    m_writer->flush();
    // The queued done() reports may still be on their way; the number is current now.
    m_saveCompleted = m_writer->written();
}

bool Outbox::load(QString *error) {
    m_entries.clear();
    if (m_path.isEmpty())
        return true;
    QFile f(m_path);
    if (!f.exists())
        return true;
    auto fail = [&](const QString &why) {
        const QString msg =
            tr("The saved outbox %1 could not be read (%2); it was kept as %1.corrupt.")
                .arg(m_path, why);
        qCWarning(lcOutbox).noquote() << msg;
        f.close();
        QFile::remove(m_path + QStringLiteral(".corrupt"));
        QFile::rename(m_path, m_path + QStringLiteral(".corrupt"));
        m_entries.clear();
        if (error)
            *error = msg;
        return false;
    };
    if (!f.open(QIODevice::ReadOnly))
        return fail(f.errorString());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(pe.errorString());
    if (!doc.isObject() || !doc.object().value(QLatin1String("entries")).isArray())
        return fail(tr("not an outbox file"));
    const QJsonArray arr = doc.object().value(QLatin1String("entries")).toArray();
    m_ownFloorUs = doc.object().value(QLatin1String("ownFloor")).toString().toLongLong();
    for (const QJsonValue &v : arr) {
        const QJsonObject o = v.toObject();
        Entry e;
        e.localId = qint64(o.value(QLatin1String("id")).toDouble());
        e.text = o.value(QLatin1String("text")).toString();
        e.created =
            stdb::Timestamp::fromMicros(o.value(QLatin1String("created")).toString().toLongLong());
        e.attempted = stdb::Timestamp::fromMicros(
            o.value(QLatin1String("attempted")).toString().toLongLong());
        e.floorUs = o.value(QLatin1String("floor")).toString().toLongLong();
        const auto st = stateFromName(o.value(QLatin1String("state")).toString());
        if (e.localId <= 0 || e.text.isEmpty() || !st)
            return fail(tr("entry %1 is malformed").arg(m_entries.size()));
        e.state = *st;
        e.inFlight = o.value(QLatin1String("inFlight")).toBool();
        e.error = o.value(QLatin1String("error")).toString();
        // It was handed over when we stopped: we cannot know whether it arrived.
        if (e.state == DeliveryState::Pending && e.inFlight)
            e.state = DeliveryState::Unconfirmed;
        e.inFlight = false;
        m_nextId = qMax(m_nextId, e.localId + 1);
        m_entries.append(e);
    }
    return true;
}

Outbox::SaveBatch::SaveBatch(Outbox *outbox)
    : m_outbox(outbox) {
    ++m_outbox->m_batchDepth;
}

Outbox::SaveBatch::~SaveBatch() {
    if (--m_outbox->m_batchDepth == 0 && m_outbox->m_unsaved)
        m_outbox->write();
}

void Outbox::save() {
    if (m_batchDepth > 0)
        m_unsaved = true;
    else
        write();
}

void Outbox::write() {
    m_unsaved = false;
    if (m_path.isEmpty())
        return;
    QJsonArray arr;
    for (const Entry &e : std::as_const(m_entries)) {
        QJsonObject o{{QLatin1String("id"), double(e.localId)},
                      {QLatin1String("text"), e.text},
                      {QLatin1String("created"), QString::number(e.created.micros())},
                      {QLatin1String("attempted"), QString::number(e.attempted.micros())},
                      {QLatin1String("floor"), QString::number(e.floorUs)},
                      {QLatin1String("state"), stateName(e.state)},
                      {QLatin1String("inFlight"), e.inFlight}};
        if (!e.error.isEmpty())
            o.insert(QLatin1String("error"), e.error);
        arr.append(o);
    }
    m_saveRequested = m_writer->submit(
        QJsonDocument(QJsonObject{{QLatin1String("version"), 1},
                                  {QLatin1String("ownFloor"), QString::number(m_ownFloorUs)},
                                  {QLatin1String("entries"), arr}})
            .toJson(QJsonDocument::Compact));
}

Outbox::Entry *Outbox::find(qint64 localId) {
    for (Entry &e : m_entries)
        if (e.localId == localId)
            return &e;
    return nullptr;
}

const Outbox::Entry *Outbox::entry(qint64 localId) const {
    return const_cast<Outbox *>(this)->find(localId);
}

qint64 Outbox::add(const QString &text, stdb::Timestamp created) {
    Entry e;
    e.localId = m_nextId++;
    e.text = text;
    e.created = created;
    m_entries.append(e);
    save();
    emit entryChanged(e.localId);
    return e.localId;
}

qint64 Outbox::nextToSend() const {
    for (const Entry &e : m_entries)
        if (e.state == DeliveryState::Pending && !e.inFlight)
            return e.localId;
    return 0;
}

void Outbox::markInFlight(qint64 localId) {
    if (Entry *e = find(localId)) {
        e->inFlight = true;
        e->attempted = stdb::Timestamp::now();
        e->floorUs = m_ownFloorUs;
        save();
        emit entryChanged(localId);
    }
}

void Outbox::markFailed(qint64 localId, const QString &reason) {
    if (Entry *e = find(localId)) {
        e->state = DeliveryState::Failed;
        e->inFlight = false;
        e->error = reason;
        save();
        emit entryChanged(localId);
    }
}

void Outbox::markInFlightUnconfirmed() {
    QList<qint64> changed;
    for (Entry &e : m_entries) {
        if (e.state == DeliveryState::Pending && e.inFlight) {
            e.state = DeliveryState::Unconfirmed;
            e.inFlight = false;
            changed.append(e.localId);
        }
    }
    if (changed.isEmpty())
        return;
    save();
    for (qint64 id : std::as_const(changed))
        emit entryChanged(id);
}

void Outbox::markUnsent(qint64 localId) {
    if (Entry *e = find(localId)) {
        if (!e->inFlight)
            return;
        e->inFlight = false;
        save();
        emit entryChanged(localId);
    }
}

void Outbox::retry(qint64 localId) {
    if (Entry *e = find(localId)) {
        if (e->state == DeliveryState::Pending)
            return;
        e->state = DeliveryState::Pending;
        e->inFlight = false;
        e->error.clear();
        save();
        emit entryChanged(localId);
    }
}

void Outbox::remove(qint64 localId) {
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].localId == localId) {
            m_entries.removeAt(i);
            save();
            emit entryRemoved(localId);
            return;
        }
    }
}

void Outbox::noteOwnMessage(stdb::Timestamp sent) {
    if (sent.micros() <= m_ownFloorUs)
        return;
    m_ownFloorUs = sent.micros();
    save(); // an app that quits with a message in flight needs it after the restart
}

qint64 Outbox::match(const QString &text, stdb::Timestamp sent) const {
    for (const Entry &e : m_entries) {
        const bool candidate = e.state == DeliveryState::Unconfirmed ||
                               (e.state == DeliveryState::Pending && e.inFlight);
        if (!candidate || e.text != text)
            continue;
        if (sent.micros() <= e.floorUs)
            continue; // an earlier message of ours with the same text
        if (qAbs(sent.micros() - e.attempted.micros()) <= kMatchWindowUs)
            return e.localId;
    }
    return 0;
}

} // namespace chat
