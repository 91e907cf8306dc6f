// SPDX-License-Identifier: Apache-2.0
// Frame compression: gzip (RFC 1952) and Brotli round trips, corrupt and truncated streams,
// trailing garbage, decompression bombs against the size cap, and the frame tag helpers.

#include "spacetime/compression.h"
#include "spacetime/protocol/messagecodec.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace stdb;
using namespace stdb::protocol;
using namespace Qt::StringLiterals;

namespace {

QByteArray randomBytes(qsizetype n, quint32 seed) {
    QRandomGenerator rng(seed);
    QByteArray b(n, Qt::Uninitialized);
    for (char &c : b)
        c = char(rng.generate());
    return b;
}

QByteArray chatLikeText(qsizetype n) {
    QByteArray b;
    int i = 0;
    while (b.size() < n)
        b += "message " + QByteArray::number(i++) + ": hello from the chat, ünïcödé too\n";
    b.truncate(n);
    return b;
}

} // namespace

class TestCompression : public QObject {
    Q_OBJECT

private slots:
    void names() {
        QCOMPARE(compressionParameter(Compression::None), u"None"_s);
        QCOMPARE(compressionParameter(Compression::Brotli), u"Brotli"_s);
        QCOMPARE(compressionParameter(Compression::Gzip), u"Gzip"_s);
        QCOMPARE(compressionName(Compression::Gzip), u"gzip"_s);
        QCOMPARE(compressionName(Compression::Brotli), u"brotli"_s);
        QCOMPARE(compressionName(Compression::None), u"none"_s);
    }

