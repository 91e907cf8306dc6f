// SPDX-License-Identifier: Apache-2.0
// The v2/v3 message codec: the spec's byte examples, round trips of every message, and
// malformed input (truncation at every byte, bad tags, oversized lengths, bad row lists).

#include "samplemessages.h"

#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/protocol/messagecodec.h"

#include <QTest>

using namespace stdb;
using namespace stdb::protocol;
using namespace stdb::testing;
using namespace Qt::StringLiterals;

namespace {

// Hex with optional spaces, as the spec writes it.
QByteArray hex(const char *text) {
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

QByteArray tsBytes() {
    return hex("00 20 21 10 D7 0D 06 00");
}

// Body of a SubscribeApplied with one table "t" whose row list is `rowList` (raw bytes).
// The row list starts at byte 18.
QByteArray subscribeAppliedWithRowList(const QByteArray &rowList) {
    return hex("01 01000000 01000000 01000000 01000000 74") + rowList;
}
constexpr qsizetype kRowListAt = 18;

template <typename M>
QString describe(const M &m) {
    return messageName(m);
}

} // namespace

class TestProtocol : public QObject {
    Q_OBJECT

private slots:
    // ---- the spec's exact bytes (§1.7 items 6-8) ----
    void exactCallReducer() {
        const CallReducer m{7, 0, u"set_name"_s, hex("03000000 426F62")};
        const QByteArray expected = hex("03 07000000 00 08000000 7365745F6E616D65"
                                        "07000000 03000000 426F62");
        QCOMPARE(expected.size(), 29);
        QCOMPARE(encodeClientMessage(m), expected);
        const auto back = decodeClientMessage(expected);
        QVERIFY2(back.hasValue(), qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(std::get<CallReducer>(*back), m);
    }

    void exactOtherClientMessages() {
        const QByteArray subscribe = hex("00 01000000 01000000 01000000 12000000"
                                         "53454C454354202A2046524F4D2075736572");
        QCOMPARE(subscribe.size(), 35);
        QCOMPARE(encodeClientMessage(Subscribe{1, 1, {u"SELECT * FROM user"_s}}), subscribe);

        const QByteArray unsubscribe = hex("01 02000000 01000000 01");
        QCOMPARE(unsubscribe.size(), 10);
        QCOMPARE(encodeClientMessage(Unsubscribe{2, 1, UnsubscribeFlags::SendDroppedRows}),
                 unsubscribe);

        const QByteArray oneOff = encodeClientMessage(OneOffQuery{3, u"SELECT * FROM message"_s});
        QVERIFY(oneOff.startsWith(hex("02 03000000 15000000 53454C")));
        QCOMPARE(oneOff.size(), 1 + 4 + 4 + 0x15);

        for (const QByteArray &bytes : {subscribe, unsubscribe, oneOff}) {
            const auto m = decodeClientMessage(bytes);
            QVERIFY(m.hasValue());
            QCOMPARE(encodeClientMessage(*m), bytes);
        }
    }

    void exactTransactionUpdateFrame() {
        const Identity x = exampleIdentity();
        QCOMPARE(x.toWireBytes(), hex("1E 1D 1C 1B 1A 19 18 17 16 15 14 13 12 11 10 0F 0E 0D 0C "
                                      "0B 0A 09 08 07 06 05 04 03 02 01 00 C2"));
        const QByteArray newRow = x.toWireBytes() + hex("00 03000000 426F62 01");
        const QByteArray oldRow = x.toWireBytes() + hex("01 01");
        QCOMPARE(newRow.size(), 41);
        QCOMPARE(oldRow.size(), 34);
        QCOMPARE(userRow(x, u"Bob"_s, true), newRow);
        QCOMPARE(userRow(x, std::nullopt, true), oldRow);

        TransactionUpdate u;
        u.querySets.append(QuerySetUpdate{
            1,
            {TableUpdate{
                u"user"_s,
                {PersistentTableRows{RowList::fromRows({newRow}), RowList::fromRows({oldRow})}}}}});

        const QByteArray expected = hex("00 04 01000000 01000000 01000000 04000000 75736572"
                                        "01000000 00 0029 00 29000000") +
                                    newRow + hex("00 2200 22000000") + oldRow;
        QCOMPARE(expected.size(), 116);
        QCOMPARE(encodeServerFrame(encodeServerMessage(u), Compression::None), expected);
        // Below the threshold the server sends tag 0 even when compression was requested.
        QCOMPARE(encodeServerFrame(encodeServerMessage(u), Compression::Gzip), expected);
        QCOMPARE(encodeServerFrame(encodeServerMessage(u), Compression::Brotli), expected);

        const auto decoded = decodeServerFrame(expected);
        QVERIFY2(decoded.hasValue(), qPrintable(decoded ? QString() : decoded.error().toString()));
        const auto &tu = std::get<TransactionUpdate>(*decoded);
        QCOMPARE(tu, u);
        const auto &rows = std::get<PersistentTableRows>(tu.querySets[0].tables[0].rows[0]);
        QCOMPARE(rows.inserts.hint(), RowList::Hint::FixedSize);
        QCOMPARE(rows.inserts.fixedSize(), quint16(41));
        QCOMPARE(rows.inserts.rowCount(), 1);
        QCOMPARE(rows.inserts.row(0).toByteArray(), newRow);
        QCOMPARE(rows.deletes.row(0).toByteArray(), oldRow);
    }

    void exactSmallServerMessages() {
        const QByteArray ic = encodeServerMessage(
            InitialConnection{exampleIdentity(), exampleConnectionId(), u"eyJ"_s});
        QCOMPARE(ic.size(), 56);
        QCOMPARE(ic, hex("00") + exampleIdentity().toWireBytes() +
                         hex("FF EE DD CC BB AA 99 88 77 66 55 44 33 22 11 00") +
                         hex("03000000 65794A"));

        // Empty BsatnRowList: RowOffsets, zero offsets, zero data bytes.
        const QByteArray withEmpty =
            encodeServerMessage(SubscribeApplied{1, 1, QueryRows{{SingleTableRows{u"t"_s, {}}}}});
        QCOMPARE(withEmpty.mid(kRowListAt), hex("01 00000000 00000000"));
        QCOMPARE(encodeServerMessage(SubscribeApplied{
                     1, 1, QueryRows{{SingleTableRows{u"t"_s, RowList::fromRows({})}}}}),
                 withEmpty);

        const QByteArray okEmpty =
            encodeServerMessage(ReducerResult{7, exampleTimestamp(), ReducerOkEmpty{}});
        QCOMPARE(okEmpty, hex("06 07000000 00 20 21 10 D7 0D 06 00 01"));
        QCOMPARE(okEmpty.size(), 14);

        BsatnWriter err;
        err.writeString(u"Names must not be empty"_s);
        const QByteArray errMsg =
            encodeServerMessage(ReducerResult{7, exampleTimestamp(), ReducerErr{err.take()}});
        QVERIFY(errMsg.startsWith(hex("06 07000000") + tsBytes() +
                                  hex("02 1B000000 17000000 4E616D65")));
        QCOMPARE(errMsg.size(), 1 + 4 + 8 + 1 + 4 + 27);

        const QByteArray subErr = encodeServerMessage(SubscriptionError{std::nullopt, 9, u"x"_s});
        QCOMPARE(subErr, hex("03 01 09000000 01000000 78"));

        for (const QByteArray &body : {ic, withEmpty, okEmpty, errMsg, subErr}) {
            const auto m = decodeServerMessage(body);
            QVERIFY2(m.hasValue(), qPrintable(m ? QString() : m.error().toString()));
            QCOMPARE(encodeServerMessage(*m), body);
        }
        const auto e = decodeServerMessage(errMsg);
        QCOMPARE(std::get<ReducerErr>(std::get<ReducerResult>(*e).result).message(),
                 u"Names must not be empty"_s);
        const auto se = std::get<SubscriptionError>(*decodeServerMessage(subErr));
        QVERIFY(!se.requestId.has_value());
        QCOMPARE(se.querySetId, 9u);
    }

    void subscriptionErrorWithRequestId() {
        const QByteArray b = encodeServerMessage(SubscriptionError{0x01020304, 9, u"x"_s});
        QCOMPARE(b, hex("03 00 04030201 09000000 01000000 78"));
    }

    void procedureResultFieldOrder() {
        const QByteArray b = encodeServerMessage(ProcedureResult{
            ProcedureReturned{hex("AABB")}, exampleTimestamp(), TimeDuration::fromMicros(5), 42});
        QCOMPARE(b, hex("07 00 02000000 AABB") + tsBytes() + hex("0500000000000000 2A000000"));
        const QByteArray ie = encodeServerMessage(ProcedureResult{
            ProcedureInternalError{u"no"_s}, exampleTimestamp(), TimeDuration::fromMicros(0), 1});
        QCOMPARE(ie, hex("07 01 02000000 6E6F") + tsBytes() + hex("0000000000000000 01000000"));
    }

    // ---- round trips ----
    void roundTripClient_data() {
        QTest::addColumn<int>("index");
        const auto all = sampleClientMessages();
        for (int i = 0; i < all.size(); ++i)
            QTest::addRow("%d %s", i, qPrintable(describe(all[i]))) << i;
    }
    void roundTripClient() {
        QFETCH(int, index);
        const ClientMessage m = sampleClientMessages().at(index);
        const QByteArray bytes = encodeClientMessage(m);
        const auto back = decodeClientMessage(bytes);
        QVERIFY2(back.hasValue(), qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(back->index(), m.index());
        QVERIFY(*back == m);
        QCOMPARE(encodeClientMessage(*back), bytes);
        QCOMPARE(messageName(*back), messageName(m));
    }

    void roundTripServer_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("compression");
        const auto all = sampleServerMessages();
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < all.size(); ++i)
                QTest::addRow("%d %s %s", i, qPrintable(describe(all[i])),
                              qPrintable(compressionName(Compression(c))))
                    << i << c;
    }
    void roundTripServer() {
        QFETCH(int, index);
        QFETCH(int, compression);
        const ServerMessage m = sampleServerMessages().at(index);
        const QByteArray body = encodeServerMessage(m);
        const auto back = decodeServerMessage(body);
        QVERIFY2(back.hasValue(), qPrintable(back ? QString() : back.error().toString()));
        QVERIFY(*back == m);
        QCOMPARE(encodeServerMessage(*back), body);

        // Whole frames, forced through the compressor with threshold 0.
        const QByteArray frame = encodeServerFrame(body, Compression(compression), 0);
        QCOMPARE(quint8(frame[0]), quint8(compression));
        Compression tag = Compression::None;
        const auto unwrapped = unwrapServerFrame(frame, {}, &tag);
        QVERIFY(unwrapped.hasValue());
        QCOMPARE(*unwrapped, body);
        QCOMPARE(tag, Compression(compression));
        const auto fromFrame = decodeServerFrame(frame);
        QVERIFY2(fromFrame.hasValue(),
                 qPrintable(fromFrame ? QString() : fromFrame.error().toString()));
        QVERIFY(*fromFrame == m);
        const auto v3 = decodeServerFrameV3(frame);
        QVERIFY(v3.hasValue());
        QCOMPARE(v3->size(), 1);
        QVERIFY(v3->first() == m);
    }

