// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/expected.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace host {

// The column types the host's tables and reducer parameters can have: enough for
// quickstart-chat plus the integer types the SQL subset must handle.
enum class ColumnType {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    String,
    Identity,
    ConnectionId,
    Timestamp,
};

struct ColumnDef {
    QString name;
    ColumnType type = ColumnType::Bool;
    bool optional = false; // Option<type>
};

struct TableSchema {
    QString name;
    QList<ColumnDef> columns;
    int primaryKey = -1; // column index, -1 = none
    bool isPublic = true;

    int columnIndex(QStringView column) const;
};

// One cell. std::monostate is the None of an Option column. Signed and small unsigned
// integers are held as qint64, u64 as quint64.
using Value = std::variant<std::monostate, bool, qint64, quint64, QString, stdb::Identity,
                           stdb::ConnectionId, stdb::Timestamp>;
using Row = QList<Value>;

bool isIntegerType(ColumnType t);
// "bool", "u32", "String", "Identity", "Timestamp", with "Option<…>" around it if optional.
QString typeName(const ColumnDef &column);
QString typeName(ColumnType t);
// Range of an integer type (for literal checks); U64's max does not fit and is handled apart.
bool integerFits(ColumnType t, qint64 v);

void encodeValue(stdb::BsatnWriter &w, const ColumnDef &column, const Value &v);
Value decodeValue(stdb::BsatnReader &r, const ColumnDef &column);
QByteArray encodeRow(const QList<ColumnDef> &columns, const Row &row);
// Whole input must be one row.
stdb::Expected<Row> decodeRow(const QList<ColumnDef> &columns, QByteArrayView bytes);
// A row read from the start of bytes; what follows it is ignored. Reducer arguments are read
// this way by the real server (an args seed over `&mut &bytes[..]`, crates/core/src/host/mod.rs)
// and by Rust modules (`bsatn::from_slice`, crates/bindings/src/rt.rs).
stdb::Expected<Row> decodeRowPrefix(const QList<ColumnDef> &columns, QByteArrayView bytes);

// Total order within one column type; None sorts first. Values of different kinds compare by
// kind index (never happens for a well-typed row).
int compareValues(const Value &a, const Value &b);

// SATS-JSON of a column type ({"Bool": []}, {"Product": …} for Identity, {"Sum": …} for
// Option) and of a value in an untyped SQL result row (Identity → ["0x…"], None → [1, []]).
QJsonObject algebraicTypeJson(const ColumnDef &column);
QByteArray valueToSqlJson(const ColumnDef &column, const Value &v);
// Accepts the SATS-JSON forms a client may send for a reducer argument: stores the value in
// `out` (e.g. a cell of the row being built) or returns why it cannot. Not Expected<Value>:
// moving a freshly built variant into an Expected makes GCC 12 report -Wmaybe-uninitialized
// under -fsanitize=address.
std::optional<stdb::Error> valueFromJson(const ColumnDef &column, const QJsonValue &json,
                                         Value &out);

// Text for logs and error messages.
QString valueToDisplay(const Value &v);

} // namespace host