    void roundTrip_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<QByteArray>("input");
        for (int m = 0; m < 3; ++m) {
            const char *name = m == 0 ? "none" : m == 1 ? "brotli" : "gzip";
            QTest::addRow("%s empty", name) << m << QByteArray();
            QTest::addRow("%s one byte", name) << m << QByteArray("x");
            QTest::addRow("%s text 100k", name) << m << chatLikeText(100000);
            QTest::addRow("%s random 300k", name) << m << randomBytes(300000, 7);
            QTest::addRow("%s zeros 5M", name) << m << QByteArray(5 << 20, '\0');
        }
    }
    void roundTrip() {
        QFETCH(int, method);
        QFETCH(QByteArray, input);
        const Compression c = Compression(method);
        const QByteArray packed = compress(c, input);
        if (c == Compression::Gzip) {
            // RFC 1952 member: magic 1f 8b, method 8 (deflate), ISIZE trailer.
            QVERIFY(packed.size() >= 18);
            QCOMPARE(quint8(packed[0]), quint8(0x1f));
            QCOMPARE(quint8(packed[1]), quint8(0x8b));
            QCOMPARE(quint8(packed[2]), quint8(8));
            const quint32 isize = quint8(packed[packed.size() - 4]) |
                                  quint8(packed[packed.size() - 3]) << 8 |
                                  quint8(packed[packed.size() - 2]) << 16 |
                                  quint32(quint8(packed[packed.size() - 1])) << 24;
            QCOMPARE(isize, quint32(input.size()));
        }
        if (c != Compression::None && input.size() > 1000 && input.count('\0') == input.size())
            QVERIFY(packed.size() < input.size() / 100);
        const auto back = decompress(c, packed);
        QVERIFY2(back.hasValue(), qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(*back, input);
        // An exact cap is allowed; one byte less is not.
        QVERIFY(decompress(c, packed, input.size()).hasValue());
        if (!input.isEmpty()) {
            const auto capped = decompress(c, packed, input.size() - 1);
            QVERIFY(!capped.hasValue());
            QCOMPARE(capped.error().kind(), Error::Kind::Compression);
        }
    }

    // Fed in pieces (a message's frames), a Decompressor gives what decompress() gives for the
    // whole: the bytes, or an error of the same kind and cause. Pieces of 1 byte, 100 bytes, 4 KiB
    // (SpacetimeDB's frames) and random lengths, on the round-trip inputs and the corrupt ones.
    static QList<QByteArrayView> cut(const QByteArray &input, int how) {
        QList<QByteArrayView> pieces;
        QRandomGenerator rng(quint32(input.size()) + quint32(how));
        for (qsizetype at = 0; at < input.size();) {
            const qsizetype n = how == 0   ? 1
                                : how == 1 ? 100
                                : how == 2 ? 4096
                                           : rng.bounded(1, 9000);
            pieces.append(QByteArrayView(input).sliced(at, std::min(n, input.size() - at)));
            at += n;
        }
        return pieces;
    }
    static QString cause(const QString &message) {
        const qsizetype bracket = message.indexOf(u" ("_s);
        return bracket < 0 ? message : message.left(bracket);
    }
    static void checkPieces(Compression c, const QByteArray &input, qsizetype cap) {
        const Expected<QByteArray> whole = decompress(c, input, cap);
        for (int how = 0; how < 4; ++how) {
            if (how == 0 && input.size() > 200000)
                continue; // byte by byte only for the smaller inputs
            Decompressor d(c, cap);
            d.feed(QByteArrayView()); // an empty frame changes nothing
            for (QByteArrayView piece : cut(input, how))
                d.feed(piece);
            const Expected<QByteArray> pieces = d.finish();
            QCOMPARE(pieces.hasValue(), whole.hasValue());
            if (whole)
                QVERIFY(*pieces == *whole);
            else // the cause; Brotli's bracketed state may differ with the cut
                QCOMPARE(cause(pieces.error().message()), cause(whole.error().message()));
        }
    }
    void inPieces_data() { roundTrip_data(); }
    void inPieces() {
        QFETCH(int, method);
        QFETCH(QByteArray, input);
        const Compression c = Compression(method);
        const QByteArray packed = compress(c, input);
        checkPieces(c, packed, kDefaultMaxDecompressedSize);
        checkPieces(c, packed, std::max<qsizetype>(input.size() - 1, 0)); // over the cap
        checkPieces(c, packed + "tail", kDefaultMaxDecompressedSize);     // trailing bytes
        if (packed.size() > 1)
            checkPieces(c, packed.left(packed.size() / 2), kDefaultMaxDecompressedSize);
    }
    void corruptInPieces_data() { corrupt_data(); }
    void corruptInPieces() {
        QFETCH(int, method);
        QFETCH(QByteArray, input);
        checkPieces(Compression(method), input, kDefaultMaxDecompressedSize);
    }

    void notZlibFormat() {
        // qCompress output (zlib format with a Qt length header) is not a gzip member.
        const QByteArray zlibData = qCompress(chatLikeText(5000)).mid(4);
        const auto r = decompress(Compression::Gzip, zlibData);
        QVERIFY(!r.hasValue());
        QCOMPARE(r.error().kind(), Error::Kind::Compression);
    }

    void corrupt_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<QByteArray>("input");
        const QByteArray text = chatLikeText(20000);
        const QByteArray gz = compress(Compression::Gzip, text);
        const QByteArray br = compress(Compression::Brotli, text);

        QByteArray badMagic = gz;
        badMagic[0] = 'x';
        QTest::newRow("gzip bad magic") << int(Compression::Gzip) << badMagic;
        QByteArray badCrc = gz;
        badCrc[badCrc.size() - 6] = char(badCrc[badCrc.size() - 6] ^ 0x55);
        QTest::newRow("gzip bad crc") << int(Compression::Gzip) << badCrc;
        QByteArray badSize = gz;
        badSize[badSize.size() - 1] = char(badSize[badSize.size() - 1] ^ 0x01);
        QTest::newRow("gzip bad isize") << int(Compression::Gzip) << badSize;
        QByteArray flipped = gz;
        for (qsizetype i = 20; i < flipped.size() - 20; i += 7)
            flipped[i] = char(flipped[i] ^ 0xa5);
        QTest::newRow("gzip flipped body") << int(Compression::Gzip) << flipped;
        QTest::newRow("gzip trailing garbage") << int(Compression::Gzip) << gz + "junk";
        QTest::newRow("gzip two members") << int(Compression::Gzip) << gz + gz;
        QTest::newRow("gzip empty") << int(Compression::Gzip) << QByteArray();
        QTest::newRow("gzip random") << int(Compression::Gzip) << randomBytes(1000, 3);

        QByteArray brFlipped = br;
        for (qsizetype i = 3; i < brFlipped.size(); i += 5)
            brFlipped[i] = char(brFlipped[i] ^ 0xa5);
        QTest::newRow("brotli flipped") << int(Compression::Brotli) << brFlipped;
        QTest::newRow("brotli trailing garbage") << int(Compression::Brotli) << br + "junk";
        QTest::newRow("brotli empty") << int(Compression::Brotli) << QByteArray();
        QTest::newRow("brotli random") << int(Compression::Brotli) << randomBytes(1000, 4);
        QTest::newRow("brotli is not gzip") << int(Compression::Brotli) << gz;
        QTest::newRow("gzip is not brotli") << int(Compression::Gzip) << br;
    }
    void corrupt() {
        QFETCH(int, method);
        QFETCH(QByteArray, input);
        const auto r = decompress(Compression(method), input);
        QVERIFY(!r.hasValue());
        QCOMPARE(r.error().kind(), Error::Kind::Compression);
        QVERIFY(!r.error().message().isEmpty());
    }

    void truncated() {
        const QByteArray text = chatLikeText(50000);
        for (Compression c : {Compression::Gzip, Compression::Brotli}) {
            const QByteArray packed = compress(c, text);
            for (qsizetype len = 0; len < packed.size(); len += (len < 64 ? 1 : 97)) {
                const auto r = decompress(c, packed.left(len));
                QVERIFY2(!r.hasValue(),
                         qPrintable(u"%1 cut at %2"_s.arg(compressionName(c)).arg(len)));
            }
            QVERIFY(!decompress(c, packed.left(packed.size() - 1)).hasValue());
        }
    }

    void bomb() {
        // 64 MiB of zeros compresses to well under 1 MiB; with a 1 MiB cap the decoder must
        // stop early instead of inflating everything.
        const QByteArray zeros(64 << 20, '\0');
        for (Compression c : {Compression::Gzip, Compression::Brotli}) {
            const QByteArray packed = compress(c, zeros);
            QVERIFY(packed.size() < (1 << 20));
            QElapsedTimer t;
            t.start();
            const auto r = decompress(c, packed, 1 << 20);
            QVERIFY(!r.hasValue());
            QCOMPARE(r.error().kind(), Error::Kind::Compression);
            QVERIFY2(r.error().message().contains(u"limit"_s), qPrintable(r.error().toString()));
            QVERIFY2(t.elapsed() < 2000, "the decoder did not stop at the cap");
            // Through the frame API
            const QByteArray frame = char(c) + packed;
            const auto f = decodeServerFrame(frame, FrameDecodeOptions{1 << 20});
            QVERIFY(!f.hasValue());
            QCOMPARE(f.error().kind(), Error::Kind::Compression);
        }
        // A lying ISIZE trailer (claims 4 GiB - 1) does not make us allocate it.
        QByteArray gz = compress(Compression::Gzip, QByteArray(1000, 'a'));
        gz[gz.size() - 4] = gz[gz.size() - 3] = gz[gz.size() - 2] = gz[gz.size() - 1] = '\xff';
        QVERIFY(!decompress(Compression::Gzip, gz).hasValue());
    }

    void noneIsCappedToo() {
        QVERIFY(decompress(Compression::None, "abc", 3).hasValue());
        QVERIFY(!decompress(Compression::None, "abcd", 3).hasValue());
        // Extreme caps neither overflow nor reject valid input.
        const QByteArray text = chatLikeText(3000);
        for (Compression c : {Compression::None, Compression::Gzip, Compression::Brotli}) {
            const auto r = decompress(c, compress(c, text), std::numeric_limits<qsizetype>::max());
            QVERIFY(r.hasValue() && *r == text);
            QVERIFY(!decompress(c, compress(c, text), 0).hasValue());
            QVERIFY(!decompress(c, compress(c, text), -5).hasValue());
        }
    }

    // ---- frame helpers ----
    void frameTags() {
        const QByteArray small(1024, 'a');
        const QByteArray large(1025, 'a');
        QCOMPARE(encodeServerFrame(small, Compression::Gzip), '\0' + small);
        QCOMPARE(encodeServerFrame(small, Compression::Brotli), '\0' + small);
        QCOMPARE(quint8(encodeServerFrame(large, Compression::Gzip)[0]), quint8(2));
        QCOMPARE(quint8(encodeServerFrame(large, Compression::Brotli)[0]), quint8(1));
        QCOMPARE(encodeServerFrame(large, Compression::None), '\0' + large);
        QCOMPARE(quint8(encodeServerFrame(small, Compression::Gzip, 10)[0]), quint8(2));

        for (Compression c : {Compression::None, Compression::Gzip, Compression::Brotli}) {
            Compression tag = Compression::None;
            const auto body = unwrapServerFrame(encodeServerFrame(large, c), {}, &tag);
            QVERIFY(body.hasValue());
            QCOMPARE(*body, large);
            QCOMPARE(tag, c);
        }
    }

    void badFrames() {
        const auto empty = unwrapServerFrame(QByteArray());
        QVERIFY(!empty.hasValue());
        QVERIFY(empty.error().message().contains(u"empty"_s));
        QVERIFY(!decodeServerFrame(QByteArray()).hasValue());

        for (char tag : {'\x03', '\x04', '\x7f', '\xff'}) {
            const QByteArray frame = tag + QByteArray("\x03\x01\x09\0\0\0\x01\0\0\0x", 11);
            const auto r = unwrapServerFrame(frame);
            QVERIFY(!r.hasValue());
            QCOMPARE(r.error().kind(), Error::Kind::Compression);
            QVERIFY(r.error().message().contains(u"tag"_s));
            QCOMPARE(r.error().offset(), qint64(0));
            QVERIFY(!decodeServerFrame(frame).hasValue());
        }

        // Tag only: an empty body is no message.
        QVERIFY(!decodeServerFrame(QByteArray(1, '\0')).hasValue());
        QVERIFY(!decodeServerFrame(QByteArray(1, '\x02')).hasValue());
        // Corrupt compressed body
        QVERIFY(!decodeServerFrame(QByteArray("\x02garbage")).hasValue());
        QVERIFY(!decodeServerFrame(QByteArray("\x01garbage")).hasValue());
    }
};

QTEST_GUILESS_MAIN(TestCompression)
#include "tst_compression.moc"
