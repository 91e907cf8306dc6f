// SPDX-License-Identifier: Apache-2.0
// MessageView's own row layout (RowHeightIndex) without a server: after inserts, removals and
// changes the rows sit exactly where a fresh full layout puts them, rows on screen always have
// their measured height, the reading position survives rows above it being measured, and
// selection, keyboard navigation and Find still work. Long messages collapse, expand by mouse
// and keyboard, keep their state by message, and Find shows matches in their hidden part.

#include "findbar.h"
#include "messagedelegate.h"
#include "messageview.h"

#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"

#include <QLineEdit>
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

// `n` short lines, each on its own line whatever the width.
QString lines(int n, const QString &word = QStringLiteral("line")) {
    QStringList list;
    for (int i = 1; i <= n; ++i)
        list.append(QStringLiteral("%1 %2").arg(word).arg(i));
    return list.join(QLatin1Char('\n'));
}

// A conversation of short messages around one long one (the middle row).
QList<ChatMessage> aroundLong(const QString &longText, int before = 3, int after = 3) {
    QList<ChatMessage> list;
    int minute = 0;
    for (int i = 0; i < before; ++i)
        list.append({person(i % 2), stdb::Timestamp::fromMicros(at(0, minute++)),
                     QStringLiteral("before %1").arg(i)});
    list.append({person(3), stdb::Timestamp::fromMicros(at(0, minute++)), longText});
    for (int i = 0; i < after; ++i)
        list.append({person(i % 2), stdb::Timestamp::fromMicros(at(0, minute++)),
                     QStringLiteral("after %1").arg(i)});
    return list;
}

int rowWithText(QAbstractItemModel *model, const QString &text) {
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(MessageModel::TextRole).toString() == text)
            return row;
    return -1;
}

bool expanded(const QModelIndex &index) {
    return index.data(MessageModel::ExpandedRole).toBool();
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

    void longMessagesCollapseAndToggle();
    void toggleMeasuresOnlyItsRow();
    void expandedStateSurvivesChanges();
    void narrowingCollapsesWideningUncollapses();
    void findShowsMatchesInTheCollapsedPart();
    void findBarStepsThroughMatches();
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

// ---- long messages --------------------------------------------------------------------------

void TestMessageView::longMessagesCollapseAndToggle() {
    const int above = MessageDelegate::collapseAboveLines();
    QList<ChatMessage> list = aroundLong(lines(30));
    // Exactly the limit stays whole; one line more collapses.
    list.append({person(2), stdb::Timestamp::fromMicros(at(0, 100)),
                 lines(above, QStringLiteral("limit"))});
    list.append({person(3), stdb::Timestamp::fromMicros(at(0, 101)),
                 lines(above + 1, QStringLiteral("over"))});
    MessageModel model;
    model.resetMessages(list);
    auto view = showView(&model);
    QVERIFY(view);
    MessageDelegate *delegate = view->messageDelegate();
    QVERIFY(!delegate->isCollapsible(
        model.index(rowWithText(&model, lines(above, QStringLiteral("limit"))))));
    QVERIFY(delegate->isCollapsed(
        model.index(rowWithText(&model, lines(above + 1, QStringLiteral("over"))))));
    QVERIFY(!delegate->isCollapsible(model.index(0)));
    QVERIFY(delegate->toggleRect(view->visualRect(model.index(0)), model.index(0)).isEmpty());

    const QModelIndex index = model.index(3);
    QVERIFY(delegate->isCollapsed(index));
    view->scrollTo(index, QAbstractItemView::PositionAtTop);
    const int collapsedHeight = view->visualRect(index).height();
    const int lineHeight = QFontMetrics(view->font()).height();
    // About collapsedLines() lines of text plus the toggle, far from 30 lines.
    QVERIFY2(collapsedHeight < (MessageDelegate::collapsedLines() + 6) * lineHeight,
             qPrintable(QString::number(collapsedHeight)));

    // A click beside the toggle does not toggle; one on it does, measuring only that row.
    const QRect toggle = delegate->toggleRect(view->visualRect(index), index);
    QVERIFY(toggle.isValid());
    QVERIFY(view->viewport()->rect().contains(toggle));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toggle.topRight() + QPoint(40, 0));
    QVERIFY(!expanded(index));
    const int top = view->visualRect(index).top();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toggle.center());
    QVERIFY(expanded(index));
    QVERIFY(!delegate->isCollapsed(index));
    QCOMPARE(view->visualRect(index).height(), measuredHeight(*view, index.row()));
    QVERIFY(view->visualRect(index).height() > collapsedHeight + 15 * lineHeight);
    QCOMPARE(view->visualRect(index).top(), top); // the message stays where it was read
    view->measureAllRows();
    const auto rows = rowRects(*view);
    auto fresh = showView(&model);
    QVERIFY(fresh);
    fresh->measureAllRows();
    QCOMPARE(rows, rowRects(*fresh));

    // The keyboard: Enter and Space on the current message.
    view->setFocus();
    view->setCurrentIndex(index);
    QTest::keyClick(view.get(), Qt::Key_Return);
    QVERIFY(!expanded(index));
    QCOMPARE(view->visualRect(index).height(), collapsedHeight);
    QTest::keyClick(view.get(), Qt::Key_Space);
    QVERIFY(expanded(index));
    QTest::keyClick(view.get(), Qt::Key_Enter, Qt::KeypadModifier);
    QVERIFY(!expanded(index));
    QTest::keyClick(view.get(), Qt::Key_Enter, Qt::KeypadModifier);
    QVERIFY(expanded(index));
    // On a short message they do nothing to it.
    view->setCurrentIndex(model.index(0));
    QTest::keyClick(view.get(), Qt::Key_Return);
    QVERIFY(!expanded(model.index(0)));
    QCOMPARE(view->currentIndex(), model.index(0));
}

