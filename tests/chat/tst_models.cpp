// SPDX-License-Identifier: Apache-2.0
// MessageModel, UserModel, the filter proxies and the Outbox without a network:
// ordering, batching (signal counts), renames, grouping, caps, history prepend, persistence.

#include "chat/localdays.h"
#include "chat/messagebatch.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"
#include "chat/messagerowview.h"
#include "chat/onlineuserfilter.h"
#include "chat/outbox.h"
#include "chat/readmarker.h"
#include "chat/usermodel.h"
#include "nofilegrowth.h"

#include "quickstart_chat/message.h"
#include "quickstart_chat/messagetable.h"

#include "spacetime/bsatn/codec.h"
#include "spacetime/connection/manualclock.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chat;
using stdb::Identity;
using stdb::Timestamp;

namespace {

Identity id(int n) {
    return Identity(stdb::U256::fromUInt64(quint64(n)));
}
constexpr qint64 kMinute = 60LL * 1000 * 1000;
// Noon today in local time, so day-separator tests do not depend on the time zone.
qint64 noonUs() {
    return QDateTime(QDate::currentDate(), QTime(12, 0)).toMSecsSinceEpoch() * 1000;
}
ChatMessage msg(int sender, qint64 sentUs, const QString &text) {
    return {id(sender), Timestamp::fromMicros(sentUs), text};
}
// The rows FirstUnreadRole marks (at most one).
QList<int> firstUnreadRows(const QAbstractItemModel &m) {
    QList<int> out;
    for (int i = 0; i < m.rowCount(); ++i)
        if (m.index(i, 0).data(MessageModel::FirstUnreadRole).toBool())
            out << i;
    return out;
}
QStringList texts(const QAbstractItemModel &m) {
    QStringList out;
    for (int i = 0; i < m.rowCount(); ++i)
        out << m.index(i, 0).data(MessageModel::TextRole).toString();
    return out;
}
} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void messagesOrderedBySentThenArrival() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 t = noonUs();
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        m.resetMessages({msg(1, t + 3, QStringLiteral("c")), msg(2, t + 1, QStringLiteral("a")),
                         msg(1, t + 1, QStringLiteral("b"))});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(texts(m), (QStringList{"a", "b", "c"})); // tie keeps arrival order
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.addMessages({msg(2, t + 5, QStringLiteral("e")), msg(2, t + 4, QStringLiteral("d"))});
        QCOMPARE(inserted.size(), 1); // one batch, one insert
        QCOMPARE(texts(m), (QStringList{"a", "b", "c", "d", "e"}));
        m.addMessages({msg(3, t + 2, QStringLiteral("late"))}); // an out-of-order arrival
        QCOMPARE(texts(m), (QStringList{"a", "b", "late", "c", "d", "e"}));
        m.removeMessages({msg(3, t + 2, QStringLiteral("late"))});
        QCOMPARE(texts(m), (QStringList{"a", "b", "c", "d", "e"}));
    }

    void bigSnapshotIsOneReset() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<ChatMessage> many;
        for (int i = 0; i < 100000; ++i)
            many.append(msg(i % 7, noonUs() + i, QStringLiteral("message %1").arg(i)));
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        m.resetMessages(many);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(m.rowCount(), 100000);
    }

    void messageRowViewAgreesWithTheBindings() {
        // The fast path reads rows without the generated decoder: both must agree on every
        // row, including non-ASCII and empty text, and refuse the same bad ones.
        const QStringList samples{QString(), QStringLiteral("hi"),
                                  QStringLiteral("gr\u00fc\u00dfe \u2603 \U0001F600"),
                                  QString(300, QLatin1Char('x'))};
        for (int i = 0; i < samples.size(); ++i) {
            quickstart_chat::Message m{id(1000 + i), Timestamp::fromMicros(noonUs() + i),
                                       samples[i]};
            const QByteArray row = stdb::toBsatn(m);
            const std::optional<MessageRowView> v = decodeMessageRow(row);
            QVERIFY(v);
            const std::optional<quickstart_chat::Message> typed =
                quickstart_chat::MessageTable::decodeRow(row);
            QVERIFY(typed);
            QCOMPARE(v->sender, typed->sender);
            QCOMPARE(v->sent, typed->sent);
            QCOMPARE(QString::fromUtf8(v->text), typed->text);
            QVERIFY(v->text.data() >= row.constData() &&
                    v->text.data() + v->text.size() <= row.constData() + row.size());
            // Every proper prefix and one extra byte are refused, as by the bindings.
            for (qsizetype cut = 0; cut < row.size(); ++cut)
                QVERIFY(!decodeMessageRow(QByteArrayView(row).first(cut)));
            QVERIFY(!decodeMessageRow(row + QByteArray(1, '\0')));
        }
        quickstart_chat::Message bad{id(1), Timestamp::fromMicros(1), QStringLiteral("abcd")};
        QByteArray row = stdb::toBsatn(bad);
        row[row.size() - 2] = char(0xC3); // a lead byte followed by 'd': invalid UTF-8
        QVERIFY(!decodeMessageRow(row));
        QVERIFY(!quickstart_chat::MessageTable::decodeRow(row));
    }

    void rowsShareTheirBuffersAndReleaseThem() {
        // One buffer of packed rows, as the cache holds a frame: the model keeps a reference,
        // not a copy, and lets it go when the last row that points into it leaves.
        QByteArray frame;
        QList<std::pair<qsizetype, qsizetype>> spans;
        for (int i = 0; i < 5; ++i) {
            const QByteArray row = stdb::toBsatn(quickstart_chat::Message{
                id(i % 2), Timestamp::fromMicros(noonUs() + i), QStringLiteral("row %1").arg(i)});
            spans.append({frame.size(), row.size()});
            frame.append(row);
        }
        const QByteArray frameCopy = frame; // shared with `frame`
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setMaxMessages(4);
        {
            MessageBatch batch;
            for (const auto &[at, size] : std::as_const(spans))
                QVERIFY(batch.addRow(QByteArrayView(frame).sliced(at, size), frame));
            QVERIFY(!batch.addRow(QByteArrayView(frame).first(3), frame));
            QCOMPARE(batch.size(), 5);
            QCOMPARE(batch.buffers().size(), 1);
            QCOMPARE(batch.senders().size(), 2);
            m.resetMessages(std::move(batch));
        }
        frame = QByteArray(); // the model's reference keeps the bytes alive
        QVERIFY(!frameCopy.isDetached());
        QCOMPARE(texts(m), (QStringList{"row 1", "row 2", "row 3", "row 4"})); // capped
        QCOMPARE(m.bufferCount(), 1);
        QCOMPARE(m.bufferBytes(), frameCopy.size());
        // Our own message has a buffer of its own until it leaves.
        m.addOutgoing(7, QStringLiteral("mine"), Timestamp::fromMicros(noonUs() + 10),
                      DeliveryState::Pending);
        QCOMPARE(m.bufferCount(), 2);
        m.removeOutgoing(7);
        QCOMPARE(m.bufferCount(), 1);
        // A snapshot from other buffers replaces the rows: the frame is released.
        m.resetMessages({msg(3, noonUs() + 20, QStringLiteral("fresh"))});
        QCOMPARE(texts(m), (QStringList{"fresh"}));
        QCOMPARE(m.bufferCount(), 1);
        QVERIFY(frameCopy.isDetached()); // we hold the only reference again
        // Rows dropped by the cap and by removal release theirs as well.
        m.addMessages({msg(3, noonUs() + 21, QStringLiteral("a")),
                       msg(3, noonUs() + 22, QStringLiteral("b")),
                       msg(3, noonUs() + 23, QStringLiteral("c")),
                       msg(3, noonUs() + 24, QStringLiteral("d"))});
        QCOMPARE(texts(m), (QStringList{"a", "b", "c", "d"}));
        QCOMPARE(m.bufferCount(), 1); // "fresh" and its buffer are gone
        m.removeMessages({msg(3, noonUs() + 21, QStringLiteral("a")),
                          msg(3, noonUs() + 22, QStringLiteral("b")),
                          msg(3, noonUs() + 23, QStringLiteral("c")),
                          msg(3, noonUs() + 24, QStringLiteral("d"))});
        QCOMPARE(m.rowCount(), 0);
        QCOMPARE(m.bufferCount(), 0);
        QCOMPARE(m.bufferBytes(), 0);
    }

    void tiesKeepArrivalOrderAcrossBatches() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 t = noonUs();
        m.resetMessages({msg(1, t, QStringLiteral("a")), msg(2, t + 5, QStringLiteral("z"))});
        m.addMessages({msg(2, t, QStringLiteral("b")), msg(3, t, QStringLiteral("c"))});
        m.addMessages({msg(1, t, QStringLiteral("d"))});
        QCOMPARE(texts(m), (QStringList{"a", "b", "c", "d", "z"}));
        const int n =
            m.prependOlder({msg(1, t - 1, QStringLiteral("x")), msg(2, t - 1, QStringLiteral("y")),
                            msg(3, t, QStringLiteral("not older"))});
        QCOMPARE(n, 2);
        QCOMPARE(texts(m), (QStringList{"x", "y", "a", "b", "c", "d", "z"}));
    }

    void renameUpdatesOnlyTheSenderNameRole() {
        UserModel users;
        MessageModel m;
        QAbstractItemModelTester t1(&users, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setUserModel(&users);
        users.resetUsers({{id(1), std::nullopt, true}, {id(2), QStringLiteral("Bob"), true}});
        m.resetMessages({msg(1, noonUs(), QStringLiteral("hi")),
                         msg(2, noonUs() + 1, QStringLiteral("yo")),
                         msg(1, noonUs() + 2, QStringLiteral("again"))});
        QCOMPARE(m.index(0, 0).data(MessageModel::SenderNameRole).toString(), id(1).toShortHex());
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        users.upsert({id(1), QStringLiteral("Alice"), true});
        QCOMPARE(changed.size(), 1);
        const auto roles = changed.first().at(2).value<QList<int>>();
        QCOMPARE(roles, QList<int>{MessageModel::SenderNameRole});
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 2);
        QCOMPARE(m.index(2, 0).data(MessageModel::SenderNameRole).toString(),
                 QStringLiteral("Alice"));
    }

    // Expanded long messages are kept by message id (sender and time, or the outbox id), not
    // by row: they survive inserts above, resets, and are settable by id (the Quick client's
    // Find) or through the role (setData, the views' toggles).
    void expandedStateByMessageId() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(m.roleNames().value(MessageModel::ExpandedRole), QByteArray("expanded"));
        QCOMPARE(m.roleNames().value(MessageModel::MessageIdRole), QByteArray("messageId"));
        const qint64 t = noonUs();
        m.resetMessages({msg(1, t + 10, QStringLiteral("a")), msg(2, t + 10, QStringLiteral("b")),
                         msg(1, t + 20, QStringLiteral("c"))});
        m.addOutgoing(9, QStringLiteral("mine"), Timestamp::fromMicros(t + 30),
                      DeliveryState::Pending);
        const QString b = m.index(1).data(MessageModel::MessageIdRole).toString();
        QCOMPARE(b, id(2).toHex() + QStringLiteral(":") + QString::number(t + 10));
        QCOMPARE(m.index(3).data(MessageModel::MessageIdRole).toString(),
                 QStringLiteral("local:9"));
        for (int row = 0; row < m.rowCount(); ++row)
            QCOMPARE(m.rowOfMessage(m.messageId(row)), row);

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QVERIFY(m.setData(m.index(1), true, MessageModel::ExpandedRole));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{MessageModel::ExpandedRole});
        QVERIFY(m.isExpanded(b));
        // Same time, other sender: not the same message.
        QVERIFY(!m.index(0).data(MessageModel::ExpandedRole).toBool());
        QVERIFY(!m.setData(m.index(0), true, MessageModel::TextRole));

        // Older rows in above, a fresh snapshot: the state follows the message.
        m.prependOlder({msg(3, t - 100, QStringLiteral("old"))});
        QVERIFY(m.index(2).data(MessageModel::ExpandedRole).toBool());
        m.resetMessages({msg(1, t + 10, QStringLiteral("a")), msg(2, t + 10, QStringLiteral("b"))});
        QVERIFY(m.index(1).data(MessageModel::ExpandedRole).toBool());

        // By id; setting the same state again says nothing.
        changed.clear();
        QVERIFY(m.setExpanded(m.messageId(0), true));
        QVERIFY(m.setExpanded(m.messageId(0), true));
        QVERIFY(m.setExpanded(QStringLiteral("local:9"), true));
        QCOMPARE(changed.size(), 2);
        QVERIFY(m.index(0).data(MessageModel::ExpandedRole).toBool());
        QVERIFY(m.index(2).data(MessageModel::ExpandedRole).toBool()); // the outbox row
        QVERIFY(m.setExpanded(b, false));
        QVERIFY(!m.index(1).data(MessageModel::ExpandedRole).toBool());

        // A message not loaded yet (an unknown sender): remembered for when it comes.
        const QString later = id(5).toHex() + QStringLiteral(":") + QString::number(t + 50);
        QCOMPARE(m.rowOfMessage(later), -1);
        QVERIFY(m.setExpanded(later, true));
        m.addMessages({msg(5, t + 50, QStringLiteral("later"))});
        QCOMPARE(m.rowOfMessage(later), 2);
        QVERIFY(m.index(2).data(MessageModel::ExpandedRole).toBool());

        // Malformed ids change nothing.
        for (const QString &bad : {QString(), QStringLiteral("local:"), QStringLiteral("local:0"),
                                   QStringLiteral("xyz:12"), QStringLiteral("12"),
                                   id(1).toHex() + QStringLiteral(":soon")}) {
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("malformed")));
            QVERIFY(!m.setExpanded(bad, true));
            QCOMPARE(m.rowOfMessage(bad), -1);
            QVERIFY(!m.isExpanded(bad));
        }
    }

    void mentionsMeRoleFollowsOurName() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(m.roleNames().value(MessageModel::MentionsMeRole), QByteArray("mentionsMe"));
        m.setOwnIdentity(id(1));
        m.resetMessages({msg(2, noonUs(), QStringLiteral("hey alice, look")),
                         msg(1, noonUs() + 1, QStringLiteral("alice here")), // our own
                         msg(2, noonUs() + 2, QStringLiteral("thanks @Carol")),
                         msg(3, noonUs() + 3, QStringLiteral("malice"))});
        m.addOutgoing(7, QStringLiteral("I am alice"), Timestamp::fromMicros(noonUs() + 4),
                      DeliveryState::Pending);
        auto mentioned = [&] {
            QList<bool> out;
            for (int i = 0; i < m.rowCount(); ++i)
                out << m.index(i, 0).data(MessageModel::MentionsMeRole).toBool();
            return out;
        };
        // No name yet: nobody can mention us.
        QCOMPARE(mentioned(), (QList<bool>{false, false, false, false, false}));

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setOwnName(QStringLiteral("Alice"));
        // One change over every row, of that role only.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), m.rowCount() - 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(),
                 QList<int>{MessageModel::MentionsMeRole});
        // Others' messages only: not our own confirmed one, not our outbox row.
        QCOMPARE(mentioned(), (QList<bool>{true, false, false, false, false}));

        m.setOwnName(QStringLiteral("Alice")); // unchanged: no signal
        QCOMPARE(changed.size(), 1);
        m.setOwnName(QStringLiteral("carol"));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(mentioned(), (QList<bool>{false, false, true, false, false}));

        // A message arriving later is matched too (when asked, not at insert).
        m.addMessages({msg(3, noonUs() + 10, QStringLiteral("CAROL!"))});
        const int row = m.rowCount() - 2; // the outbox row stays last
        QCOMPARE(m.index(row, 0).data(MessageModel::TextRole).toString(), QStringLiteral("CAROL!"));
        QVERIFY(m.index(row, 0).data(MessageModel::MentionsMeRole).toBool());
        QCOMPARE(m.mentions().name(), QStringLiteral("carol"));

        m.setOwnName(QString());
        QCOMPARE(mentioned(), (QList<bool>(m.rowCount(), false)));
    }

    void completionNamesAndCompleteName() {
        UserModel users;
        users.setSelf(id(1));
        users.resetUsers({{id(1), QStringLiteral("Bobcat"), true}, // us: never offered
                          {id(2), QStringLiteral("bob"), false},
                          {id(3), std::nullopt, true}, // unnamed
                          {id(4), QStringLiteral("Boris"), true},
                          {id(5), QStringLiteral("Zoe"), true}});
        QStringList names = users.completionNames();
        names.sort();
        QCOMPARE(names, (QStringList{"Boris", "Zoe", "bob"}));

        QVariantMap r = users.completeName(QStringLiteral("hi bo"), 5);
        QCOMPARE(r.value(QStringLiteral("text")).toString(), QStringLiteral("hi bob "));
        QCOMPARE(r.value(QStringLiteral("cursor")).toInt(), 7);
        QCOMPARE(r.value(QStringLiteral("from")).toInt(), 3);
        QCOMPARE(r.value(QStringLiteral("to")).toInt(), 5);
        QCOMPARE(r.value(QStringLiteral("insert")).toString(), QStringLiteral("bob "));
        r = users.completeName(QStringLiteral("hi bob "), 7);
        QCOMPARE(r.value(QStringLiteral("text")).toString(), QStringLiteral("hi Boris "));
        r = users.completeName(QStringLiteral("hi Boris "), 9, true);
        QCOMPARE(r.value(QStringLiteral("text")).toString(), QStringLiteral("hi bob "));
        users.endNameCompletion();
        QVERIFY(users.completeName(QStringLiteral("hi bob "), 7).isEmpty());
        QVERIFY(users.completeName(QStringLiteral("hi xy"), 5).isEmpty());
    }

    void groupingAndDaySeparators() {
        MessageModel m;
        const qint64 t = noonUs();
        m.resetMessages({msg(1, t - 24 * 60 * kMinute, QStringLiteral("yesterday")),
                         msg(1, t, QStringLiteral("first")),
                         msg(1, t + kMinute, QStringLiteral("same group")),
                         msg(2, t + 2 * kMinute, QStringLiteral("other sender")),
                         msg(2, t + 20 * kMinute, QStringLiteral("after a pause"))});
        auto first = [&](int r) {
            return m.index(r, 0).data(MessageModel::FirstOfGroupRole).toBool();
        };
        auto day = [&](int r) { return m.index(r, 0).data(MessageModel::DayChangedRole).toBool(); };
        QVERIFY(day(0) && first(0));
        QVERIFY(day(1) && first(1));
        QVERIFY(!day(2) && !first(2));
        QVERIFY(!day(3) && first(3));
        QVERIFY(!day(4) && first(4));
    }

    void outgoingRowsStayAfterConfirmedOnes() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setOwnIdentity(id(9));
        m.resetMessages({msg(1, noonUs(), QStringLiteral("old"))});
        m.addOutgoing(1, QStringLiteral("mine, pending"), Timestamp::fromMicros(noonUs() + 10),
                      DeliveryState::Pending);
        m.addMessages({msg(2, noonUs() + 20, QStringLiteral("theirs, newer"))});
        QCOMPARE(texts(m), (QStringList{"old", "theirs, newer", "mine, pending"}));
        const int row = m.rowOfOutgoing(1);
        QCOMPARE(row, 2);
        QVERIFY(m.index(row, 0).data(MessageModel::IsOwnRole).toBool());
        m.setOutgoingState(1, DeliveryState::Failed, QStringLiteral("Messages must not be empty"));
        QCOMPARE(m.index(row, 0).data(MessageModel::DeliveryStateRole).value<DeliveryState>(),
                 DeliveryState::Failed);
        QCOMPARE(m.index(row, 0).data(MessageModel::ErrorRole).toString(),
                 QStringLiteral("Messages must not be empty"));
        m.removeOutgoing(1);
        QCOMPARE(m.rowCount(), 2);
    }

    void outgoingBeforeOwnIdentityIsNotSomeoneElses() {
        // The identity arrives after the first snapshot: a message queued in between is ours,
        // not the first sender's in the model.
        MessageModel m;
        m.resetMessages({msg(1, noonUs(), QStringLiteral("theirs"))});
        m.addOutgoing(1, QStringLiteral("mine"), Timestamp::fromMicros(noonUs() + 10),
                      DeliveryState::Pending);
        const QModelIndex mine = m.index(m.rowOfOutgoing(1), 0);
        QVERIFY(mine.data(MessageModel::IsOwnRole).toBool());
        QVERIFY(!m.index(0, 0).data(MessageModel::IsOwnRole).toBool());
        QVERIFY(mine.data(MessageModel::SenderIdentityRole) !=
                m.index(0, 0).data(MessageModel::SenderIdentityRole));
        QVERIFY(mine.data(MessageModel::FirstOfGroupRole).toBool());
        m.setOwnIdentity(id(9));
        QVERIFY(mine.data(MessageModel::IsOwnRole).toBool());
        QVERIFY(!m.index(0, 0).data(MessageModel::IsOwnRole).toBool());
    }

    void ownIdentityRegroupsOutboxRows() {
        // Outbox rows are ours whoever we turn out to be: when the identity arrives, a pending
        // message right after one of our confirmed ones joins its group, and the views are told
        // (dataChanged names the grouping role, or a delegate keeps the old header and height).
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 t = noonUs();
        // The order of a start: the outbox is loaded, then the snapshot, then who we are.
        m.addOutgoing(1, QStringLiteral("mine, pending"), Timestamp::fromMicros(t + 10),
                      DeliveryState::Pending);
        m.resetMessages({msg(7, t, QStringLiteral("mine, confirmed"))});
        const int row = m.rowOfOutgoing(1);
        QCOMPARE(row, 1);
        QVERIFY(m.index(row, 0).data(MessageModel::FirstOfGroupRole).toBool());
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setOwnIdentity(id(7));
        QVERIFY(!m.index(row, 0).data(MessageModel::FirstOfGroupRole).toBool());
        bool told = false;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const QModelIndex first = args.at(0).toModelIndex();
            const QModelIndex last = args.at(1).toModelIndex();
            const auto roles = args.at(2).value<QList<int>>();
            if (first.row() <= row && row <= last.row() &&
                roles.contains(MessageModel::FirstOfGroupRole))
                told = true;
        }
        QVERIFY(told);
    }

    void prependOlderIsOneInsertAtTheTop() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 t = noonUs();
        m.resetMessages({msg(1, t, QStringLiteral("now"))});
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy older(&m, &MessageModel::olderPrepended);
        const int n = m.prependOlder({msg(1, t - 2, QStringLiteral("older")),
                                      msg(1, t - 3, QStringLiteral("oldest")),
                                      msg(1, t, QStringLiteral("now"))}); // overlap ignored
        QCOMPARE(n, 2);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 1);
        QCOMPARE(older.first().at(0).toInt(), 2);
        QCOMPARE(texts(m), (QStringList{"oldest", "older", "now"}));
        QCOMPARE(m.oldestSent()->micros(), t - 3);
    }

    void capDropsTheOldest() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setMaxMessages(3);
        m.resetMessages({msg(1, 1, QStringLiteral("1")), msg(1, 2, QStringLiteral("2")),
                         msg(1, 3, QStringLiteral("3")), msg(1, 4, QStringLiteral("4"))});
        QCOMPARE(texts(m), (QStringList{"2", "3", "4"}));
        m.addMessages({msg(1, 5, QStringLiteral("5"))});
        QCOMPARE(texts(m), (QStringList{"3", "4", "5"}));
    }

    void prependPastTheCapUnloadsTheNewest() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setMaxMessages(4);
        m.resetMessages({msg(1, 10, QStringLiteral("10")), msg(1, 11, QStringLiteral("11")),
                         msg(1, 12, QStringLiteral("12"))});
        m.addOutgoing(7, QStringLiteral("mine"), Timestamp::fromMicros(13), DeliveryState::Pending);
        QSignalSpy unloaded(&m, &MessageModel::newerUnloadedChanged);
        QCOMPARE(m.prependOlder({msg(1, 8, QStringLiteral("8")), msg(1, 9, QStringLiteral("9"))}),
                 2);
        // Reading old history: the cap holds, the newest confirmed rows go (not the outbox).
        QCOMPARE(texts(m), (QStringList{"8", "9", "10", "11", "mine"}));
        QCOMPARE(m.confirmedCount(), 4);
        QVERIFY(m.newerUnloaded());
        QCOMPARE(unloaded.count(), 1);
        // Repeated loads stay within the cap.
        for (int i = 0; i < 5; ++i)
            m.prependOlder({msg(1, 7 - 2 * i, QStringLiteral("a%1").arg(i)),
                            msg(1, 6 - 2 * i, QStringLiteral("b%1").arg(i))});
        QCOMPARE(m.confirmedCount(), 4);
        QCOMPARE(texts(m).first(), QStringLiteral("b4"));
        // A live message newer than the loaded ones waits for the reload; older ones go in.
        const QStringList before = texts(m);
        const qsizetype buffers = m.bufferCount();
        m.addMessages({msg(2, 50, QStringLiteral("live"))});
        QCOMPARE(texts(m), before);
        QCOMPARE(m.bufferCount(), buffers); // the skipped row's buffer was released
        // Asking for the newest: the request goes out; a reset clears the state.
        QSignalSpy requested(&m, &MessageModel::newestRequested);
        m.reloadNewest();
        QCOMPARE(requested.count(), 1);
        m.resetMessages({msg(1, 12, QStringLiteral("12")), msg(2, 50, QStringLiteral("live"))});
        QVERIFY(!m.newerUnloaded());
        QCOMPARE(texts(m), (QStringList{"12", "live", "mine"}));
        m.reloadNewest();
        QCOMPARE(requested.count(), 1); // nothing to reload
    }

    void canFetchMoreAsksForOlderHistory() {
        // No QAbstractItemModelTester here: it calls fetchMore() itself after every change.
        MessageModel m;
        QSignalSpy changed(&m, &MessageModel::canFetchMoreChanged);
        QSignalSpy requested(&m, &MessageModel::fetchMoreRequested);
        QVERIFY(!m.canFetchMore({}));
        m.fetchMore({});
        QCOMPARE(requested.count(), 0); // nothing known to be older: no request
        m.setCanFetchOlder(true);
        QCOMPARE(changed.count(), 1);
        QVERIFY(m.canFetchMore({}));
        QVERIFY(m.property("canFetchOlder").toBool());
        m.resetMessages({msg(1, 1, QStringLiteral("1"))});
        QVERIFY(!m.canFetchMore(m.index(0, 0))); // a list: only the root fetches
        m.fetchMore({});
        QCOMPARE(requested.count(), 1);
        QVERIFY(QMetaObject::invokeMethod(&m, "fetchOlder"));
        QCOMPARE(requested.count(), 2);
        // The view-facing proxy does not let a stock view fetch at its end (rows go on top).
        MessageFilterModel filter;
        filter.setSourceModel(&m);
        QVERIFY(!filter.canFetchMore({}));
        filter.fetchMore({});
        QCOMPARE(requested.count(), 2);
    }

    void batchTakesItsNewest() {
        MessageBatch b = MessageBatch::fromMessages(
            {msg(1, 5, QStringLiteral("5")), msg(2, 1, QStringLiteral("1")),
             msg(1, 3, QStringLiteral("3")), msg(2, 4, QStringLiteral("4"))});
        MessageBatch newest = b.takeNewest(3);
        QCOMPARE(newest.size(), 3);
        QCOMPARE(b.size(), 1);
        QCOMPARE(b.message(0).text, QStringLiteral("1"));
        QStringList got;
        for (qsizetype i = 0; i < newest.size(); ++i)
            got << newest.message(i).text;
        QCOMPARE(got, (QStringList{"3", "4", "5"}));
        QCOMPARE(newest.message(1).sender, id(2));
        QCOMPARE(b.takeNewest(5).size(), 1);
        QVERIFY(b.isEmpty());
    }

    void batchReservesOnce() {
        // 120 000 items are 4.8 MB, enough for the huge-page advice to apply.
        const QByteArray owner("hello");
        MessageBatch b;
        b.add(id(1), stdb::Timestamp::fromMicros(1), QByteArrayView(owner).first(1), owner);
        const qsizetype n = 120000;
        b.reserve(n);
        const MessageBatch::Item *storage = b.items().constData();
        for (qsizetype i = 1; i < n; ++i)
            b.add(id(int(i % 3)), stdb::Timestamp::fromMicros(1 + i), owner, owner);
        QCOMPARE(b.items().constData(), storage); // filled without moving
        QCOMPARE(b.size(), n);
        QCOMPARE(b.message(0).text, QStringLiteral("h"));
        QCOMPARE(b.message(n - 1).text, QStringLiteral("hello"));
        // The model takes the storage over and grows it for the next message.
        MessageModel m;
        m.resetMessages(std::move(b));
        m.addMessages({msg(2, 1 + n, QStringLiteral("next"))});
        QCOMPARE(m.rowCount(), int(n + 1));
        QCOMPARE(m.index(int(n), 0).data(MessageModel::TextRole).toString(),
                 QStringLiteral("next"));
        QCOMPARE(m.index(0, 0).data(MessageModel::TextRole).toString(), QStringLiteral("h"));
    }

    void markupIsKeptLiterally() {
        MessageModel m;
        const QString html = QStringLiteral("<b>bold</b> <img src=x onerror=alert(1)> &amp;");
        m.resetMessages({msg(1, 1, html)});
        QCOMPARE(m.index(0, 0).data(MessageModel::TextRole).toString(), html);
    }

    void searchFilter() {
        UserModel users;
        users.resetUsers(
            {{id(1), QStringLiteral("Alice"), true}, {id(2), QStringLiteral("Bob"), true}});
        MessageModel m;
        m.setUserModel(&users);
        m.resetMessages({msg(1, 1, QStringLiteral("Hello World")), msg(2, 2, QStringLiteral("bye")),
                         msg(2, 3, QStringLiteral("ALICE is here"))});
        MessageFilterModel f;
        QAbstractItemModelTester tester(&f, QAbstractItemModelTester::FailureReportingMode::QtTest);
        f.setSourceModel(&m);
        f.setSearchText(QStringLiteral("world"));
        QCOMPARE(texts(f), QStringList{"Hello World"});
        f.setSearchText(QStringLiteral("alice")); // sender name or text, any case
        QCOMPARE(texts(f), (QStringList{"Hello World", "ALICE is here"}));
        f.setSearchText(QString());
        QCOMPARE(f.rowCount(), 3);
    }

    void usersSortOnlineFirstAndMoveOnChange() {
        UserModel users;
        QAbstractItemModelTester tester(&users,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        users.setSelf(id(3));
        users.resetUsers({{id(1), QStringLiteral("zed"), true},
                          {id(2), QStringLiteral("amy"), false},
                          {id(3), QStringLiteral("bob"), true}});
        auto names = [&] {
            QStringList out;
            for (int i = 0; i < users.rowCount(); ++i)
                out << users.index(i, 0).data(UserModel::DisplayNameRole).toString();
            return out;
        };
        QCOMPARE(names(), (QStringList{"bob", "zed", "amy"}));
        QVERIFY(users.index(0, 0).data(UserModel::IsSelfRole).toBool());
        QCOMPARE(users.onlineCount(), 2);
        QSignalSpy moved(&users, &QAbstractItemModel::rowsMoved);
        QSignalSpy reset(&users, &QAbstractItemModel::modelReset);
        QSignalSpy renamed(&users, &UserModel::userRenamed);
        users.upsert({id(2), QStringLiteral("amy"), true}); // comes online
        QCOMPARE(names(), (QStringList{"amy", "bob", "zed"}));
        QCOMPARE(moved.size(), 1);
        QCOMPARE(users.onlineCount(), 3);
        users.upsert({id(1), QStringLiteral("aaron"), true}); // rename moves it up
        QCOMPARE(names(), (QStringList{"aaron", "amy", "bob"}));
        QCOMPARE(renamed.size(), 1);
        QCOMPARE(renamed.first().at(2).toString(), QStringLiteral("aaron"));
        users.upsert({id(4), std::nullopt, false}); // unnamed newcomer
        QCOMPARE(users.displayName(id(4)), id(4).toShortHex());
        QCOMPARE(reset.size(), 0);
        OnlineUserFilter online;
        online.setSourceModel(&users);
        QCOMPARE(online.rowCount(), 3);
        online.setOnlineOnly(false);
        QCOMPARE(online.rowCount(), 4);
    }

    void outboxPersistsAndNeverResendsInFlight() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        qint64 a, b, c;
        {
            Outbox box(path);
            QVERIFY(box.load());
            a = box.add(QStringLiteral("first"));
            b = box.add(QStringLiteral("second"));
            c = box.add(QStringLiteral("third"));
            QCOMPARE(box.nextToSend(), a);
            box.markInFlight(a);
            QCOMPARE(box.nextToSend(), b);
            box.markFailed(b, QStringLiteral("Messages must not be empty"));
        } // the app stops with `first` in flight
        Outbox again(path);
        QVERIFY(again.load());
        QCOMPARE(again.entries().size(), 3);
        QCOMPARE(again.entry(a)->state, DeliveryState::Unconfirmed); // not sent twice
        QCOMPARE(again.entry(b)->state, DeliveryState::Failed);
        QCOMPARE(again.entry(b)->error, QStringLiteral("Messages must not be empty"));
        QCOMPARE(again.nextToSend(), c);
        // The unconfirmed one shows up on the server: matched by text and time window.
        QCOMPARE(again.match(QStringLiteral("first"), Timestamp::now()), a);
        QCOMPARE(
            again.match(QStringLiteral("first"),
                        Timestamp::fromMicros(Timestamp::now().micros() + 3600LL * 1000 * 1000)),
            0);
        QCOMPARE(again.match(QStringLiteral("other"), Timestamp::now()), 0);
        again.remove(a);
        again.retry(b);
        QCOMPARE(again.entry(b)->state, DeliveryState::Pending);
        const qint64 d = again.add(QStringLiteral("fourth"));
        QVERIFY(d > c); // ids never reused
    }

    void outboxSaveBatchWritesOnceAtTheEnd() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        Outbox box(path);
        const auto onDisk = [&] {
            box.flush(); // the writer thread has written everything handed to it
            Outbox reread(path);
            if (!reread.load())
                return QStringList{QStringLiteral("<unreadable>")};
            QStringList out;
            for (const Outbox::Entry &e : reread.entries())
                out.append(e.text + QLatin1Char('/') + QString::number(int(e.state)));
            return out;
        };
        QVERIFY(box.load());
        const qint64 a = box.add(QStringLiteral("a")); // no batch: handed to the writer at once
        QCOMPARE(onDisk(), QStringList{QStringLiteral("a/%1").arg(int(DeliveryState::Pending))});
        {
            const Outbox::SaveBatch outer(&box);
            box.add(QStringLiteral("b"));
            {
                const Outbox::SaveBatch inner(&box);
                box.markFailed(a, QStringLiteral("no"));
            }
            // The inner batch ended inside the outer one: still nothing written.
            QCOMPARE(onDisk(),
                     QStringList{QStringLiteral("a/%1").arg(int(DeliveryState::Pending))});
        }
        QCOMPARE(onDisk(), (QStringList{QStringLiteral("a/%1").arg(int(DeliveryState::Failed)),
                                        QStringLiteral("b/%1").arg(int(DeliveryState::Pending))}));
        {
            // A batch without changes writes nothing (the file stays as it is).
            QFile::remove(path);
            const Outbox::SaveBatch idle(&box);
            QVERIFY(box.entry(a));
        }
        QVERIFY(!QFile::exists(path));
        box.remove(a);
        QCOMPARE(onDisk(), QStringList{QStringLiteral("b/%1").arg(int(DeliveryState::Pending))});
    }

    void outboxWritesInTheBackgroundAndReportsIt() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        Outbox box(path);
        QVERIFY(box.load());
        QSignalSpy saved(&box, &Outbox::saved);
        QSignalSpy failed(&box, &Outbox::saveFailed);
        QCOMPARE(box.saveRequested(), quint64(0));
        for (int i = 0; i < 50; ++i)
            box.add(QStringLiteral("m%1").arg(i));
        QCOMPARE(box.saveRequested(), quint64(50)); // one snapshot per change, none waited for
        // Done in order; a burst may be coalesced, so the last report is for the newest.
        QTRY_VERIFY(!saved.isEmpty() && saved.constLast().at(0).toULongLong() == 50);
        QCOMPARE(box.saveCompleted(), quint64(50));
        QVERIFY(failed.isEmpty());
        Outbox again(path);
        QVERIFY(again.load());
        QCOMPARE(again.entries().size(), 50);
        QCOMPARE(again.entries().constLast().text, QStringLiteral("m49"));
    }

    void outboxSaveFailureIsReportedOnce() {
        QTemporaryDir dir;
        // A directory that does not exist: every write fails, even as root.
        const QString path = dir.filePath(QStringLiteral("missing/outbox.json"));
        Outbox box(path);
        QVERIFY(box.load());
        QSignalSpy saved(&box, &Outbox::saved);
        QSignalSpy failed(&box, &Outbox::saveFailed);
        box.add(QStringLiteral("one"));
        QVERIFY(saved.wait());
        box.add(QStringLiteral("two"));
        QTRY_COMPARE(box.saveCompleted(), quint64(2));
        QTRY_VERIFY(!saved.isEmpty() && saved.constLast().at(0).toULongLong() == 2);
        QCOMPARE(failed.size(), 1); // not once per write
        QVERIFY(failed.at(0).at(0).toString().contains(path));
        QCOMPARE(box.entries().size(), 2); // nothing lost in memory
        // The directory appears: the next write succeeds, and a later failure is reported again.
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("missing")));
        box.add(QStringLiteral("three"));
        QTRY_VERIFY(saved.constLast().at(0).toULongLong() == 3);
        QCOMPARE(failed.size(), 1);
        QVERIFY(QFile::exists(path));
        QVERIFY(QDir(dir.filePath(QStringLiteral("missing"))).removeRecursively());
        box.add(QStringLiteral("four"));
        QTRY_COMPARE(failed.size(), 2);
    }

    void outboxFullDiskKeepsTheLastSavedFile() {
        // A write that fails for lack of space (here: a file size limit of 0, which stops root
        // too) must leave the previous outbox file whole, not replace it with an empty one.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        Outbox box(path);
        QVERIFY(box.load());
        QSignalSpy saved(&box, &Outbox::saved);
        QSignalSpy failed(&box, &Outbox::saveFailed);
        box.add(QStringLiteral("kept"));
        QVERIFY(saved.wait());
        {
            const NoFileGrowth full;
            QVERIFY(full.active());
            box.add(QStringLiteral("lost on disk"));
            QTRY_COMPARE(box.saveCompleted(), quint64(2));
        }
        QCOMPARE(failed.size(), 1);
        Outbox again(path);
        QVERIFY(again.load());
        QCOMPARE(again.entries().size(), 1);
        QCOMPARE(again.entries().constFirst().text, QStringLiteral("kept"));
        QCOMPARE(box.entries().size(), 2); // nothing lost in memory
    }

    void outboxFlushesWhenDestroyed() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        {
            Outbox box(path);
            QVERIFY(box.load());
            for (int i = 0; i < 20; ++i)
                box.add(QStringLiteral("quit%1").arg(i));
        } // quitting right after typing
        Outbox again(path);
        QVERIFY(again.load());
        QCOMPARE(again.entries().size(), 20);
    }

    void localDaysAgreeWithTheTimeZoneDatabase() {
        // Day numbers from cached offsets equal QDateTime's dates in that zone: around both DST
        // changes of a year, far back, before 1970, and in random order (cache spans thrash).
        for (const QByteArray &id :
             {QByteArrayLiteral("Europe/Berlin"), QByteArrayLiteral("America/St_Johns"),
              QByteArrayLiteral("Australia/Lord_Howe"), QByteArrayLiteral("UTC")}) {
            const QTimeZone zone(id);
            QVERIFY2(zone.isValid(), id.constData());
            const LocalDays days(zone);
            const QDate epoch(1970, 1, 1);
            auto expected = [&](qint64 ms) {
                return epoch.daysTo(QDateTime::fromMSecsSinceEpoch(ms, zone).date());
            };
            QList<qint64> instants;
            const qint64 spring =
                QDateTime(QDate(2026, 3, 29), QTime(1, 0), QTimeZone::utc()).toMSecsSinceEpoch();
            const qint64 autumn =
                QDateTime(QDate(2026, 10, 25), QTime(1, 0), QTimeZone::utc()).toMSecsSinceEpoch();
            for (qint64 base : {spring, autumn})
                for (qint64 m = -26 * 60; m <= 26 * 60; m += 15)
                    instants.append(base + m * 60 * 1000);
            instants.append(-1);
            instants.append(-86400000LL * 365 * 20 + 12345);
            quint32 seed = 12345;
            for (int i = 0; i < 2000; ++i) {
                seed = seed * 1664525u + 1013904223u;
                instants.append(qint64(seed % (86400u * 365 * 4)) * 1000 + 1600000000000LL);
            }
            for (qint64 ms : std::as_const(instants))
                QCOMPARE(days.day(ms), expected(ms));
        }
    }

    void corruptOutboxIsKeptAside() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("outbox.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{not json");
        f.close();
        Outbox box(path);
        QString error;
        QVERIFY(!box.load(&error));
        QVERIFY(error.contains(QStringLiteral("corrupt")));
        QVERIFY(QFile::exists(path + QStringLiteral(".corrupt")));
        QVERIFY(box.isEmpty());
    }

    // Only others' confirmed messages after the position are unread; the line goes above the
    // first of them, and the role follows rows as they come and go.
    void unreadFollowsTheReadPosition() {
        MessageModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setOwnIdentity(id(1));
        const qint64 t = noonUs();
        m.resetMessages({msg(2, t + 1, QStringLiteral("a")), msg(1, t + 2, QStringLiteral("b")),
                         msg(2, t + 3, QStringLiteral("c"))});
        ReadMarker marker(&m);
        QCOMPARE(marker.unreadCount(), 0); // no position yet: nothing is unread
        QCOMPARE(marker.firstUnreadRow(), -1);
        marker.startIfUnset(t - 1000); // a new profile starts with everything read
        QCOMPARE(marker.position()->sentUs, t + 3);
        QCOMPARE(marker.position()->sender, id(2));
        QCOMPARE(marker.unreadCount(), 0);
        QVERIFY(firstUnreadRows(m).isEmpty());

        QSignalSpy count(&marker, &ReadMarker::unreadCountChanged);
        QSignalSpy roleChanged(&m, &QAbstractItemModel::dataChanged);
        // Ours, then two from others: ours is never unread, the line goes above "e".
        m.addOutgoing(7, QStringLiteral("typed"), Timestamp::fromMicros(t + 4),
                      DeliveryState::Pending);
        m.addMessages({msg(1, t + 4, QStringLiteral("d")), msg(2, t + 5, QStringLiteral("e")),
                       msg(3, t + 6, QStringLiteral("f"))});
        QCOMPARE(marker.unreadCount(), 2);
        QCOMPARE(count.size(), 1);
        QCOMPARE(marker.firstUnreadRow(), 4);
        QCOMPARE(firstUnreadRows(m), QList<int>{4});
        QVERIFY(std::any_of(roleChanged.cbegin(), roleChanged.cend(), [](const QList<QVariant> &a) {
            return a.at(0).toModelIndex().row() == 4 &&
                   a.at(2).value<QList<int>>().contains(MessageModel::FirstUnreadRole);
        }));
        QCOMPARE(m.roleNames().value(MessageModel::FirstUnreadRole), QByteArray("firstUnread"));
        // The first unread one is deleted: the next one carries the line.
        m.removeMessages({msg(2, t + 5, QStringLiteral("e"))});
        QCOMPARE(firstUnreadRows(m), QList<int>{4});
        QCOMPARE(m.index(4, 0).data(MessageModel::TextRole).toString(), QStringLiteral("f"));
        QCOMPARE(marker.unreadCount(), 1);
        // A late arrival before it takes the line over.
        m.addMessages({msg(2, t + 3 + 1, QStringLiteral("late"))});
        QCOMPARE(texts(m).at(marker.firstUnreadRow()), QStringLiteral("late"));
        QCOMPARE(firstUnreadRows(m).size(), 1);
        QCOMPARE(marker.unreadCount(), 2);
        // Everything read: no line, no count.
        marker.markAllRead();
        QCOMPARE(marker.unreadCount(), 0);
        QVERIFY(firstUnreadRows(m).isEmpty());
        QCOMPARE(marker.position()->sentUs, t + 6);
    }

    // A new profile with nothing loaded: every message at or after the start of the
    // subscribed window is unread, one stamped exactly at the bound too (this was a flaky e2e
    // test when the clocks had millisecond precision). Our clock plays no part: here it runs
    // ten minutes ahead of the server's timestamps, and the messages the server stamps
    // meanwhile still count; an older page loaded later does not.
    void emptyStartCountsEverythingInTheWindow() {
        stdb::ManualClock clock;
        const qint64 t = noonUs();
        const qint64 tenMinutes = qint64(10) * 60 * 1000 * 1000;
        clock.setWallTime(Timestamp::fromMicros(t + tenMinutes));
        MessageModel m;
        m.setOwnIdentity(id(1));
        ReadMarker marker(&m, &clock);
        const qint64 windowStart = t - qint64(7) * 24 * 3600 * 1000 * 1000;
        marker.startIfUnset(windowStart);
        QVERIFY(marker.position());
        QCOMPARE(marker.position()->sentUs, windowStart - 1);
        QCOMPARE(marker.unreadCount(), 0);
        m.addMessages({msg(2, windowStart, QStringLiteral("at the bound")),
                       msg(2, t, QStringLiteral("now")), msg(2, t + 1, QStringLiteral("later"))});
        QCOMPARE(marker.unreadCount(), 3);
        QCOMPARE(marker.firstUnreadRow(), 0);
        QCOMPARE(m.prependOlder({msg(3, windowStart - 5, QStringLiteral("older page"))}), 1);
        QCOMPARE(marker.unreadCount(), 3);
        QCOMPARE(texts(m).at(marker.firstUnreadRow()), QStringLiteral("at the bound"));
    }

    // The position moves only while the window is attended and the newest message is on
    // screen, after the delay, and only up to the message that was newest when that began.
    void readPositionMovesAfterTheNewestWasSeen() {
        stdb::ManualClock clock;
        MessageModel m;
        m.setOwnIdentity(id(1));
        const qint64 t = noonUs();
        m.resetMessages({msg(2, t, QStringLiteral("old"))});
        ReadMarker marker(&m, &clock);
        marker.startIfUnset(t - 1000);
        m.addMessages({msg(2, t + 1, QStringLiteral("one"))});
        QCOMPARE(marker.unreadCount(), 1);

        // Not attended, or attended but scrolled away: nothing moves however long it waits.
        marker.setNewestVisible(true);
        clock.advance(ReadMarker::kSeenDelay * 3);
        QCOMPARE(marker.unreadCount(), 1);
        marker.setNewestVisible(false);
        marker.setAttended(true);
        clock.advance(ReadMarker::kSeenDelay * 3);
        QCOMPARE(marker.unreadCount(), 1);

        // Both: after the delay, not before.
        marker.setNewestVisible(true);
        clock.advance(ReadMarker::kSeenDelay - std::chrono::milliseconds(1));
        QCOMPARE(marker.unreadCount(), 1);
        m.addMessages({msg(3, t + 2, QStringLiteral("two"))}); // arrives while waiting
        QCOMPARE(marker.unreadCount(), 2);
        clock.advance(std::chrono::milliseconds(1));
        // "one" was seen long enough; "two" only just arrived.
        QCOMPARE(marker.position()->sentUs, t + 1);
        QCOMPARE(marker.unreadCount(), 1);
        QCOMPARE(texts(m).at(marker.firstUnreadRow()), QStringLiteral("two"));
        clock.advance(ReadMarker::kSeenDelay);
        QCOMPARE(marker.unreadCount(), 0);
        QCOMPARE(marker.position()->sentUs, t + 2);
        QCOMPARE(clock.activeTimers(), 0);

        // Leaving the window stops the wait.
        m.addMessages({msg(2, t + 3, QStringLiteral("three"))});
        clock.advance(ReadMarker::kSeenDelay / 2);
        marker.setAttended(false);
        clock.advance(ReadMarker::kSeenDelay * 2);
        QCOMPARE(marker.unreadCount(), 1);
    }

    // The position is kept per server and database and comes back with the same first unread
    // message and count.
    void readPositionSurvivesARestart() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.ini"));
        const QString key = QStringLiteral("http://127.0.0.1:3000|quickstart-chat");
        const qint64 t = noonUs();
        const QList<ChatMessage> rows{
            msg(2, t, QStringLiteral("a")), msg(2, t + 1, QStringLiteral("b")),
            msg(3, t + 2, QStringLiteral("c")), msg(1, t + 3, QStringLiteral("mine")),
            msg(2, t + 4, QStringLiteral("d"))};
        {
            MessageModel m;
            m.setOwnIdentity(id(1));
            m.resetMessages(rows.mid(0, 2));
            ReadMarker marker(&m);
            marker.setStorage(path, key);
            QVERIFY(!marker.position());
            marker.startIfUnset(t - 1000);
            m.addMessages(rows.mid(2));
            QCOMPARE(marker.unreadCount(), 2);
            QCOMPARE(marker.firstUnreadRow(), 2);
        }
        QVERIFY(QFile::exists(path));
        MessageModel m;
        m.setOwnIdentity(id(1));
        ReadMarker marker(&m);
        marker.setStorage(path, key);
        QCOMPARE(marker.position(), (ReadMarker::Position{t + 1, id(2)}));
        m.resetMessages(rows);
        QCOMPARE(marker.unreadCount(), 2);
        QCOMPARE(marker.firstUnreadRow(), 2);
        QCOMPARE(firstUnreadRows(m), QList<int>{2});
        // Another database of the same profile has its own position.
        ReadMarker other(nullptr);
        other.setStorage(path, QStringLiteral("http://127.0.0.1:3000|another"));
        QVERIFY(!other.position());
        // Not kept at all.
        ReadMarker memory(nullptr);
        memory.setStorage(QStringLiteral(":memory:"), key);
        QVERIFY(!memory.position());
    }

    // Unread messages the model does not hold stay counted: unloaded by the cap while reading
    // old history, or older than the loaded window (no line then: its place is not loaded).
    void unreadCountStaysHonestAcrossCapAndPaging() {
        MessageModel m;
        m.setOwnIdentity(id(1));
        m.setMaxMessages(5);
        const qint64 t = noonUs();
        QList<ChatMessage> rows;
        for (int i = 0; i < 5; ++i)
            rows << msg(2, t + 10 + i, QStringLiteral("m%1").arg(i));
        m.resetMessages(rows);
        ReadMarker marker(&m);
        m.setReadUpTo(t + 11); // m0, m1 read
        QCOMPARE(marker.unreadCount(), 3);
        QCOMPARE(marker.firstUnreadRow(), 2);
        // Older history past the cap unloads the newest rows; they are still unread.
        QCOMPARE(m.prependOlder(
                     {msg(2, t + 1, QStringLiteral("o1")), msg(2, t + 2, QStringLiteral("o2"))}),
                 2);
        QVERIFY(m.newerUnloaded());
        QCOMPARE(marker.unreadCount(), 3); // m2 loaded, m3 and m4 not
        QCOMPARE(texts(m).at(marker.firstUnreadRow()), QStringLiteral("m2"));
        // Live messages while unloaded are not added, but counted.
        m.addMessages(
            {msg(3, t + 20, QStringLiteral("live")), msg(1, t + 21, QStringLiteral("ours"))});
        QCOMPARE(marker.unreadCount(), 4);
        // Seen while unloaded: not the newest, so nothing moves.
        marker.setAttended(true);
        marker.setNewestVisible(true);
        marker.markAllRead();
        QCOMPARE(m.readUpTo(), std::optional<qint64>(t + 11));
        marker.setAttended(false);
        // The newest come back: counted as rows again.
        m.resetMessages(rows + QList<ChatMessage>{msg(3, t + 20, QStringLiteral("live"))});
        QCOMPARE(marker.unreadCount(), 4);
        QCOMPARE(marker.firstUnreadRow(), 1); // trimmed to the cap of 5: m1..m4, live

        // A position older than everything loaded while older history exists: the first unread
        // is not loaded, so no line; the loaded ones count.
        m.setReadUpTo(t);
        m.setCanFetchOlder(true);
        QCOMPARE(marker.firstUnreadRow(), -1);
        QVERIFY(firstUnreadRows(m).isEmpty());
        QCOMPARE(marker.unreadCount(), 5);
        m.setCanFetchOlder(false); // nothing older: the first loaded row is the first unread
        QCOMPARE(firstUnreadRows(m), QList<int>{0});
        // The cap dropping the oldest never crashes or miscounts what is loaded.
        m.addMessages({msg(2, t + 30, QStringLiteral("n1")), msg(2, t + 31, QStringLiteral("n2"))});
        QCOMPARE(m.rowCount(), 5);
        QCOMPARE(marker.unreadCount(), 5);
        QCOMPARE(firstUnreadRows(m), QList<int>{0});
    }

    void validation() {
        QCOMPARE(validateName(QStringLiteral("  ")), QStringLiteral("Names must not be empty"));
        QVERIFY(!validateName(QString(65, u'x')).isEmpty());
        QVERIFY(validateName(QString(64, u'x')).isEmpty());
        QCOMPARE(validateMessage(QStringLiteral("\n\t ")),
                 QStringLiteral("Messages must not be empty"));
        QVERIFY(!validateMessage(QString(8193, u'x')).isEmpty());
        QVERIFY(validateMessage(QString(8192, u'x')).isEmpty());
    }

    void nameCommandIsOnlySlashName() {
        QCOMPARE(nameCommand(QStringLiteral("/name Bob")),
                 std::optional<QString>(QStringLiteral("Bob")));
        QCOMPARE(nameCommand(QStringLiteral("  /name   Mary Ann \n")),
                 std::optional<QString>(QStringLiteral("Mary Ann")));
        QCOMPARE(nameCommand(QStringLiteral("/name")), std::optional<QString>(QString()));
        QCOMPARE(nameCommand(QStringLiteral("/name   ")), std::optional<QString>(QString()));
        QVERIFY(!nameCommand(QStringLiteral("/names are nice")));
        QVERIFY(!nameCommand(QStringLiteral("/nameBob")));
        QVERIFY(!nameCommand(QStringLiteral("say /name Bob")));
        QVERIFY(!nameCommand(QStringLiteral("/NAME Bob")));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
