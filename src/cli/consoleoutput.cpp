// SPDX-License-Identifier: Apache-2.0
#include "consoleoutput.h"

#include "chat/untrustedtext.h"

#include <algorithm>
#include <cerrno>
#include <climits>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace cli {

namespace {

bool isTerminal(int fd) {
#ifdef Q_OS_WIN
    return ::_isatty(fd) != 0; // also true for NUL; only decides whether controls are neutralized
#else
    return ::isatty(fd) == 1;
#endif
}

// One write(2) (or _write on Windows); the number of bytes written or -1 with errno set.
qint64 writeSome(int fd, const char *data, qsizetype size) {
#ifdef Q_OS_WIN
    return ::_write(fd, data, unsigned(std::min<qsizetype>(size, INT_MAX)));
#else
    return ::write(fd, data, size_t(size));
#endif
}

} // namespace

FdOutput::FdOutput(int outFd, int errFd)
    : m_outFd(outFd)
    , m_errFd(errFd)
    , m_outTty(isTerminal(outFd))
    , m_errTty(isTerminal(errFd)) {}

void FdOutput::out(const QString &line) {
    writeLine(m_outFd, m_outTty, line);
}

void FdOutput::err(const QString &line) {
    writeLine(m_errFd, m_errTty, line);
}

void FdOutput::outUntrusted(const QString &line) {
    writeLine(m_outFd, m_outTty, m_outTty ? forTerminal(line) : line);
}

QString FdOutput::forTerminal(const QString &untrustedLine) {
    QString text = neutralizeControls(untrustedLine);
    text.replace(QLatin1Char('\n'), QStringLiteral("\n  \u21b3 "));
    return text;
}

QString FdOutput::neutralizeControls(const QString &text) {
    QString result;
    result.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool control = (u < 0x20 && u != u'\t' && u != u'\n') || u == 0x7f ||
                             (u >= 0x80 && u < 0xa0) || chat::UntrustedText::isBidiControl(u);
        result.append(control ? QChar(QChar::ReplacementCharacter) : c);
    }
    return result;
}

void FdOutput::writeLine(int fd, bool tty, const QString &line) {
    QByteArray bytes = (tty ? neutralizeControls(line) : line).toUtf8();
    bytes.append('\n');
    const char *p = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const qint64 n = writeSome(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; // EPIPE and friends: the reader went away; nothing sensible to do
        }
        p += n;
        left -= n;
    }
}

QString rustDebugQuoted(const QString &text) {
    QString r;
    r.reserve(text.size() + 2);
    r.append(u'"');
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        switch (c.unicode()) {
        case u'"':
            r.append(QLatin1String("\\\""));
            continue;
        case u'\\':
            r.append(QLatin1String("\\\\"));
            continue;
        case u'\n':
            r.append(QLatin1String("\\n"));
            continue;
        case u'\r':
            r.append(QLatin1String("\\r"));
            continue;
        case u'\t':
            r.append(QLatin1String("\\t"));
            continue;
        case 0:
            r.append(QLatin1String("\\0"));
            continue;
        default:
            break;
        }
        char32_t code = c.unicode();
        qsizetype len = 1;
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            code = QChar::surrogateToUcs4(c, text.at(i + 1));
            len = 2;
        }
        const auto category = QChar::category(code);
        if (category == QChar::Other_Control || category == QChar::Other_Format ||
            category == QChar::Separator_Line || category == QChar::Separator_Paragraph) {
            r.append(QStringLiteral("\\u{%1}").arg(uint(code), 0, 16));
        } else {
            r.append(text.mid(i, len));
        }
        i += len - 1;
    }
    r.append(u'"');
    return r;
}

} // namespace cli
