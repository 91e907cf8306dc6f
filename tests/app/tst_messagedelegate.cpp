// SPDX-License-Identifier: Apache-2.0
// MessageDelegate without a window or a server: how a row's text is laid out and how row
// heights are cached.

#include "messagedelegate.h"
#include "rowheightcache.h"

#include "chat/messagemodel.h"

#include <QStyleOptionViewItem>
#include <QTest>

using chat::MessageModel;

namespace {

stdb::Identity author() {
    return stdb::Identity(stdb::U256::fromUInt64(7));
}

// The x positions (row coordinates) where the row's URL can be clicked.
QList<int> urlColumns(const MessageDelegate &delegate, const QModelIndex &index) {
    const QRect rect(0, 0, delegate.width(), delegate.sizeHint({}, index).height());
    QList<int> xs;
    for (int y = rect.top(); y <= rect.bottom(); y += 2)
        for (int x = rect.left(); x <= rect.right(); x += 2)
            if (delegate.urlAt(rect, index, QPoint(x, y)).isValid() && !xs.contains(x))
                xs.append(x);
    std::sort(xs.begin(), xs.end());
    return xs;
}

} // namespace

class TestMessageDelegate : public QObject {
    Q_OBJECT
private slots:
    void textKeepsItsOwnDirection() {
        // A right-to-left message starts at the right edge of the text column, with its URL
        // to the left of the words before it; a left-to-right one starts at the left edge.
        const qint64 t = QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
        MessageModel model;
        model.resetMessages(QList<chat::ChatMessage>{
            {author(), stdb::Timestamp::fromMicros(t),
             QStringLiteral("hello https://example.org/a")},
            {author(), stdb::Timestamp::fromMicros(t + 1),
             QStringLiteral("\u05e9\u05dc\u05d5\u05dd https://example.org/b")}});
        MessageDelegate delegate;
        delegate.setWidth(800);
        const int middle = delegate.width() / 2;

        const QList<int> ltr = urlColumns(delegate, model.index(0, 0));
        QVERIFY(!ltr.isEmpty());
        QVERIFY2(ltr.last() < middle, qPrintable(QString::number(ltr.last())));

        const QList<int> rtl = urlColumns(delegate, model.index(1, 0));
        QVERIFY(!rtl.isEmpty());
        QVERIFY2(rtl.first() > middle, qPrintable(QString::number(rtl.first())));
        // The Hebrew word is read first, so it sits right of the URL: the URL does not reach
        // the right edge of the text.
        QVERIFY(rtl.last() < delegate.width() - 20);
    }

    void heightCacheComparesWholeKeys() {
        // Every key hashes alike here: a cache that trusted the hash would hand the first
        // height to every row.
        RowHeightCache cache([](const RowHeightCache::Key &) -> std::size_t { return 42; });
        const RowHeightCache::Key oneLine{QStringLiteral("short"), 1, QString()};
        const RowHeightCache::Key threeLines{QStringLiteral("a\u2028b\u2028c"), 1, QString()};
        const RowHeightCache::Key pending{QStringLiteral("short"), 1, QStringLiteral("Sending…")};
        cache.insert(oneLine, 20);
        QCOMPARE(cache.find(threeLines), std::nullopt);
        cache.insert(threeLines, 60);
        cache.insert(pending, 35);
        QCOMPARE(cache.find(oneLine), std::optional<int>(20));
        QCOMPARE(cache.find(threeLines), std::optional<int>(60));
        QCOMPARE(cache.find(pending), std::optional<int>(35));
        QCOMPARE(cache.find({QStringLiteral("short"), 3, QString()}), std::nullopt);
        QCOMPARE(cache.size(), 3);
    }

    void heightsFollowContentThroughTheCache() {
        // Through the delegate: rows that differ only in their text get their own heights, and
        // asking again is answered from the cache.
        const qint64 t = QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
        MessageModel model;
        model.resetMessages(QList<chat::ChatMessage>{
            {author(), stdb::Timestamp::fromMicros(t), QStringLiteral("first of the group")},
            {author(), stdb::Timestamp::fromMicros(t + 1), QStringLiteral("one\ntwo\nthree")},
            {author(), stdb::Timestamp::fromMicros(t + 2), QStringLiteral("one")},
            {author(), stdb::Timestamp::fromMicros(t + 3), QStringLiteral("one")}});
        MessageDelegate delegate;
        delegate.sizeHint({}, model.index(0, 0));
        const int triple = delegate.sizeHint({}, model.index(1, 0)).height();
        const int single = delegate.sizeHint({}, model.index(2, 0)).height();
        QVERIFY(triple > single);
        QCOMPARE(delegate.cachedHeights(), 3);
        QCOMPARE(delegate.sizeHint({}, model.index(3, 0)).height(), single);
        QCOMPARE(delegate.cachedHeights(), 3);
    }
};

QTEST_MAIN(TestMessageDelegate)
#include "tst_messagedelegate.moc"