    void largeMessageRoundTrip() {
        const ServerMessage m = largeSubscribeApplied(20000, 1000);
        const QByteArray body = encodeServerMessage(m);
        for (Compression c : {Compression::None, Compression::Gzip, Compression::Brotli}) {
            const QByteArray frame = encodeServerFrame(body, c);
            QCOMPARE(quint8(frame[0]), quint8(c)); // above the threshold: compressed
            const auto back = decodeServerFrame(frame);
            QVERIFY(back.hasValue());
            const auto &sa = std::get<SubscribeApplied>(*back);
            QCOMPARE(sa.rows.tables.size(), 2);
            QCOMPARE(sa.rows.tables[0].rows.rowCount(), 20000);
            QCOMPARE(sa.rows.tables[1].rows.rowCount(), 1000);
            QVERIFY(*back == m);
        }
    }

    // ---- truncation: every prefix of a valid message is an error, never a crash ----
    void truncatedClientMessages() {
        for (const ClientMessage &m : sampleClientMessages()) {
            const QByteArray bytes = encodeClientMessage(m);
            for (qsizetype len = 0; len < bytes.size(); ++len) {
                const QByteArray prefix = bytes.left(len);
                const auto r = decodeClientMessage(prefix);
                QVERIFY2(!r.hasValue(), qPrintable(u"%1 cut at %2"_s.arg(messageName(m)).arg(len)));
                QCOMPARE(r.error().kind(), Error::Kind::Decode);
                QVERIFY(r.error().offset() >= 0 && r.error().offset() <= len);
            }
        }
    }

