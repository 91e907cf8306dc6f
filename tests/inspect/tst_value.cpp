// SPDX-License-Identifier: Apache-2.0
// Value: BSATN <-> Value <-> JSON (inspector and SATS conventions), against the spec's worked
// examples and the rich fixture schema; malformed input never crashes.

#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/moduleschema.h"
#include "spacetime/schema/value.h"
#include "spacetime/schema/valuejson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <bit>
#include <cmath>
#include <limits>

using namespace stdb;
using K = AlgebraicType::Kind;
using Style = ValueJson::Style;

namespace {

QByteArray hexBytes(const char *hex) {
    return QByteArray::fromHex(QByteArray(hex).replace(' ', ""));
}

ModuleSchema richSchema() {
    QFile f(QStringLiteral(STDB_INSPECT_DATA "/rich-schema.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open rich-schema.json");
    Expected<ModuleSchema> s = ModuleSchema::fromJson(f.readAll());
    if (!s)
        qFatal("%s", qPrintable(s.error().toString()));
    return *s;
}

const char kIdentityHex[] = "c2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e";

// One row of the rich fixture's "everything" table in the inspector's JSON.
QJsonObject everythingRowJson() {
    QJsonObject row;
    row["id"] = QStringLiteral("18446744073709551615");
    row["i8"] = -128;
    row["u8"] = 255;
    row["i16"] = -32768;
    row["u16"] = 65535;
    row["i32"] = -2147483647 - 1;
    row["u32"] = qint64(4294967295LL);
    row["i64"] = QStringLiteral("-9223372036854775808");
    row["u64"] = QStringLiteral("12345678901234567890");
    row["i128"] = QStringLiteral("-170141183460469231731687303715884105728");
    row["u128"] = QStringLiteral("340282366920938463463374607431768211455");
    row["i256"] = QStringLiteral("-1");
    row["u256"] = QStringLiteral(
        "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    row["f32"] = 1.5;
    row["f64"] = -0.1;
    row["flag"] = true;
    row["label"] = QStringLiteral("héllo \"world\"");
    row["blob"] = QStringLiteral("00ff10");
    row["shape"] = QJsonObject{{"Rect", QJsonObject{{"min", QJsonObject{{"x", -1}, {"y", 2}}},
                                                    {"max", QJsonObject{{"x", 3}, {"y", 4}}}}}};
    row["color"] = QJsonObject{{"Blue", QJsonObject()}};
    row["maybe"] = QJsonObject{{"some", QJsonValue()}}; // Some(None)
    row["points"] = QJsonArray{QJsonObject{{"x", 1}, {"y", 1}}, QJsonObject{{"x", 2}, {"y", 3}}};
    row["owner"] = QStringLiteral("0x") + QLatin1String(kIdentityHex);
    row["conn"] = QStringLiteral("0x00112233445566778899aabbccddeeff");
    row["at"] = qint64(1704067200000000LL);
    row["every"] = 5000000;
    row["uid"] = QStringLiteral("01234567-89ab-cdef-0123-456789abcdef");
    row["result"] = QJsonObject{{"err", QStringLiteral("nope")}};
    row["nested"] = QJsonObject{{"inner", QJsonObject{{"deep", QJsonValue()}}}};
    row["email"] = QStringLiteral("a@b.c");
    return row;
}

} // namespace

class TestValue : public QObject {
    Q_OBJECT

private slots:
    void specWorkedExamples() {
        const Typespace ts;
        auto enc = [&](const Value &v, const AlgebraicType &t) {
            Expected<QByteArray> b = v.encode(t, ts);
            if (!b)
                qFatal("%s", qPrintable(b.error().toString()));
            return *b;
        };
        QCOMPARE(enc(Value::u32(300), K::U32), hexBytes("2C 01 00 00"));
        QCOMPARE(enc(Value::i16(-2), K::I16), hexBytes("FE FF"));
        QCOMPARE(enc(Value::f32(1.5f), K::F32), hexBytes("00 00 C0 3F"));
        QCOMPARE(enc(Value::f64(-0.1), K::F64), hexBytes("9A 99 99 99 99 99 B9 BF"));
        QCOMPARE(enc(Value::i256(I256::fromInt64(-2)), K::I256),
                 QByteArray(1, '\xfe') + QByteArray(31, '\xff'));
        QCOMPARE(enc(Value::string(QStringLiteral("é")), K::String), hexBytes("02 00 00 00 C3 A9"));
        const AlgebraicType optString = AlgebraicType::option(K::String);
        QCOMPARE(enc(Value::some(Value::string(QStringLiteral("hi"))), optString),
                 hexBytes("00 02 00 00 00 68 69"));
        QCOMPARE(enc(Value::none(), optString), hexBytes("01"));
        QCOMPARE(enc(Value::ok(Value::u32(5)), AlgebraicType::result(K::U32, K::String)),
                 hexBytes("00 05 00 00 00"));
        const Identity id = Identity::fromHex(QString::fromLatin1(kIdentityHex));
        QCOMPARE(enc(Value::identity(id), AlgebraicType::identity()),
                 hexBytes("1E 1D 1C 1B 1A 19 18 17 16 15 14 13 12 11 10 0F 0E 0D 0C 0B 0A 09 08 07 "
                          "06 05 04 03 02 01 00 C2"));
        const Timestamp t = Timestamp::fromMicros(1704067200000000LL);
        QCOMPARE(enc(Value::timestamp(t), AlgebraicType::timestamp()),
                 hexBytes("00 20 21 10 D7 0D 06 00"));
        QCOMPARE(enc(Value::scheduleAt(ScheduleAt(TimeDuration::fromMicros(5000000))),
                     AlgebraicType::scheduleAt()),
                 hexBytes("00 40 4B 4C 00 00 00 00 00"));
        QCOMPARE(enc(Value::scheduleAt(ScheduleAt(t)), AlgebraicType::scheduleAt()),
                 hexBytes("01 00 20 21 10 D7 0D 06 00"));
        QCOMPARE(enc(Value::array({Value::u16(1), Value::u16(2), Value::u16(3)}),
                     AlgebraicType::array(K::U16)),
                 hexBytes("03 00 00 00 01 00 02 00 03 00"));

        // quickstart-chat user row from example 7.
        const AlgebraicType user = AlgebraicType::product(
            {{"identity", AlgebraicType::identity()}, {"name", optString}, {"online", K::Bool}});
        const Value row =
            Value::product({Value::identity(id), Value::some(Value::string(QStringLiteral("Bob"))),
                            Value::boolean(true)});
        const QByteArray bytes = enc(row, user);
        QCOMPARE(bytes.size(), 41);
        Expected<Value> back = Value::decode(bytes, user, ts);
        QVERIFY(back);
        QCOMPARE(*back, row);
        QCOMPARE(back->operator[](0).toIdentity(), id);
        QCOMPARE(back->operator[](1).payload().toString(), QStringLiteral("Bob"));
        const QJsonValue json = ValueJson::toJson(row, user, ts);
        QCOMPARE(json.toObject().value(u"identity").toString(),
                 QStringLiteral("0x") + QLatin1String(kIdentityHex));
        QCOMPARE(json.toObject().value(u"name").toString(), QStringLiteral("Bob"));
        QCOMPARE(json.toObject().value(u"online").toBool(), true);
    }

    void richRoundTrip() {
        const ModuleSchema s = richSchema();
        const TableDef *t = s.table(u"everything");
        QVERIFY(t);
        const Typespace &ts = s.typespace();
        const QJsonObject rowJson = everythingRowJson();

        Expected<Value> v = ValueJson::fromJson(rowJson, t->rowType, ts);
        QVERIFY2(v, qPrintable(v ? QString() : v.error().toString()));
        Expected<QByteArray> bytes = v->encode(t->rowType, ts);
        QVERIFY2(bytes, qPrintable(bytes ? QString() : bytes.error().toString()));
        Expected<Value> decoded = Value::decode(*bytes, t->rowType, ts);
        QVERIFY(decoded);
        QCOMPARE(*decoded, *v);
        QCOMPARE(*decoded->encode(t->rowType, ts), *bytes);

        // Inspector JSON reproduces the input exactly.
        const QJsonValue out = ValueJson::toJson(*decoded, t->rowType, ts);
        QCOMPARE(out.toObject(), rowJson);

        // SATS JSON round trip too, and its shapes.
        const QJsonValue sats = ValueJson::toJson(*decoded, t->rowType, ts, Style::Sats);
        QVERIFY(sats.isArray());
        const QJsonArray a = sats.toArray();
        QCOMPARE(a.size(), 30);
        QCOMPARE(a[0].toString(), QStringLiteral("18446744073709551615")); // u64 > 2^63: string
        QCOMPARE(a[7].toInteger(), std::numeric_limits<qint64>::min());    // i64: exact number
        QCOMPARE(
            a[22].toArray()[0].toString(),
            QStringLiteral("0xc2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e"));
        QCOMPARE(a[19], QJsonValue(QJsonArray{2, QJsonArray()}));                // Blue
        QCOMPARE(a[20], QJsonValue(QJsonArray{0, QJsonArray{1, QJsonArray()}})); // Some(None)
        QCOMPARE(a[24], QJsonValue(QJsonArray{qint64(1704067200000000LL)}));
        Expected<Value> fromSats = ValueJson::fromJson(sats, t->rowType, ts, Style::Sats);
        QVERIFY2(fromSats, qPrintable(fromSats ? QString() : fromSats.error().toString()));
        QCOMPARE(*fromSats, *v);
        // Through text, as a /sql client or /call body would see it.
        const QByteArray text = QJsonDocument(a).toJson(QJsonDocument::Compact);
        Expected<QJsonDocument> reparsed = ExactJson::parse(text);
        QVERIFY(reparsed);
        QCOMPARE(*ValueJson::fromJson(reparsed->array(), t->rowType, ts, Style::Sats), *v);
    }

    void optionConventions() {
        const Typespace ts;
        const AlgebraicType oo = AlgebraicType::option(AlgebraicType::option(K::U8));
        const Value none = Value::none();
        const Value someNone = Value::some(Value::none());
        const Value someSome = Value::some(Value::some(Value::u8(7)));
        QCOMPARE(ValueJson::toJson(none, oo, ts), QJsonValue());
        QCOMPARE(ValueJson::toJson(someNone, oo, ts),
                 QJsonValue(QJsonObject{{"some", QJsonValue()}}));
        QCOMPARE(ValueJson::toJson(someSome, oo, ts), QJsonValue(QJsonObject{{"some", 7}}));
        for (const Value &v : {none, someNone, someSome})
            QCOMPARE(*ValueJson::fromJson(ValueJson::toJson(v, oo, ts), oo, ts), v);
        // SATS forms, including the named-variant form a hand-written /call body may use.
        QCOMPARE(ValueJson::toJson(someNone, oo, ts, Style::Sats),
                 QJsonValue(QJsonArray{0, QJsonArray{1, QJsonArray()}}));
        QCOMPARE(*ValueJson::fromJson(QJsonObject{{"some", QJsonObject{{"none", QJsonArray()}}}},
                                      oo, ts, Style::Sats),
                 someNone);
        QCOMPARE(*ValueJson::fromJson(QJsonValue(), oo, ts, Style::Sats), none);
        // Unit is {} (inspector) / [] (SATS); both accepted.
        QCOMPARE(ValueJson::toJson(Value::unit(), AlgebraicType::unit(), ts),
                 QJsonValue(QJsonObject()));
        QCOMPARE(ValueJson::toJson(Value::unit(), AlgebraicType::unit(), ts, Style::Sats),
                 QJsonValue(QJsonArray()));
    }

    void callArgsByNameOrPosition() {
        const ModuleSchema s = richSchema();
        const ReducerDef *r = s.reducer(u"add_point");
        QVERIFY(r);
        const QJsonObject byName{{"p", QJsonObject{{"x", 1}, {"y", 2}}},
                                 {"color", QJsonObject{{"Green", QJsonArray()}}},
                                 {"note", QJsonValue()}};
        const QJsonArray byPos{QJsonArray{1, 2}, QJsonArray{1, QJsonArray()},
                               QJsonArray{1, QJsonArray()}};
        Expected<Value> a = ValueJson::fromJson(byName, r->params, s.typespace(), Style::Sats);
        Expected<Value> b = ValueJson::fromJson(byPos, r->params, s.typespace(), Style::Sats);
        QVERIFY2(a, qPrintable(a ? QString() : a.error().toString()));
        QVERIFY2(b, qPrintable(b ? QString() : b.error().toString()));
        QCOMPARE(*a, *b);
        QCOMPARE(ValueJson::productToObject(*a, r->params, s.typespace(), Style::Sats)
                     .toObject()
                     .value(u"color"),
                 QJsonValue(QJsonArray{1, QJsonArray()}));
        QCOMPARE(*a->encode(r->params, s.typespace()), hexBytes("01000000 02000000 01 01"));
    }

    void floatEdges() {
        const Typespace ts;
        const QList<double> doubles = {0.0,
                                       -0.0,
                                       std::numeric_limits<double>::infinity(),
                                       -std::numeric_limits<double>::infinity(),
                                       std::numeric_limits<double>::quiet_NaN(),
                                       std::numeric_limits<double>::denorm_min(),
                                       1e308};
        for (double d : doubles) {
            const Value v = Value::f64(d);
            const QJsonValue j = ValueJson::toJson(v, K::F64, ts);
            QCOMPARE(*ValueJson::fromJson(j, K::F64, ts), v);
        }
        const Value nanPayload = Value::f32(std::bit_cast<float>(quint32(0x7fc00001)));
        const QJsonValue j = ValueJson::toJson(nanPayload, K::F32, ts);
        QCOMPARE(j.toString(), QStringLiteral("NaN(0x7fc00001)"));
        QCOMPARE(*ValueJson::fromJson(j, K::F32, ts), nanPayload);
        QCOMPARE(ValueJson::toJson(Value::f32(0.1f), K::F32, ts).toDouble(), double(0.1f));
    }

    void integerRanges() {
        const Typespace ts;
        auto err = [&](const QJsonValue &j, K k) {
            Expected<Value> v =
                ValueJson::fromJson(j, k, ts, Style::Inspector, QStringLiteral("x"));
            return v ? QString() : v.error().message();
        };
        QVERIFY(err(256, K::U8).startsWith(u"x: 256 is out of range for U8"));
        QVERIFY(err(-1, K::U64).contains(u"out of range"));
        QVERIFY(err(1.5, K::I32).contains(u"expected an integer"));
        QVERIFY(err(1e19, K::U64).contains(u"write it as a decimal string"));
        QVERIFY(err(QStringLiteral("0x10"), K::I32).contains(u"hex is only accepted"));
        QVERIFY(err(QStringLiteral("340282366920938463463374607431768211456"), K::U128)
                    .contains(u"out of range"));
        QVERIFY(err(QStringLiteral("abc"), K::I64).contains(u"out of range"));
        QVERIFY(err(true, K::I64).contains(u"expected an integer"));
        QCOMPARE(ValueJson::fromJson(QStringLiteral("0xff"), K::U16, ts)->toUInt64(), quint64(255));
        QCOMPARE(
            ValueJson::fromJson(QStringLiteral("18446744073709551615"), K::U64, ts)->toUInt64(),
            std::numeric_limits<quint64>::max());
        QCOMPARE(ValueJson::fromJson(QStringLiteral("-170141183460469231731687303715884105728"),
                                     K::I128, ts)
                     ->toI128(),
                 I128::min());
        QCOMPARE(ValueJson::fromJson(
                     QStringLiteral(
                         "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
                     K::U256, ts)
                     ->toU256(),
                 U256::max());
        // Exactness end to end through JSON text (§8 item 37).
        Expected<QJsonDocument> d =
            ExactJson::parse("[18446744073709551615, 340282366920938463463374607431768211455]");
        QVERIFY(d);
        QCOMPARE(ValueJson::fromJson(d->array()[0], K::U64, ts)->toUInt64(),
                 std::numeric_limits<quint64>::max());
        QCOMPARE(ValueJson::fromJson(d->array()[1], K::U128, ts)->toU128(), U128::max());
    }

    void jsonErrorsNamePaths() {
        const ModuleSchema s = richSchema();
        const TableDef *t = s.table(u"everything");
        auto errorFor = [&](const char *field, const QJsonValue &v) {
            QJsonObject row = everythingRowJson();
            if (v.isUndefined())
                row.remove(QLatin1String(field));
            else
                row[QLatin1String(field)] = v;
            Expected<Value> r = ValueJson::fromJson(row, t->rowType, s.typespace(),
                                                    Style::Inspector, QStringLiteral("rows[3]"));
            return r ? QString() : r.error().message();
        };
        QCOMPARE(errorFor("label", 5),
                 QStringLiteral("rows[3].label: expected a string, got a number"));
        QCOMPARE(errorFor("email", QJsonValue::Undefined),
                 QStringLiteral("rows[3].email: missing"));
        QVERIFY(errorFor("shape", QJsonObject{{"Triangle", 3}})
                    .startsWith(u"rows[3].shape: unknown variant \"Triangle\""));
        QCOMPARE(errorFor("points", QJsonArray{QJsonObject{{"x", 1}, {"y", true}}}),
                 QStringLiteral(
                     "rows[3].points[0].y: expected an integer (number or string), got a bool"));
        QVERIFY(
            errorFor("blob", QStringLiteral("abc")).startsWith(u"rows[3].blob: expected bytes"));
        QVERIFY(errorFor("owner", QStringLiteral("0xzz"))
                    .startsWith(u"rows[3].owner: expected an identity"));
        QVERIFY(errorFor("maybe", 3).startsWith(u"rows[3].maybe: expected null or {\"some\""));
        // A UUID in the forms the server's Uuid::parse_str reads, and no others.
        for (const char *ok :
             {"0123456789abcdef0123456789ABCDEF", "{01234567-89ab-cdef-0123-456789abcdef}",
              "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"})
            QVERIFY2(errorFor("uid", QLatin1String(ok)).isEmpty(), ok);
        for (const char *bad :
             {"0123-456789ab-cdef-0123-456789abcdef", "01234567-89ab-cdef-0123-456789abcde",
              "-0123456789abcdef0123456789abcdef"})
            QCOMPARE(errorFor("uid", QLatin1String(bad)),
                     QStringLiteral("rows[3].uid: expected a UUID (8-4-4-4-12 hex)"));
        QVERIFY(
            errorFor("nested", QJsonObject{{"inner", QJsonObject{{"deep", QJsonObject{{"x", 1}}}}}})
                .startsWith(u"rows[3].nested.inner.deep.y: missing"));
        QJsonObject extra = everythingRowJson();
        extra["bogus"] = 1;
        QCOMPARE(ValueJson::fromJson(extra, t->rowType, s.typespace()).error().message(),
                 QStringLiteral("bogus: unknown field"));
    }

    void writeTypeMismatch() {
        const Typespace ts;
        const AlgebraicType t = AlgebraicType::product(
            {{"a", K::U8},
             {"b", AlgebraicType::array(AlgebraicType::product({{"c", K::String}}))}});
        const Value bad =
            Value::product({Value::u8(1), Value::array({Value::product({Value::u32(3)})})});
        Expected<QByteArray> r = bad.encode(t, ts);
        QVERIFY(!r);
        QCOMPARE(r.error().message(),
                 QStringLiteral("b[0].c: a U32 value does not fit type String"));
        QVERIFY(!Value::sum(5).encode(AlgebraicType::option(K::U8), ts));
        QVERIFY(!Value().encode(K::U8, ts));
        QVERIFY(!Value::product({}).encode(t, ts));
    }

    void malformedBsatn() {
        const ModuleSchema s = richSchema();
        const TableDef *t = s.table(u"everything");
        const QByteArray bytes =
            *ValueJson::fromJson(everythingRowJson(), t->rowType, s.typespace())
                 ->encode(t->rowType, s.typespace());
        for (qsizetype cut = 0; cut < bytes.size(); ++cut) {
            Expected<Value> v = Value::decode(bytes.left(cut), t->rowType, s.typespace(), 100);
            QVERIFY(!v);
            QCOMPARE(v.error().kind(), Error::Kind::Decode);
            QVERIFY(v.error().offset() >= 100 && v.error().offset() <= 100 + cut);
        }
        Expected<Value> trailing = Value::decode(bytes + "x", t->rowType, s.typespace());
        QVERIFY(!trailing);
        QCOMPARE(trailing.error().offset(), qint64(bytes.size()));
        // Flip every byte: errors or values, never a crash.
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            QByteArray b = bytes;
            b[i] = char(b[i] ^ 0xa5);
            (void)Value::decode(b, t->rowType, s.typespace());
        }
        const Typespace none;
        Expected<Value> badBool = Value::decode(hexBytes("02"), K::Bool, none);
        QVERIFY(!badBool);
        QCOMPARE(badBool.error().offset(), qint64(0));
        Expected<Value> badTag = Value::decode(hexBytes("05"), AlgebraicType::option(K::U8), none);
        QVERIFY(!badTag);
        QVERIFY(badTag.error().message().contains(u"unknown tag 0x05"));
        QVERIFY(!Value::decode(hexBytes("02000000 C3 28"), K::String, none)); // invalid UTF-8
        QVERIFY(!Value::decode(hexBytes("FFFFFFFF"), AlgebraicType::array(K::U64), none));
        QVERIFY(!Value::decode(QByteArray(), AlgebraicType::never(), none));
    }

    void recursionIsBounded() {
        // List = Nil | Cons {head: u8, tail: List}
        Typespace ts({AlgebraicType::sum(
            {{"Nil", AlgebraicType::unit()},
             {"Cons",
              AlgebraicType::product({{"head", K::U8}, {"tail", AlgebraicType::ref(0)}})}})});
        QByteArray shallow;
        for (int i = 0; i < 10; ++i)
            shallow += hexBytes("01 07");
        shallow += hexBytes("00");
        Expected<Value> ok = Value::decode(shallow, AlgebraicType::ref(0), ts);
        QVERIFY(ok);
        const QJsonValue j = ValueJson::toJson(*ok, AlgebraicType::ref(0), ts);
        QCOMPARE(*ValueJson::fromJson(j, AlgebraicType::ref(0), ts), *ok);
        QByteArray deep;
        for (int i = 0; i < 100000; ++i)
            deep += hexBytes("01 07");
        deep += hexBytes("00");
        Expected<Value> tooDeep = Value::decode(deep, AlgebraicType::ref(0), ts);
        QVERIFY(!tooDeep);
        QVERIFY(tooDeep.error().message().contains(u"nested deeper"));
        // A product that contains only itself consumes no bytes: must still stop.
        Typespace loop({AlgebraicType::product({{"me", AlgebraicType::ref(0)}})});
        QVERIFY(!Value::decode(QByteArray(), AlgebraicType::ref(0), loop));
    }
};

QTEST_GUILESS_MAIN(TestValue)
#include "tst_value.moc"
