// SPDX-License-Identifier: Apache-2.0
// MessageView's own row layout (RowHeightIndex) without a server: after inserts, removals and
// changes the rows sit exactly where a fresh full layout puts them, rows on screen always have
// their measured height, the reading position survives rows above it being measured, and
// selection, keyboard navigation and Find still work.

#include "messagedelegate.h"
#include "messageview.h"

#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using chat::ChatMessage;
using chat::MessageModel;

namespace {

stdb::Identity person(int i) {
    return stdb::Identity(stdb::U256::fromUInt64(quint64(i + 1)));
}

// Day 0 08:00 local time, plus minutes.
qint64 at(int day, int minutes) {
    const QDateTime base(QDate(2026, 3, 2).addDays(day), QTime(8, 0));
    return (base.toMSecsSinceEpoch() + qint64(minutes) * 60 * 1000) * 1000;
}

// Texts of very different lengths, so that estimates and real heights differ.
QString textFor(int i) {
    QString t = QStringLiteral("message %1").arg(i);
    const int words = (i * 37) % 11 == 0 ? 120 : (i * 13) % 7 == 0 ? 30 : 0;
    for (int w = 0; w < words; ++w)
        t += QStringLiteral(" word%1").arg(w);
    return t;
}

// `n` messages: senders in runs, a new day every 400 messages.
QList<ChatMessage> history(int n, int firstDay = 0) {
    QList<ChatMessage> list;
    for (int i = 0; i < n; ++i)
        list.append({person((i / 3) % 4),
                     stdb::Timestamp::fromMicros(at(firstDay + i / 400, (i % 400) * 2)),
                     textFor(i)});
    return list;
}

// Where every row is (content coordinates) and how high.
QList<QPair<int, int>> rowRects(MessageView &view) {
    QList<QPair<int, int>> rects;
    const int offset = view.verticalScrollBar()->value();
    for (int row = 0; row < view.model()->rowCount(); ++row) {
        const QRect r = view.visualRect(view.model()->index(row, 0));
        rects.append({r.top() + offset, r.height()});
    }
    return rects;
}

int measuredHeight(MessageView &view, int row) {
    return view.messageDelegate()->sizeHint({}, view.model()->index(row, 0)).height();
}

// Every row on screen has the height the delegate gives it now.
void verifyVisibleRowsMeasured(MessageView &view) {
    const int h = view.viewport()->height();
    const QModelIndex top = view.indexAt(QPoint(5, 0));
    QVERIFY(top.isValid());
    for (int row = top.row(); row < view.model()->rowCount(); ++row) {
        const QRect r = view.visualRect(view.model()->index(row, 0));
        if (r.top() >= h)
            break;
        QCOMPARE(r.height(), measuredHeight(view, row));
    }
}

std::unique_ptr<MessageView> showView(QAbstractItemModel *model) {
    auto view = std::make_unique<MessageView>();
    view->resize(500, 400);
    view->setModel(model);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        return nullptr;
    return view;
}

} // namespace

