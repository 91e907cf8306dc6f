// SPDX-License-Identifier: Apache-2.0
// Cross-check against the official TypeScript SDK (npm `spacetimedb` 2.10.1).
//
// At test time this runs scripts/npm-setup.sh (installs the pinned SDK into tests/interop when
// needed) and `node tests/interop/gen-vectors.mjs OUT.json`, which uses the SDK's own
// serializers to produce byte vectors for BSATN values and every v2 client/server message.
// For each vector we build the expected value *from the JSON description* (never from the
// bytes), then require that
//   * our decoder reads the SDK's bytes into exactly that value, and
//   * our encoder turns that value (and the decoded one) back into the SDK's bytes exactly.
// Rows inside row lists are rebuilt from their described columns with our own codec, so row
// encoding is cross-checked too. A missing node or npm is a failure, not a skip: CI installs them.

#include "quickstartrows.h"
#include "runprogram.h"
#include "spacetime/bsatn/codec.h"
#include "spacetime/protocol/messagecodec.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>

#ifndef STDB_INTEROP_DIR
#error "STDB_INTEROP_DIR must name tests/interop"
#endif
#ifndef STDB_NPM_SETUP
#error "STDB_NPM_SETUP must name scripts/npm-setup.sh"
#endif

using namespace stdb;
using stdb::testing::runProgram;
using namespace stdb::protocol;

// quickstart-chat rows: the generated bindings' types and codec (tests/support), so the vectors
// check the generated code against the TypeScript SDK.
using stdb::testing::MessageRow;
using stdb::testing::UserRow;

