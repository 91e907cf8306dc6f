// SPDX-License-Identifier: Apache-2.0
#include "spacetime/compression.h"

#include "spacetime/hugepages.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <QtEndian>

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>

namespace stdb {

QString compressionParameter(Compression c) {
    switch (c) {
    case Compression::None:
        return QStringLiteral("None");
    case Compression::Brotli:
        return QStringLiteral("Brotli");
    case Compression::Gzip:
        return QStringLiteral("Gzip");
    }
    return QStringLiteral("None");
}

QString compressionName(Compression c) {
    switch (c) {
    case Compression::None:
        return QStringLiteral("none");
    case Compression::Brotli:
        return QStringLiteral("brotli");
    case Compression::Gzip:
        return QStringLiteral("gzip");
    }
    return QStringLiteral("unknown");
}

namespace {

Error compressionError(const QString &message, qint64 offset = -1) {
    return Error(Error::Kind::Compression, message, offset);
}

Error tooLarge(Compression c, qsizetype maxSize) {
    return compressionError(QStringLiteral("decompressed %1 message exceeds the limit of %2 bytes")
                                .arg(compressionName(c))
                                .arg(maxSize));
}

// Deflate expands at most ~1032:1, so a trailer claiming more than that is a lie.
constexpr qsizetype kMaxDeflateRatio = 1032;
constexpr qsizetype kMaxInitialAllocation = qsizetype(64) << 20;

qsizetype initialGuess(QByteArrayView input, qsizetype maxSize, bool gzipTrailer) {
    qsizetype guess = input.size() * 4;
    if (gzipTrailer && input.size() >= 18) {
        quint32 isize;
        std::memcpy(&isize, input.data() + input.size() - 4, 4);
        guess = qsizetype(qFromLittleEndian(isize));
    }
    guess = std::min({guess, input.size() * kMaxDeflateRatio, kMaxInitialAllocation});
    return std::clamp<qsizetype>(guess, 256, maxSize + 1);
}

// Hands zlib the next part of the input once it has taken the last (it counts in uInt).
void refill(z_stream &zs, const Bytef *&in, qsizetype &inLeft) {
    if (zs.avail_in != 0 || inLeft == 0)
        return;
    const uInt chunk = uInt(std::min<qsizetype>(inLeft, UINT_MAX));
    zs.next_in = const_cast<Bytef *>(in);
    zs.avail_in = chunk;
    in += chunk;
    inLeft -= chunk;
}

QByteArray gzip(QByteArrayView input) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    const std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&zs, deflateEnd);
    QByteArray out;
    out.resize(qsizetype(deflateBound(&zs, uLong(input.size()))) + 64);
    const auto *in = reinterpret_cast<const Bytef *>(input.data());
    qsizetype inLeft = input.size();
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        refill(zs, in, inLeft);
        if (qsizetype(zs.total_out) == out.size())
            out.resize(out.size() * 2);
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + zs.total_out);
        zs.avail_out = uInt(std::min<qsizetype>(out.size() - qsizetype(zs.total_out), UINT_MAX));
        rc = deflate(&zs, inLeft > 0 ? Z_NO_FLUSH : Z_FINISH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return {};
    }
    out.truncate(qsizetype(zs.total_out));
    return out;
}

QByteArray brotli(QByteArrayView input) {
    size_t size = BrotliEncoderMaxCompressedSize(size_t(input.size()));
    if (size == 0)
        size = size_t(input.size()) + (size_t(input.size()) >> 2) + 1024;
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    if (!BrotliEncoderCompress(1, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, size_t(input.size()),
                               reinterpret_cast<const uint8_t *>(input.data()), &size,
                               reinterpret_cast<uint8_t *>(out.data())))
        return {};
    out.truncate(qsizetype(size));
    return out;
}

} // namespace