class TestMessageView : public QObject {
    Q_OBJECT
private slots:
    void layoutAfterChangesMatchesAFreshLayout_data() {
        QTest::addColumn<int>("rows");
        QTest::newRow("small, measured completely") << 300;
        QTest::newRow("long, measured where seen") << 5000;
    }
    void layoutAfterChangesMatchesAFreshLayout() {
        QFETCH(int, rows);
        MessageModel model;
        model.setOwnIdentity(person(0));
        model.resetMessages(history(rows, 10));
        auto view = showView(&model);
        QVERIFY(view);
        QVERIFY(view->isPinned());
        verifyVisibleRowsMeasured(*view);

        // Live messages at the bottom: same sender (grouped), a new sender, the next day.
        const int lastDay = 10 + (rows - 1) / 400;
        model.addMessages(
            {{person(3), stdb::Timestamp::fromMicros(at(lastDay, 900)), QStringLiteral("a")},
             {person(3), stdb::Timestamp::fromMicros(at(lastDay, 901)), textFor(11)}});
        model.addMessages({{person(2), stdb::Timestamp::fromMicros(at(lastDay + 1, 0)),
                            QStringLiteral("next day")}});
        QCOMPARE(view->model()->rowCount(), rows + 3);
        QVERIFY(view->isPinned());
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        QVERIFY(model.index(rows + 2).data(MessageModel::DayChangedRole).toBool());
        QVERIFY(!model.index(rows + 1).data(MessageModel::FirstOfGroupRole).toBool());
        verifyVisibleRowsMeasured(*view);

        // Older history above, from the sender of the first row (which then no longer starts
        // a group or a day: its height shrinks), and an own message on its way.
        model.prependOlder(QList<ChatMessage>{
            {person(1), stdb::Timestamp::fromMicros(at(9, 0)), textFor(77)},
            {person(0), stdb::Timestamp::fromMicros(at(10, -30)), QStringLiteral("before")}});
        model.addOutgoing(42, QStringLiteral("on its way"),
                          stdb::Timestamp::fromMicros(at(lastDay + 1, 5)),
                          chat::DeliveryState::Pending);
        model.setOutgoingState(42, chat::DeliveryState::Failed, QStringLiteral("rejected"));
        QVERIFY(!model.index(2).data(MessageModel::DayChangedRole).toBool());
        verifyVisibleRowsMeasured(*view);
        model.removeOutgoing(42);
        verifyVisibleRowsMeasured(*view);

        // A small conversation is kept measured through every change; a long one is compared
        // once its remaining estimates are measured.
        if (rows <= 2000)
            QCOMPARE(view->unmeasuredRows(), 0);
        else
            view->measureAllRows();
        QCOMPARE(view->unmeasuredRows(), 0);
        auto fresh = showView(&model);
        QVERIFY(fresh);
        fresh->measureAllRows();
        const auto expected = rowRects(*fresh);
        const auto actual = rowRects(*view);
        QCOMPARE(actual.size(), model.rowCount());
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(actual[row], expected[row]);
            QCOMPARE(actual[row].second, measuredHeight(*view, row));
            if (row > 0)
                QCOMPARE(actual[row].first, actual[row - 1].first + actual[row - 1].second);
        }
    }

    void longHistoryMeasuresOnlyWhatIsSeen() {
        MessageModel model;
        model.resetMessages(history(50000));
        auto view = showView(&model);
        QVERIFY(view);
        QVERIFY(view->unmeasuredRows() > 49000);
        verifyVisibleRowsMeasured(*view);
        QVERIFY(view->indexAt(QPoint(5, view->viewport()->height() - 2)).row() >= 49990);
        view->scrollToTop();
        QCOMPARE(view->verticalScrollBar()->value(), 0);
        QCOMPARE(view->indexAt(QPoint(5, 1)).row(), 0);
        QCOMPARE(view->visualRect(model.index(0)).top(), 0);
        verifyVisibleRowsMeasured(*view);
    }

    void readingPositionStaysWhileRowsAboveAreMeasured() {
        MessageModel model;
        model.resetMessages(history(20000));
        auto view = showView(&model);
        QVERIFY(view);
        view->scrollTo(model.index(10000), QAbstractItemView::PositionAtTop);
        QVERIFY(!view->isPinned());
        verifyVisibleRowsMeasured(*view);
        QScrollBar *bar = view->verticalScrollBar();
        for (int step = 0; step < 40; ++step) {
            // The row at the top of the screen moves down by exactly one step, however the
            // rows that scroll in above it turn out when measured.
            const QModelIndex top = view->indexAt(QPoint(5, 0));
            const int before = view->visualRect(top).top();
            bar->triggerAction(QAbstractSlider::SliderSingleStepSub);
            QCOMPARE(view->visualRect(top).top(), before + bar->singleStep());
            verifyVisibleRowsMeasured(*view);
        }
        QVERIFY(!view->isPinned());
    }

    void capDroppingTheCurrentRowKeepsThePin() {
        MessageModel model;
        model.resetMessages(history(3000));
        model.setMaxMessages(3000);
        auto view = showView(&model);
        QVERIFY(view);
        view->setCurrentIndex(model.index(0)); // the oldest row, about to be dropped
        view->scrollToLatest();
        QVERIFY(view->isPinned());
        model.addMessages(
            {{person(1), stdb::Timestamp::fromMicros(at(30, 0)), QStringLiteral("new")}});
        QCOMPARE(model.rowCount(), 3000);
        QVERIFY(view->isPinned());
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        verifyVisibleRowsMeasured(*view);
    }

    void compactModeAndWidthRemeasure() {
        MessageModel model;
        model.resetMessages(history(5000));
        auto view = showView(&model);
        QVERIFY(view);
        view->setCompact(true);
        view->scrollToLatest(); // runs the pending layout
        verifyVisibleRowsMeasured(*view);
        view->resize(320, 400);
        view->scrollToLatest();
        QCOMPARE(view->messageDelegate()->width(), view->viewport()->width());
        verifyVisibleRowsMeasured(*view);
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
    }

    void selectionAndKeyboard() {
        MessageModel model;
        model.resetMessages(history(5000));
        auto view = showView(&model);
        QVERIFY(view);
        const QModelIndex last = model.index(4999);
        const QRect r = view->visualRect(last);
        QVERIFY(r.isValid());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center());
        QCOMPARE(view->currentIndex(), last);
        QCOMPARE(view->selectionModel()->selectedRows(), QModelIndexList{last});

        QTest::keyClick(view.get(), Qt::Key_Up);
        QCOMPARE(view->currentIndex().row(), 4998);
        QTest::keyClick(view.get(), Qt::Key_PageUp);
        QVERIFY(view->currentIndex().row() < 4997);
        QVERIFY(view->viewport()->rect().intersects(view->visualRect(view->currentIndex())));
        QTest::keyClick(view.get(), Qt::Key_Home);
        QCOMPARE(view->currentIndex().row(), 0);
        QCOMPARE(view->verticalScrollBar()->value(), 0);
        QTest::keyClick(view.get(), Qt::Key_Down);
        QCOMPARE(view->currentIndex().row(), 1);
        QCOMPARE(view->selectionModel()->selectedRows(), QModelIndexList{model.index(1)});
        QTest::keyClick(view.get(), Qt::Key_End);
        QCOMPARE(view->currentIndex().row(), 4999);
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
        verifyVisibleRowsMeasured(*view);
    }

    // A session opens at the "New messages" line when something is unread (the line at the
    // top, not pinned to the bottom), at the bottom otherwise; whether the newest message is on
    // screen is reported for the read marker.
    void opensAtTheFirstUnread() {
        const QList<ChatMessage> rows = history(300);
        for (const bool unread : {true, false}) {
            MessageModel model;
            if (unread)
                model.setReadUpTo(rows.at(199).sent.micros());
            chat::MessageFilterModel filter;
            filter.setSourceModel(&model);
            auto view = showView(&filter);
            QVERIFY(view);
            view->setHistoryModel(&model);
            QSignalSpy newest(view.get(), &MessageView::newestVisibleChanged);
            model.resetMessages(rows);
            if (unread) {
                QCOMPARE(model.firstUnreadRow(), 200);
                QCOMPARE(view->visualRect(filter.index(200, 0)).top(), 0);
                QVERIFY(!view->isPinned());
                QVERIFY(!view->isNewestVisible());
                QCOMPARE(newest.size(), 1);
                view->scrollToLatest();
                QVERIFY(view->isNewestVisible());
                // A search that hides the newest message: not visible, even at the bottom.
                filter.setSearchText(QStringLiteral("message 12"));
                view->scrollToLatest();
                QVERIFY(!view->isNewestVisible());
                filter.setSearchText({});
            } else {
                QVERIFY(view->isPinned());
                QVERIFY(view->isNewestVisible());
                QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());
                QVERIFY(view->verticalScrollBar()->maximum() > 0);
            }
        }
    }

    void findFiltersAndRestoresRows() {
        MessageModel model;
        model.resetMessages(history(3000));
        chat::MessageFilterModel filter;
        filter.setSourceModel(&model);
        auto view = showView(&filter);
        QVERIFY(view);
        filter.setSearchText(QStringLiteral("message 12"));
        QVERIFY(filter.rowCount() > 0 && filter.rowCount() < 200);
        view->measureAllRows();
        const auto found = rowRects(*view);
        auto fresh = showView(&filter);
        QVERIFY(fresh);
        fresh->measureAllRows();
        QCOMPARE(found, rowRects(*fresh));
        const QModelIndex hit = filter.index(filter.rowCount() / 2, 0);
        view->scrollTo(hit, QAbstractItemView::PositionAtCenter);
        QVERIFY(view->viewport()->rect().contains(view->visualRect(hit).center()));

        filter.setSearchText({});
        QCOMPARE(filter.rowCount(), 3000);
        view->measureAllRows();
        fresh = showView(&filter);
        QVERIFY(fresh);
        fresh->measureAllRows();
        QCOMPARE(rowRects(*view), rowRects(*fresh));
    }
};

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"