    void truncatedServerMessages() {
        for (const ServerMessage &m : sampleServerMessages()) {
            const QByteArray body = encodeServerMessage(m);
            for (qsizetype len = 0; len < body.size(); ++len) {
                const QByteArray prefix = body.left(len);
                const auto r = decodeServerMessage(prefix);
                QVERIFY2(!r.hasValue(), qPrintable(u"%1 cut at %2"_s.arg(messageName(m)).arg(len)));
                QCOMPARE(r.error().kind(), Error::Kind::Decode);
                QVERIFY2(r.error().offset() >= 0 && r.error().offset() <= len,
                         qPrintable(r.error().toString()));
                // The same through a frame (tag 0) and the v3 decoder.
                const auto f = decodeServerFrame(QByteArray(1, '\0') + prefix);
                QVERIFY(!f.hasValue());
                const auto v3 = decodeServerMessagesV3(prefix);
                QVERIFY(!v3.hasValue());
            }
        }
    }

    void truncatedCompressedFrames() {
        for (const ServerMessage &m : sampleServerMessages()) {
            const QByteArray body = encodeServerMessage(m);
            for (Compression c : {Compression::Gzip, Compression::Brotli}) {
                const QByteArray frame = encodeServerFrame(body, c, 0);
                for (qsizetype len = 0; len < frame.size(); ++len)
                    QVERIFY2(
                        !decodeServerFrame(frame.left(len)).hasValue(),
                        qPrintable(
                            u"%1 %2 cut at %3"_s.arg(messageName(m), compressionName(c)).arg(len)));
            }
        }
    }

