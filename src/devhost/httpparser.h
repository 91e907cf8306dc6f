// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpmessage.h"

#include <QByteArrayView>

namespace host {

// Limits a request must stay within; anything beyond is answered with 4xx, never buffered.
struct HttpLimits {
    qsizetype maxHeadSize = 16 * 1024;
    int maxHeaderCount = 100;
    qsizetype maxTargetSize = 8 * 1024;
    qint64 maxBodySize = 1024 * 1024;
};

// Result of looking at the start of a byte buffer for one request head (request line and
// headers). Pure function of its input, so it can be unit-tested and fuzzed without sockets.
struct HeadParseResult {
    enum class Status { Incomplete, Complete, Error };
    enum class Body { None, Length, Chunked };

    Status status = Status::Incomplete;
    // Complete: the request without body; headLength = bytes up to and including the blank line.
    HttpRequest request;
    qsizetype headLength = 0;
    Body body = Body::None;
    qint64 contentLength = 0;
    bool expectContinue = false;
    // The head ended with CRLF CRLF (WebSocket handshakes need that; bare LF is tolerated
    // for plain HTTP only).
    bool strictLineEndings = true;
    // Error: the status code to answer with and a human-readable reason.
    int errorStatus = 400;
    QString errorMessage;
};

HeadParseResult parseRequestHead(QByteArrayView buffer, const HttpLimits &limits = {});

// Incremental decoder for a chunked request body. feed() consumes as much of the input as
// belongs to the body and reports how much that was, so bytes of a following request stay
// untouched.
class ChunkedDecoder {
public:
    enum class Status { NeedMore, Done, Error };

    explicit ChunkedDecoder(qint64 maxBodySize)
        : m_maxBody(maxBodySize) {}

    // Returns the number of bytes of `input` consumed.
    qsizetype feed(QByteArrayView input);
    Status status() const { return m_status; }
    const QByteArray &body() const { return m_body; }
    const QString &errorMessage() const { return m_error; }
    // 413 when the body grew past the limit, 400 for malformed framing.
    int errorStatus() const { return m_errorStatus; }

private:
    enum class State { Size, Data, DataEnd, Trailer };
    qsizetype fail(int status, const QString &message, qsizetype consumed);

    qint64 m_maxBody;
    State m_state = State::Size;
    Status m_status = Status::NeedMore;
    qint64 m_remaining = 0;
    QByteArray m_body;
    QString m_error;
    int m_errorStatus = 400;
};

} // namespace host