namespace {

// A description that cannot be turned into a value; reported as a test failure.
struct BadVector {
    QString what;
};

[[noreturn]] void bad(const QString &what) {
    throw BadVector{what};
}

QString compact(const QJsonValue &v) {
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

// ---- reading the description ---------------------------------------------------------------

QJsonObject obj(const QJsonValue &v, const char *what) {
    if (!v.isObject())
        bad(QStringLiteral("%1: expected an object, got %2").arg(QLatin1String(what), compact(v)));
    return v.toObject();
}

QJsonArray arr(const QJsonValue &v, const char *what) {
    if (!v.isArray())
        bad(QStringLiteral("%1: expected an array, got %2").arg(QLatin1String(what), compact(v)));
    return v.toArray();
}

QString str(const QJsonValue &v, const char *what) {
    if (!v.isString())
        bad(QStringLiteral("%1: expected a string, got %2").arg(QLatin1String(what), compact(v)));
    return v.toString();
}

// Lowercase or uppercase hex, even length, nothing else (QByteArray::fromHex skips junk).
QByteArray hexBytes(const QJsonValue &v, const char *what) {
    const QString text = str(v, what);
    if (text.size() % 2)
        bad(QStringLiteral("%1: odd-length hex").arg(QLatin1String(what)));
    for (QChar c : text)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            bad(QStringLiteral("%1: not hex: %2").arg(QLatin1String(what), text));
    return QByteArray::fromHex(text.toLatin1());
}

// Integers arrive as JSON numbers (up to 32 bits) or decimal strings (64 bits and up).
quint64 unsignedInt(const QJsonValue &v, quint64 max, const char *what) {
    bool ok = false;
    quint64 n = 0;
    if (v.isString()) {
        n = v.toString().toULongLong(&ok, 10);
    } else if (v.isDouble()) {
        const double d = v.toDouble();
        ok = d >= 0 && d <= 9007199254740992.0 && std::floor(d) == d;
        n = ok ? quint64(d) : 0;
    }
    if (!ok || n > max)
        bad(QStringLiteral("%1: not an unsigned integer <= %2: %3")
                .arg(QLatin1String(what))
                .arg(max)
                .arg(compact(v)));
    return n;
}

qint64 signedInt(const QJsonValue &v, qint64 min, qint64 max, const char *what) {
    bool ok = false;
    qint64 n = 0;
    if (v.isString()) {
        n = v.toString().toLongLong(&ok, 10);
    } else if (v.isDouble()) {
        const double d = v.toDouble();
        ok = std::fabs(d) <= 9007199254740992.0 && std::floor(d) == d;
        n = ok ? qint64(d) : 0;
    }
    if (!ok || n < min || n > max)
        bad(QStringLiteral("%1: not an integer in [%2, %3]: %4")
                .arg(QLatin1String(what))
                .arg(min)
                .arg(max)
                .arg(compact(v)));
    return n;
}

quint32 u32(const QJsonValue &v, const char *what) {
    return quint32(unsignedInt(v, 0xffffffffu, what));
}

Identity identityFromHex(const QJsonValue &v) {
    bool ok = false;
    const QString text = str(v, "identity");
    const Identity id = Identity::fromHex(text, &ok);
    if (!ok || text.size() != 64)
        bad(QStringLiteral("bad identity hex %1").arg(text));
    return id;
}

// The SDK's Uuid.toString(): our parser must read it and our toString() give it back exactly.
Uuid uuidFromText(const QJsonValue &v) {
    const QString text = str(v, "uuid");
    const Expected<Uuid> id = Uuid::fromString(text);
    if (!id)
        bad(QStringLiteral("bad uuid %1: %2").arg(text, id.error().toString()));
    if (id->toString() != text)
        bad(QStringLiteral("uuid %1 prints as %2").arg(text, id->toString()));
    return *id;
}

ConnectionId connectionIdFromHex(const QJsonValue &v) {
    bool ok = false;
    const QString text = str(v, "connection id");
    const ConnectionId id = ConnectionId::fromHex(text, &ok);
    if (!ok || text.size() != 32)
        bad(QStringLiteral("bad connection id hex %1").arg(text));
    return id;
}

Timestamp timestampFrom(const QJsonValue &v) {
    return Timestamp::fromMicros(signedInt(v, INT64_MIN, INT64_MAX, "timestamp"));
}

TimeDuration durationFrom(const QJsonValue &v) {
    return TimeDuration::fromMicros(signedInt(v, INT64_MIN, INT64_MAX, "time duration"));
}

// {tag, value} of a described sum.
std::pair<QString, QJsonValue> sum(const QJsonValue &v, const char *what) {
    const QJsonObject o = obj(v, what);
    return {str(o.value(QLatin1String("tag")), what), o.value(QLatin1String("value"))};
}

// ---- typed values from descriptions --------------------------------------------------------

template <typename T, typename Enable = void>
struct FromJson;

template <typename T>
T fromJson(const QJsonValue &v) {
    return FromJson<T>::parse(v);
}

template <>
struct FromJson<bool> {
    static bool parse(const QJsonValue &v) {
        if (!v.isBool())
            bad(QStringLiteral("expected a bool, got %1").arg(compact(v)));
        return v.toBool();
    }
};

template <typename T>
struct FromJson<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
    static T parse(const QJsonValue &v) {
        if constexpr (std::is_unsigned_v<T>)
            return T(unsignedInt(v, std::numeric_limits<T>::max(), "integer"));
        else
            return T(signedInt(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                               "integer"));
    }
};

template <int Bytes, bool Signed>
struct FromJson<BigInt<Bytes, Signed>> {
    static BigInt<Bytes, Signed> parse(const QJsonValue &v) {
        bool ok = false;
        const auto n = BigInt<Bytes, Signed>::fromDecimal(str(v, "big integer"), &ok);
        if (!ok)
            bad(QStringLiteral("not a %1-bit integer: %2").arg(Bytes * 8).arg(compact(v)));
        return n;
    }
};

// Floats: {value: "1.5" | "-0" | "NaN" | "Infinity" | "-Infinity", bits: big-endian hex}.
// The value is parsed as a double first and then narrowed, as JavaScript's Math.fround does.
template <typename F>
F parseFloat(const QJsonValue &v) {
    const QJsonObject o = obj(v, "float");
    const QString text = str(o.value(QLatin1String("value")), "float value");
    F f;
    if (text == QLatin1String("NaN")) {
        f = std::numeric_limits<F>::quiet_NaN();
    } else if (text == QLatin1String("Infinity")) {
        f = std::numeric_limits<F>::infinity();
    } else if (text == QLatin1String("-Infinity")) {
        f = -std::numeric_limits<F>::infinity();
    } else if (text == QLatin1String("-0")) {
        f = -F(0);
    } else {
        bool ok = false;
        f = F(text.toDouble(&ok));
        if (!ok)
            bad(QStringLiteral("not a number: %1").arg(text));
    }
    // The described bits must be what this value is (checks our reading of the description).
    using Bits = std::conditional_t<sizeof(F) == 4, quint32, quint64>;
    Bits bits;
    std::memcpy(&bits, &f, sizeof bits);
    const QString want = str(o.value(QLatin1String("bits")), "float bits");
    const QString have = QStringLiteral("%1").arg(bits, int(2 * sizeof bits), 16, QLatin1Char('0'));
    if (want != have)
        bad(QStringLiteral("float %1 has bits %2 here, the description says %3")
                .arg(text, have, want));
    return f;
}

template <>
struct FromJson<float> {
    static float parse(const QJsonValue &v) { return parseFloat<float>(v); }
};
template <>
struct FromJson<double> {
    static double parse(const QJsonValue &v) { return parseFloat<double>(v); }
};

template <>
struct FromJson<QString> {
    static QString parse(const QJsonValue &v) { return str(v, "string"); }
};
template <>
struct FromJson<QByteArray> {
    static QByteArray parse(const QJsonValue &v) { return hexBytes(v, "bytes"); }
};
template <>
struct FromJson<Identity> {
    static Identity parse(const QJsonValue &v) { return identityFromHex(v); }
};
template <>
struct FromJson<ConnectionId> {
    static ConnectionId parse(const QJsonValue &v) { return connectionIdFromHex(v); }
};
template <>
struct FromJson<Uuid> {
    static Uuid parse(const QJsonValue &v) { return uuidFromText(v); }
};
template <>
struct FromJson<Timestamp> {
    static Timestamp parse(const QJsonValue &v) { return timestampFrom(v); }
};
template <>
struct FromJson<TimeDuration> {
    static TimeDuration parse(const QJsonValue &v) { return durationFrom(v); }
};
template <>
struct FromJson<ScheduleAt> {
    static ScheduleAt parse(const QJsonValue &v) {
        const auto [tag, value] = sum(v, "ScheduleAt");
        if (tag == QLatin1String("Interval"))
            return ScheduleAt(durationFrom(value));
        if (tag == QLatin1String("Time"))
            return ScheduleAt(timestampFrom(value));
        bad(QStringLiteral("unknown ScheduleAt variant %1").arg(tag));
    }
};
template <typename T>
struct FromJson<std::optional<T>> {
    static std::optional<T> parse(const QJsonValue &v) {
        if (v.isNull())
            return std::nullopt;
        return fromJson<T>(v);
    }
};
template <typename T>
struct FromJson<QList<T>> {
    static QList<T> parse(const QJsonValue &v) {
        QList<T> out;
        for (const QJsonValue &e : arr(v, "array"))
            out.append(fromJson<T>(e));
        return out;
    }
};
template <typename T, typename E>
struct FromJson<SumResult<T, E>> {
    static SumResult<T, E> parse(const QJsonValue &v) {
        const QJsonObject o = obj(v, "Result");
        if (o.size() == 1 && o.contains(QLatin1String("ok")))
            return SumResult<T, E>{std::variant<T, E>(std::in_place_index<0>,
                                                      fromJson<T>(o.value(QLatin1String("ok"))))};
        if (o.size() == 1 && o.contains(QLatin1String("err")))
            return SumResult<T, E>{std::variant<T, E>(std::in_place_index<1>,
                                                      fromJson<E>(o.value(QLatin1String("err"))))};
        bad(QStringLiteral("bad Result %1").arg(compact(v)));
    }
};
template <>
struct FromJson<UserRow> {
    static UserRow parse(const QJsonValue &v) {
        const QJsonObject o = obj(v, "user row");
        return UserRow{identityFromHex(o.value(QLatin1String("identity"))),
                       fromJson<std::optional<QString>>(o.value(QLatin1String("name"))),
                       fromJson<bool>(o.value(QLatin1String("online")))};
    }
};
template <>
struct FromJson<MessageRow> {
    static MessageRow parse(const QJsonValue &v) {
        const QJsonObject o = obj(v, "message row");
        return MessageRow{identityFromHex(o.value(QLatin1String("sender"))),
                          timestampFrom(o.value(QLatin1String("sent"))),
                          str(o.value(QLatin1String("text")), "text")};
    }
};

// Bitwise for floats (NaN == NaN, -0 != +0), == otherwise.
template <typename T>
bool same(const T &a, const T &b) {
    if constexpr (std::is_floating_point_v<T>)
        return std::memcmp(&a, &b, sizeof(T)) == 0;
    else
        return a == b;
}

// ---- protocol values from descriptions -----------------------------------------------------

// One described row encoded with our codec; decoding those bytes must give the row back. (The
// caller also requires the bytes to equal the SDK's, so this is our decoder on SDK rows.)
template <typename Row>
QByteArray rowBytes(const QJsonValue &description) {
    const Row row = fromJson<Row>(description);
    const QByteArray bytes = toBsatn(row);
    const Expected<Row> back = fromBsatn<Row>(bytes, "row");
    if (!back.hasValue())
        bad(QStringLiteral("row %1 does not decode: %2")
                .arg(QString::fromLatin1(bytes.toHex()), back.error().toString()));
    if (!(*back == row))
        bad(QStringLiteral("row %1 decodes to a different row")
                .arg(QString::fromLatin1(bytes.toHex())));
    return bytes;
}

// The rows of a described row list (rowType names the table's row type).
QList<QByteArray> describedRows(const QJsonObject &list) {
    const QString rowType = str(list.value(QLatin1String("rowType")), "rowType");
    QList<QByteArray> rows;
    for (const QJsonValue &row : arr(list.value(QLatin1String("rowValues")), "rowValues")) {
        if (rowType == QLatin1String("user"))
            rows.append(rowBytes<UserRow>(row));
        else if (rowType == QLatin1String("message"))
            rows.append(rowBytes<MessageRow>(row));
        else
            bad(QStringLiteral("unknown row type %1").arg(rowType));
    }
    return rows;
}

// Features seen while building expected values (for the coverage check).
using Features = QSet<QString>;

RowList rowListFrom(const QJsonValue &v, Features &seen) {
    const QJsonObject o = obj(v, "BsatnRowList");
    const QList<QByteArray> rows = describedRows(o);
    const QByteArray packed = rows.isEmpty() ? QByteArray() : rows.join();
    // Our row encoding must equal the SDK's (rowsData is what the SDK produced).
    const QByteArray sdkData = hexBytes(o.value(QLatin1String("rowsData")), "rowsData");
    if (packed != sdkData)
        bad(QStringLiteral("rows encoded here as %1, the SDK packed %2")
                .arg(QString::fromLatin1(packed.toHex()), QString::fromLatin1(sdkData.toHex())));
    const auto [hint, hintValue] = sum(o.value(QLatin1String("sizeHint")), "RowSizeHint");
    seen.insert(QStringLiteral("RowSizeHint:%1%2")
                    .arg(hint, rows.isEmpty() ? QStringLiteral("(empty)") : QString()));
    if (hint == QLatin1String("FixedSize")) {
        const quint16 size = quint16(unsignedInt(hintValue, 0xffff, "FixedSize"));
        for (const QByteArray &r : rows)
            if (r.size() != size)
                bad(QStringLiteral("a %1-byte row in a FixedSize(%2) list")
                        .arg(r.size())
                        .arg(size));
        return RowList::fromFixedSize(size, packed);
    }
    if (hint == QLatin1String("RowOffsets")) {
        const QJsonArray offsets = arr(hintValue, "RowOffsets");
        if (offsets.size() != rows.size())
            bad(QStringLiteral("%1 offsets for %2 rows").arg(offsets.size()).arg(rows.size()));
        quint64 at = 0;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (unsignedInt(offsets.at(i), UINT64_MAX, "offset") != at)
                bad(QStringLiteral("offset %1 is not the packed position %2").arg(i).arg(at));
            at += quint64(rows.at(i).size());
        }
        return RowList::fromRowsWithOffsets(rows);
    }
    bad(QStringLiteral("unknown RowSizeHint %1").arg(hint));
}

