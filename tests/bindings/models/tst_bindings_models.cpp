// SPDX-License-Identifier: Apache-2.0
// The generated table models (quickstart-chat's UserTableModel and MessageTableModel) fed through
// the real connection and cache by a scripted server, under QAbstractItemModelTester: roles,
// inserts, deletes, primary-key updates that report only the changed roles, and the model
// following unsubscribes, a resync and the loss of its table handle. Also the generated rows
// as Q_GADGETs.

#include "quickstartfeed.h"

#include "quickstart_chat/messagetablemodel.h"
#include "quickstart_chat/usertablemodel.h"

#include <QAbstractItemModelTester>
#include <QMetaProperty>
#include <QSignalSpy>
#include <QTest>

using quickstart_chat::MessageTableModel;
using quickstart_chat::UserTableModel;
using Feed = QuickstartFeed;

namespace {

// The roles of one dataChanged emission, sorted.
QList<int> rolesOf(const QList<QVariant> &signalArgs) {
    QList<int> roles = signalArgs.at(2).value<QList<int>>();
    std::sort(roles.begin(), roles.end());
    return roles;
}

QList<int> sorted(QList<int> roles) {
    std::sort(roles.begin(), roles.end());
    return roles;
}

QString nameAt(const UserTableModel &m, int row) {
    return m.data(m.index(row), UserTableModel::NameRole).toString();
}

} // namespace

class TestBindingsModels : public QObject {
    Q_OBJECT

    std::unique_ptr<Feed> feed;

    // A model under the tester (Fatal: any inconsistency aborts the test).
    template <typename M, typename T>
    std::unique_ptr<M> watched(T *table, std::unique_ptr<QAbstractItemModelTester> *tester) {
        std::unique_ptr<M> model(table->createModel());
        tester->reset(new QAbstractItemModelTester(
            model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal));
        return model;
    }

private slots:
    void init() {
        feed = std::make_unique<Feed>();
        QVERIFY(feed->start());
    }
    void cleanup() { feed.reset(); }

    void rolesAreColumns() {
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        const QHash<int, QByteArray> names = model->roleNames();
        QCOMPARE(names.value(UserTableModel::IdentityRole), QByteArray("identity"));
        QCOMPARE(names.value(UserTableModel::NameRole), QByteArray("name"));
        QCOMPARE(names.value(UserTableModel::OnlineRole), QByteArray("online"));
        QCOMPARE(names.value(stdb::TableModel::RowRole), QByteArray("row"));
        QCOMPARE(names.value(Qt::DisplayRole), QByteArray("display"));
        QCOMPARE(int(UserTableModel::IdentityRole), int(stdb::TableModel::FirstColumnRole));
        QCOMPARE(model->roleForColumn(QStringLiteral("online")), int(UserTableModel::OnlineRole));
        QCOMPARE(model->roleForColumn(QStringLiteral("nope")), -1);
        QCOMPARE(model->tableColumnCount(), 3);
        QCOMPARE(model->table(), feed->module()->user());
        QCOMPARE(model->rowCount(), 0);
    }

