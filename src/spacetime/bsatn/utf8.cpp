// SPDX-License-Identifier: Apache-2.0
#include "spacetime/bsatn/utf8.h"

#include <QString>

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stdb {

namespace {

// Length of the strict UTF-8 sequence starting with the non-ASCII byte at `p` (2 to 4), or 0
// when it is malformed: no overlongs, no surrogates, nothing above U+10FFFF, not truncated.
int sequenceLength(const unsigned char *p, const unsigned char *end) {
    const unsigned char c = *p;
    int n;
    unsigned char lo = 0x80, hi = 0xbf; // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        if (c == 0xe0)
            lo = 0xa0; // no overlongs
        else if (c == 0xed)
            hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f; // <= U+10FFFF
    } else {
        return 0;
    }
    if (end - p <= n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i <= n; ++i)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n + 1;
}

} // namespace

bool isValidUtf8(QByteArrayView bytes) {
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        // ASCII fast path, 8 bytes at a time
        while (end - p >= 8) {
            quint64 chunk;
            std::memcpy(&chunk, p, 8);
            if (chunk & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const int n = sequenceLength(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

bool utf8ToString(QByteArrayView bytes, QString &out) {
    const qsizetype size = bytes.size();
    // UTF-16 never takes more code units than UTF-8 takes bytes. The buffer is kept when `out`
    // alone owns it and it is not much larger than needed, so that a copy someone takes of
    // `out` does not pin a big buffer for a short string.
    if (out.isDetached() && out.capacity() >= size && out.capacity() <= 2 * size + 32)
        out.resize(size);
    else
        out = QString(size, Qt::Uninitialized);
    if (size == 0)
        return true;
    auto *const begin = reinterpret_cast<char16_t *>(out.data());
    char16_t *dst = begin;
    const auto *src = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *const end = src + size;
    while (src < end) {
        // ASCII runs, widened 16 bytes at a time; the last part of a run of at least 16 bytes
        // as one block that overlaps what is done (rewriting the same values).
#if defined(__SSE2__)
        const __m128i zero = _mm_setzero_si128();
        while (end - src >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src));
            if (_mm_movemask_epi8(v) != 0)
                break;
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst), _mm_unpacklo_epi8(v, zero));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + 8), _mm_unpackhi_epi8(v, zero));
            src += 16;
            dst += 16;
        }
        if (src < end && end - src < 16 &&
            end - reinterpret_cast<const unsigned char *>(bytes.data()) >= 16) {
            // Bytes before `src` in this block are ASCII already widened at the same offset,
            // unless the block holds a non-ASCII byte, which the mask then shows.
            const unsigned char *last = end - 16;
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(last));
            if (_mm_movemask_epi8(v) == 0) {
                char16_t *at = dst - (src - last);
                _mm_storeu_si128(reinterpret_cast<__m128i *>(at), _mm_unpacklo_epi8(v, zero));
                _mm_storeu_si128(reinterpret_cast<__m128i *>(at + 8), _mm_unpackhi_epi8(v, zero));
                dst += end - src;
                src = end;
                break;
            }
        }
        if (src == end)
            break;
#endif
        const unsigned char c = *src;
        if (c < 0x80) {
            *dst++ = c;
            ++src;
            continue;
        }
        const int n = sequenceLength(src, end);
        if (n == 0) {
            out.clear();
            return false;
        }
        char32_t cp = n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
        for (int i = 1; i < n; ++i)
            cp = (cp << 6) | (src[i] & 0x3f);
        if (cp >= 0x10000) {
            *dst++ = char16_t(0xd800 + ((cp - 0x10000) >> 10));
            *dst++ = char16_t(0xdc00 + ((cp - 0x10000) & 0x3ff));
        } else {
            *dst++ = char16_t(cp);
        }
        src += n;
    }
    if (dst - begin != size) // fewer UTF-16 units than bytes: there were multi-byte sequences
        out.resize(dst - begin);
    return true;
}

} // namespace stdb