QueryRows queryRowsFrom(const QJsonValue &v, Features &seen) {
    QueryRows out;
    for (const QJsonValue &t : arr(obj(v, "QueryRows").value(QLatin1String("tables")), "tables")) {
        const QJsonObject o = obj(t, "SingleTableRows");
        out.tables.append(SingleTableRows{str(o.value(QLatin1String("table")), "table"),
                                          rowListFrom(o.value(QLatin1String("rows")), seen)});
    }
    return out;
}

QuerySetId querySetIdFrom(const QJsonValue &v) {
    return u32(obj(v, "QuerySetId").value(QLatin1String("id")), "query set id");
}

TransactionUpdate transactionUpdateFrom(const QJsonValue &v, Features &seen) {
    TransactionUpdate tu;
    for (const QJsonValue &qs :
         arr(obj(v, "TransactionUpdate").value(QLatin1String("querySets")), "querySets")) {
        const QJsonObject qso = obj(qs, "QuerySetUpdate");
        QuerySetUpdate update;
        update.querySetId = querySetIdFrom(qso.value(QLatin1String("querySetId")));
        for (const QJsonValue &t : arr(qso.value(QLatin1String("tables")), "tables")) {
            const QJsonObject to = obj(t, "TableUpdate");
            TableUpdate table;
            table.tableName = str(to.value(QLatin1String("tableName")), "tableName");
            for (const QJsonValue &r : arr(to.value(QLatin1String("rows")), "rows")) {
                const auto [tag, value] = sum(r, "TableUpdateRows");
                seen.insert(QStringLiteral("TableUpdateRows:%1").arg(tag));
                const QJsonObject vo = obj(value, "TableUpdateRows payload");
                if (tag == QLatin1String("PersistentTable"))
                    table.rows.append(
                        PersistentTableRows{rowListFrom(vo.value(QLatin1String("inserts")), seen),
                                            rowListFrom(vo.value(QLatin1String("deletes")), seen)});
                else if (tag == QLatin1String("EventTable"))
                    table.rows.append(
                        EventTableRows{rowListFrom(vo.value(QLatin1String("events")), seen)});
                else
                    bad(QStringLiteral("unknown TableUpdateRows %1").arg(tag));
            }
            update.tables.append(table);
        }
        tu.querySets.append(update);
    }
    return tu;
}

