// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/expected.h"

#include <QByteArrayView>
#include <QJsonDocument>

namespace stdb {

// QJsonDocument keeps integers exactly only while they fit in a qint64; larger literals (u64
// above 2^63, u128, sequence bounds …) silently become doubles (spec §8 item 37). This parser
// first turns every integer literal outside that range into a string of the same digits, so
// the schema and value readers (which accept digit strings wherever an integer is expected)
// see the exact value.
class STDB_SCHEMA_EXPORT ExactJson {
public:
    // Errors carry the character offset of the syntax error in the original text.
    static Expected<QJsonDocument> parse(QByteArrayView text);
    // The rewriting step alone (exposed for tests).
    static QByteArray quoteBigIntegers(QByteArrayView text);
};

} // namespace stdb
