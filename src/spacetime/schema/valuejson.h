// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/expected.h"
#include "spacetime/schema/algebraictype.h"
#include "spacetime/schema/typespace.h"
#include "spacetime/schema/value.h"

#include <QJsonValue>
#include <optional>

namespace stdb {

// Converts Values to and from JSON, typed by an AlgebraicType.
//
// Two conventions:
//  * Style::Inspector (spacetime-inspect, docs/inspect.md): products with named fields as
//    objects, sums as {"Variant": payload}, unit as {}, Option as the value or null (Some of an
//    inner Option as {"some": v} so nesting stays unambiguous), byte arrays as lowercase hex,
//    Identity/ConnectionId as "0x" + big-endian hex, Timestamp/TimeDuration as integer
//    microseconds, Uuid as 8-4-4-4-12, 64-bit and wider integers as decimal strings.
//  * Style::Sats (the server's /sql rows and /call bodies, spec §4.3/§4.4): products as arrays,
//    sums as [tag, payload], unit as [], integers as JSON numbers when QJsonValue holds them
//    exactly (|v| < 2^63) and decimal strings beyond, u256 as "0x" hex, bytes as hex.
//
// Both directions of fromJson accept either convention's forms where that is unambiguous
// (object or array products, {"name": x} or [tag, x] sums, numbers or strings for integers),
// so /call bodies written by hand work. Non-finite floats and -0 are the strings "NaN",
// "Infinity", "-Infinity", "-0" (JSON has no such numbers).
class STDB_SCHEMA_EXPORT ValueJson {
public:
    enum class Style { Inspector, Sats };

    // The value must match the type (as produced by Value::decode or fromJson); a mismatching
    // spot becomes null.
    static QJsonValue toJson(const Value &value, const AlgebraicType &type, const Typespace &ts,
                             Style style = Style::Inspector);
    // Errors name the JSON path under `path` ("rows[3].name: expected a string, got a number").
    static Expected<Value> fromJson(const QJsonValue &json, const AlgebraicType &type,
                                    const Typespace &ts, Style style = Style::Inspector,
                                    const QString &path = {});

    // A product's fields keyed by name, for callers that always want objects (e.g. /call
    // bodies keyed by parameter name). Unnamed fields get their index as key.
    static QJsonValue productToObject(const Value &value, const AlgebraicType &product,
                                      const Typespace &ts, Style style = Style::Inspector);

    // Lowercase hex without prefix, and its inverse (optional 0x, even length); nullopt on bad
    // input.
    static QString toHex(QByteArrayView bytes);
    static std::optional<QByteArray> fromHex(QStringView hex);
};

} // namespace stdb