// Reducer/procedure arguments: [{name, type, value}], encoded here as the parameter product.
QByteArray argsFrom(const QJsonValue &v) {
    BsatnWriter w;
    for (const QJsonValue &p : arr(v, "args")) {
        const QJsonObject po = obj(p, "param");
        const QString type = str(po.value(QLatin1String("type")), "param type");
        const QJsonValue value = po.value(QLatin1String("value"));
        if (type == QLatin1String("string"))
            bsatnWrite(w, fromJson<QString>(value));
        else if (type == QLatin1String("u32"))
            bsatnWrite(w, fromJson<quint32>(value));
        else
            bad(QStringLiteral("unknown param type %1").arg(type));
    }
    return w.take();
}

// A described opaque payload: {type, value} encoded with our codec.
QByteArray describedPayload(const QJsonValue &v) {
    const QJsonObject o = obj(v, "payload description");
    const QString type = str(o.value(QLatin1String("type")), "payload type");
    if (type == QLatin1String("string"))
        return toBsatn(fromJson<QString>(o.value(QLatin1String("value"))));
    if (type == QLatin1String("u64"))
        return toBsatn(fromJson<quint64>(o.value(QLatin1String("value"))));
    bad(QStringLiteral("unknown payload type %1").arg(type));
}

// Opaque bytes the vector also describes structurally: build them from the structure and
// insist the SDK's bytes agree.
QByteArray opaque(const QJsonObject &vec, const char *descriptionKey, const QJsonValue &sdkHex) {
    const QByteArray sdk = hexBytes(sdkHex, descriptionKey);
    if (!vec.contains(QLatin1String(descriptionKey)))
        return sdk;
    const QByteArray ours = describedPayload(vec.value(QLatin1String(descriptionKey)));
    if (ours != sdk)
        bad(QStringLiteral("%1 encodes here as %2, the SDK has %3")
                .arg(QLatin1String(descriptionKey), QString::fromLatin1(ours.toHex()),
                     QString::fromLatin1(sdk.toHex())));
    return ours;
}

ClientMessage clientMessageFrom(const QJsonObject &vec, Features &seen) {
    const auto [tag, value] = sum(vec.value(QLatin1String("value")), "ClientMessage");
    const QJsonObject v = obj(value, "ClientMessage payload");
    seen.insert(QStringLiteral("ClientMessage:%1").arg(tag));
    auto field = [&v](const char *name) { return v.value(QLatin1String(name)); };
    // Arguments described as typed params must encode here to the SDK's bytes.
    auto args = [&]() {
        const QByteArray sdk = hexBytes(field("args"), "args");
        if (!vec.contains(QLatin1String("args")))
            return sdk;
        const QByteArray ours = argsFrom(vec.value(QLatin1String("args")));
        if (ours != sdk)
            bad(QStringLiteral("args encode here as %1, the SDK sent %2")
                    .arg(QString::fromLatin1(ours.toHex()), QString::fromLatin1(sdk.toHex())));
        return ours;
    };
    if (tag == QLatin1String("Subscribe"))
        return Subscribe{u32(field("requestId"), "requestId"), querySetIdFrom(field("querySetId")),
                         fromJson<QList<QString>>(field("queryStrings"))};
    if (tag == QLatin1String("Unsubscribe")) {
        const QString flag = sum(field("flags"), "UnsubscribeFlags").first;
        seen.insert(QStringLiteral("UnsubscribeFlags:%1").arg(flag));
        UnsubscribeFlags flags;
        if (flag == QLatin1String("Default"))
            flags = UnsubscribeFlags::Default;
        else if (flag == QLatin1String("SendDroppedRows"))
            flags = UnsubscribeFlags::SendDroppedRows;
        else
            bad(QStringLiteral("unknown UnsubscribeFlags %1").arg(flag));
        return Unsubscribe{u32(field("requestId"), "requestId"),
                           querySetIdFrom(field("querySetId")), flags};
    }
    if (tag == QLatin1String("OneOffQuery"))
        return OneOffQuery{u32(field("requestId"), "requestId"),
                           str(field("queryString"), "queryString")};
    if (tag == QLatin1String("CallReducer"))
        return CallReducer{u32(field("requestId"), "requestId"), fromJson<quint8>(field("flags")),
                           str(field("reducer"), "reducer"), args()};
    if (tag == QLatin1String("CallProcedure"))
        return CallProcedure{u32(field("requestId"), "requestId"), fromJson<quint8>(field("flags")),
                             str(field("procedure"), "procedure"), args()};
    bad(QStringLiteral("unknown ClientMessage variant %1").arg(tag));
}

