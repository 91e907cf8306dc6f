// SPDX-License-Identifier: Apache-2.0
#include "httpparser.h"

namespace host {

namespace {

bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s) {
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!isTokenChar(c))
            return false;
    return true;
}

HeadParseResult error(int status, const QString &message) {
    HeadParseResult r;
    r.status = HeadParseResult::Status::Error;
    r.errorStatus = status;
    r.errorMessage = message;
    return r;
}

QByteArrayView trimOws(QByteArrayView v) {
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

// Splits the head into lines, accepting CRLF or bare LF.
QList<QByteArrayView> splitLines(QByteArrayView head) {
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] == '\n') {
            qsizetype end = i;
            if (end > start && head[end - 1] == '\r')
                --end;
            lines.append(head.sliced(start, end - start));
            start = i + 1;
        }
    }
    return lines;
}

bool parseDecimal(QByteArrayView digits, qint64 *out) {
    if (digits.isEmpty() || digits.size() > 18)
        return false;
    qint64 v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

} // namespace

HeadParseResult parseRequestHead(QByteArrayView buffer, const HttpLimits &limits) {
    // Tolerate blank lines before the request line (RFC 9112 §2.2).
    qsizetype skip = 0;
    while (skip < buffer.size() && (buffer[skip] == '\r' || buffer[skip] == '\n') && skip < 8)
        ++skip;

    // Find the blank line that ends the head: LF [CR] LF.
    qsizetype end = -1;
    bool strict = true;
    for (qsizetype i = skip; i < buffer.size(); ++i) {
        if (buffer[i] != '\n')
            continue;
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
            end = i + 2;
            strict = false;
            break;
        }
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            end = i + 3;
            strict = i > 0 && buffer[i - 1] == '\r';
            break;
        }
    }
    if (end < 0) {
        if (buffer.size() - skip > limits.maxHeadSize)
            return error(
                431, QStringLiteral("request head larger than %1 bytes").arg(limits.maxHeadSize));
        // A request line that is already unparseable need not wait for more bytes.
        const qsizetype firstLf = buffer.indexOf('\n', skip);
        const QByteArrayView firstLine =
            buffer.sliced(skip, (firstLf < 0 ? buffer.size() : firstLf) - skip);
        for (char c : firstLine)
            if (c == '\0' || (uchar(c) < 0x20 && c != '\r' && c != '\t'))
                return error(400, QStringLiteral("control character in request line"));
        return {};
    }
    if (end - skip > limits.maxHeadSize)
        return error(431,
                     QStringLiteral("request head larger than %1 bytes").arg(limits.maxHeadSize));

    const QByteArrayView head = buffer.sliced(skip, end - skip);
    if (head.contains('\0'))
        return error(400, QStringLiteral("NUL byte in request head"));
    const QList<QByteArrayView> lines = splitLines(head);
    if (lines.isEmpty() || lines.front().isEmpty())
        return error(400, QStringLiteral("missing request line"));

    HeadParseResult r;
    r.headLength = end;
    r.strictLineEndings = strict && skip == 0;
    HttpRequest &req = r.request;

    // Request line: METHOD SP target SP HTTP/1.x
    const QByteArrayView line = lines.front();
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return error(400, QStringLiteral("malformed request line"));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return error(400, QStringLiteral("invalid method"));
    if (version == "HTTP/1.1")
        req.versionMinor = 1;
    else if (version == "HTTP/1.0")
        req.versionMinor = 0;
    else if (version.startsWith("HTTP/"))
        return error(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
    else
        return error(400, QStringLiteral("malformed HTTP version"));
    if (target.size() > limits.maxTargetSize)
        return error(
            414, QStringLiteral("request target longer than %1 bytes").arg(limits.maxTargetSize));
    if (target.isEmpty() || (target.front() != '/' && !(target == "*" && method == "OPTIONS")))
        return error(400, QStringLiteral("request target must be an absolute path"));
    for (char c : target)
        if (uchar(c) <= 0x20 || uchar(c) == 0x7f)
            return error(400, QStringLiteral("invalid character in request target"));

    req.method = method.toByteArray();
    req.target = target.toByteArray();
    const qsizetype q = req.target.indexOf('?');
    req.rawPath = q < 0 ? req.target : req.target.left(q);
    if (q >= 0) {
        // QUrlQuery keeps the encoded form and decodes on request; '+' stays '+'.
        req.query.setQuery(QString::fromUtf8(req.target.mid(q + 1)));
    }
    const QList<QByteArray> parts = req.rawPath.split('/');
    for (qsizetype i = 1; i < parts.size(); ++i)
        req.segments.append(QString::fromUtf8(QByteArray::fromPercentEncoding(parts[i])));

    // Header fields.
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView h = lines[i];
        if (h.isEmpty())
            break; // the terminating blank line
        if (h.front() == ' ' || h.front() == '\t')
            return error(400, QStringLiteral("obsolete header line folding is not accepted"));
        const qsizetype colon = h.indexOf(':');
        if (colon <= 0 || !isToken(h.first(colon)))
            return error(400, QStringLiteral("malformed header line"));
        const QByteArrayView value = trimOws(h.sliced(colon + 1));
        for (char c : value)
            if ((uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f)
                return error(400, QStringLiteral("control character in header value"));
        if (req.headers.size() >= limits.maxHeaderCount)
            return error(431,
                         QStringLiteral("more than %1 header fields").arg(limits.maxHeaderCount));
        req.headers.append({h.first(colon).toByteArray().toLower(), value.toByteArray()});
    }

    // Body framing (RFC 9112 §6): Transfer-Encoding wins, but both together is a smuggling
    // attempt, so refuse it outright.
    const QList<QByteArray> te = req.headerValues("transfer-encoding");
    const QList<QByteArray> cl = req.headerValues("content-length");
    if (!te.isEmpty() && !cl.isEmpty())
        return error(400, QStringLiteral("both Transfer-Encoding and Content-Length given"));
    if (!te.isEmpty()) {
        QList<QByteArray> codings;
        for (const QByteArray &v : te)
            for (const QByteArray &c : v.split(','))
                if (!c.trimmed().isEmpty())
                    codings.append(c.trimmed().toLower());
        if (codings != QList<QByteArray>{"chunked"})
            return error(501, QStringLiteral("unsupported transfer coding"));
        if (req.versionMinor == 0)
            return error(400, QStringLiteral("chunked encoding needs HTTP/1.1"));
        r.body = HeadParseResult::Body::Chunked;
    } else if (!cl.isEmpty()) {
        qint64 len = -1;
        for (const QByteArray &v : cl) {
            // "5, 5" from a proxy that merged fields is legal; differing values are not.
            for (const QByteArray &part : v.split(',')) {
                qint64 one = 0;
                if (!parseDecimal(part.trimmed(), &one))
                    return error(400, QStringLiteral("invalid Content-Length"));
                if (len >= 0 && one != len)
                    return error(400, QStringLiteral("conflicting Content-Length values"));
                len = one;
            }
        }
        if (len > limits.maxBodySize)
            return error(
                413, QStringLiteral("request body larger than %1 bytes").arg(limits.maxBodySize));
        r.contentLength = len;
        r.body = len > 0 ? HeadParseResult::Body::Length : HeadParseResult::Body::None;
    }
    r.expectContinue = req.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    r.status = HeadParseResult::Status::Complete;
    return r;
}

