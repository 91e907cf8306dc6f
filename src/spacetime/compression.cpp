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

Expected<QByteArray> gunzip(QByteArrayView input, qsizetype maxSize) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return compressionError(QStringLiteral("gzip: cannot initialise zlib"));
    const std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&zs, inflateEnd);

    CappedOutput out(maxSize + 1, initialGuess(input, maxSize, true));
    const auto *in = reinterpret_cast<const Bytef *>(input.data());
    qsizetype inLeft = input.size();
    for (;;) {
        if (!out.ensureSpace())
            return tooLarge(Compression::Gzip, maxSize);
        if (zs.avail_in == 0 && inLeft > 0) {
            const uInt chunk = uInt(std::min<qsizetype>(inLeft, UINT_MAX));
            zs.next_in = const_cast<Bytef *>(in);
            zs.avail_in = chunk;
            in += chunk;
            inLeft -= chunk;
        }
        const uInt room = uInt(std::min<qsizetype>(out.avail(), UINT_MAX));
        zs.next_out = reinterpret_cast<Bytef *>(out.next());
        zs.avail_out = room;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.produced(room - zs.avail_out);
        if (out.used() > maxSize)
            return tooLarge(Compression::Gzip, maxSize);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in > 0 || inLeft > 0)
                return compressionError(
                    QStringLiteral("gzip: %1 trailing bytes after the end of the stream")
                        .arg(qsizetype(zs.avail_in) + inLeft),
                    qint64(zs.total_in));
            return out.take();
        }
        if (rc == Z_BUF_ERROR) {
            // No progress possible: either the output is full (loop grows it) or the input ran out.
            if (zs.avail_out == 0)
                continue;
            return compressionError(QStringLiteral("gzip: truncated stream"), qint64(zs.total_in));
        }
        if (rc != Z_OK)
            return compressionError(
                QStringLiteral("gzip: corrupt stream (%1)")
                    .arg(QString::fromLatin1(zs.msg ? zs.msg : "inflate error")),
                qint64(zs.total_in));
        if (zs.avail_in == 0 && inLeft == 0 && zs.avail_out != 0)
            return compressionError(QStringLiteral("gzip: truncated stream"), qint64(zs.total_in));
    }
}

Expected<QByteArray> unbrotli(QByteArrayView input, qsizetype maxSize) {
    const std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState *)> st(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
    if (!st)
        return compressionError(QStringLiteral("brotli: cannot create decoder"));

    CappedOutput out(maxSize + 1, initialGuess(input, maxSize, false));
    const auto *nextIn = reinterpret_cast<const uint8_t *>(input.data());
    size_t availIn = size_t(input.size());
    for (;;) {
        if (!out.ensureSpace())
            return tooLarge(Compression::Brotli, maxSize);
        auto *nextOut = reinterpret_cast<uint8_t *>(out.next());
        size_t availOut = size_t(out.avail());
        const size_t room = availOut;
        const BrotliDecoderResult rc = BrotliDecoderDecompressStream(st.get(), &availIn, &nextIn,
                                                                     &availOut, &nextOut, nullptr);
        out.produced(qsizetype(room - availOut));
        if (out.used() > maxSize)
            return tooLarge(Compression::Brotli, maxSize);
        const qint64 consumed = input.size() - qint64(availIn);
        switch (rc) {
        case BROTLI_DECODER_RESULT_SUCCESS:
            if (availIn > 0)
                return compressionError(
                    QStringLiteral("brotli: %1 trailing bytes after the end of the stream")
                        .arg(availIn),
                    consumed);
            return out.take();
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            continue;
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            return compressionError(QStringLiteral("brotli: truncated stream"), consumed);
        case BROTLI_DECODER_RESULT_ERROR:
        default:
            return compressionError(QStringLiteral("brotli: corrupt stream (%1)")
                                        .arg(QString::fromLatin1(BrotliDecoderErrorString(
                                            BrotliDecoderGetErrorCode(st.get())))),
                                    consumed);
        }
    }
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
        if (zs.avail_in == 0 && inLeft > 0) {
            const uInt chunk = uInt(std::min<qsizetype>(inLeft, UINT_MAX));
            zs.next_in = const_cast<Bytef *>(in);
            zs.avail_in = chunk;
            in += chunk;
            inLeft -= chunk;
        }
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

Expected<QByteArray> decompress(Compression c, QByteArrayView input, qsizetype maxSize) {
    // The decoders keep one byte of headroom above the cap to detect overflow.
    maxSize = std::clamp<qsizetype>(maxSize, 0, std::numeric_limits<qsizetype>::max() / 2);
    switch (c) {
    case Compression::None:
        if (input.size() > maxSize)
            return tooLarge(c, maxSize);
        return input.toByteArray();
    case Compression::Brotli:
        return unbrotli(input, maxSize);
    case Compression::Gzip:
        return gunzip(input, maxSize);
    }
    return compressionError(
        QStringLiteral("unknown compression tag 0x%1").arg(quint8(c), 2, 16, QLatin1Char('0')));
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