ServerMessage serverMessageFrom(const QJsonObject &vec, Features &seen) {
    const auto [tag, value] = sum(vec.value(QLatin1String("value")), "ServerMessage");
    const QJsonObject v = obj(value, "ServerMessage payload");
    seen.insert(QStringLiteral("ServerMessage:%1").arg(tag));
    auto field = [&v](const char *name) { return v.value(QLatin1String(name)); };

    if (tag == QLatin1String("InitialConnection"))
        return InitialConnection{identityFromHex(field("identity")),
                                 connectionIdFromHex(field("connectionId")),
                                 str(field("token"), "token")};
    if (tag == QLatin1String("SubscribeApplied"))
        return SubscribeApplied{u32(field("requestId"), "requestId"),
                                querySetIdFrom(field("querySetId")),
                                queryRowsFrom(field("rows"), seen)};
    if (tag == QLatin1String("UnsubscribeApplied")) {
        std::optional<QueryRows> rows;
        if (!field("rows").isNull())
            rows = queryRowsFrom(field("rows"), seen);
        seen.insert(QStringLiteral("UnsubscribeApplied:%1").arg(rows ? "some" : "none"));
        return UnsubscribeApplied{u32(field("requestId"), "requestId"),
                                  querySetIdFrom(field("querySetId")), rows};
    }
    if (tag == QLatin1String("SubscriptionError")) {
        const auto requestId = fromJson<std::optional<quint32>>(field("requestId"));
        seen.insert(QStringLiteral("SubscriptionError:%1").arg(requestId ? "some" : "none"));
        return SubscriptionError{requestId, querySetIdFrom(field("querySetId")),
                                 str(field("error"), "error")};
    }
    if (tag == QLatin1String("TransactionUpdate"))
        return transactionUpdateFrom(value, seen);
    if (tag == QLatin1String("OneOffQueryResult")) {
        const QJsonObject result = obj(field("result"), "Result");
        OneOffQueryResult m;
        m.requestId = u32(field("requestId"), "requestId");
        if (result.size() == 1 && result.contains(QLatin1String("ok"))) {
            m.result = queryRowsFrom(result.value(QLatin1String("ok")), seen);
            seen.insert(QStringLiteral("OneOffQueryResult:ok"));
        } else if (result.size() == 1 && result.contains(QLatin1String("err"))) {
            m.result = str(result.value(QLatin1String("err")), "err");
            seen.insert(QStringLiteral("OneOffQueryResult:err"));
        } else {
            bad(QStringLiteral("bad Result %1").arg(compact(result)));
        }
        return m;
    }
    if (tag == QLatin1String("ReducerResult")) {
        ReducerResult m;
        m.requestId = u32(field("requestId"), "requestId");
        m.timestamp = timestampFrom(field("timestamp"));
        const auto [outcome, payload] = sum(field("result"), "ReducerOutcome");
        seen.insert(QStringLiteral("ReducerOutcome:%1").arg(outcome));
        if (outcome == QLatin1String("Ok")) {
            const QJsonObject ok = obj(payload, "ReducerOk");
            m.result = ReducerOk{
                opaque(vec, "retValueDescription", ok.value(QLatin1String("retValue"))),
                transactionUpdateFrom(ok.value(QLatin1String("transactionUpdate")), seen)};
        } else if (outcome == QLatin1String("OkEmpty")) {
            m.result = ReducerOkEmpty{};
        } else if (outcome == QLatin1String("Err")) {
            const QByteArray sdk = hexBytes(payload, "Err payload");
            QByteArray ours = sdk;
            if (vec.contains(QLatin1String("errorMessage"))) {
                ours = toBsatn(str(vec.value(QLatin1String("errorMessage")), "errorMessage"));
                if (ours != sdk)
                    bad(QStringLiteral("error message encodes here as %1, the SDK has %2")
                            .arg(QString::fromLatin1(ours.toHex()),
                                 QString::fromLatin1(sdk.toHex())));
            }
            m.result = ReducerErr{ours};
        } else if (outcome == QLatin1String("InternalError")) {
            m.result = ReducerInternalError{str(payload, "InternalError")};
        } else {
            bad(QStringLiteral("unknown ReducerOutcome %1").arg(outcome));
        }
        return m;
    }
    if (tag == QLatin1String("ProcedureResult")) {
        ProcedureResult m;
        const auto [status, payload] = sum(field("status"), "ProcedureStatus");
        seen.insert(QStringLiteral("ProcedureStatus:%1").arg(status));
        if (status == QLatin1String("Returned"))
            m.status = ProcedureReturned{opaque(vec, "returnedDescription", payload)};
        else if (status == QLatin1String("InternalError"))
            m.status = ProcedureInternalError{str(payload, "InternalError")};
        else
            bad(QStringLiteral("unknown ProcedureStatus %1").arg(status));
        m.timestamp = timestampFrom(field("timestamp"));
        m.totalHostExecutionDuration = durationFrom(field("totalHostExecutionDuration"));
        m.requestId = u32(field("requestId"), "requestId");
        return m;
    }
    bad(QStringLiteral("unknown ServerMessage variant %1").arg(tag));
}

QString hexOf(const QByteArray &b) {
    return QString::fromLatin1(b.toHex());
}

template <std::size_t... I>
QStringList clientNames(std::index_sequence<I...>) {
    return {messageName(ClientMessage(std::in_place_index<I>))...};
}
template <std::size_t... I>
QStringList serverNames(std::index_sequence<I...>) {
    return {messageName(ServerMessage(std::in_place_index<I>))...};
}

QStringList stringList(const QJsonValue &v) {
    QStringList out;
    for (const QJsonValue &e : v.toArray())
        out.append(e.toString());
    return out;
}

} // namespace

class TestTsVectors : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void values_data() { vectorRows(QStringLiteral("value")); }
    void values();
    void clientMessages_data() { vectorRows(QStringLiteral("client")); }
    void clientMessages();
    void serverMessages_data() { vectorRows(QStringLiteral("server")); }
    void serverMessages();

    void v3Batches();
    void variantOrderMatchesSdk();
    void sdkRuntimeBehaviour();
    void coverage();

