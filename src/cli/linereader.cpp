#include "linereader.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcLineReader, "spacetime.cli.input")

namespace cli {

namespace {
constexpr qsizetype kChunk = 64 * 1024;
} // namespace

LineReader::LineReader(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd) {}

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
