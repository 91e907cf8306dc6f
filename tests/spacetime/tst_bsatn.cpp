// SPDX-License-Identifier: Apache-2.0
// BSATN primitives and special types: wire bytes of the spec's worked examples (§1.7 items 1-5),
// extremes, rejection of invalid input, and the hex/decimal/time/UUID conventions.

#include "spacetime/bsatn/codec.h"
#include "spacetime/cache/orderkey.h"
#include "spacetime/models/qmlvalue.h"

#include <QHash>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>

using namespace stdb;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text) {
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

template <typename T>
QByteArray enc(const T &v) {
    return toBsatn(v);
}

// Decodes and re-encodes; returns false on any mismatch.
template <typename T>
bool roundTrips(const T &v) {
    const QByteArray b = toBsatn(v);
    const Expected<T> back = fromBsatn<T>(b);
    return back.hasValue() && *back == v && toBsatn(*back) == b;
}

} // namespace

class TestBsatn : public QObject {
    Q_OBJECT

private slots:
    void integers() {
        QCOMPARE(enc(quint32(300)), hex("2C 01 00 00"));
        QCOMPARE(enc(qint16(-2)), hex("FE FF"));
        QCOMPARE(enc(qint64(-2)), hex("FE FF FF FF FF FF FF FF"));
        QCOMPARE(enc(quint8(0xab)), hex("AB"));
        QCOMPARE(enc(qint8(-1)), hex("FF"));
        QCOMPARE(enc(quint16(0x1234)), hex("34 12"));
        QCOMPARE(enc(qint32(-2)), hex("FE FF FF FF"));
        QCOMPARE(enc(quint64(0x0102030405060708)), hex("08 07 06 05 04 03 02 01"));

        QVERIFY(roundTrips(std::numeric_limits<qint8>::min()));
        QVERIFY(roundTrips(std::numeric_limits<qint16>::min()));
        QVERIFY(roundTrips(std::numeric_limits<qint32>::min()));
        QVERIFY(roundTrips(std::numeric_limits<qint64>::min()));
        QVERIFY(roundTrips(std::numeric_limits<qint64>::max()));
        QVERIFY(roundTrips(std::numeric_limits<quint64>::max()));
        QVERIFY(roundTrips(std::numeric_limits<quint32>::max()));
        QVERIFY(roundTrips(std::numeric_limits<quint16>::max()));
        QCOMPARE(enc(std::numeric_limits<qint64>::min()), hex("0000000000000080"));
    }

    void floats() {
        QCOMPARE(enc(1.5f), hex("00 00 C0 3F"));
        QCOMPARE(enc(-0.1), hex("9A 99 99 99 99 99 B9 BF"));
        QCOMPARE(enc(-0.0), hex("0000000000000080"));
        QVERIFY(roundTrips(std::numeric_limits<double>::infinity()));
        QVERIFY(roundTrips(-std::numeric_limits<float>::infinity()));
        QVERIFY(roundTrips(std::numeric_limits<double>::denorm_min()));
        QVERIFY(roundTrips(std::numeric_limits<float>::max()));
        // NaN keeps its bit pattern.
        const QByteArray nan = hex("010000000000F87F");
        const auto d = fromBsatn<double>(nan);
        QVERIFY(d.hasValue() && std::isnan(*d));
        QCOMPARE(enc(*d), nan);
    }

    void bigIntegers() {
        QCOMPARE(enc(U128::fromUInt64(1)), hex("01") + QByteArray(15, '\0'));
        U256 v;
        v.littleEndian()[0] = 0x02;
        v.littleEndian()[1] = 0x01;
        QCOMPARE(enc(v), hex("02 01") + QByteArray(30, '\0'));
        QCOMPARE(enc(I256::fromInt64(-2)), hex("FE") + QByteArray(31, '\xff'));
        QCOMPARE(enc(I128::fromInt64(-1)), QByteArray(16, '\xff'));

        QCOMPARE(enc(I128::min()), QByteArray(15, '\0') + hex("80"));
        QCOMPARE(enc(I128::max()), QByteArray(15, '\xff') + hex("7F"));
        QCOMPARE(enc(U256::max()), QByteArray(32, '\xff'));
        QCOMPARE(enc(I256::min()), QByteArray(31, '\0') + hex("80"));
        QVERIFY(roundTrips(I128::min()));
        QVERIFY(roundTrips(I256::max()));
        QVERIFY(roundTrips(U128::max()));

        QVERIFY(I128::min() < I128::fromInt64(-1));
        QVERIFY(I128::fromInt64(-1) < I128::fromInt64(0));
        QVERIFY(I128::fromInt64(0) < I128::max());
        QVERIFY(U128::fromUInt64(1) < U128::max());
    }