private:
    void vectorRows(const QString &direction);
    template <typename T>
    void checkValue(const QJsonObject &vec);

    QJsonObject m_doc;
    QList<QJsonObject> m_vectors;
    using ValueCheck = std::function<void(TestTsVectors *, const QJsonObject &)>;
    std::map<QString, ValueCheck> m_valueChecks;
};

void TestTsVectors::initTestCase() {
    const QString interopDir = QStringLiteral(STDB_INTEROP_DIR);
    const QString npmSetup = QStringLiteral(STDB_NPM_SETUP);

    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        QFAIL("node (Node.js >= 18) is not in PATH. This test needs it to run the official "
              "TypeScript SDK; install nodejs and npm (CI does, via scripts/install-deps.sh).");
    if (QStandardPaths::findExecutable(QStringLiteral("npm")).isEmpty())
        QFAIL("npm is not in PATH. This test installs the pinned spacetimedb package with it; "
              "install npm (CI does, via scripts/install-deps.sh).");
    const QString bash = QStandardPaths::findExecutable(QStringLiteral("bash"));
    if (bash.isEmpty())
        QFAIL("bash is not in PATH (needed for scripts/npm-setup.sh)");

    QByteArray err;
    QString failure;
    if (!runProgram(bash, {npmSetup}, interopDir, 300000, &err, &failure))
        QFAIL(qPrintable(QStringLiteral("scripts/npm-setup.sh: ") + failure));

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString out = tmp.filePath(QStringLiteral("vectors.json"));
    if (!runProgram(node, {QDir(interopDir).filePath(QStringLiteral("gen-vectors.mjs")), out},
                    interopDir, 120000, &err, &failure))
        QFAIL(qPrintable(failure));
    for (const QByteArray &line : err.split('\n'))
        if (!line.isEmpty())
            qInfo("%s", line.constData());

    QFile f(out);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
    QVERIFY2(doc.isObject(), qPrintable(perr.errorString()));
    m_doc = doc.object();
    QCOMPARE(m_doc.value(QLatin1String("sdkVersion")).toString(), QStringLiteral("2.10.1"));
    for (const QJsonValue &v : m_doc.value(QLatin1String("vectors")).toArray())
        m_vectors.append(v.toObject());
    QVERIFY2(m_vectors.size() > 100, "suspiciously few vectors");

    auto add = [this](const char *type, ValueCheck check) {
        m_valueChecks.emplace(QLatin1String(type), std::move(check));
    };
    add("bool", &TestTsVectors::checkValue<bool>);
    add("u8", &TestTsVectors::checkValue<quint8>);
    add("u16", &TestTsVectors::checkValue<quint16>);
    add("u32", &TestTsVectors::checkValue<quint32>);
    add("u64", &TestTsVectors::checkValue<quint64>);
    add("u128", &TestTsVectors::checkValue<U128>);
    add("u256", &TestTsVectors::checkValue<U256>);
    add("i8", &TestTsVectors::checkValue<qint8>);
    add("i16", &TestTsVectors::checkValue<qint16>);
    add("i32", &TestTsVectors::checkValue<qint32>);
    add("i64", &TestTsVectors::checkValue<qint64>);
    add("i128", &TestTsVectors::checkValue<I128>);
    add("i256", &TestTsVectors::checkValue<I256>);
    add("f32", &TestTsVectors::checkValue<float>);
    add("f64", &TestTsVectors::checkValue<double>);
    add("string", &TestTsVectors::checkValue<QString>);
    add("bytes", &TestTsVectors::checkValue<QByteArray>);
    add("option<string>", &TestTsVectors::checkValue<std::optional<QString>>);
    add("option<u32>", &TestTsVectors::checkValue<std::optional<quint32>>);
    add("option<identity>", &TestTsVectors::checkValue<std::optional<Identity>>);
    add("array<u16>", &TestTsVectors::checkValue<QList<quint16>>);
    add("array<i32>", &TestTsVectors::checkValue<QList<qint32>>);
    add("array<u64>", &TestTsVectors::checkValue<QList<quint64>>);
    add("array<string>", &TestTsVectors::checkValue<QList<QString>>);
    add("array<bytes>", &TestTsVectors::checkValue<QList<QByteArray>>);
    add("array<option<bool>>", &TestTsVectors::checkValue<QList<std::optional<bool>>>);
    add("identity", &TestTsVectors::checkValue<Identity>);
    add("connection_id", &TestTsVectors::checkValue<ConnectionId>);
    add("uuid", &TestTsVectors::checkValue<Uuid>);
    add("option<uuid>", &TestTsVectors::checkValue<std::optional<Uuid>>);
    add("timestamp", &TestTsVectors::checkValue<Timestamp>);
    add("time_duration", &TestTsVectors::checkValue<TimeDuration>);
    add("schedule_at", &TestTsVectors::checkValue<ScheduleAt>);
    add("result<u32,string>", &TestTsVectors::checkValue<SumResult<quint32, QString>>);
    add("user_row", &TestTsVectors::checkValue<UserRow>);
    add("message_row", &TestTsVectors::checkValue<MessageRow>);
}

void TestTsVectors::vectorRows(const QString &direction) {
    QTest::addColumn<QJsonObject>("vec");
    for (const QJsonObject &v : std::as_const(m_vectors))
        if (v.value(QLatin1String("direction")).toString() == direction)
            QTest::newRow(qPrintable(v.value(QLatin1String("name")).toString())) << v;
}

template <typename T>
void TestTsVectors::checkValue(const QJsonObject &vec) {
    const QByteArray bytes = hexBytes(vec.value(QLatin1String("hex")), "hex");
    const T expected = fromJson<T>(vec.value(QLatin1String("value")));

    const Expected<T> decoded = fromBsatn<T>(bytes, "vector");
    QVERIFY2(decoded.hasValue(), qPrintable(QStringLiteral("decode failed: ") +
                                            (decoded ? QString() : decoded.error().toString())));
    QVERIFY2(same(*decoded, expected),
             qPrintable(QStringLiteral("decoded value re-encodes as %1, the description as %2")
                            .arg(hexOf(toBsatn(*decoded)), hexOf(toBsatn(expected)))));
    QCOMPARE(hexOf(toBsatn(expected)), hexOf(bytes));
    QCOMPARE(hexOf(toBsatn(*decoded)), hexOf(bytes));
}

