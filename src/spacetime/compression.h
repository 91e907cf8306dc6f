// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/expected.h"

#include <QByteArray>

#include <memory>

namespace stdb {

// Server->client frame compression, as the one-byte tag in front of every server payload.
enum class Compression : quint8 {
    None = 0,
    Brotli = 1,
    Gzip = 2,
};

// The query-parameter spelling the server expects: "None", "Brotli", "Gzip".
STDB_EXPORT QString compressionParameter(Compression c);
// "none", "brotli", "gzip" (for logs and JSON).
STDB_EXPORT QString compressionName(Compression c);

// Default ceiling for one decompressed server message: protects against decompression bombs.
inline constexpr qsizetype kDefaultMaxDecompressedSize = qsizetype(1) << 30; // 1 GiB

// Decompresses a Brotli stream or a gzip (RFC 1952) member. Errors: corrupt or truncated
// input, trailing garbage, or output larger than maxSize (stops as soon as it would exceed it).
STDB_EXPORT Expected<QByteArray> decompress(Compression c, QByteArrayView input,
                                            qsizetype maxSize = kDefaultMaxDecompressedSize);

// Compresses with the given method (Brotli quality 1 / fastest gzip level, like the server).
STDB_EXPORT QByteArray compress(Compression c, QByteArrayView input);

// decompress() for input that arrives in pieces (a message's WebSocket frames): feed() each
// piece as it comes, finish() at the end. Whatever the pieces, the output is what decompress()
// gives for their concatenation, and so is the error: the same kind and cause (corrupt,
// truncated, trailing bytes, over the limit), though the codec's detail in brackets can name
// another state (Brotli says where its decoder was when the bad bits came, which depends on
// where the input was cut). decompress() is this with one piece. After an error feed() does
// nothing and finish() returns that error.
class STDB_EXPORT Decompressor {
public:
    // `sizeHint`: the expected output size, for the first allocation (0: unknown).
    explicit Decompressor(Compression c, qsizetype maxSize = kDefaultMaxDecompressedSize,
                          qsizetype sizeHint = 0);
    ~Decompressor();
    Decompressor(const Decompressor &) = delete;
    Decompressor &operator=(const Decompressor &) = delete;

    void feed(QByteArrayView piece);
    Expected<QByteArray> finish();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace stdb
