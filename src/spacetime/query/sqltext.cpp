// SPDX-License-Identifier: Apache-2.0
#include "spacetime/query/sqltext.h"

#include <charconv>
#include <cmath>

namespace stdb::query {

namespace {
QString quoted(QStringView text, QChar quote) {
    QString out;
    out.reserve(text.size() + 2);
    out += quote;
    for (QChar c : text) {
        if (c == quote)
            out += quote;
        out += c;
    }
    out += quote;
    return out;
}

template <typename F>
Expected<QString> floatLiteral(F value, const char *type) {
    if (!std::isfinite(value))
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("%1 %2 has no SQL literal (the server reads decimals only)")
                         .arg(QLatin1String(type), QString::number(double(value))));
    // Fixed notation, shortest that round-trips: at most 39 (f32) or 309 (f64) integer digits
    // or that many fraction digits.
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    Q_ASSERT(r.ec == std::errc());
    return QString::fromLatin1(buf, r.ptr - buf);
}
} // namespace

QString quoteIdentifier(QStringView name) {
    return quoted(name, u'"');
}

QString quoteTableName(QStringView name) {
    QString out;
    for (QStringView part : name.split(u'.')) {
        if (!out.isEmpty())
            out += u'.';
        out += quoted(part, u'"');
    }
    return out;
}

QString quoteString(QStringView text) {
    return quoted(text, u'\'');
}

QString literal(bool value) {
    return value ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
}

Expected<QString> literal(double value) {
    return floatLiteral(value, "f64");
}

Expected<QString> literal(float value) {
    return floatLiteral(value, "f32");
}

QString literal(QStringView value) {
    return quoteString(value);
}

QString literal(const QByteArray &bytes) {
    if (bytes.isEmpty())
        return QStringLiteral("X''");
    return QStringLiteral("0x") + QString::fromLatin1(bytes.toHex());
}

QString literal(const Identity &value) {
    return QStringLiteral("0x") + value.toHex();
}

QString literal(const ConnectionId &value) {
    return QStringLiteral("0x") + value.toHex();
}

Expected<QString> literal(const Timestamp &value) {
    // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z in microseconds since 1970 (Qt has
    // no year 0).
    constexpr qint64 kMin = -62135596800LL * 1000000;
    constexpr qint64 kMax = 253402300799LL * 1000000 + 999999;
    if (value.micros() < kMin || value.micros() > kMax)
        return Error(Error::Kind::InvalidArgument,
                     QStringLiteral("timestamp %1 µs has no SQL literal (RFC 3339 needs a "
                                    "four-digit year)")
                         .arg(value.micros()));
    return quoteString(value.toIso8601());
}

QString literal(const Uuid &value) {
    return quoteString(value.toString());
}

} // namespace stdb::query