qsizetype ChunkedDecoder::fail(int status, const QString &message, qsizetype consumed) {
    m_status = Status::Error;
    m_errorStatus = status;
    m_error = message;
    return consumed;
}

qsizetype ChunkedDecoder::feed(QByteArrayView in) {
    qsizetype pos = 0;
    while (m_status == Status::NeedMore && pos < in.size()) {
        switch (m_state) {
        case State::Size: {
            const qsizetype lf = in.indexOf('\n', pos);
            if (lf < 0) {
                if (in.size() - pos > 1024)
                    return fail(400, QStringLiteral("chunk size line too long"), pos);
                return pos;
            }
            QByteArrayView line = in.sliced(pos, lf - pos);
            if (line.endsWith('\r'))
                line.chop(1);
            const qsizetype semi = line.indexOf(';'); // chunk extensions are ignored
            if (semi >= 0)
                line = line.first(semi);
            line = trimOws(line);
            if (line.isEmpty() || line.size() > 15)
                return fail(400, QStringLiteral("invalid chunk size"), pos);
            qint64 size = 0;
            for (char c : line) {
                int d = -1;
                if (c >= '0' && c <= '9')
                    d = c - '0';
                else if (c >= 'a' && c <= 'f')
                    d = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F')
                    d = c - 'A' + 10;
                if (d < 0)
                    return fail(400, QStringLiteral("invalid chunk size"), pos);
                size = size * 16 + d;
            }
            pos = lf + 1;
            if (size == 0) {
                m_state = State::Trailer;
            } else {
                if (m_body.size() + size > m_maxBody)
                    return fail(413,
                                QStringLiteral("request body larger than %1 bytes").arg(m_maxBody),
                                pos);
                m_remaining = size;
                m_state = State::Data;
            }
            break;
        }
        case State::Data: {
            const qsizetype n = qMin<qint64>(m_remaining, in.size() - pos);
            m_body.append(in.sliced(pos, n));
            pos += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::DataEnd;
            break;
        }
        case State::DataEnd: {
            if (in[pos] == '\r') {
                if (pos + 1 >= in.size())
                    return pos;
                ++pos;
            }
            if (in[pos] != '\n')
                return fail(400, QStringLiteral("missing CRLF after chunk data"), pos);
            ++pos;
            m_state = State::Size;
            break;
        }
        case State::Trailer: {
            const qsizetype lf = in.indexOf('\n', pos);
            if (lf < 0) {
                if (in.size() - pos > 4096)
                    return fail(400, QStringLiteral("chunk trailer too long"), pos);
                return pos;
            }
            QByteArrayView line = in.sliced(pos, lf - pos);
            pos = lf + 1;
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty())
                m_status = Status::Done; // trailer fields themselves are ignored
            break;
        }
        }
    }
    return pos;
}

} // namespace host
