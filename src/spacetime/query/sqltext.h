// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/bsatn/uuid.h"
#include "spacetime/expected.h"

#include <QByteArray>
#include <QString>

#include <concepts>

// The text of SpacetimeDB SQL, as the server reads it: its sql-parser crate (sqlparser with the
// PostgreSQL dialect) tokenizes, and crates/expr `parse()` reads a literal's text as the type of
// the column it meets. Every function here produces a token the server parses to exactly the
// value given, or an error when no literal can express it.
namespace stdb::query {

// "name", a doubled quote inside: a quoted identifier keeps its case and may be a keyword
// (sqlparser Ident with quote_style '"').
STDB_EXPORT QString quoteIdentifier(QStringView name);
// A table or view name, each dot-separated part quoted: "lib"."fruit" for the table `fruit` of
// submodule `lib`, whose wire name is "lib.fruit". The server joins the parts back with dots
// (sql-parser parse_parts), as the official TypeScript query builder writes them.
STDB_EXPORT QString quoteTableName(QStringView name);
// 'text', a doubled quote inside (Value::SingleQuotedString; the PostgreSQL dialect has no
// backslash escapes, and newlines stand for themselves).
STDB_EXPORT QString quoteString(QStringView text);

STDB_EXPORT QString literal(bool value); // TRUE / FALSE (Value::Boolean)
template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char>) QString literal(T value) {
    return QString::number(value); // Value::Number; a leading '-' is a signed literal
}
// The shortest decimal that reads back as the same value (BigDecimal::to_f64). No exponent:
// sqlparser 0.38 does not read one. NaN and infinities have no literal: an error.
STDB_EXPORT Expected<QString> literal(double value);
STDB_EXPORT Expected<QString> literal(float value);
STDB_EXPORT QString literal(QStringView value);
inline QString literal(const QString &value) {
    return literal(QStringView(value));
}
// Bytes (Vec<u8>, is_bytes()): 0x + hex, read by from_hex_pad; X'' when empty.
STDB_EXPORT QString literal(const QByteArray &bytes);
// Decimal (parse_int through BigDecimal, so the 128- and 256-bit extremes are exact).
template <int Bytes, bool Signed>
QString literal(const BigInt<Bytes, Signed> &value) {
    return value.toDecimal();
}
// 0x + the 64 (32) hex digits of the big-endian value: Identity::from_hex / ConnectionId.
STDB_EXPORT QString literal(const Identity &value);
STDB_EXPORT QString literal(const ConnectionId &value);
// RFC 3339 in UTC with microseconds, as a string (Timestamp::parse_from_rfc3339). Years
// 0001-9999 only: chrono reads four digits (and Qt has no year 0).
STDB_EXPORT Expected<QString> literal(const Timestamp &value);
// '8-4-4-4-12' lower-case hex, as a string (Uuid::parse_str).
STDB_EXPORT QString literal(const Uuid &value);

// Any of the above as Expected<QString>, so templates need not know which can fail.
template <typename T>
Expected<QString> literalFor(const T &value) {
    return Expected<QString>(literal(value));
}

} // namespace stdb::query