    // ---- malformed input ----
    void badInput_data() {
        QTest::addColumn<bool>("server");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QString>("mentions");

        // tags
        QTest::newRow("server tag 8") << true << hex("08") << qint64(0) << u"ServerMessage"_s;
        QTest::newRow("server tag ff") << true << hex("FF 00") << qint64(0) << u"0xff"_s;
        QTest::newRow("client tag 5")
            << false << hex("05 00000000") << qint64(0) << u"ClientMessage"_s;
        QTest::newRow("RowSizeHint tag 2")
            << true << subscribeAppliedWithRowList(hex("02 0000 00000000")) << qint64(kRowListAt)
            << u"RowSizeHint"_s;
        QTest::newRow("UnsubscribeApplied option tag 2")
            << true << hex("02 03000000 01000000 02") << qint64(9) << u"Option"_s;
        QTest::newRow("SubscriptionError option tag 2")
            << true << hex("03 02 01000000 01000000 78") << qint64(1) << u"Option"_s;
        QTest::newRow("OneOffQueryResult result tag 2")
            << true << hex("05 01000000 02") << qint64(5) << u"Result"_s;
        QTest::newRow("ReducerOutcome tag 4") << true << hex("06 07000000") + tsBytes() + hex("04")
                                              << qint64(13) << u"ReducerOutcome"_s;
        QTest::newRow("ProcedureStatus tag 2")
            << true << hex("07 02 00000000") << qint64(1) << u"ProcedureStatus"_s;
        QTest::newRow("TableUpdateRows tag 2")
            << true << hex("04 01000000 01000000 01000000 01000000 74 01000000 02 0000000000000000")
            << qint64(22) << u"TableUpdateRows"_s;
        QTest::newRow("UnsubscribeFlags 2")
            << false << hex("01 02000000 01000000 02") << qint64(9) << u"UnsubscribeFlags"_s;
        QTest::newRow("CallReducer flags 1")
            << false << hex("03 07000000 01 01000000 78 00000000") << qint64(5) << u"flags"_s;
        QTest::newRow("CallProcedure flags 2")
            << false << hex("04 07000000 02 01000000 78 00000000") << qint64(5) << u"flags"_s;

        // UTF-8
        QTest::newRow("token not UTF-8") << true
                                         << hex("00") + exampleIdentity().toWireBytes() +
                                                QByteArray(16, '\1') + hex("03000000 FFFEFD")
                                         << qint64(53) << u"UTF-8"_s;
        QTest::newRow("query surrogate")
            << false << hex("02 01000000 03000000 EDA080") << qint64(9) << u"UTF-8"_s;

        // oversized lengths: rejected before allocating
        QTest::newRow("string length ffffffff")
            << false << hex("02 01000000 FFFFFFFF 41") << qint64(5) << u"exceeds"_s;
        QTest::newRow("query_strings count ffffffff")
            << false << hex("00 01000000 01000000 FFFFFFFF 00000000") << qint64(9) << u"exceeds"_s;
        QTest::newRow("args length one too many")
            << false << hex("03 01000000 00 01000000 78 04000000 616263") << qint64(11)
            << u"exceeds"_s;
        QTest::newRow("query_sets count ffffffff")
            << true << hex("04 FFFFFFFF") << qint64(1) << u"exceeds"_s;
        QTest::newRow("tables count ffffffff")
            << true << hex("01 01000000 01000000 FFFFFFFF") << qint64(9) << u"exceeds"_s;
        QTest::newRow("offsets count ffffffff")
            << true << subscribeAppliedWithRowList(hex("01 FFFFFFFF 00000000"))
            << qint64(kRowListAt + 1) << u"exceeds"_s;
        QTest::newRow("offsets count 2 with 1 offset")
            << true << subscribeAppliedWithRowList(hex("01 02000000 0000000000000000"))
            << qint64(kRowListAt + 1) << u"exceeds"_s;
        QTest::newRow("rows_data length ffffffff")
            << true << subscribeAppliedWithRowList(hex("00 0100 FFFFFFFF 00"))
            << qint64(kRowListAt + 3) << u"exceeds"_s;

        // row list validation
        QTest::newRow("FixedSize(0) with data")
            << true << subscribeAppliedWithRowList(hex("00 0000 03000000 616263"))
            << qint64(kRowListAt) << u"FixedSize(0)"_s;
        QTest::newRow("FixedSize not a multiple")
            << true << subscribeAppliedWithRowList(hex("00 0400 06000000 616263646566"))
            << qint64(kRowListAt) << u"multiple"_s;
        QTest::newRow("offset beyond data")
            << true
            << subscribeAppliedWithRowList(
                   hex("01 02000000 0000000000000000 0600000000000000 05000000 6162636465"))
            << qint64(kRowListAt + 5 + 8) << u"beyond"_s;
        QTest::newRow("offset huge")
            << true
            << subscribeAppliedWithRowList(hex("01 01000000 FFFFFFFFFFFFFFFF 05000000 6162636465"))
            << qint64(kRowListAt + 5) << u"beyond"_s;
        QTest::newRow("offsets decreasing")
            << true
            << subscribeAppliedWithRowList(
                   hex("01 02000000 0300000000000000 0100000000000000 05000000 6162636465"))
            << qint64(kRowListAt + 5 + 8) << u"below"_s;

        // trailing bytes after one v2 message
        QTest::newRow("server trailing byte")
            << true << hex("03 01 09000000 01000000 78 00") << qint64(11) << u"trailing"_s;
        QTest::newRow("client trailing byte")
            << false << hex("01 02000000 01000000 01 01") << qint64(10) << u"trailing"_s;
    }
    void badInput() {
        QFETCH(bool, server);
        QFETCH(QByteArray, bytes);
        QFETCH(qint64, offset);
        QFETCH(QString, mentions);
        const Error e =
            server ? decodeServerMessage(bytes).error() : decodeClientMessage(bytes).error();
        QVERIFY(e.isError());
        QCOMPARE(e.kind(), Error::Kind::Decode);
        QVERIFY2(e.message().contains(mentions, Qt::CaseInsensitive), qPrintable(e.toString()));
        QCOMPARE(e.offset(), offset);
        QVERIFY(e.toString().contains(u"at byte %1"_s.arg(offset)));
        if (server) {
            // Through a frame the offset stays relative to the message body.
            const auto f = decodeServerFrame(QByteArray(1, '\0') + bytes);
            QVERIFY(!f.hasValue());
            QCOMPARE(f.error().offset(), offset);
        }
    }

