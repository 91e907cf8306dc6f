// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;

namespace cli {

// Reads text lines from a file descriptor (standard input by default) without blocking the
// event loop: a QSocketNotifier wakes us when data is there and each wake-up does exactly one
// read(), so the descriptor can stay in blocking mode (it is shared with the shell when it is
// a terminal). Works for terminals, pipes, regular files, /dev/null and a closed descriptor.
//
// Windows has no readiness notification for consoles and anonymous pipes, so there a detached
// thread does blocking reads (ReadConsoleW for a console, ReadFile otherwise) and hands each
// chunk to this object's thread as a queued call. The thread is never joined: a read blocked
// on a console cannot be cancelled reliably, and the process ends it at exit.
//
// Lines are split at '\n'; a trailing '\r' is dropped (like Rust's BufRead::lines). A last line
// without a newline is still delivered before finished().
class LineReader : public QObject {
    Q_OBJECT
public:
    explicit LineReader(int fd = 0, QObject *parent = nullptr);
    ~LineReader() override;

    // Starts reading; lineRead/finished are emitted from the event loop, never from start().
    void start();
    // Stops reading (no more signals).
    void stop();
    bool isFinished() const { return m_finished; }

signals:
    void lineRead(const QString &line);
    // End of input: EOF, a read error (errorString says which) or a closed descriptor.
    void finished();

public:
    QString errorString() const { return m_error; }

private:
#ifdef Q_OS_WIN
    struct WinInput;
    void receive(const QByteArray &chunk, bool eof, const QString &error);
    std::shared_ptr<WinInput> m_win;
#else
    void readSome();
#endif
    void emitLines(bool flushPartial);
    void finish(const QString &error = {});

    int m_fd;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    QString m_error;
    bool m_finished = false;
    bool m_stopped = false;
};

} // namespace cli