void TestMessageView::toggleMeasuresOnlyItsRow() {
    MessageModel model;
    QList<ChatMessage> list = history(3000);
    list.append({person(3), stdb::Timestamp::fromMicros(at(60, 0)), lines(40)});
    model.resetMessages(list);
    auto view = showView(&model);
    QVERIFY(view);
    const QModelIndex index = model.index(model.rowCount() - 1);
    const int unmeasured = view->unmeasuredRows();
    QVERIFY(unmeasured > 2500);
    const int before = view->visualRect(index).height();
    view->toggleExpanded(index);
    QVERIFY(expanded(index));
    QVERIFY(view->visualRect(index).height() > before);
    QCOMPARE(view->visualRect(index).height(), measuredHeight(*view, index.row()));
    // Rows measured since: at most those that came on screen, never the history.
    QVERIFY(view->unmeasuredRows() >= unmeasured - 40);
    verifyVisibleRowsMeasured(*view);
}

void TestMessageView::expandedStateSurvivesChanges() {
    MessageModel model;
    model.resetMessages(aroundLong(lines(30), 40, 40));
    chat::MessageFilterModel filter;
    filter.setSourceModel(&model);
    auto view = showView(&filter);
    QVERIFY(view);
    const QString text = lines(30);
    auto current = [&] { return filter.index(rowWithText(&filter, text), 0); };
    view->toggleExpanded(current());
    QVERIFY(expanded(current()));
    const int height = view->visualRect(current()).height();

    // Scrolled away and back, older history prepended, newer messages appended.
    view->scrollToTop();
    view->scrollToLatest();
    model.prependOlder(history(50, -3));
    model.addMessages({{person(1), stdb::Timestamp::fromMicros(at(5, 0)), QStringLiteral("new")}});
    QCOMPARE(rowWithText(&filter, text), 90);
    QVERIFY(expanded(current()));
    view->scrollTo(current());
    QCOMPARE(view->visualRect(current()).height(), height);

    // Filtered out and back: the row is another, the state is the message's.
    filter.setSearchText(QStringLiteral("line 7"));
    QCOMPARE(filter.rowCount(), 1);
    QVERIFY(expanded(current()));
    filter.setSearchText({});
    QVERIFY(expanded(current()));
    // A reconnect's fresh snapshot: same messages, same state.
    model.resetMessages(aroundLong(text, 40, 40));
    QVERIFY(expanded(current()));
    view->scrollTo(current());
    QCOMPARE(view->visualRect(current()).height(), height);
    // The other long message (a different sender and time) is not expanded with it.
    model.addMessages({{person(2), stdb::Timestamp::fromMicros(at(9, 0)), text}});
    QVERIFY(!expanded(filter.index(filter.rowCount() - 1, 0)));
}