// Not in the anonymous namespace: Decompressor::Private holds one.
namespace detail {

// Growable output that never holds more than cap bytes. One byte past maxSize is allowed so a
// stream that produces even a single byte too many is noticed without inflating the rest.
class CappedOutput {
public:
    CappedOutput(qsizetype cap, qsizetype initial)
        : m_cap(cap) {
        m_buf = freshBuffer(std::clamp<qsizetype>(initial, 1, cap));
    }
    // Space left in the current allocation, growing it (geometrically, up to the cap) if full.
    // Returns false when the cap is reached.
    bool ensureSpace() {
        if (m_used < m_buf.size())
            return true;
        if (m_buf.size() >= m_cap)
            return false;
        const qsizetype grown =
            m_buf.size() > m_cap / 2 ? m_cap : std::max<qsizetype>(m_buf.size() * 2, 4096);
        // A new buffer advised before the copy touches it: QByteArray::resize may copy into
        // fresh 4 KiB pages before any advice could reach them.
        QByteArray next = freshBuffer(std::min(grown, m_cap));
        std::memcpy(next.data(), m_buf.constData(), size_t(m_used));
        m_buf = std::move(next);
        return true;
    }
    char *next() { return m_buf.data() + m_used; }
    qsizetype avail() const { return m_buf.size() - m_used; }
    void produced(qsizetype n) { m_used += n; }
    qsizetype used() const { return m_used; }
    QByteArray take() {
        m_buf.truncate(m_used);
        return std::move(m_buf);
    }

private:
    // A history message inflates to ~100 MB at once: large outputs take huge pages, offered
    // before anything writes them (hugepages.h).
    static QByteArray freshBuffer(qsizetype size) { return hugePageBuffer(size); }
    QByteArray m_buf;
    qsizetype m_cap;
    qsizetype m_used = 0;
};

} // namespace detail

// The two codecs behind Decompressor. The output is capped at maxSize + 1 bytes: one byte past
// the limit is enough to know the stream is too large without inflating the rest.
class Decompressor::Private {
public:
    Private(Compression c, qsizetype maxSize, qsizetype sizeHint)
        : m_method(c)
        , m_maxSize(maxSize)
        , m_out(maxSize + 1, sizeHint) {
        switch (c) {
        case Compression::None:
            break;
        case Compression::Gzip:
            if (inflateInit2(&m_zs, 16 + MAX_WBITS) != Z_OK)
                fail(compressionError(QStringLiteral("gzip: cannot initialise zlib")));
            else
                m_zlibReady = true;
            break;
        case Compression::Brotli:
            m_brotli = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
            if (!m_brotli)
                fail(compressionError(QStringLiteral("brotli: cannot create decoder")));
            break;
        default:
            fail(compressionError(QStringLiteral("unknown compression tag 0x%1")
                                      .arg(quint8(c), 2, 16, QLatin1Char('0'))));
        }
    }
    ~Private() {
        if (m_zlibReady)
            inflateEnd(&m_zs);
        if (m_brotli)
            BrotliDecoderDestroyInstance(m_brotli);
    }

    void feed(QByteArrayView piece) {
        if (m_error)
            return;
        if (m_ended) { // what follows a finished stream is counted, reported by finish()
            m_trailing += piece.size();
            return;
        }
        switch (m_method) {
        case Compression::None:
            feedNone(piece);
            break;
        case Compression::Gzip:
            feedGzip(piece);
            break;
        case Compression::Brotli:
            feedBrotli(piece);
            break;
        }
    }

    Expected<QByteArray> finish() {
        if (m_error)
            return *m_error;
        if (m_method == Compression::None)
            return m_out.take();
        if (m_method == Compression::Gzip) {
            if (!m_ended) {
                // Input exhausted mid-stream. zlib may still hold output it could not write.
                feedGzip(QByteArrayView());
                if (m_error)
                    return *m_error;
                if (!m_ended)
                    return compressionError(QStringLiteral("gzip: truncated stream"),
                                            qint64(m_zs.total_in));
            }
            if (m_trailing > 0)
                return compressionError(
                    QStringLiteral("gzip: %1 trailing bytes after the end of the stream")
                        .arg(m_trailing),
                    qint64(m_zs.total_in));
            return m_out.take();
        }
        if (!m_ended) {
            feedBrotli(QByteArrayView());
            if (m_error)
                return *m_error;
            if (!m_ended)
                return compressionError(QStringLiteral("brotli: truncated stream"), m_consumed);
        }
        if (m_trailing > 0)
            return compressionError(
                QStringLiteral("brotli: %1 trailing bytes after the end of the stream")
                    .arg(m_trailing),
                m_consumed);
        return m_out.take();
    }

private:
    void fail(Error e) { m_error = std::move(e); }

    void feedNone(QByteArrayView piece) {
        qsizetype at = 0;
        while (at < piece.size()) {
            if (!m_out.ensureSpace())
                return fail(tooLarge(Compression::None, m_maxSize));
            const qsizetype n = std::min(m_out.avail(), piece.size() - at);
            std::memcpy(m_out.next(), piece.data() + at, size_t(n));
            m_out.produced(n);
            at += n;
            if (m_out.used() > m_maxSize)
                return fail(tooLarge(Compression::None, m_maxSize));
        }
    }

