// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chattypes.h"

#include <QList>
#include <QObject>

namespace chat {

class OutboxWriter;

// Messages the user wrote that the server has not confirmed yet. Survives restarts (a JSON
// file in the profile's data directory, written atomically), so nothing typed is lost. The
// file is written on a thread of its own (OutboxWriter): the GUI thread never waits for a
// sync, and a burst of changes costs one write. Callers that must not act before a change is
// on disk (handing a message to the connection) wait for saved().
//
// A message is sent at most once automatically: if the connection drops after the call went
// out, the entry becomes Unconfirmed and waits to be matched against what the server has
// (same sender, same text, sent within the match window) instead of being sent again.
class Outbox : public QObject {
    Q_OBJECT
public:
    struct Entry {
        qint64 localId = 0;
        QString text;
        stdb::Timestamp created;
        DeliveryState state = DeliveryState::Pending;
        bool inFlight = false;     // Pending and handed to the connection
        stdb::Timestamp attempted; // when it was last handed over
        // The newest `sent` of our own messages known when it was handed over: a server row
        // at or before it is an earlier message, never this one (even with the same text).
        qint64 floorUs = 0;
        QString error; // Failed only
    };

    // Holds the file writes of every change made while it lives (and while any enclosing
    // batch lives) and hands one snapshot to the writer at the end, if anything changed.
    // Each snapshot is a whole file, so settling or sending n messages one change at a time
    // would cost n serialisations and n² bytes; callers that change many entries in one go
    // wrap them in a batch.
    class SaveBatch {
    public:
        explicit SaveBatch(Outbox *outbox);
        ~SaveBatch();
        SaveBatch(const SaveBatch &) = delete;
        SaveBatch &operator=(const SaveBatch &) = delete;

    private:
        Outbox *m_outbox;
    };

    // Unconfirmed entries match server messages sent this close to the attempt.
    static constexpr qint64 kMatchWindowUs = 10LL * 60 * 1000 * 1000;

    // path: the JSON file; empty = memory only.
    explicit Outbox(const QString &path = {}, QObject *parent = nullptr);
    // Waits for the last snapshot to reach the disk (quitting loses nothing).
    ~Outbox() override;

    // Reads the file; entries that were in flight when the app stopped become Unconfirmed.
    // Returns false (and leaves the outbox empty) if the file is unreadable or malformed; the
    // bad file is kept aside as <path>.corrupt so nothing is silently destroyed.
    bool load(QString *error = nullptr);

    const QList<Entry> &entries() const { return m_entries; }
    const Entry *entry(qint64 localId) const;
    bool isEmpty() const { return m_entries.isEmpty(); }

    qint64 add(const QString &text, stdb::Timestamp created = stdb::Timestamp::now());
    // The oldest entry that is Pending and not in flight, or 0.
    qint64 nextToSend() const;
    void markInFlight(qint64 localId);
    void markFailed(qint64 localId, const QString &reason);
    // The connection was lost with these in flight.
    void markInFlightUnconfirmed();
    // The call never left this machine: Pending again, to be sent on the next connection.
    void markUnsent(qint64 localId);
    // Failed -> Pending again (user asked to retry).
    void retry(qint64 localId);
    void remove(qint64 localId);
    // One of our own messages is known to be on the server (newest `sent` wins). Entries
    // handed over later are only ever matched by rows sent after it. Persisted.
    void noteOwnMessage(stdb::Timestamp sent);
    qint64 ownFloorUs() const { return m_ownFloorUs; }
    // An own message arrived from the server: the Unconfirmed or in-flight entry it settles,
    // or 0.
    qint64 match(const QString &text, stdb::Timestamp sent) const;

    // Numbers of the snapshots handed to the writer: the newest one, and the newest one known
    // to be written. Equal when every change so far is on disk (always, without a file).
    quint64 saveRequested() const { return m_saveRequested; }
    quint64 saveCompleted() const { return m_saveCompleted; }
    // Blocks until every change so far is on disk. For shutdown and tests: the GUI never calls
    // it.
    void flush();

signals:
    void entryChanged(qint64 localId);
    void entryRemoved(qint64 localId);
    // The snapshot with this number and every older one are on disk (or failed: saveFailed).
    void saved(quint64 snapshot);
    // A write failed: the text names the file and the reason, translated. Reported once until
    // a write succeeds again.
    void saveFailed(const QString &reason);

private:
    Entry *find(qint64 localId);
    // Writes the file now, or at the end of the current SaveBatch.
    void save();
    void write();

    QString m_path;
    OutboxWriter *m_writer = nullptr; // null without a file
    quint64 m_saveRequested = 0;
    quint64 m_saveCompleted = 0;
    bool m_saveFailing = false;
    QList<Entry> m_entries;
    qint64 m_nextId = 1;
    qint64 m_ownFloorUs = 0;
    int m_batchDepth = 0;
    bool m_unsaved = false;
};

} // namespace chat