    void validEdgeRowLists() {
        // FixedSize(0) with no data is an empty list, not an error.
        auto r = decodeServerMessage(subscribeAppliedWithRowList(hex("00 0000 00000000")));
        QVERIFY(r.hasValue());
        QCOMPARE(std::get<SubscribeApplied>(*r).rows.tables[0].rows.rowCount(), 0);

        // An offset equal to the data length (an empty last row) is fine.
        r = decodeServerMessage(subscribeAppliedWithRowList(
            hex("01 02000000 0000000000000000 0500000000000000 05000000 6162636465")));
        QVERIFY2(r.hasValue(), qPrintable(r ? QString() : r.error().toString()));
        const RowList &l = std::get<SubscribeApplied>(*r).rows.tables[0].rows;
        QCOMPARE(l.rowCount(), 2);
        QCOMPARE(l.row(0).toByteArray(), QByteArray("abcde"));
        QCOMPARE(l.row(1).size(), 0);
        QCOMPARE(l.offset(1), quint64(5));
        QCOMPARE(l.row(2).size(), 0); // out of range: empty, no crash
        QCOMPARE(l.row(-1).size(), 0);

        // Several rows with FixedSize
        r = decodeServerMessage(subscribeAppliedWithRowList(hex("00 0200 06000000 616263646566")));
        QVERIFY(r.hasValue());
        const RowList &f = std::get<SubscribeApplied>(*r).rows.tables[0].rows;
        QCOMPARE(f.rows(), (QList<QByteArray>{"ab", "cd", "ef"}));
    }

