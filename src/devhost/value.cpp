// SPDX-License-Identifier: Apache-2.0
#include "value.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace host {

using stdb::Error;

int TableSchema::columnIndex(QStringView column) const {
    for (qsizetype i = 0; i < columns.size(); ++i)
        if (columns[i].name == column)
            return int(i);
    return -1;
}

bool isIntegerType(ColumnType t) {
    switch (t) {
    case ColumnType::I8:
    case ColumnType::U8:
    case ColumnType::I16:
    case ColumnType::U16:
    case ColumnType::I32:
    case ColumnType::U32:
    case ColumnType::I64:
    case ColumnType::U64:
        return true;
    default:
        return false;
    }
}

QString typeName(ColumnType t) {
    switch (t) {
    case ColumnType::Bool:
        return QStringLiteral("bool");
    case ColumnType::I8:
        return QStringLiteral("i8");
    case ColumnType::U8:
        return QStringLiteral("u8");
    case ColumnType::I16:
        return QStringLiteral("i16");
    case ColumnType::U16:
        return QStringLiteral("u16");
    case ColumnType::I32:
        return QStringLiteral("i32");
    case ColumnType::U32:
        return QStringLiteral("u32");
    case ColumnType::I64:
        return QStringLiteral("i64");
    case ColumnType::U64:
        return QStringLiteral("u64");
    case ColumnType::String:
        return QStringLiteral("String");
    case ColumnType::Identity:
        return QStringLiteral("Identity");
    case ColumnType::ConnectionId:
        return QStringLiteral("ConnectionId");
    case ColumnType::Timestamp:
        return QStringLiteral("Timestamp");
    }
    return QStringLiteral("?");
}

QString typeName(const ColumnDef &column) {
    const QString inner = typeName(column.type);
    return column.optional ? QStringLiteral("Option<%1>").arg(inner) : inner;
}

bool integerFits(ColumnType t, qint64 v) {
    switch (t) {
    case ColumnType::I8:
        return v >= -128 && v <= 127;
    case ColumnType::U8:
        return v >= 0 && v <= 255;
    case ColumnType::I16:
        return v >= -32768 && v <= 32767;
    case ColumnType::U16:
        return v >= 0 && v <= 65535;
    case ColumnType::I32:
        return v >= std::numeric_limits<qint32>::min() && v <= std::numeric_limits<qint32>::max();
    case ColumnType::U32:
        return v >= 0 && v <= qint64(std::numeric_limits<quint32>::max());
    case ColumnType::I64:
        return true;
    case ColumnType::U64:
        return v >= 0;
    default:
        return false;
    }
}

