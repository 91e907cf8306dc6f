// SPDX-License-Identifier: Apache-2.0
#include "linereader.h"
#include "clilog.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#ifdef Q_OS_WIN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <io.h>
#include <windows.h>

#include <cstdint>
#include <iterator>
#include <mutex>
#include <thread>
#else
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace cli {

namespace {
constexpr qsizetype kChunk = 64 * 1024;
} // namespace

LineReader::LineReader(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd) {}

#ifdef Q_OS_WIN

// Shared by the reader and its reading thread; `reader` is cleared (under the mutex) when the
// reader is destroyed, so the thread never posts to a dead object.
struct LineReader::WinInput {
    std::mutex mutex;
    LineReader *reader = nullptr;
};

LineReader::~LineReader() {
    if (m_win) {
        std::lock_guard lock(m_win->mutex);
        m_win->reader = nullptr;
    }
}

void LineReader::start() {
    if (m_win || m_finished)
        return;
    // -1: not a descriptor; -2: a standard stream that is not connected (no console, GUI parent).
    const std::intptr_t osHandle = ::_get_osfhandle(m_fd);
    if (osHandle == -1 || osHandle == -2 || osHandle == 0) {
        QTimer::singleShot(0, this, [this] { finish(); });
        return;
    }
    const HANDLE handle = reinterpret_cast<HANDLE>(osHandle);
    DWORD mode = 0;
    // A console is read as UTF-16 (ReadConsoleW) so typed text is not limited to the ANSI code
    // page; pipes and files carry bytes, taken as UTF-8 like on other systems.
    const bool console = ::GetFileType(handle) == FILE_TYPE_CHAR && ::GetConsoleMode(handle, &mode);
    m_win = std::make_shared<WinInput>();
    m_win->reader = this;
    std::thread([state = m_win, handle, console] {
        for (;;) {
            QByteArray chunk;
            bool eof = false;
            QString error;
            if (console) {
                wchar_t text[4096];
                DWORD n = 0;
                if (!::ReadConsoleW(handle, text, DWORD(std::size(text)), &n, nullptr)) {
                    error = qt_error_string(int(::GetLastError()));
                    eof = true;
                } else if (n > 0 && text[0] == 0x1a) {
                    eof = true; // Ctrl+Z at the start of a line: end of input, as for `type`
                } else {
                    chunk = QString::fromWCharArray(text, qsizetype(n)).toUtf8();
                }
            } else {
                chunk.resize(kChunk);
                DWORD n = 0;
                if (!::ReadFile(handle, chunk.data(), DWORD(kChunk), &n, nullptr)) {
                    const DWORD code = ::GetLastError();
                    // A pipe whose writer closed reports ERROR_BROKEN_PIPE: plain end of input.
                    if (code != ERROR_BROKEN_PIPE && code != ERROR_HANDLE_EOF)
                        error = qt_error_string(int(code));
                    eof = true;
                    n = 0;
                } else if (n == 0) {
                    eof = true;
                }
                chunk.resize(qsizetype(n));
            }
            if (chunk.isEmpty() && !eof)
                continue; // e.g. a console read interrupted by Ctrl+C: nothing to hand over
            {
                std::lock_guard lock(state->mutex);
                LineReader *reader = state->reader;
                if (!reader)
                    return;
                QMetaObject::invokeMethod(
                    reader, [reader, chunk, eof, error] { reader->receive(chunk, eof, error); },
                    Qt::QueuedConnection);
            }
            if (eof)
                return;
        }
    }).detach();
}

void LineReader::stop() {
    m_stopped = true;
}

void LineReader::receive(const QByteArray &chunk, bool eof, const QString &error) {
    if (m_finished || m_stopped)
        return;
    m_buffer.append(chunk);
    emitLines(eof);
    if (eof)
        finish(error);
}

#else // POSIX

LineReader::~LineReader() = default;

void LineReader::start() {
    if (m_notifier || m_finished)
        return;
    if (::fcntl(m_fd, F_GETFD) < 0) {
        // Started with the descriptor closed (e.g. `<&-`): no input at all.
        QTimer::singleShot(0, this, [this] { finish(); });
        return;
    }
    struct stat st {};
    if (::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode)) {
        // Regular files are always "readable" and poll() on them never blocks; read them in
        // chunks from the event loop so a huge file does not freeze everything else.
        auto *timer = new QTimer(this);
        timer->setInterval(0);
        connect(timer, &QTimer::timeout, this, [this, timer] {
            readSome();
            if (m_finished || m_stopped)
                timer->stop();
        });
        timer->start();
        return;
    }
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &LineReader::readSome);
}

void LineReader::stop() {
    m_stopped = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
}

void LineReader::readSome() {
    if (m_finished || m_stopped)
        return;
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + kChunk);
    ssize_t n;
    do {
        n = ::read(m_fd, m_buffer.data() + old, size_t(kChunk));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        m_buffer.resize(old);
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        const QString error = QString::fromLocal8Bit(std::strerror(errno));
        emitLines(true);
        finish(error);
        return;
    }
    m_buffer.resize(old + qsizetype(n));
    if (n == 0) {
        emitLines(true);
        finish();
        return;
    }
    emitLines(false);
}

#endif

void LineReader::emitLines(bool flushPartial) {
    qsizetype start = 0;
    // Emitting may run arbitrary code; take the complete lines out first.
    QList<QString> lines;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        qsizetype end = nl;
        if (end > start && m_buffer.at(end - 1) == '\r')
            --end;
        lines.append(QString::fromUtf8(m_buffer.constData() + start, end - start));
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    if (flushPartial && !m_buffer.isEmpty()) {
        QByteArray last = m_buffer;
        if (last.endsWith('\r'))
            last.chop(1);
        lines.append(QString::fromUtf8(last));
        m_buffer.clear();
    }
    for (const QString &line : std::as_const(lines)) {
        if (m_stopped)
            return;
        emit lineRead(line);
    }
}

void LineReader::finish(const QString &error) {
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (!error.isEmpty())
        qCWarning(lcLineReader) << "reading standard input failed:" << error;
    if (!m_stopped)
        emit finished();
}

} // namespace cli