    void snapshotThenInserts() {
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy count(model.get(), &stdb::TableModel::countChanged);
        QVERIFY(feed->subscribe({Feed::user(1, QStringLiteral("ann")), Feed::user(2, {}, false)}));
        QCOMPARE(inserted.size(), 1); // the whole snapshot in one range
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(count.size(), 1);
        QCOMPARE(model->rowCount(), 2);
        const int ann = model->rowOf(Feed::ident(1));
        const int anon = model->rowOf(Feed::ident(2));
        QCOMPARE(sorted({ann, anon}), (QList<int>{0, 1}));
        QCOMPARE(model->data(model->index(ann), UserTableModel::IdentityRole),
                 QVariant(Feed::ident(1).toHex()));
        QCOMPARE(model->data(model->index(ann), UserTableModel::NameRole),
                 QVariant(QStringLiteral("ann")));
        QCOMPARE(model->data(model->index(ann), UserTableModel::OnlineRole), QVariant(true));
        // No name: an invalid QVariant (undefined in QML), not an empty string.
        QVERIFY(!model->data(model->index(anon), UserTableModel::NameRole).isValid());
        QCOMPARE(model->data(model->index(anon), UserTableModel::OnlineRole), QVariant(false));
        // Display: column 0 unless told otherwise.
        QCOMPARE(model->data(model->index(ann), Qt::DisplayRole), QVariant(Feed::ident(1).toHex()));
        QCOMPARE(model->row(ann), std::optional(Feed::user(1, QStringLiteral("ann"))));
        QVERIFY(!model->row(2));
        QVERIFY(!model->row(-1));

        // A later insert is appended.
        inserted.clear();
        QVERIFY(feed->transaction(QStringLiteral("user"),
                                  {Feed::bytes(Feed::user(3, QStringLiteral("cy")))}, {}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);
        QCOMPARE(model->rowOf(Feed::ident(3)), 2);
        QCOMPARE(nameAt(*model, 2), QStringLiteral("cy"));
        QCOMPARE(model->get(2).value(QStringLiteral("name")), QVariant(QStringLiteral("cy")));
        QCOMPARE(model->rowOf(Feed::ident(9)), -1);
    }

    void updateReportsChangedRolesOnly() {
        QVERIFY(feed->subscribe(
            {Feed::user(1, QStringLiteral("ann")), Feed::user(2, QStringLiteral("bob"))}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        const int bob = model->rowOf(Feed::ident(2));
        QVERIFY(bob >= 0);
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);

        QVERIFY(feed->setUser(2, QStringLiteral("bobby"), true));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), bob);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), bob);
        QCOMPARE(rolesOf(changed.at(0)),
                 sorted({stdb::TableModel::RowRole, UserTableModel::NameRole}));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(model->rowOf(Feed::ident(2)), bob); // an update keeps the position
        QCOMPARE(nameAt(*model, bob), QStringLiteral("bobby"));

        // The display column follows: with it on `online`, Qt::DisplayRole changes too.
        model->setDisplayColumn(2);
        changed.clear();
        QVERIFY(feed->setUser(2, QStringLiteral("bobby"), false));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rolesOf(changed.at(0)),
                 sorted({Qt::DisplayRole, stdb::TableModel::RowRole, UserTableModel::OnlineRole}));
        QCOMPARE(model->data(model->index(bob), Qt::DisplayRole), QVariant(false));
        QCOMPARE(model->rowCount(), 2);
    }

    void deletesInRanges() {
        QList<quickstart_chat::User> users;
        for (int n = 1; n <= 5; ++n)
            users << Feed::user(n, QStringLiteral("u%1").arg(n));
        QVERIFY(feed->subscribe(users));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        QCOMPARE(model->rowCount(), 5);
        // Three rows in one message; whichever positions they have, the rest keep their order.
        QList<QString> before;
        for (int i = 0; i < 5; ++i)
            before << nameAt(*model, i);
        QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy count(model.get(), &stdb::TableModel::countChanged);
        QVERIFY(feed->transaction(
            QStringLiteral("user"), {},
            {Feed::bytes(users[0]), Feed::bytes(users[2]), Feed::bytes(users[4])}));
        int gone = 0;
        for (const QList<QVariant> &r : std::as_const(removed))
            gone += r.at(2).toInt() - r.at(1).toInt() + 1;
        QCOMPARE(gone, 3);
        QVERIFY(removed.size() <= 3);
        QCOMPARE(count.size(), 1);
        QCOMPARE(model->rowCount(), 2);
        before.removeAll(QStringLiteral("u1"));
        before.removeAll(QStringLiteral("u3"));
        before.removeAll(QStringLiteral("u5"));
        QCOMPARE((QList<QString>{nameAt(*model, 0), nameAt(*model, 1)}), before);
    }

    void tableWithoutPrimaryKey() {
        QVERIFY(feed->subscribe({}, {Feed::message(QStringLiteral("one"))}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<MessageTableModel>(feed->module()->message(), &tester);
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(feed->transaction(QStringLiteral("message"),
                                  {Feed::bytes(Feed::message(QStringLiteral("two"))),
                                   Feed::bytes(Feed::message(QStringLiteral("three")))},
                                  {}));
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(model->data(model->index(1), MessageTableModel::TextRole).toString(),
                 QStringLiteral("two"));
        QCOMPARE(model->data(model->index(2), MessageTableModel::TextRole).toString(),
                 QStringLiteral("three"));
        // Timestamp: a QDateTime; Identity: hex.
        QCOMPARE(model->data(model->index(0), MessageTableModel::SentRole),
                 QVariant(stdb::Timestamp::fromMicros(1700000000000000).toDateTime()));
        QCOMPARE(model->data(model->index(0), MessageTableModel::SenderRole),
                 QVariant(Feed::ident(1).toHex()));
        QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
        QVERIFY(feed->transaction(QStringLiteral("message"), {},
                                  {Feed::bytes(Feed::message(QStringLiteral("two")))}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(removed.at(0).at(2).toInt(), 1);
        QCOMPARE(model->data(model->index(1), MessageTableModel::TextRole).toString(),
                 QStringLiteral("three"));
    }

    void unsubscribeEmpties() {
        QVERIFY(
            feed->subscribe({Feed::user(1), Feed::user(2)}, {Feed::message(QStringLiteral("m"))}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto users = watched<UserTableModel>(feed->module()->user(), &tester);
        QCOMPARE(users->rowCount(), 2);
        QSignalSpy removed(users.get(), &QAbstractItemModel::rowsRemoved);
        QVERIFY(feed->unsubscribe());
        QCOMPARE(users->rowCount(), 0);
        QCOMPARE(removed.size(), 1);
    }

    void resyncKeepsModelEqualToCache() {
        QVERIFY(feed->subscribe({Feed::user(1, QStringLiteral("ann")),
                                 Feed::user(2, QStringLiteral("bob")), Feed::user(3)}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
        // The fresh snapshot renames bob, loses user 3 and adds user 4; ann is unchanged.
        QVERIFY(feed->resync({Feed::user(1, QStringLiteral("ann")),
                              Feed::user(2, QStringLiteral("bobby")), Feed::user(4)},
                             {}));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rolesOf(changed.at(0)),
                 sorted({stdb::TableModel::RowRole, UserTableModel::NameRole}));
        QVERIFY(model->rowOf(Feed::ident(1)) >= 0);
        QCOMPARE(model->rowOf(Feed::ident(3)), -1);
        QCOMPARE(model->rowOf(Feed::ident(4)), 2);
        QCOMPARE(nameAt(*model, model->rowOf(Feed::ident(2))), QStringLiteral("bobby"));
        // Equal to the cache, row for row.
        QCOMPARE(model->rowCount(), int(feed->module()->user()->count()));
        for (int i = 0; i < model->rowCount(); ++i)
            QCOMPARE(feed->module()->user()->findByIdentity(model->row(i)->identity),
                     model->row(i));
    }

    void reconnectKeepsModelEqualToCache() {
        QVERIFY(feed->subscribe(
            {Feed::user(1, QStringLiteral("ann")), Feed::user(2, QStringLiteral("bob"))},
            {Feed::message(QStringLiteral("one")), Feed::message(QStringLiteral("two"))}));
        std::unique_ptr<QAbstractItemModelTester> tester, messageTester;
        auto users = watched<UserTableModel>(feed->module()->user(), &tester);
        auto messages = watched<MessageTableModel>(feed->module()->message(), &messageTester);
        QSignalSpy changed(users.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(users.get(), &QAbstractItemModel::modelReset);
        QSignalSpy messagesRemoved(messages.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy messagesInserted(messages.get(), &QAbstractItemModel::rowsInserted);
        // After the reconnect bob is offline, message "two" is gone and "three" is new.
        QVERIFY(feed->reconnect(
            {Feed::user(1, QStringLiteral("ann")), Feed::user(2, QStringLiteral("bob"), false)},
            {Feed::message(QStringLiteral("one")), Feed::message(QStringLiteral("three"))}));
        QCOMPARE(reset.size(), 0);
        QCOMPARE(users->rowCount(), 2);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), users->rowOf(Feed::ident(2)));
        QCOMPARE(rolesOf(changed.at(0)),
                 sorted({stdb::TableModel::RowRole, UserTableModel::OnlineRole}));
        QCOMPARE(messagesRemoved.size(), 1);
        QCOMPARE(messagesInserted.size(), 1);
        QCOMPARE(messages->rowCount(), 2);
        QCOMPARE(messages->data(messages->index(1), MessageTableModel::TextRole).toString(),
                 QStringLiteral("three"));
    }

    void rowsCachedBeforeTheModel() {
        QVERIFY(feed->subscribe({Feed::user(1, QStringLiteral("ann"))}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(nameAt(*model, 0), QStringLiteral("ann"));
    }

    void tableHandleGone() {
        QVERIFY(feed->subscribe({Feed::user(1)}));
        std::unique_ptr<QAbstractItemModelTester> tester;
        auto model = watched<UserTableModel>(feed->module()->user(), &tester);
        QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
        feed->dropModule();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!model->table());
    }

    void rowsAreGadgets() {
        QVERIFY(feed->subscribe({Feed::user(1, QStringLiteral("ann"))}));
        std::unique_ptr<UserTableModel> model(feed->module()->user()->createModel());
        const QVariant row = model->data(model->index(0), stdb::TableModel::RowRole);
        QCOMPARE(row.metaType(), QMetaType::fromType<quickstart_chat::User>());
        const QMetaObject *mo = row.metaType().metaObject();
        QVERIFY(mo);
        QCOMPARE(mo->propertyCount(), 3);
        QCOMPARE(mo->property(0).name(), "identity");
        QCOMPARE(mo->property(0).metaType(), QMetaType::fromType<QString>());
        QCOMPARE(mo->property(0).readOnGadget(row.constData()), QVariant(Feed::ident(1).toHex()));
        QCOMPARE(mo->property(1).readOnGadget(row.constData()), QVariant(QStringLiteral("ann")));
        QCOMPARE(mo->property(2).name(), "online");
        QCOMPARE(mo->property(2).readOnGadget(row.constData()), QVariant(true));
        QCOMPARE(model->rowValue(0), row);
        QVERIFY(!model->rowValue(1).isValid());
    }
};

QTEST_GUILESS_MAIN(TestBindingsModels)
#include "tst_bindings_models.moc"