void TestTsVectors::values() {
    QFETCH(QJsonObject, vec);
    const QString type = vec.value(QLatin1String("type")).toString();
    const auto it = m_valueChecks.find(type);
    if (it == m_valueChecks.end())
        QFAIL(qPrintable(QStringLiteral("no C++ type registered for \"%1\"; extend the table in "
                                        "initTestCase")
                             .arg(type)));
    try {
        it->second(this, vec);
    } catch (const BadVector &e) {
        QFAIL(qPrintable(e.what));
    }
    if (vec.contains(QLatin1String("specHex")))
        QCOMPARE(vec.value(QLatin1String("hex")).toString(),
                 vec.value(QLatin1String("specHex")).toString());
}

void TestTsVectors::clientMessages() {
    QFETCH(QJsonObject, vec);
    Features seen;
    std::optional<ClientMessage> expected;
    QByteArray bytes;
    try {
        bytes = hexBytes(vec.value(QLatin1String("hex")), "hex");
        expected = clientMessageFrom(vec, seen);
    } catch (const BadVector &e) {
        QFAIL(qPrintable(e.what));
    }
    const auto decoded = decodeClientMessage(bytes);
    QVERIFY2(decoded.hasValue(), qPrintable(QStringLiteral("decode failed: ") +
                                            (decoded ? QString() : decoded.error().toString())));
    QCOMPARE(messageName(*decoded), messageName(*expected));
    QVERIFY2(*decoded == *expected,
             qPrintable(QStringLiteral("decoded message re-encodes as %1, the description as %2")
                            .arg(hexOf(encodeClientMessage(*decoded)),
                                 hexOf(encodeClientMessage(*expected)))));
    QCOMPARE(hexOf(encodeClientMessage(*expected)), hexOf(bytes));
    QCOMPARE(hexOf(encodeClientMessage(*decoded)), hexOf(bytes));
    if (vec.contains(QLatin1String("specHex")))
        QCOMPARE(hexOf(bytes), vec.value(QLatin1String("specHex")).toString());
}

void TestTsVectors::serverMessages() {
    QFETCH(QJsonObject, vec);
    Features seen;
    std::optional<ServerMessage> expected;
    QByteArray bytes;
    try {
        bytes = hexBytes(vec.value(QLatin1String("hex")), "hex");
        expected = serverMessageFrom(vec, seen);
    } catch (const BadVector &e) {
        QFAIL(qPrintable(e.what));
    }
    const auto decoded = decodeServerMessage(bytes);
    QVERIFY2(decoded.hasValue(), qPrintable(QStringLiteral("decode failed: ") +
                                            (decoded ? QString() : decoded.error().toString())));
    QCOMPARE(messageName(*decoded), messageName(*expected));
    QVERIFY2(*decoded == *expected,
             qPrintable(QStringLiteral("decoded message re-encodes as %1, the description as %2")
                            .arg(hexOf(encodeServerMessage(*decoded)),
                                 hexOf(encodeServerMessage(*expected)))));
    QCOMPARE(hexOf(encodeServerMessage(*expected)), hexOf(bytes));
    QCOMPARE(hexOf(encodeServerMessage(*decoded)), hexOf(bytes));

    // The same body in an uncompressed v2 frame (tag byte 0), as it arrives on the socket.
    const auto framed = decodeServerFrame(QByteArray(1, '\0') + bytes);
    QVERIFY2(framed.hasValue(), qPrintable(framed ? QString() : framed.error().toString()));
    QVERIFY(*framed == *expected);

    if (vec.value(QLatin1String("source")).toString() == QLatin1String("hand"))
        qInfo("hand-built from the spec (the SDK cannot encode it): %s",
              qPrintable(compact(vec.value(QLatin1String("sdkEncodeAttempt")))));
    if (vec.contains(QLatin1String("specHex")))
        QCOMPARE(hexOf(bytes), vec.value(QLatin1String("specHex")).toString());
    if (vec.contains(QLatin1String("errorMessage")))
        QCOMPARE(std::get<ReducerErr>(std::get<ReducerResult>(*decoded).result).message(),
                 vec.value(QLatin1String("errorMessage")).toString());
}

void TestTsVectors::v3Batches() {
    // v3 framing is v2 messages back to back: the concatenated SDK vectors must decode as the
    // list of described messages, and our batch encoder must produce the concatenation.
    QList<ClientMessage> clients;
    QList<ServerMessage> servers;
    QByteArray clientBatch, serverBatch;
    Features seen;
    try {
        for (const QJsonObject &v : std::as_const(m_vectors)) {
            const QString dir = v.value(QLatin1String("direction")).toString();
            if (dir == QLatin1String("client")) {
                clients.append(clientMessageFrom(v, seen));
                clientBatch += hexBytes(v.value(QLatin1String("hex")), "hex");
            } else if (dir == QLatin1String("server")) {
                servers.append(serverMessageFrom(v, seen));
                serverBatch += hexBytes(v.value(QLatin1String("hex")), "hex");
            }
        }
    } catch (const BadVector &e) {
        QFAIL(qPrintable(e.what));
    }
    QVERIFY(!clients.isEmpty() && !servers.isEmpty());
    QCOMPARE(hexOf(encodeClientMessagesV3(clients)), hexOf(clientBatch));
    const auto c = decodeClientMessagesV3(clientBatch);
    QVERIFY2(c.hasValue(), qPrintable(c ? QString() : c.error().toString()));
    QVERIFY(*c == clients);
    const auto s = decodeServerMessagesV3(serverBatch);
    QVERIFY2(s.hasValue(), qPrintable(s ? QString() : s.error().toString()));
    QVERIFY(*s == servers);
}