void TestMessageView::narrowingCollapsesWideningUncollapses() {
    // One paragraph: a few lines wide, well over the limit narrow.
    QString paragraph;
    for (int i = 0; i < 60; ++i)
        paragraph += QStringLiteral("word%1 ").arg(i);
    MessageModel model;
    model.resetMessages(aroundLong(paragraph.trimmed()));
    auto view = showView(&model);
    QVERIFY(view);
    const QModelIndex index = model.index(3);
    view->resize(900, 400);
    QTRY_COMPARE(view->messageDelegate()->width(), view->viewport()->width());
    QVERIFY(!view->messageDelegate()->isCollapsible(index));
    QVERIFY(view->messageDelegate()->toggleRect(view->visualRect(index), index).isEmpty());
    const int wide = view->visualRect(index).height();

    view->resize(200, 400);
    QTRY_COMPARE(view->messageDelegate()->width(), view->viewport()->width());
    QVERIFY(view->messageDelegate()->isCollapsed(index));
    view->scrollTo(index);
    // The view lays out again after a resize (later, once).
    QTRY_COMPARE(view->visualRect(index).height(), measuredHeight(*view, index.row()));
    const QRect toggle = view->messageDelegate()->toggleRect(view->visualRect(index), index);
    QVERIFY(toggle.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toggle.center());
    QVERIFY(expanded(index));

    view->resize(900, 400);
    QTRY_COMPARE(view->messageDelegate()->width(), view->viewport()->width());
    QVERIFY(!view->messageDelegate()->isCollapsible(index));
    QTRY_COMPARE(view->visualRect(index).height(), wide); // no toggle line any more
}

void TestMessageView::findShowsMatchesInTheCollapsedPart() {
    QStringList text;
    for (int i = 1; i <= 40; ++i)
        text.append(i == 33 ? QStringLiteral("the needle is here")
                            : QStringLiteral("hay %1").arg(i));
    MessageModel model;
    model.resetMessages(aroundLong(text.join(QLatin1Char('\n')), 5, 30));
    chat::MessageFilterModel filter;
    filter.setSourceModel(&model);
    auto view = showView(&filter);
    QVERIFY(view);

    // A match in the part shown: nothing expands.
    filter.setSearchText(QStringLiteral("hay 2"));
    QCOMPARE(filter.rowCount(), 1);
    view->showMatch(filter.index(0, 0), QStringLiteral("hay 2"));
    QVERIFY(!expanded(filter.index(0, 0)));
    QCOMPARE(view->currentIndex(), filter.index(0, 0));

    // A match in the hidden part: the message expands and the match's line shows.
    filter.setSearchText({});
    view->scrollToLatest();
    const QModelIndex index = filter.index(5, 0);
    QVERIFY(view->messageDelegate()->isHiddenWhenCollapsed(
        index,
        int(index.data(MessageModel::TextRole).toString().indexOf(QStringLiteral("needle")))));
    view->setHighlightText(QStringLiteral("NEEDLE"));
    view->showMatch(index, QStringLiteral("NEEDLE"));
    QVERIFY(expanded(index));
    QCOMPARE(view->currentIndex(), index);
    const int at =
        int(index.data(MessageModel::TextRole).toString().indexOf(QStringLiteral("needle")));
    const QRect line = view->messageDelegate()->textLineRect(view->visualRect(index), index, at);
    QVERIFY2(view->viewport()->rect().contains(line),
             qPrintable(QStringLiteral("%1,%2").arg(line.top()).arg(line.bottom())));
    QCOMPARE(view->messageDelegate()->highlightText(), QStringLiteral("NEEDLE"));
}

void TestMessageView::findBarStepsThroughMatches() {
    FindBar bar;
    bar.show();
    QSignalSpy changed(&bar, &FindBar::searchChanged);
    QSignalSpy older(&bar, &FindBar::findOlder);
    QSignalSpy newer(&bar, &FindBar::findNewer);
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("needle"));
    // Enter applies a new text at once, then steps.
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toString(), QStringLiteral("needle"));
    QCOMPARE(older.size(), 0);
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(older.size(), 1);
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(newer.size(), 1);
    QCOMPARE(changed.size(), 1);
}

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"
