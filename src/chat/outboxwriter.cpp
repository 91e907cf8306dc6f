// SPDX-License-Identifier: Apache-2.0
#include "chat/outboxwriter.h"
#include "chat/chatlog.h"

#include <QLoggingCategory>
#include <QMutexLocker>
#include <QSaveFile>
#include <QThread>

namespace chat {

OutboxWriter::OutboxWriter(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path) {}

OutboxWriter::~OutboxWriter() {
    if (!m_thread)
        return;
    // Quitting must not lose what the user typed: the last snapshot is written first.
    {
        QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

quint64 OutboxWriter::submit(const QByteArray &contents) {
    QMutexLocker lock(&m_mutex);
    m_pending = contents;
    const quint64 number = ++m_submitted;
    if (!m_thread) {
        // Started on first use: an outbox that is never written costs no thread.
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->setObjectName(QStringLiteral("outbox writer"));
        m_thread->start(QThread::LowPriority);
    }
    m_wake.wakeAll();
    return number;
}

quint64 OutboxWriter::submitted() const {
    QMutexLocker lock(&m_mutex);
    return m_submitted;
}

quint64 OutboxWriter::written() const {
    QMutexLocker lock(&m_mutex);
    return m_written;
}

void OutboxWriter::flush() {
    QMutexLocker lock(&m_mutex);
    while (m_written < m_submitted)
        m_progress.wait(&m_mutex);
}

void OutboxWriter::run() {
    QMutexLocker lock(&m_mutex);
    for (;;) {
        while (m_taken == m_submitted && !m_stop)
            m_wake.wait(&m_mutex);
        if (m_taken == m_submitted)
            return; // stopping, and everything is written
        const QByteArray contents = std::exchange(m_pending, {});
        const quint64 number = m_submitted;
        m_taken = number;
        lock.unlock();
        QString error;
        const bool ok = writeFile(contents, &error);
        lock.relock();
        m_written = number;
        m_progress.wakeAll();
        // Reported on the owner's thread; a writer being destroyed drops the report.
        QMetaObject::invokeMethod(
            this, [this, number, ok, error] { emit done(number, ok, error); },
            Qt::QueuedConnection);
    }
}

bool OutboxWriter::writeFile(const QByteArray &contents, QString *error) const {
    // Unbuffered: Qt 6.4's commit() misses a write that fails only when the buffer is flushed
    // (disk full, EFBIG) and replaces the old file with an empty one.
    QSaveFile f(m_path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Unbuffered) &&
        f.write(contents) == contents.size() && f.commit())
        return true;
    *error = tr("The outbox could not be saved to %1: %2").arg(m_path, f.errorString());
    qCWarning(lcOutbox).noquote() << *error;
    return false;
}

} // namespace chat