void TestTsVectors::variantOrderMatchesSdk() {
    // Our variant index is the wire tag; the SDK's variant order is its wire tag.
    QCOMPARE(clientNames(std::make_index_sequence<std::variant_size_v<ClientMessage>>()),
             stringList(m_doc.value(QLatin1String("clientMessageVariants"))));
    QCOMPARE(serverNames(std::make_index_sequence<std::variant_size_v<ServerMessage>>()),
             stringList(m_doc.value(QLatin1String("serverMessageVariants"))));
    QCOMPARE(stringList(m_doc.value(QLatin1String("reducerOutcomeVariants"))),
             QStringList({"Ok", "OkEmpty", "Err", "InternalError"}));
    QCOMPARE(std::variant_size_v<ReducerOutcome>, std::size_t(4));
    QCOMPARE(stringList(m_doc.value(QLatin1String("procedureStatusVariants"))),
             QStringList({"Returned", "InternalError"}));
    QCOMPARE(stringList(m_doc.value(QLatin1String("rowSizeHintVariants"))),
             QStringList({"FixedSize", "RowOffsets"}));
    QCOMPARE(int(RowList::Hint::FixedSize), 0);
    QCOMPARE(int(RowList::Hint::RowOffsets), 1);
    QCOMPARE(stringList(m_doc.value(QLatin1String("tableUpdateRowsVariants"))),
             QStringList({"PersistentTable", "EventTable"}));
    QCOMPARE(stringList(m_doc.value(QLatin1String("unsubscribeFlagsVariants"))),
             QStringList({"Default", "SendDroppedRows"}));
    QCOMPARE(int(UnsubscribeFlags::Default), 0);
    QCOMPARE(int(UnsubscribeFlags::SendDroppedRows), 1);
}

void TestTsVectors::sdkRuntimeBehaviour() {
    // What the SDK's own DbConnectionImpl did over the in-memory socket (spec §2.10, §8 item 32).
    const QJsonObject rt = m_doc.value(QLatin1String("runtime")).toObject();
    QCOMPARE(stringList(rt.value(QLatin1String("offeredSubprotocols"))),
             QStringList({QLatin1String(kSubprotocolV3), QLatin1String(kSubprotocolV2)}));
    QCOMPARE(rt.value(QLatin1String("firstRequestId")).toInt(-1), 0);
    QCOMPARE(rt.value(QLatin1String("firstQuerySetId")).toInt(-1), 0);
    QCOMPARE(rt.value(QLatin1String("unsubscribeFlags")).toString(),
             QStringLiteral("SendDroppedRows"));
}

void TestTsVectors::coverage() {
    // Guards against the generator silently losing cases.
    Features seen;
    QSet<QString> valueTypes;
    int handBuilt = 0;
    int runtime = 0;
    try {
        for (const QJsonObject &v : std::as_const(m_vectors)) {
            const QString dir = v.value(QLatin1String("direction")).toString();
            if (dir == QLatin1String("client"))
                clientMessageFrom(v, seen);
            else if (dir == QLatin1String("server"))
                serverMessageFrom(v, seen);
            else
                valueTypes.insert(v.value(QLatin1String("type")).toString());
            const QString source = v.value(QLatin1String("source")).toString();
            handBuilt += source == QLatin1String("hand");
            runtime += source == QLatin1String("sdk-runtime");
        }
    } catch (const BadVector &e) {
        QFAIL(qPrintable(e.what));
    }
    QStringList missing;
    for (const QString &name : clientNames(std::make_index_sequence<5>()))
        if (!seen.contains(QStringLiteral("ClientMessage:") + name))
            missing << QStringLiteral("ClientMessage:") + name;
    for (const QString &name : serverNames(std::make_index_sequence<8>()))
        if (!seen.contains(QStringLiteral("ServerMessage:") + name))
            missing << QStringLiteral("ServerMessage:") + name;
    for (const char *f : {"UnsubscribeFlags:Default",
                          "UnsubscribeFlags:SendDroppedRows",
                          "UnsubscribeApplied:some",
                          "UnsubscribeApplied:none",
                          "SubscriptionError:some",
                          "SubscriptionError:none",
                          "OneOffQueryResult:ok",
                          "OneOffQueryResult:err",
                          "ReducerOutcome:Ok",
                          "ReducerOutcome:OkEmpty",
                          "ReducerOutcome:Err",
                          "ReducerOutcome:InternalError",
                          "ProcedureStatus:Returned",
                          "ProcedureStatus:InternalError",
                          "RowSizeHint:FixedSize",
                          "RowSizeHint:RowOffsets",
                          "RowSizeHint:RowOffsets(empty)",
                          "RowSizeHint:FixedSize(empty)",
                          "TableUpdateRows:PersistentTable",
                          "TableUpdateRows:EventTable"})
        if (!seen.contains(QLatin1String(f)))
            missing << QLatin1String(f);
    for (const char *t : {"bool",
                          "u8",
                          "u16",
                          "u32",
                          "u64",
                          "u128",
                          "u256",
                          "i8",
                          "i16",
                          "i32",
                          "i64",
                          "i128",
                          "i256",
                          "f32",
                          "f64",
                          "string",
                          "option<string>",
                          "array<u16>",
                          "identity",
                          "connection_id",
                          "uuid",
                          "timestamp"})
        if (!valueTypes.contains(QLatin1String(t)))
            missing << QStringLiteral("value type ") + QLatin1String(t);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    // Result::Err cannot come from the SDK: exactly the two hand-built vectors.
    QCOMPARE(handBuilt, 2);
    QVERIFY2(runtime >= 5, "the DbConnectionImpl-captured client messages are missing");
}

QTEST_GUILESS_MAIN(TestTsVectors)
#include "tst_tsvectors.moc"