    void bigIntDecimal_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << u"0"_s;
        QTest::newRow("one") << u"1"_s;
        QTest::newRow("u64 max") << u"18446744073709551615"_s;
        QTest::newRow("u64 max + 1") << u"18446744073709551616"_s;
        QTest::newRow("i128 max") << u"170141183460469231731687303715884105727"_s;
        QTest::newRow("i128 min") << u"-170141183460469231731687303715884105728"_s;
        QTest::newRow("minus one") << u"-1"_s;
    }
    void bigIntDecimal() {
        QFETCH(QString, text);
        bool ok = false;
        const I128 v = I128::fromDecimal(text, &ok);
        QVERIFY(ok);
        QCOMPARE(v.toDecimal(), text);
        QCOMPARE(I128::fromHex(v.toHex(), &ok), v);
        QVERIFY(ok);
        QVERIFY(roundTrips(v));
    }

    void bigIntExtremes() {
        QCOMPARE(I128::min().toDecimal(), u"-170141183460469231731687303715884105728"_s);
        QCOMPARE(I128::max().toDecimal(), u"170141183460469231731687303715884105727"_s);
        QCOMPARE(U128::max().toDecimal(), u"340282366920938463463374607431768211455"_s);
        QCOMPARE(
            U256::max().toDecimal(),
            u"115792089237316195423570985008687907853269984665640564039457584007913129639935"_s);
        QCOMPARE(
            I256::min().toDecimal(),
            u"-57896044618658097711785492504343953926634992332820282019728792003956564819968"_s);
        QCOMPARE(
            I256::max().toDecimal(),
            u"57896044618658097711785492504343953926634992332820282019728792003956564819967"_s);
        bool ok = false;
        QCOMPARE(U256::fromDecimal(U256::max().toDecimal(), &ok), U256::max());
        QVERIFY(ok);
        QCOMPARE(I256::fromDecimal(I256::min().toDecimal(), &ok), I256::min());
        QVERIFY(ok);
        QCOMPARE(U256::max().toHex(), QString(64, u'f'));
        QCOMPARE(I128::min().toHex(), u"80000000000000000000000000000000"_s);
        QCOMPARE(U128::fromHex(u"0x01", &ok), U128::fromUInt64(1));
        QVERIFY(ok);
    }

    void bigIntOverflowRejected_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind"); // 0 U128, 1 I128, 2 U256, 3 I256
        QTest::newRow("u128 max + 1") << u"340282366920938463463374607431768211456"_s << 0;
        QTest::newRow("u128 negative") << u"-1"_s << 0;
        QTest::newRow("i128 max + 1") << u"170141183460469231731687303715884105728"_s << 1;
        QTest::newRow("i128 min - 1") << u"-170141183460469231731687303715884105729"_s << 1;
        QTest::newRow("u256 max + 1")
            << u"115792089237316195423570985008687907853269984665640564039457584007913129639936"_s
            << 2;
        QTest::newRow("i256 min - 1")
            << u"-57896044618658097711785492504343953926634992332820282019728792003956564819969"_s
            << 3;
        QTest::newRow("not a number") << u"12a"_s << 1;
        QTest::newRow("empty") << QString() << 1;
        QTest::newRow("just minus") << u"-"_s << 1;
    }
    void bigIntOverflowRejected() {
        QFETCH(QString, text);
        QFETCH(int, kind);
        bool ok = true;
        switch (kind) {
        case 0:
            U128::fromDecimal(text, &ok);
            break;
        case 1:
            I128::fromDecimal(text, &ok);
            break;
        case 2:
            U256::fromDecimal(text, &ok);
            break;
        default:
            I256::fromDecimal(text, &ok);
            break;
        }
        QVERIFY(!ok);
    }

    void bigIntHexRejected() {
        bool ok = true;
        U128::fromHex(QString(33, u'1'), &ok);
        QVERIFY(!ok);
        ok = true;
        U128::fromHex(u"xyz"_s, &ok);
        QVERIFY(!ok);
        ok = true;
        U128::fromHex(u""_s, &ok);
        QVERIFY(!ok);
    }

    void booleans() {
        QCOMPARE(enc(true), hex("01"));
        QCOMPARE(enc(false), hex("00"));
        QVERIFY(fromBsatn<bool>(hex("01")).value());
        const auto bad = fromBsatn<bool>(hex("02"));
        QVERIFY(!bad.hasValue());
        QVERIFY(bad.error().message().contains(u"bool"_s));
        QCOMPARE(bad.error().offset(), qint64(0));
        const QByteArray input = hex("01 00 FF"); // the reader borrows it
        BsatnReader r(input);
        QVERIFY(r.readBool());
        QVERIFY(!r.readBool());
        r.readBool();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().offset(), qint64(2));
    }

    void strings() {
        QCOMPARE(enc(u"Alice"_s), hex("05 00 00 00 41 6C 69 63 65"));
        QCOMPARE(enc(u"é"_s), hex("02 00 00 00 C3 A9"));
        QCOMPARE(enc(QString()), hex("00000000"));
        QVERIFY(roundTrips(QString()));
        QVERIFY(roundTrips(u"Grüße, 世界, 🚀"_s));
        QCOMPARE(enc(u"🚀"_s), hex("04000000 F09F9A80"));
        QCOMPARE(enc(QByteArray("\x00\xff", 2)), hex("02000000 00FF"));
        QVERIFY(roundTrips(QByteArray()));
        QVERIFY(roundTrips(QByteArray(70000, 'z')));
    }

    void invalidUtf8Rejected_data() {
        QTest::addColumn<QByteArray>("utf8");
        QTest::newRow("lone continuation") << hex("80");
        QTest::newRow("invalid byte ff") << hex("41 FF");
        QTest::newRow("overlong slash") << hex("C0 AF");
        QTest::newRow("overlong 3-byte") << hex("E0 80 AF");
        QTest::newRow("surrogate") << hex("ED A0 80");
        QTest::newRow("above U+10FFFF") << hex("F4 90 80 80");
        QTest::newRow("truncated 2-byte") << hex("41 C3");
        QTest::newRow("truncated 4-byte") << hex("F0 9F 9A");
        QTest::newRow("bad continuation") << hex("E2 28 A1");
        QTest::newRow("after ascii run") << QByteArray(20, 'a') + hex("C3 28");
    }
    void invalidUtf8Rejected() {
        QFETCH(QByteArray, utf8);
        BsatnWriter w;
        w.writeBytes(utf8);
        const auto r = fromBsatn<QString>(w.buffer());
        QVERIFY(!r.hasValue());
        QVERIFY(r.error().message().contains(u"UTF-8"_s));
        QCOMPARE(r.error().offset(), qint64(4));
        // The same bytes are a fine byte array.
        QCOMPARE(fromBsatn<QByteArray>(w.buffer()).value(), utf8);
        // The one-pass decoder refuses what the validator refuses, also into a used string,
        // and leaves nothing of that string behind.
        QVERIFY(!isValidUtf8(utf8));
        QString into = u"left over from the previous row"_s;
        QVERIFY(!utf8ToString(utf8, into));
        QVERIFY(into.isEmpty());
        BsatnReader reader(w.buffer());
        into = u"left over"_s;
        reader.readStringInto(into);
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error().offset(), qint64(4));
        QVERIFY(into.isEmpty());
    }

    // utf8ToString decodes as QString::fromUtf8 does, across the 16-byte ASCII blocks, and
    // into a string that already holds something (shorter, longer, shared).
    void utf8ToStringMatchesFromUtf8_data() {
        QTest::addColumn<QByteArray>("utf8");
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("one") << QByteArray("a");
        for (int n : {15, 16, 17, 31, 32, 33, 100})
            QTest::addRow("ascii %d", n) << QByteArray(n, 'x');
        QTest::newRow("nul and DEL") << hex("00 41 7F 00");
        QTest::newRow("two-byte after 16 ascii") << QByteArray(16, 'a') + "Grüße";
        QTest::newRow("non-ascii first") << QByteArray("ü") + QByteArray(40, 'b');
        QTest::newRow("three-byte") << QByteArray("☕ tea 世界");
        QTest::newRow("four-byte (surrogate pair)") << QByteArray("🚀x🚀") + QByteArray(20, 'z');
        QTest::newRow("edges") << hex("7F C2 80 DF BF E0 A0 80 ED 9F BF EF BF BF F0 90 80 80 "
                                      "F4 8F BF BF");
    }
    void utf8ToStringMatchesFromUtf8() {
        QFETCH(QByteArray, utf8);
        const QString expected = QString::fromUtf8(utf8);
        QString fresh;
        QVERIFY(utf8ToString(utf8, fresh));
        QCOMPARE(fresh, expected);
        QCOMPARE(fresh.size(), expected.size());
        for (const QString &before :
             {u"a longer string than most of the inputs here"_s, u"q"_s, QString(200, u'w')}) {
            QString into = before;
            into.detach();
            QVERIFY(utf8ToString(utf8, into));
            QCOMPARE(into, expected);
        }
        // Through the codec: what a row's string column reads.
        BsatnWriter w;
        w.writeBytes(utf8);
        QString read = u"previous row"_s;
        BsatnReader r(w.buffer());
        bsatnRead(r, read);
        QVERIFY(r.expectEnd("string"));
        QCOMPARE(read, expected);
    }

    void leadingByteOrderMarkIsKept() {
        // A string is exactly its bytes: a leading U+FEFF is a character of the value (as the
        // Rust SDK's String::from_utf8 keeps it), not an encoding signature to drop the way
        // QString::fromUtf8 does; so the decoded row re-encodes to the cached bytes.
        const QByteArray bom = hex("EF BB BF 41");
        QString s;
        QVERIFY(utf8ToString(bom, s));
        QCOMPARE(s, u"\uFEFFA"_s);
        QCOMPARE(fromBsatn<QString>(toBsatn(s)).value(), s);
        QCOMPARE(enc(s), hex("04000000 EFBBBF41"));
    }

    // An empty list decoded into a list that had elements ends with no allocation, like a new
    // one (Qt 6.4 compares empty lists of plain types with memcmp of their data pointers).
    void emptyListDecodedIntoAUsedOneHasNoAllocation() {
        QList<quint8> used{1, 2, 3};
        const QByteArray empty = toBsatn(QList<quint8>());
        BsatnReader r(empty);
        bsatnRead(r, used);
        QVERIFY(r.expectEnd("list"));
        QVERIFY(used.isEmpty());
        QCOMPARE(used.capacity(), 0);
        QCOMPARE(used, QList<quint8>());
    }

    void utf8ToStringReusesOnlyItsOwnBuffer() {
        QString s(40, Qt::Uninitialized);
        s.fill(u'x');
        const QChar *buffer = s.constData();
        QVERIFY(utf8ToString("hello there, how is the build going", s));
        QCOMPARE(s, u"hello there, how is the build going"_s);
        QCOMPARE(s.constData(), buffer); // the row's buffer, decoded again in place

        // Someone kept a copy (a slot stored the row): the copy keeps its text and the next
        // decode gets a buffer of its own.
        const QString kept = s;
        QVERIFY(utf8ToString("ship it", s));
        QCOMPARE(kept, u"hello there, how is the build going"_s);
        QCOMPARE(s, u"ship it"_s);
        QVERIFY(s.constData() != kept.constData());

        // A buffer far larger than the text is not kept: a copy taken of a short string must
        // not pin it.
        QString big(10000, u'b');
        QVERIFY(utf8ToString("ok", big));
        QCOMPARE(big, u"ok"_s);
        QVERIFY(big.capacity() < 100);
    }

    void optionDecodesIntoTheValueItHolds() {
        // Some after Some reads into the held value; None empties it; Some after None fills it.
        std::optional<QString> v = u"earlier"_s;
        for (const std::optional<QString> &next :
             {std::optional<QString>(u"later"_s), std::optional<QString>(),
              std::optional<QString>(u"again"_s)}) {
            const QByteArray bytes = toBsatn(next);
            BsatnReader r(bytes);
            bsatnRead(r, v);
            QVERIFY(r.expectEnd("option"));
            QCOMPARE(v, next);
        }
    }

    void validUtf8Edges() {
        for (const QByteArray &ok :
             {hex("7F"), hex("C2 80"), hex("DF BF"), hex("E0 A0 80"), hex("ED 9F BF"),
              hex("EF BF BF"), hex("F0 90 80 80"), hex("F4 8F BF BF")})
            QVERIFY2(isValidUtf8(ok), ok.toHex().constData());
    }

    void shortInput() {
        QVERIFY(!fromBsatn<quint32>(hex("01 02 03")).hasValue());
        QVERIFY(!fromBsatn<U256>(QByteArray(31, '\0')).hasValue());
        const auto s = fromBsatn<QString>(hex("05000000 4142"));
        QVERIFY(!s.hasValue());
        QCOMPARE(s.error().offset(), qint64(0));
        QVERIFY(s.error().message().contains(u"exceeds"_s));
        const auto trailing = fromBsatn<quint8>(hex("01 02"));
        QVERIFY(!trailing.hasValue());
        QVERIFY(trailing.error().message().contains(u"trailing"_s));
        QCOMPARE(trailing.error().offset(), qint64(1));

        // Sticky errors: later reads return defaults and keep the first error.
        const QByteArray input = hex("01"); // the reader borrows it
        BsatnReader r(input);
        r.readU32();
        QVERIFY(!r.ok());
        QCOMPARE(r.readU8(), quint8(0));
        QCOMPARE(r.readString(), QString());
        QCOMPARE(r.error().offset(), qint64(0));
        QCOMPARE(r.remaining(), 0);
    }

    void options() {
        QCOMPARE(enc(std::optional<QString>(u"hi"_s)), hex("00 02 00 00 00 68 69"));
        QCOMPARE(enc(std::optional<QString>()), hex("01"));
        QVERIFY(roundTrips(std::optional<quint32>(7)));
        QVERIFY(roundTrips(std::optional<quint32>()));
        QVERIFY(roundTrips(std::optional<std::optional<bool>>(std::optional<bool>())));
        const auto bad = fromBsatn<std::optional<quint8>>(hex("02 00"));
        QVERIFY(!bad.hasValue());
        QCOMPARE(bad.error().offset(), qint64(0));
        QVERIFY(bad.error().message().contains(u"unknown tag 0x02"_s));
    }

    void results() {
        using R = SumResult<quint32, QString>;
        QCOMPARE(enc(R{quint32(5)}), hex("00 05 00 00 00"));
        QCOMPARE(enc(R{u"no"_s}), hex("01 02000000 6E6F"));
        QVERIFY(roundTrips(R{quint32(5)}));
        QVERIFY(roundTrips(R{u"boom"_s}));
        QVERIFY(!fromBsatn<R>(hex("02 00000000")).hasValue());
    }

    void arrays() {
        QCOMPARE(enc(QList<quint16>{1, 2, 3}), hex("03 00 00 00 01 00 02 00 03 00"));
        QCOMPARE(enc(QList<quint16>{}), hex("00000000"));
        QVERIFY(roundTrips(QList<QString>{u"a"_s, QString(), u"ü"_s}));
        QVERIFY(roundTrips(std::vector<std::optional<qint64>>{1, std::nullopt, -1}));
        QVERIFY(roundTrips(QList<QList<bool>>{{true}, {}, {false, true}}));
        QVERIFY(roundTrips(QList<Unit>{Unit{}, Unit{}, Unit{}}));
        // A huge count with no data fails without allocating for it.
        const auto huge = fromBsatn<QList<quint64>>(hex("FFFFFFFF 01"));
        QVERIFY(!huge.hasValue());
        const auto shortArr = fromBsatn<QList<quint16>>(hex("03000000 0100 0200"));
        QVERIFY(!shortArr.hasValue());
        QCOMPARE(shortArr.error().offset(), qint64(8));
        const QByteArray input = hex("FFFFFFFF 00"); // the reader borrows it
        BsatnReader r(input);
        QCOMPARE(r.readArrayLength(1), 0u);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"exceeds"_s));
    }

    void scheduleAt() {
        const Timestamp t = Timestamp::fromMicros(1704067200000000);
        QCOMPARE(enc(ScheduleAt(TimeDuration::fromMicros(5000000))),
                 hex("00 40 4B 4C 00 00 00 00 00"));
        QCOMPARE(enc(ScheduleAt(t)), hex("01 00 20 21 10 D7 0D 06 00"));
        QVERIFY(roundTrips(ScheduleAt(t)));
        QVERIFY(roundTrips(ScheduleAt(TimeDuration::fromMillis(-1))));
        const auto bad = fromBsatn<ScheduleAt>(hex("02 0000000000000000"));
        QVERIFY(!bad.hasValue());
        QVERIFY(bad.error().message().contains(u"ScheduleAt"_s));
    }

    void identityHex() {
        const QString h = u"c2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e"_s;
        const QByteArray wire =
            hex("1E 1D 1C 1B 1A 19 18 17 16 15 14 13 12 11 10 0F 0E 0D 0C 0B 0A "
                "09 08 07 06 05 04 03 02 01 00 C2");
        bool ok = false;
        const Identity id = Identity::fromHex(h, &ok);
        QVERIFY(ok);
        QCOMPARE(enc(id), wire);
        QCOMPARE(id.toWireBytes(), wire);
        QCOMPARE(id.toHex(), h);
        QCOMPARE(id.toShortHex(), u"c200010203040506"_s);
        QCOMPARE(Identity::fromWireBytes(wire), id);
        QCOMPARE(fromBsatn<Identity>(wire).value(), id);
        QCOMPARE(Identity::fromHex(u"0x"_s + h, &ok), id);
        QVERIFY(ok);
        QCOMPARE(Identity::fromHex(h.toUpper(), &ok), id);
        QVERIFY(ok);
        // Minted identities start with c200: the last two wire bytes are 00 c2.
        QCOMPARE(wire.right(2), hex("00 C2"));

        Identity::fromHex(h.left(63), &ok);
        QVERIFY(!ok);
        Identity::fromHex(h + u"0"_s, &ok);
        QVERIFY(!ok);
        Identity::fromHex(QString(h).replace(0, 1, u'g'), &ok);
        QVERIFY(!ok);
        QVERIFY(Identity().isZero());
    }

    void connectionIdHex() {
        bool ok = false;
        const ConnectionId c = ConnectionId::fromHex(u"00112233445566778899aabbccddeeff"_s, &ok);
        QVERIFY(ok);
        QCOMPARE(enc(c), hex("FF EE DD CC BB AA 99 88 77 66 55 44 33 22 11 00"));
        QCOMPARE(c.toHex(), u"00112233445566778899aabbccddeeff"_s);
        QCOMPARE(fromBsatn<ConnectionId>(enc(c)).value(), c);
        ConnectionId::fromHex(u"0011"_s, &ok);
        QVERIFY(!ok);
        QVERIFY(ConnectionId().isZero());
        QVERIFY(!ConnectionId::random().isZero());
        QVERIFY(ConnectionId::random() != ConnectionId::random());
    }

    void uuidWireAndText() {
        // The u128 is the UUID read big-endian; the wire carries it little-endian (as the official
        // TypeScript SDK encodes `new Uuid(0x0123…3210n)`: tst_tsvectors checks against it).
        const Uuid u = Uuid::fromString(u"01234567-89ab-cdef-fedc-ba9876543210"_s).value();
        QCOMPARE(u.value(), U128::fromHex(u"0123456789abcdeffedcba9876543210"_s));
        QCOMPARE(enc(u), hex("10 32 54 76 98 BA DC FE EF CD AB 89 67 45 23 01"));
        QCOMPARE(fromBsatn<Uuid>(enc(u)).value(), u);
        QCOMPARE(u.toString(), u"01234567-89ab-cdef-fedc-ba9876543210"_s);
        const Uuid::Bytes bytes = u.toBytes();
        QCOMPARE(bytes[0], quint8(0x01));
        QCOMPARE(bytes[15], quint8(0x10));
        QCOMPARE(Uuid::fromBytes(bytes), u);
        QVERIFY(roundTrips(u));
        QVERIFY(roundTrips(std::optional<Uuid>(Uuid::max())));
        QVERIFY(!fromBsatn<Uuid>(hex("00 01 02")).hasValue()); // short input: an error
        QVERIFY(!fromBsatn<Uuid>(enc(u) + '\0').hasValue());   // trailing byte: an error

        QCOMPARE(Uuid().toString(), u"00000000-0000-0000-0000-000000000000"_s);
        QVERIFY(Uuid::nil().isNil());
        QCOMPARE(Uuid::max().toString(), u"ffffffff-ffff-ffff-ffff-ffffffffffff"_s);
        QCOMPARE(Uuid().version(), std::optional(Uuid::Version::Nil));
        QCOMPARE(Uuid::max().version(), std::optional(Uuid::Version::Max));
        QCOMPARE(u.version(), std::nullopt); // version nibble 0xc
        QCOMPARE(toQml(u), u"01234567-89ab-cdef-fedc-ba9876543210"_s);
        QString debug;
        QDebug(&debug).nospace() << u;
        QCOMPARE(debug, u"stdb::Uuid(01234567-89ab-cdef-fedc-ba9876543210)"_s);
        QCOMPARE(qHash(u, 7), qHash(Uuid(u.value()), 7));
        QCOMPARE(QVariant::fromValue(u).value<Uuid>(), u);
    }

    void uuidParsing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        // The shapes the server's Uuid::parse_str (the uuid crate) reads.
        QTest::newRow("hyphenated") << u"67e55044-10b1-426f-9247-bb680e5fe0c8"_s << true;
        QTest::newRow("upper case") << u"67E55044-10B1-426F-9247-BB680E5FE0C8"_s << true;
        QTest::newRow("simple") << u"67e5504410b1426f9247bb680e5fe0c8"_s << true;
        QTest::newRow("braced") << u"{67e55044-10b1-426f-9247-bb680e5fe0c8}"_s << true;
        QTest::newRow("urn") << u"urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("short") << u"67e55044-10b1-426f-9247-bb680e5fe0c"_s << false;
        QTest::newRow("long") << u"67e55044-10b1-426f-9247-bb680e5fe0c80"_s << false;
        QTest::newRow("hyphen moved") << u"67e5504-410b1-426f-9247-bb680e5fe0c8"_s << false;
        QTest::newRow("not hex") << u"67e55044-10b1-426f-9247-bb680e5fe0cg"_s << false;
        QTest::newRow("simple not hex") << u"67e5504410b1426f9247bb680e5fe0cz"_s << false;
        QTest::newRow("braces unclosed") << u"{67e55044-10b1-426f-9247-bb680e5fe0c8 "_s << false;
        QTest::newRow("urn upper") << u"URN:UUID:67e55044-10b1-426f-9247-bb680e5fe0c8"_s << false;
        QTest::newRow("braced simple") << u"{67e5504410b1426f9247bb680e5fe0c8}"_s << false;
        QTest::newRow("non-ASCII digit") << u"67e55044-10b1-426f-9247-bb680e5fe0c\u0663"_s << false;
        QTest::newRow("0x prefix") << u"0x67e5504410b1426f9247bb680e5fe0c8"_s << false;
    }
    void uuidParsing() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const Expected<Uuid> u = Uuid::fromString(text);
        QCOMPARE(u.hasValue(), valid);
        if (valid) {
            QCOMPARE(u->toString(), u"67e55044-10b1-426f-9247-bb680e5fe0c8"_s);
        } else {
            QCOMPARE(u.error().kind(), Error::Kind::InvalidArgument);
            QVERIFY2(u.error().message().contains(u'"' + text + u'"'),
                     qPrintable(u.error().message()));
        }
    }

    void uuidOrdering() {
        // The u128's order: the UUID's bytes compared from the first, so also the server's.
        const QList<Uuid> ascending{
            Uuid(),
            Uuid(U128::fromUInt64(1)),
            Uuid(U128::fromUInt64(2)),
            Uuid::fromString(u"00000000-0000-0001-0000-000000000000"_s).value(),
            Uuid::fromString(u"7fffffff-ffff-ffff-ffff-ffffffffffff"_s).value(),
            Uuid::fromString(u"80000000-0000-0000-0000-000000000000"_s).value(),
            Uuid::max()};
        for (qsizetype i = 0; i + 1 < ascending.size(); ++i) {
            QVERIFY(ascending[i] < ascending[i + 1]);
            QVERIFY(ascending[i] != ascending[i + 1]);
            QVERIFY(ascending[i].toString() < ascending[i + 1].toString());
            QByteArray a, b; // the cache's ordered index keys sort the same way
            orderkey::append(a, ascending[i]);
            orderkey::append(b, ascending[i + 1]);
            QVERIFY(
                std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                             [](char x, char y) { return quint8(x) < quint8(y); }));
        }
    }

    void uuidV4() {
        // The bytes of sats' documented example, and those tst_tsvectors has the official
        // TypeScript SDK's fromRandomBytesV4 build ("uuid/v4": f0 ^ (i * 37)).
        QCOMPARE(Uuid::fromRandomBytesV4({}).toString(), u"00000000-0000-4000-8000-000000000000"_s);
        Uuid::Bytes r;
        for (int i = 0; i < 16; ++i)
            r[i] = quint8(0xf0 ^ quint8(i * 37));
        const Uuid v4 = Uuid::fromRandomBytesV4(r);
        QCOMPARE(v4.toString(), u"f0d5ba9f-6449-4ef3-98bd-82674c11f6db"_s);
        QCOMPARE(v4.version(), std::optional(Uuid::Version::V4));
        QCOMPARE(v4.variant(), Uuid::Variant::Rfc4122);
        const Uuid a = Uuid::createV4();
        QCOMPARE(a.version(), std::optional(Uuid::Version::V4));
        QCOMPARE(a.variant(), Uuid::Variant::Rfc4122);
        QVERIFY(a != Uuid::createV4());
    }

    void uuidV7() {
        // sats' documented example (and the official TypeScript SDK's: tst_tsvectors "uuid/v7").
        quint32 counter = 1;
        const Timestamp t = Timestamp::fromMicros(1'686'000'000'000);
        const Expected<Uuid> u = Uuid::fromCounterV7(counter, t, {0, 0, 0, 0});
        QVERIFY(u.hasValue());
        QCOMPARE(u->toString(), u"0000647e-5180-7000-8000-000200000000"_s);
        QCOMPARE(counter, 2u);
        QCOMPARE(u->version(), std::optional(Uuid::Version::V7));
        QCOMPARE(u->variant(), Uuid::Variant::Rfc4122);
        QCOMPARE(u->counterV7(), 1u);
        // Random bits: 31 of them (the top bit of the first byte is dropped).
        const Uuid r = Uuid::fromCounterV7(counter, t, {0xff, 0xfe, 0xfd, 0xfc}).value();
        QCOMPARE(r.toString(), u"0000647e-5180-7000-8000-00047ffefdfc"_s);
        QCOMPARE(r.counterV7(), 2u);
        QVERIFY(*u < r);
        // The counter wraps at 2^31 (and a full u32 goes back to 0 as in sats).
        counter = 0x7fffffff;
        const Uuid last = Uuid::fromCounterV7(counter, t, {}).value();
        QCOMPARE(last.counterV7(), 0x7fffffffu);
        QCOMPARE(counter, 0u);
        counter = 0xffffffff;
        QVERIFY(Uuid::fromCounterV7(counter, t, {}).hasValue());
        QCOMPARE(counter, 0u);
        // Later times sort later, whatever the counter.
        counter = 5;
        const Uuid later =
            Uuid::fromCounterV7(counter, t + TimeDuration::fromMillis(1), {}).value();
        QVERIFY(last < later);
        // Before the epoch: an error, not a panic, and the counter is untouched.
        counter = 9;
        const Expected<Uuid> bad = Uuid::fromCounterV7(counter, Timestamp::fromMicros(-1), {});
        QVERIFY(!bad.hasValue());
        QCOMPARE(bad.error().kind(), Error::Kind::InvalidArgument);
        QCOMPARE(counter, 9u);
        // With the system's random bytes and clock.
        quint32 c = 0;
        const Uuid n1 = Uuid::createV7(c).value();
        const Uuid n2 = Uuid::createV7(c).value();
        QCOMPARE(n1.version(), std::optional(Uuid::Version::V7));
        QCOMPARE(c, 2u);
        QCOMPARE(n2.counterV7(), 1u);
    }

    void timestamps() {
        const Timestamp t = Timestamp::fromMicros(1704067200000000);
        QCOMPARE(enc(t), hex("00 20 21 10 D7 0D 06 00"));
        QCOMPARE(t.toDateTime(), QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::utc()));
        QCOMPARE(
            Timestamp::fromDateTime(QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::utc())),
            t);
        QCOMPARE(t.toIso8601(), u"2024-01-01T00:00:00.000000Z"_s);

        const Timestamp precise = Timestamp::fromMicros(1704067200123456);
        QCOMPARE(precise.toIso8601(), u"2024-01-01T00:00:00.123456Z"_s);
        bool ok = false;
        QCOMPARE(Timestamp::fromIso8601(precise.toIso8601(), &ok), precise);
        QVERIFY(ok);
        QCOMPARE(Timestamp::fromIso8601(u"2024-01-01T00:00:00Z"_s, &ok), t);
        QVERIFY(ok);
        QCOMPARE(Timestamp::fromIso8601(u"2024-01-01T00:00:00.5Z"_s, &ok).micros(),
                 t.micros() + 500000);
        Timestamp::fromIso8601(u"not a date"_s, &ok);
        QVERIFY(!ok);
        // QDateTime keeps milliseconds only.
        QCOMPARE(precise.toDateTime().toMSecsSinceEpoch(), 1704067200123LL);

        // Before the epoch: floor towards -inf.
        const Timestamp before = Timestamp::fromMicros(-1);
        QCOMPARE(before.toIso8601(), u"1969-12-31T23:59:59.999999Z"_s);
        QCOMPARE(before.toDateTime().toMSecsSinceEpoch(), -1LL);
        QCOMPARE(Timestamp::fromIso8601(before.toIso8601(), &ok), before);
        QVERIFY(ok);
        QCOMPARE(enc(before), QByteArray(8, '\xff'));

        QCOMPARE(enc(TimeDuration::fromMicros(5000000)), hex("404B4C0000000000"));
        QCOMPARE((t + TimeDuration::fromMillis(1)).micros(), t.micros() + 1000);
        QCOMPARE((precise - t).micros(), 123456);
        QVERIFY(roundTrips(Timestamp::fromMicros(std::numeric_limits<qint64>::min())));
    }

    // The server stamps in microseconds; so do we (the development host and the outbox use
    // now()). A millisecond clock would give only multiples of 1000: 200 of them in a row
    // from a microsecond clock have a chance of 1e-600.
    void nowHasMicrosecondResolution() {
        bool finer = false;
        for (int i = 0; i < 200 && !finer; ++i)
            finer = Timestamp::now().micros() % 1000 != 0;
        QVERIFY(finer);
        const QDateTime wall = QDateTime::currentDateTimeUtc();
        QVERIFY(qAbs(Timestamp::now().toDateTime().msecsTo(wall)) < 60 * 1000);
    }
};

QTEST_GUILESS_MAIN(TestBsatn)
#include "tst_bsatn.moc"