    void feedGzip(QByteArrayView piece) {
        const auto *in = reinterpret_cast<const Bytef *>(piece.data());
        qsizetype inLeft = piece.size();
        for (;;) {
            if (!m_out.ensureSpace())
                return fail(tooLarge(Compression::Gzip, m_maxSize));
            refill(m_zs, in, inLeft);
            const uInt room = uInt(std::min<qsizetype>(m_out.avail(), UINT_MAX));
            m_zs.next_out = reinterpret_cast<Bytef *>(m_out.next());
            m_zs.avail_out = room;
            const int rc = inflate(&m_zs, Z_NO_FLUSH);
            m_out.produced(room - m_zs.avail_out);
            if (m_out.used() > m_maxSize)
                return fail(tooLarge(Compression::Gzip, m_maxSize));
            if (rc == Z_STREAM_END) {
                m_ended = true;
                m_trailing += qsizetype(m_zs.avail_in) + inLeft;
                m_zs.avail_in = 0;
                return;
            }
            if (rc == Z_BUF_ERROR) {
                // No progress: the output is full (the loop grows it) or the input ran out.
                if (m_zs.avail_out == 0)
                    continue;
                return; // wait for more input; finish() tells a truncated stream
            }
            if (rc != Z_OK)
                return fail(compressionError(
                    QStringLiteral("gzip: corrupt stream (%1)")
                        .arg(QString::fromLatin1(m_zs.msg ? m_zs.msg : "inflate error")),
                    qint64(m_zs.total_in)));
            if (m_zs.avail_in == 0 && inLeft == 0 && m_zs.avail_out != 0)
                return; // all of this piece taken, more output needs more input
        }
    }

    void feedBrotli(QByteArrayView piece) {
        const auto *nextIn = reinterpret_cast<const uint8_t *>(piece.data());
        size_t availIn = size_t(piece.size());
        for (;;) {
            if (!m_out.ensureSpace())
                return fail(tooLarge(Compression::Brotli, m_maxSize));
            auto *nextOut = reinterpret_cast<uint8_t *>(m_out.next());
            size_t availOut = size_t(m_out.avail());
            const size_t room = availOut;
            const size_t before = availIn;
            const BrotliDecoderResult rc = BrotliDecoderDecompressStream(
                m_brotli, &availIn, &nextIn, &availOut, &nextOut, nullptr);
            m_out.produced(qsizetype(room - availOut));
            m_consumed += qint64(before - availIn);
            if (m_out.used() > m_maxSize)
                return fail(tooLarge(Compression::Brotli, m_maxSize));
            switch (rc) {
            case BROTLI_DECODER_RESULT_SUCCESS:
                m_ended = true;
                m_trailing += qsizetype(availIn);
                return;
            case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                continue;
            case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                return; // finish() tells a truncated stream
            case BROTLI_DECODER_RESULT_ERROR:
            default:
                return fail(compressionError(QStringLiteral("brotli: corrupt stream (%1)")
                                                 .arg(QString::fromLatin1(BrotliDecoderErrorString(
                                                     BrotliDecoderGetErrorCode(m_brotli)))),
                                             m_consumed));
            }
        }
    }

    Compression m_method;
    qsizetype m_maxSize;
    detail::CappedOutput m_out;
    z_stream m_zs{};
    bool m_zlibReady = false;
    BrotliDecoderState *m_brotli = nullptr;
    bool m_ended = false;
    qsizetype m_trailing = 0; // bytes after the end of the stream
    qint64 m_consumed = 0;    // brotli input taken so far (zlib counts its own)
    std::optional<Error> m_error;
};

Decompressor::Decompressor(Compression c, qsizetype maxSize, qsizetype sizeHint)
    // The decoders keep one byte of headroom above the cap to detect overflow.
    : d(std::make_unique<Private>(
          c, std::clamp<qsizetype>(maxSize, 0, std::numeric_limits<qsizetype>::max() / 2),
          sizeHint)) {}

Decompressor::~Decompressor() = default;

void Decompressor::feed(QByteArrayView piece) {
    d->feed(piece);
}

Expected<QByteArray> Decompressor::finish() {
    return d->finish();
}

Expected<QByteArray> decompress(Compression c, QByteArrayView input, qsizetype maxSize) {
    maxSize = std::clamp<qsizetype>(maxSize, 0, std::numeric_limits<qsizetype>::max() / 2);
    if (c == Compression::None) { // a copy, nothing to inflate
        if (input.size() > maxSize)
            return tooLarge(c, maxSize);
        return input.toByteArray();
    }
    Decompressor d(c, maxSize, initialGuess(input, maxSize, c == Compression::Gzip));
    d.feed(input);
    return d.finish();
}

QByteArray compress(Compression c, QByteArrayView input) {
    switch (c) {
    case Compression::None:
        return input.toByteArray();
    case Compression::Brotli:
        return brotli(input);
    case Compression::Gzip:
        return gzip(input);
    }
    return {};
}

} // namespace stdb
