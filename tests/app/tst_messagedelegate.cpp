// SPDX-License-Identifier: Apache-2.0
// MessageDelegate without a window or a server: how a row's text is laid out and how row
// heights are cached.

#include "messagedelegate.h"
#include "rowheightcache.h"

#include "chat/messagemodel.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QTranslator>

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

// The row painted on a canvas of the palette's base colour.
QImage paintRow(const MessageDelegate &delegate, const QModelIndex &index, const QPalette &pal) {
    QStyleOptionViewItem option;
    option.palette = pal;
    option.rect = QRect(0, 0, delegate.width(), delegate.sizeHint(option, index).height());
    QImage image(option.rect.size(), QImage::Format_ARGB32);
    image.fill(pal.color(QPalette::Base));
    QPainter painter(&image);
    delegate.paint(&painter, option, index);
    painter.end();
    return image;
}

bool amber(const QColor &c) {
    return c.red() > c.blue() + 80 && c.green() > c.blue() + 40 && c.red() >= c.green();
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

    // A message that mentions us has an amber bar at its left edge and an amber tint, on light
    // and dark palettes; the others have neither.
    void mentionsAreHighlighted_data() {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void mentionsAreHighlighted() {
        QFETCH(bool, dark);
        QPalette pal;
        pal.setColor(QPalette::Base, dark ? QColor(30, 30, 30) : QColor(255, 255, 255));
        pal.setColor(QPalette::Text, dark ? QColor(230, 230, 230) : QColor(20, 20, 20));
        const qint64 t = QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
        MessageModel model;
        model.resetMessages(QList<chat::ChatMessage>{
            {author(), stdb::Timestamp::fromMicros(t), QStringLiteral("hello everyone")},
            {author(), stdb::Timestamp::fromMicros(t + 1), QStringLiteral("hey @alice, look")}});
        model.setOwnName(QStringLiteral("Alice"));
        QVERIFY(!model.index(0, 0).data(MessageModel::MentionsMeRole).toBool());
        QVERIFY(model.index(1, 0).data(MessageModel::MentionsMeRole).toBool());
        MessageDelegate delegate;
        delegate.setWidth(600);

        const QImage plain = paintRow(delegate, model.index(0, 0), pal);
        const QImage mention = paintRow(delegate, model.index(1, 0), pal);
        const int y = mention.height() / 2;
        QVERIFY2(amber(mention.pixelColor(1, y)), qPrintable(mention.pixelColor(1, y).name()));
        QVERIFY(!amber(plain.pixelColor(1, plain.height() / 2)));
        // The tint: the background right of the bar differs from the base colour, and is warm.
        const QColor tint = mention.pixelColor(mention.width() - 4, y);
        QVERIFY(tint != pal.color(QPalette::Base));
        QVERIFY2(tint.red() > tint.blue(), qPrintable(tint.name()));
        QCOMPARE(plain.pixelColor(plain.width() - 4, plain.height() / 2),
                 pal.color(QPalette::Base));
    }

    // The first unread message has the "New messages" line above it: a red rule that makes the
    // row taller (a height of its own in the cache) and names the sender again.
    void unreadLineAboveTheFirstUnread() {
        const qint64 t = QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
        MessageModel model;
        model.resetMessages(QList<chat::ChatMessage>{
            {author(), stdb::Timestamp::fromMicros(t), QStringLiteral("read")},
            {author(), stdb::Timestamp::fromMicros(t + 1), QStringLiteral("same text")},
            {author(), stdb::Timestamp::fromMicros(t + 2), QStringLiteral("same text")}});
        MessageDelegate delegate;
        delegate.setWidth(600);
        const int plain = delegate.sizeHint({}, model.index(1, 0)).height();
        model.setReadUpTo(t);
        QVERIFY(model.index(1, 0).data(MessageModel::FirstUnreadRole).toBool());
        const int marked = delegate.sizeHint({}, model.index(1, 0)).height();
        QVERIFY2(marked > plain, qPrintable(QStringLiteral("%1 %2").arg(marked).arg(plain)));
        QCOMPARE(delegate.sizeHint({}, model.index(2, 0)).height(), plain); // same text, no line

        QPalette pal;
        pal.setColor(QPalette::Base, Qt::white);
        auto redPixels = [](const QImage &image, int height) {
            int n = 0;
            for (int y = 0; y < qMin(height, image.height()); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    if (c.red() > 150 && c.green() < 100 && c.blue() < 100)
                        ++n;
                }
            return n;
        };
        const int band = marked - plain;
        QVERIFY(redPixels(paintRow(delegate, model.index(1, 0), pal), band) > 50);
        QCOMPARE(redPixels(paintRow(delegate, model.index(2, 0), pal), band), 0);
        QCOMPARE(MessageDelegate::unreadLineText(), QStringLiteral("New messages"));
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/spacetime-chat_de.qm")));
        QCoreApplication::installTranslator(&german);
        const QString translated = MessageDelegate::unreadLineText();
        QCoreApplication::removeTranslator(&german);
        QCOMPARE(translated, QStringLiteral("Neue Nachrichten"));
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

    void collapsedRowFadesAndHidesTheRest() {
        // A long message: its first lines in the text colour, the last one shown fading out, a
        // "Show more" toggle in the link colour under it, nothing of the hidden lines, and no
        // link to click in them. Expanded: everything, and the toggle under the last line.
        QStringList lines;
        for (int i = 1; i <= 30; ++i)
            lines.append(i == 25 ? QStringLiteral("see https://example.org/hidden")
                                 : QStringLiteral("MMMMMMMM %1").arg(i));
        const qint64 t = QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
        MessageModel model;
        model.resetMessages(QList<chat::ChatMessage>{
            {author(), stdb::Timestamp::fromMicros(t), lines.join(QLatin1Char('\n'))}});
        const QModelIndex index = model.index(0, 0);
        MessageDelegate delegate;
        delegate.setWidth(600);
        QPalette pal;
        pal.setColor(QPalette::Base, Qt::white);
        pal.setColor(QPalette::Text, Qt::black);
        pal.setColor(QPalette::Link, Qt::blue);
        QVERIFY(delegate.isCollapsed(index));
        const QImage collapsed = paintRow(delegate, index, pal);
        const QRect rect(QPoint(0, 0), collapsed.size());
        const QRect toggle = delegate.toggleRect(rect, index);
        QVERIFY(toggle.isValid());
        QVERIFY(toggle.bottom() < rect.bottom());
        // The ink of a line's band (the text column only): how much darker than the base.
        const auto ink = [&](const QImage &image, int position) {
            const QRect line = delegate.textLineRect(rect, index, position);
            qint64 sum = 0;
            for (int y = line.top(); y <= line.bottom(); ++y)
                for (int x = line.left(); x < line.right(); ++x)
                    sum += 255 - qGray(image.pixel(x, y));
            return sum;
        };
        const QString text = lines.join(QChar::LineSeparator);
        const qint64 first = ink(collapsed, 0);
        const qint64 lastShown = ink(
            collapsed, int(text.indexOf(
                           QStringLiteral("MMMMMMMM %1").arg(MessageDelegate::collapsedLines()))));
        QVERIFY2(first > 0 && lastShown > 0 && lastShown * 2 < first,
                 qPrintable(QStringLiteral("%1 %2").arg(first).arg(lastShown)));
        bool blue = false;
        for (int y = toggle.top(); y <= toggle.bottom() && !blue; ++y)
            for (int x = toggle.left(); x <= toggle.right() && !blue; ++x) {
                const QColor c = collapsed.pixelColor(x, y);
                blue = c.blue() > 150 && c.red() < 120 && c.green() < 120;
            }
        QVERIFY(blue);
        const int hidden = int(text.indexOf(QStringLiteral("https")));
        QVERIFY(delegate.isHiddenWhenCollapsed(index, hidden));
        QVERIFY(!delegate.isHiddenWhenCollapsed(index, 0));
        // Along the hidden line where the link would be: nothing to click.
        const auto linkOnLine = [&](const QRect &row) {
            const QRect line = delegate.textLineRect(row, index, hidden);
            for (int x = line.left(); x <= line.right(); x += 3)
                if (delegate.urlAt(row, index, QPoint(x, line.center().y())).isValid())
                    return true;
            return false;
        };
        QVERIFY(!linkOnLine(rect));

        model.setData(index, true, MessageModel::ExpandedRole);
        QVERIFY(!delegate.isCollapsed(index));
        QVERIFY(delegate.isCollapsible(index));
        const QImage full = paintRow(delegate, index, pal);
        QVERIFY(full.height() >
                collapsed.height() + 15 * QFontMetrics(QApplication::font()).height());
        QVERIFY(ink(full, hidden + 6) > first / 2);
        QVERIFY(linkOnLine(QRect(QPoint(0, 0), full.size())));
        QVERIFY(
            delegate.toggleRect(QRect(QPoint(0, 0), full.size()), index).top() >
            delegate.textLineRect(QRect(QPoint(0, 0), full.size()), index, int(text.size())).top());
    }
};

QTEST_MAIN(TestMessageDelegate)
#include "tst_messagedelegate.moc"