    // ---- row lists ----
    void rowListPacking() {
        const RowList empty = RowList::fromRows({});
        QCOMPARE(empty.hint(), RowList::Hint::RowOffsets);
        QCOMPARE(empty.rowCount(), 0);
        QVERIFY(empty == RowList());

        const RowList fixed = RowList::fromRows({"abc", "def"});
        QCOMPARE(fixed.hint(), RowList::Hint::FixedSize);
        QCOMPARE(fixed.fixedSize(), quint16(3));
        QCOMPARE(fixed.rows(), (QList<QByteArray>{"abc", "def"}));

        const RowList varying = RowList::fromRows({"abc", "de", ""});
        QCOMPARE(varying.hint(), RowList::Hint::RowOffsets);
        QCOMPARE(varying.rows(), (QList<QByteArray>{"abc", "de", ""}));
        QCOMPARE(varying.offset(2), quint64(5));

        const RowList zeroSized = RowList::fromRows({"", ""});
        QCOMPARE(zeroSized.hint(), RowList::Hint::RowOffsets);
        QCOMPARE(zeroSized.rowCount(), 2);

        const QByteArray big(65535, 'x');
        QCOMPARE(RowList::fromRows({big, big}).hint(), RowList::Hint::FixedSize);
        const QByteArray tooBig(65536, 'x');
        const RowList huge = RowList::fromRows({tooBig});
        QCOMPARE(huge.hint(), RowList::Hint::RowOffsets);
        QCOMPARE(huge.row(0).size(), 65536);

        // Same rows, different hint: not equal (the hint is part of the wire form).
        QVERIFY(!(RowList::fromRowsWithOffsets({"abc", "def"}) == fixed));
        QCOMPARE(RowList::fromRowsWithOffsets({"abc", "def"}).rows(), fixed.rows());
        QVERIFY(RowList::fromFixedSize(3, "abcdef") == fixed);
    }

    void zeroCopyRows() {
        const ServerMessage m = sampleServerMessages().at(1); // SubscribeApplied
        const QByteArray frame = encodeServerFrame(encodeServerMessage(m), Compression::None);
        const auto d = decodeServerFrame(frame);
        QVERIFY(d.hasValue());
        const auto &tables = std::get<SubscribeApplied>(*d).rows.tables;
        for (const SingleTableRows &t : tables) {
            for (qsizetype i = 0; i < t.rows.rowCount(); ++i) {
                const char *p = t.rows.row(i).data();
                QVERIFY(p >= frame.constData() && p <= frame.constData() + frame.size());
            }
        }
        // The decoded list keeps the buffer alive on its own.
        RowList kept;
        {
            QByteArray body = encodeServerMessage(m);
            kept = std::get<SubscribeApplied>(*decodeServerMessage(body)).rows.tables[0].rows;
            body.fill('\0'); // detaches: the list still sees the original bytes
        }
        QCOMPARE(kept.rows(), std::get<SubscribeApplied>(m).rows.tables[0].rows.rows());
    }

