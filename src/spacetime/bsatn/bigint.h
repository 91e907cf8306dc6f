// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QHashFunctions>
#include <QString>

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>

namespace stdb {

// Fixed-width 128/256-bit integers as BSATN carries them: little-endian bytes, two's complement
// for the signed kinds. Arithmetic is not needed by a client; comparison, decimal and hex
// conversion are (JSON, SQL literals, display).
template <int Bytes, bool Signed>
class BigInt {
public:
    static constexpr int size = Bytes;
    static constexpr bool isSigned = Signed;

    constexpr BigInt() = default;

    static BigInt fromLittleEndian(const quint8 *bytes) {
        BigInt v;
        std::memcpy(v.m_le.data(), bytes, Bytes);
        return v;
    }
    static BigInt fromUInt64(quint64 value) {
        BigInt v;
        for (int i = 0; i < 8; ++i)
            v.m_le[i] = quint8(value >> (8 * i));
        return v;
    }
    static BigInt fromInt64(qint64 value) {
        BigInt v = fromUInt64(quint64(value));
        if (value < 0)
            for (int i = 8; i < Bytes; ++i)
                v.m_le[i] = 0xff;
        return v;
    }
    static constexpr BigInt max() {
        BigInt v;
        v.m_le.fill(0xff);
        if constexpr (Signed)
            v.m_le[Bytes - 1] = 0x7f;
        return v;
    }
    static constexpr BigInt min() {
        BigInt v;
        if constexpr (Signed)
            v.m_le[Bytes - 1] = 0x80;
        return v;
    }

    // Decimal, optionally with a leading '-' for signed types. Rejects overflow.
    static BigInt fromDecimal(QStringView text, bool *ok = nullptr);
    // Big-endian hex digits, optional 0x prefix, at most Bytes*2 digits (shorter is zero-padded).
    static BigInt fromHex(QStringView text, bool *ok = nullptr);

    const std::array<quint8, Bytes> &littleEndian() const { return m_le; }
    std::array<quint8, Bytes> &littleEndian() { return m_le; }

    bool isNegative() const {
        if constexpr (Signed)
            return (m_le[Bytes - 1] & 0x80) != 0;
        return false;
    }
    bool isZero() const {
        for (quint8 b : m_le)
            if (b)
                return false;
        return true;
    }

    QString toDecimal() const;
    // Lowercase big-endian hex, full width, no prefix.
    QString toHex() const;

