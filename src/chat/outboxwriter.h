// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QWaitCondition>

#include <memory>

class QThread;

namespace chat {

// Writes whole-file snapshots of one file on a thread of its own, so the GUI thread never
// waits for a sync. Snapshots handed over while a write runs are coalesced: only the newest
// is written next. Every snapshot is written atomically (QSaveFile), so the file always holds
// some complete snapshot.
class OutboxWriter : public QObject {
    Q_OBJECT
public:
    explicit OutboxWriter(const QString &path, QObject *parent = nullptr);
    // Waits for the newest snapshot to be written.
    ~OutboxWriter() override;

    // Queues a snapshot; returns its number (1, 2, ...). Never blocks on the disk.
    quint64 submit(const QByteArray &contents);
    // The number of the newest snapshot handed over, and of the newest one written (or given
    // up on: a failed write is reported through failed()).
    quint64 submitted() const;
    quint64 written() const;
    // Blocks until every snapshot handed over is written. For shutdown and tests only.
    void flush();

signals:
    // Emitted on this object's thread once the snapshot with this number (and every older one)
    // was written (ok), or its write failed: then reason names the file and the cause,
    // translated.
    void done(quint64 snapshot, bool ok, const QString &reason);

private:
    void run();
    bool writeFile(const QByteArray &contents, QString *error) const;

    const QString m_path;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;     // the writer thread: new work or stop
    QWaitCondition m_progress; // flush(): a snapshot was written
    QByteArray m_pending;
    quint64 m_submitted = 0;
    quint64 m_taken = 0;   // the newest snapshot the thread has taken
    quint64 m_written = 0; // the newest snapshot written (or failed)
    bool m_stop = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace chat
