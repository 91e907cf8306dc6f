// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/expected.h"
#include "spacetime/protocol/messages.h"
#include "spacetime/schema/moduleschema.h"

#include <QJsonObject>
#include <QJsonValue>

namespace inspect {

// Protocol v2 messages <-> the inspector's JSON (docs/inspect.md): snake_case field names from
// the spec, sums as {"Variant": payload}, unit as {}, options as value or null, byte blobs as
// lowercase hex, Identity/ConnectionId as "0x" + big-endian hex, timestamps and durations as
// integer microseconds, u64 and wider as decimal strings.
//
// With a schema, row lists of known tables/views become {"size_hint": "FixedSize"|"RowOffsets",
// "rows": [typed objects]} and reducer/procedure args typed objects, but only when re-encoding
// them reproduces the original bytes exactly; otherwise the raw form stays (with a
// "decode_error" note when the rows did not match the schema). fromJson accepts both forms, so
// decode -> JSON -> encode round-trips byte for byte.
class MessageJson {
public:
    explicit MessageJson(const stdb::ModuleSchema *schema = nullptr)
        : m_schema(schema) {}

    QJsonObject toJson(const stdb::protocol::ClientMessage &m) const;
    QJsonObject toJson(const stdb::protocol::ServerMessage &m) const;
    QJsonObject rowListToJson(const stdb::protocol::RowList &rows, const QString &table) const;

    // Errors name the JSON path ("message.SubscribeApplied.rows.tables[0].table: …").
    stdb::Expected<stdb::protocol::ClientMessage> clientFromJson(const QJsonValue &json,
                                                                 const QString &path = {}) const;
    stdb::Expected<stdb::protocol::ServerMessage> serverFromJson(const QJsonValue &json,
                                                                 const QString &path = {}) const;
    stdb::Expected<stdb::protocol::RowList>
    rowListFromJson(const QJsonValue &json, const QString &table, const QString &path = {}) const;

private:
    QJsonValue argsToJson(const QByteArray &args, const stdb::AlgebraicType *params) const;

    const stdb::ModuleSchema *m_schema = nullptr;
};

} // namespace inspect