    bool operator==(const BigInt &o) const { return m_le == o.m_le; }
    std::strong_ordering operator<=>(const BigInt &o) const {
        if (isNegative() != o.isNegative())
            return isNegative() ? std::strong_ordering::less : std::strong_ordering::greater;
        for (int i = Bytes - 1; i >= 0; --i)
            if (m_le[i] != o.m_le[i])
                return m_le[i] < o.m_le[i] ? std::strong_ordering::less
                                           : std::strong_ordering::greater;
        return std::strong_ordering::equal;
    }

private:
    std::array<quint8, Bytes> m_le{};
};

using U128 = BigInt<16, false>;
using I128 = BigInt<16, true>;
using U256 = BigInt<32, false>;
using I256 = BigInt<32, true>;

template <int Bytes, bool Signed>
size_t qHash(const BigInt<Bytes, Signed> &v, size_t seed = 0) {
    return qHashBits(v.littleEndian().data(), Bytes, seed);
}

namespace detail {
// magnitude / 10 in place, returns remainder; bytes little-endian
template <int Bytes>
int divmod10(std::array<quint8, Bytes> &mag) {
    int rem = 0;
    for (int i = Bytes - 1; i >= 0; --i) {
        int cur = (rem << 8) | mag[i];
        mag[i] = quint8(cur / 10);
        rem = cur % 10;
    }
    return rem;
}
template <int Bytes>
void negate(std::array<quint8, Bytes> &v) {
    int carry = 1;
    for (int i = 0; i < Bytes; ++i) {
        int x = quint8(~v[i]) + carry;
        v[i] = quint8(x);
        carry = x >> 8;
    }
}
} // namespace detail

template <int Bytes, bool Signed>
QString BigInt<Bytes, Signed>::toDecimal() const {
    std::array<quint8, Bytes> mag = m_le;
    const bool neg = isNegative();
    if (neg)
        detail::negate<Bytes>(mag);
    char buf[Bytes * 3 + 2];
    int pos = sizeof(buf);
    auto zero = [&] {
        for (quint8 b : mag)
            if (b)
                return false;
        return true;
    };
    do {
        buf[--pos] = char('0' + detail::divmod10<Bytes>(mag));
    } while (!zero());
    if (neg)
        buf[--pos] = '-';
    return QString::fromLatin1(buf + pos, int(sizeof(buf)) - pos);
}

template <int Bytes, bool Signed>
QString BigInt<Bytes, Signed>::toHex() const {
    static const char digits[] = "0123456789abcdef";
    QString out(Bytes * 2, Qt::Uninitialized);
    QChar *p = out.data();
    for (int i = Bytes - 1; i >= 0; --i) {
        *p++ = QLatin1Char(digits[m_le[i] >> 4]);
        *p++ = QLatin1Char(digits[m_le[i] & 15]);
    }
    return out;
}

template <int Bytes, bool Signed>
BigInt<Bytes, Signed> BigInt<Bytes, Signed>::fromDecimal(QStringView text, bool *ok) {
    auto fail = [ok] {
        if (ok)
            *ok = false;
        return BigInt();
    };
    text = text.trimmed();
    bool neg = false;
    if (!text.isEmpty() && (text.front() == u'-' || text.front() == u'+')) {
        neg = text.front() == u'-';
        text = text.mid(1);
    }
    if (text.isEmpty() || (neg && !Signed))
        return neg && text == u"0" ? BigInt() : fail();
    // Accumulate magnitude with one spare byte to detect overflow.
    std::array<quint8, Bytes + 1> mag{};
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return fail();
        int carry = c.unicode() - u'0';
        for (int i = 0; i < Bytes + 1; ++i) {
            int x = mag[i] * 10 + carry;
            mag[i] = quint8(x);
            carry = x >> 8;
        }
        if (carry || mag[Bytes])
            return fail();
    }
    BigInt v;
    std::memcpy(v.m_le.data(), mag.data(), Bytes);
    if constexpr (Signed) {
        const bool top = v.m_le[Bytes - 1] & 0x80;
        if (neg) {
            // magnitude may be at most 2^(8*Bytes-1)
            if (top) {
                bool exactlyMin = v.m_le[Bytes - 1] == 0x80;
                for (int i = 0; i < Bytes - 1 && exactlyMin; ++i)
                    exactlyMin = v.m_le[i] == 0;
                if (!exactlyMin)
                    return fail();
            }
            detail::negate<Bytes>(v.m_le);
        } else if (top) {
            return fail();
        }
    }
    if (ok)
        *ok = true;
    return v;
}

template <int Bytes, bool Signed>
BigInt<Bytes, Signed> BigInt<Bytes, Signed>::fromHex(QStringView text, bool *ok) {
    auto fail = [ok] {
        if (ok)
            *ok = false;
        return BigInt();
    };
    if (text.startsWith(u"0x") || text.startsWith(u"0X"))
        text = text.mid(2);
    if (text.isEmpty() || text.size() > Bytes * 2)
        return fail();
    BigInt v;
    int nibble = 0;
    for (qsizetype i = text.size() - 1; i >= 0; --i, ++nibble) {
        const char16_t c = text[i].unicode();
        int d;
        if (c >= u'0' && c <= u'9')
            d = c - u'0';
        else if (c >= u'a' && c <= u'f')
            d = c - u'a' + 10;
        else if (c >= u'A' && c <= u'F')
            d = c - u'A' + 10;
        else
            return fail();
        v.m_le[nibble / 2] |= quint8(d << ((nibble % 2) * 4));
    }
    if (ok)
        *ok = true;
    return v;
}

} // namespace stdb