    // ---- v3 framing ----
    void v3Client() {
        const auto all = sampleClientMessages();
        const QByteArray payload = encodeClientMessagesV3(all);
        const auto back = decodeClientMessagesV3(payload);
        QVERIFY(back.hasValue());
        QVERIFY(*back == all);

        QVERIFY(!decodeClientMessagesV3({}).hasValue());
        QVERIFY(!decodeClientMessage(payload).hasValue()); // v2: one message only

        // Cuts at message boundaries give fewer messages; anywhere else is an error.
        QList<qsizetype> boundaries{0};
        for (const ClientMessage &m : all)
            boundaries.append(boundaries.last() + encodeClientMessage(m).size());
        for (qsizetype len = 1; len < payload.size(); ++len) {
            const auto r = decodeClientMessagesV3(payload.left(len));
            const qsizetype n = boundaries.indexOf(len);
            if (n > 0) {
                QVERIFY(r.hasValue());
                QCOMPARE(r->size(), n);
            } else {
                QVERIFY(!r.hasValue());
                QVERIFY(r.error().offset() >= 0 && r.error().offset() <= len);
            }
        }
    }

    void v3Server() {
        const auto all = sampleServerMessages();
        QByteArray body;
        for (const ServerMessage &m : all)
            body += encodeServerMessage(m);
        const auto back = decodeServerMessagesV3(body);
        QVERIFY(back.hasValue());
        QVERIFY(*back == all);
        QVERIFY(!decodeServerMessage(body).hasValue()); // v2 rejects the extra messages

        for (Compression c : {Compression::None, Compression::Gzip, Compression::Brotli}) {
            const auto f = decodeServerFrameV3(encodeServerFrame(body, c));
            QVERIFY(f.hasValue());
            QVERIFY(*f == all);
        }

        QVERIFY(!decodeServerMessagesV3({}).hasValue());
        QVERIFY(!decodeServerFrameV3(hex("00")).hasValue()); // tag, empty body
        QVERIFY(!decodeServerFrameV3({}).hasValue());
        // A complete message followed by half of one.
        const QByteArray first = encodeServerMessage(all[0]);
        const auto partial = decodeServerMessagesV3(body.left(first.size() + 3));
        QVERIFY(!partial.hasValue());
        QVERIFY(partial.error().offset() >= first.size());
    }

    // ---- odds and ends ----
    void reducerErrMessage() {
        BsatnWriter w;
        w.writeString(u"Name too long: ✗"_s);
        QCOMPARE(ReducerErr{w.take()}.message(), u"Name too long: ✗"_s);
        // Not a BSATN string but UTF-8: shown as is.
        QCOMPARE(ReducerErr{"plain"}.message(), u"plain"_s);
        // Binary: something readable, never empty.
        QVERIFY(!ReducerErr{hex("FF00FF")}.message().isEmpty());
        QVERIFY(ReducerErr{}.message().isEmpty()); // empty payload: nothing to say, no crash
    }

    void messageNames() {
        QCOMPARE(messageName(ClientMessage(Subscribe{})), u"Subscribe"_s);
        QCOMPARE(messageName(ClientMessage(CallProcedure{})), u"CallProcedure"_s);
        QCOMPARE(messageName(ServerMessage(InitialConnection{})), u"InitialConnection"_s);
        QCOMPARE(messageName(ServerMessage(TransactionUpdate{})), u"TransactionUpdate"_s);
        QCOMPARE(messageName(ServerMessage(ProcedureResult{})), u"ProcedureResult"_s);
        const QStringList server{u"InitialConnection"_s,  u"SubscribeApplied"_s,
                                 u"UnsubscribeApplied"_s, u"SubscriptionError"_s,
                                 u"TransactionUpdate"_s,  u"OneOffQueryResult"_s,
                                 u"ReducerResult"_s,      u"ProcedureResult"_s};
        QStringList seen;
        for (const ServerMessage &m : sampleServerMessages())
            if (!seen.contains(messageName(m)))
                seen.append(messageName(m));
        QCOMPARE(seen, server);
    }

    void errorNamesTheMessage() {
        const auto r = decodeServerMessage(hex("06 07000000"));
        QVERIFY(!r.hasValue());
        QVERIFY2(r.error().message().contains(u"ReducerResult"_s),
                 qPrintable(r.error().toString()));
        QCOMPARE(r.error().offset(), qint64(5));
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