namespace {

qint64 asI64(const Value &v) {
    if (const auto *i = std::get_if<qint64>(&v))
        return *i;
    if (const auto *u = std::get_if<quint64>(&v))
        return qint64(*u);
    return 0;
}

void encodeInner(stdb::BsatnWriter &w, ColumnType type, const Value &v) {
    switch (type) {
    case ColumnType::Bool:
        w.writeBool(std::holds_alternative<bool>(v) && std::get<bool>(v));
        break;
    case ColumnType::I8:
        w.writeI8(qint8(asI64(v)));
        break;
    case ColumnType::U8:
        w.writeU8(quint8(asI64(v)));
        break;
    case ColumnType::I16:
        w.writeI16(qint16(asI64(v)));
        break;
    case ColumnType::U16:
        w.writeU16(quint16(asI64(v)));
        break;
    case ColumnType::I32:
        w.writeI32(qint32(asI64(v)));
        break;
    case ColumnType::U32:
        w.writeU32(quint32(asI64(v)));
        break;
    case ColumnType::I64:
        w.writeI64(asI64(v));
        break;
    case ColumnType::U64:
        w.writeU64(std::holds_alternative<quint64>(v) ? std::get<quint64>(v) : quint64(asI64(v)));
        break;
    case ColumnType::String:
        w.writeString(std::holds_alternative<QString>(v) ? std::get<QString>(v) : QString());
        break;
    case ColumnType::Identity:
        w.writeIdentity(std::holds_alternative<stdb::Identity>(v) ? std::get<stdb::Identity>(v)
                                                                  : stdb::Identity());
        break;
    case ColumnType::ConnectionId:
        w.writeConnectionId(std::holds_alternative<stdb::ConnectionId>(v)
                                ? std::get<stdb::ConnectionId>(v)
                                : stdb::ConnectionId());
        break;
    case ColumnType::Timestamp:
        w.writeTimestamp(std::holds_alternative<stdb::Timestamp>(v) ? std::get<stdb::Timestamp>(v)
                                                                    : stdb::Timestamp());
        break;
    }
}

Value decodeInner(stdb::BsatnReader &r, ColumnType type) {
    switch (type) {
    case ColumnType::Bool:
        return r.readBool();
    case ColumnType::I8:
        return qint64(r.readI8());
    case ColumnType::U8:
        return qint64(r.readU8());
    case ColumnType::I16:
        return qint64(r.readI16());
    case ColumnType::U16:
        return qint64(r.readU16());
    case ColumnType::I32:
        return qint64(r.readI32());
    case ColumnType::U32:
        return qint64(r.readU32());
    case ColumnType::I64:
        return r.readI64();
    case ColumnType::U64:
        return r.readU64();
    case ColumnType::String:
        return r.readString();
    case ColumnType::Identity:
        return r.readIdentity();
    case ColumnType::ConnectionId:
        return r.readConnectionId();
    case ColumnType::Timestamp:
        return r.readTimestamp();
    }
    return {};
}

QByteArray jsonString(const QString &s) {
    QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

// "0x" + big-endian hex without leading zeros, as the server's JSON writes a u128/u256.
QByteArray bigHexJson(const QString &hex) {
    qsizetype i = 0;
    while (i < hex.size() - 1 && hex[i] == u'0')
        ++i;
    return "\"0x" + hex.mid(i).toLatin1() + '"';
}

QJsonObject unitType() {
    return {{QStringLiteral("Product"), QJsonObject{{QStringLiteral("elements"), QJsonArray{}}}}};
}

QJsonObject element(const QString &name, const QJsonObject &type) {
    return {{QStringLiteral("name"), QJsonObject{{QStringLiteral("some"), name}}},
            {QStringLiteral("algebraic_type"), type}};
}

QJsonObject wrapperProduct(const QString &field, const char *primitive) {
    return {{QStringLiteral("Product"),
             QJsonObject{{QStringLiteral("elements"),
                          QJsonArray{element(
                              field, QJsonObject{{QLatin1String(primitive), QJsonArray{}}})}}}}};
}

QJsonObject innerTypeJson(ColumnType t) {
    switch (t) {
    case ColumnType::Bool:
        return {{QStringLiteral("Bool"), QJsonArray{}}};
    case ColumnType::I8:
        return {{QStringLiteral("I8"), QJsonArray{}}};
    case ColumnType::U8:
        return {{QStringLiteral("U8"), QJsonArray{}}};
    case ColumnType::I16:
        return {{QStringLiteral("I16"), QJsonArray{}}};
    case ColumnType::U16:
        return {{QStringLiteral("U16"), QJsonArray{}}};
    case ColumnType::I32:
        return {{QStringLiteral("I32"), QJsonArray{}}};
    case ColumnType::U32:
        return {{QStringLiteral("U32"), QJsonArray{}}};
    case ColumnType::I64:
        return {{QStringLiteral("I64"), QJsonArray{}}};
    case ColumnType::U64:
        return {{QStringLiteral("U64"), QJsonArray{}}};
    case ColumnType::String:
        return {{QStringLiteral("String"), QJsonArray{}}};
    case ColumnType::Identity:
        return wrapperProduct(QStringLiteral("__identity__"), "U256");
    case ColumnType::ConnectionId:
        return wrapperProduct(QStringLiteral("__connection_id__"), "U128");
    case ColumnType::Timestamp:
        return wrapperProduct(QStringLiteral("__timestamp_micros_since_unix_epoch__"), "I64");
    }
    return {};
}

QByteArray innerToSqlJson(ColumnType t, const Value &v) {
    switch (t) {
    case ColumnType::Bool:
        return std::get_if<bool>(&v) && std::get<bool>(v) ? "true" : "false";
    case ColumnType::U64:
        return QByteArray::number(std::holds_alternative<quint64>(v) ? std::get<quint64>(v)
                                                                     : quint64(asI64(v)));
    case ColumnType::String:
        return jsonString(std::holds_alternative<QString>(v) ? std::get<QString>(v) : QString());
    case ColumnType::Identity:
        return '[' +
               bigHexJson(std::holds_alternative<stdb::Identity>(v)
                              ? std::get<stdb::Identity>(v).toHex()
                              : QString()) +
               ']';
    case ColumnType::ConnectionId:
        return '[' +
               bigHexJson(std::holds_alternative<stdb::ConnectionId>(v)
                              ? std::get<stdb::ConnectionId>(v).toHex()
                              : QString()) +
               ']';
    case ColumnType::Timestamp:
        return '[' +
               QByteArray::number(std::holds_alternative<stdb::Timestamp>(v)
                                      ? std::get<stdb::Timestamp>(v).micros()
                                      : 0) +
               ']';
    default:
        return QByteArray::number(asI64(v));
    }
}

stdb::Error jsonError(const ColumnDef &column, const QString &what) {
    return Error(Error::Kind::InvalidArgument,
                 QStringLiteral("%1 (%2): %3").arg(column.name, typeName(column), what));
}

// Unwraps the single-field product forms: ["x"] and {"__identity__": "x"}.
QJsonValue unwrapProduct(const QJsonValue &json, const QString &field) {
    if (json.isArray() && json.toArray().size() == 1)
        return json.toArray().at(0);
    if (json.isObject() && json.toObject().size() == 1 && json.toObject().contains(field))
        return json.toObject().value(field);
    return json;
}

std::optional<stdb::Error> innerFromJson(const ColumnDef &column, const QJsonValue &json,
                                         Value &out) {
    const ColumnType t = column.type;
    if (t == ColumnType::Bool) {
        if (!json.isBool())
            return jsonError(column, QStringLiteral("expected true or false"));
        out = json.toBool();
        return std::nullopt;
    }
    if (isIntegerType(t)) {
        if (json.isString()) {
            bool ok = false;
            if (t == ColumnType::U64) {
                const quint64 u = json.toString().toULongLong(&ok);
                if (ok) {
                    out = u;
                    return std::nullopt;
                }
            } else {
                const qint64 i = json.toString().toLongLong(&ok);
                if (ok && integerFits(t, i)) {
                    out = i;
                    return std::nullopt;
                }
            }
            return jsonError(column, QStringLiteral("expected an integer in range"));
        }
        const double d = json.toDouble(std::nan(""));
        if (!json.isDouble() || std::isnan(d) || d != std::floor(d) || std::abs(d) > 9.0e15)
            return jsonError(column, QStringLiteral("expected an integer"));
        const qint64 i = qint64(d);
        if (!integerFits(t, i))
            return jsonError(column, QStringLiteral("integer out of range"));
        if (t == ColumnType::U64) {
            out = quint64(i);
            return std::nullopt;
        }
        out = i;
        return std::nullopt;
    }
    if (t == ColumnType::String) {
        if (!json.isString())
            return jsonError(column, QStringLiteral("expected a string"));
        out = json.toString();
        return std::nullopt;
    }
    if (t == ColumnType::Identity) {
        const QJsonValue inner = unwrapProduct(json, QStringLiteral("__identity__"));
        bool ok = false;
        const auto id = stdb::U256::fromHex(inner.toString(), &ok);
        if (!inner.isString() || !ok)
            return jsonError(column, QStringLiteral("expected an identity in hex"));
        out = stdb::Identity(id);
        return std::nullopt;
    }
    if (t == ColumnType::ConnectionId) {
        const QJsonValue inner = unwrapProduct(json, QStringLiteral("__connection_id__"));
        bool ok = false;
        const auto id = stdb::U128::fromHex(inner.toString(), &ok);
        if (!inner.isString() || !ok)
            return jsonError(column, QStringLiteral("expected a connection id in hex"));
        out = stdb::ConnectionId(id);
        return std::nullopt;
    }
    // Timestamp
    const QJsonValue inner =
        unwrapProduct(json, QStringLiteral("__timestamp_micros_since_unix_epoch__"));
    if (inner.isString()) {
        bool ok = false;
        const auto ts = stdb::Timestamp::fromIso8601(inner.toString(), &ok);
        if (ok) {
            out = ts;
            return std::nullopt;
        }
    } else if (inner.isDouble()) {
        const double d = inner.toDouble();
        if (d == std::floor(d) && std::abs(d) < 9.0e15) {
            out = stdb::Timestamp::fromMicros(qint64(d));
            return std::nullopt;
        }
    }
    return jsonError(column, QStringLiteral("expected microseconds or an ISO-8601 string"));
}

} // namespace

void encodeValue(stdb::BsatnWriter &w, const ColumnDef &column, const Value &v) {
    if (column.optional) {
        if (std::holds_alternative<std::monostate>(v)) {
            w.writeTag(1); // None
            return;
        }
        w.writeTag(0); // Some
    }
    encodeInner(w, column.type, v);
}

Value decodeValue(stdb::BsatnReader &r, const ColumnDef &column) {
    if (column.optional && !r.readOptionTag())
        return std::monostate{};
    return decodeInner(r, column.type);
}

QByteArray encodeRow(const QList<ColumnDef> &columns, const Row &row) {
    stdb::BsatnWriter w;
    for (qsizetype i = 0; i < columns.size(); ++i)
        encodeValue(w, columns[i], i < row.size() ? row[i] : Value());
    return w.take();
}

namespace {
stdb::Expected<Row> readRow(const QList<ColumnDef> &columns, QByteArrayView bytes,
                            bool wholeInput) {
    stdb::BsatnReader r(bytes);
    Row row;
    row.reserve(columns.size());
    for (const ColumnDef &c : columns)
        row.append(decodeValue(r, c));
    if (wholeInput)
        r.expectEnd("row");
    if (!r.ok())
        return r.error();
    return row;
}
} // namespace

stdb::Expected<Row> decodeRow(const QList<ColumnDef> &columns, QByteArrayView bytes) {
    return readRow(columns, bytes, true);
}

stdb::Expected<Row> decodeRowPrefix(const QList<ColumnDef> &columns, QByteArrayView bytes) {
    return readRow(columns, bytes, false);
}

int compareValues(const Value &a, const Value &b) {
    if (a.index() != b.index())
        return a.index() < b.index() ? -1 : 1;
    auto cmp = [](const auto &x, const auto &y) { return x < y ? -1 : (y < x ? 1 : 0); };
    return std::visit(
        [&](const auto &x) -> int {
            using T = std::decay_t<decltype(x)>;
            const T &y = std::get<T>(b);
            if constexpr (std::is_same_v<T, std::monostate>)
                return 0;
            else if constexpr (std::is_same_v<T, QString>)
                return x.compare(y);
            else
                return cmp(x, y);
        },
        a);
}

QJsonObject algebraicTypeJson(const ColumnDef &column) {
    const QJsonObject inner = innerTypeJson(column.type);
    if (!column.optional)
        return inner;
    return {{QStringLiteral("Sum"),
             QJsonObject{{QStringLiteral("variants"),
                          QJsonArray{element(QStringLiteral("some"), inner),
                                     element(QStringLiteral("none"), unitType())}}}}};
}

QByteArray valueToSqlJson(const ColumnDef &column, const Value &v) {
    if (column.optional) {
        if (std::holds_alternative<std::monostate>(v))
            return "[1,[]]";
        return "[0," + innerToSqlJson(column.type, v) + ']';
    }
    return innerToSqlJson(column.type, v);
}

std::optional<stdb::Error> valueFromJson(const ColumnDef &column, const QJsonValue &json,
                                         Value &out) {
    if (!column.optional)
        return innerFromJson(column, json, out);
    if (json.isNull()) {
        out = std::monostate{};
        return std::nullopt;
    }
    if (json.isObject() && json.toObject().size() == 1) {
        const QJsonObject o = json.toObject();
        if (o.contains(QStringLiteral("none"))) {
            out = std::monostate{};
            return std::nullopt;
        }
        if (o.contains(QStringLiteral("some")))
            return innerFromJson(column, o.value(QStringLiteral("some")), out);
    }
    return jsonError(column, QStringLiteral("expected {\"some\": …} or {\"none\": []}"));
}

QString valueToDisplay(const Value &v) {
    return std::visit(
        [](const auto &x) -> QString {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return QStringLiteral("None");
            else if constexpr (std::is_same_v<T, bool>)
                return x ? QStringLiteral("true") : QStringLiteral("false");
            else if constexpr (std::is_same_v<T, qint64> || std::is_same_v<T, quint64>)
                return QString::number(x);
            else if constexpr (std::is_same_v<T, QString>)
                return x;
            else if constexpr (std::is_same_v<T, stdb::Timestamp>)
                return x.toIso8601();
            else
                return x.toHex();
        },
        v);
}

} // namespace host
