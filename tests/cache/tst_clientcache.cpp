// SPDX-License-Identifier: Apache-2.0
// The client cache on its own: reference counts across query sets, inserts before deletes,
// primary-key updates, event tables, dropped sets, invariant violations, resync reconciliation.

#include "quickstartrows.h"
#include "spacetime/cache/clientcache.h"
#include "spacetime/cache/largeblock.h"
#include "spacetime/hugepages.h"

#include <QRandomGenerator>
#include <QTest>

#include <cstring>

using namespace stdb;
using namespace stdb::protocol;

namespace {

Identity identity(int n) {
    return Identity(U256::fromUInt64(quint64(n)));
}

QByteArray userRow(int id, const std::optional<QString> &name, bool online) {
    return testing::userRow(identity(id), name, online);
}

QByteArray messageRow(int sender, qint64 sent, const QString &text) {
    return testing::messageRow(identity(sender), Timestamp::fromMicros(sent), text);
}

// Builds one SingleTableRows / TableUpdate list quickly.
SingleTableRows rows(const QString &table, const QList<QByteArray> &list) {
    return {table, RowList::fromRows(list)};
}

TableUpdate update(const QString &table, const QList<QByteArray> &inserts,
                   const QList<QByteArray> &deletes) {
    return {table, {PersistentTableRows{RowList::fromRows(inserts), RowList::fromRows(deletes)}}};
}

QByteArrayView identityKey(QByteArrayView row) {
    return row.size() >= 32 ? row.first(32) : QByteArrayView();
}

QList<QByteArray> bytesOf(const QList<const RowEntry *> &entries) {
    QList<QByteArray> out;
    for (const RowEntry *e : entries)
        out.append(e->bytes().toByteArray());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestClientCache : public QObject {
    Q_OBJECT

    ClientCache *cache = nullptr;
    TableCache *users = nullptr;
    TableCache *messages = nullptr;

private slots:
    void init() {
        cache = new ClientCache;
        users = cache->addTable(QStringLiteral("user"));
        users->setPrimaryKey(QStringLiteral("identity"), identityKey);
        messages = cache->addTable(QStringLiteral("message"));
        messages->addIndex(QStringLiteral("sender"), identityKey, false);
    }
    void cleanup() {
        delete cache;
        cache = nullptr;
    }

    void subscribeAppliedInsertsEveryRow() {
        const QList<QByteArray> us{userRow(1, {}, true), userRow(2, QStringLiteral("Bob"), false)};
        const QList<QByteArray> ms{messageRow(1, 10, QStringLiteral("hi")),
                                   messageRow(2, 11, QStringLiteral("hello"))};
        QueryRows qr{{rows(QStringLiteral("user"), us), rows(QStringLiteral("message"), ms)}};
        CacheChanges ch = cache->applySubscribeApplied(1, qr);
        QCOMPARE(ch.tables.size(), 2);
        QCOMPARE(ch.tables[0].table, users); // registration order
        QCOMPARE(ch.tables[1].table, messages);
        QCOMPARE(bytesOf(ch.tables[0].inserted), QList<QByteArray>(us.begin(), us.end()));
        QCOMPARE(users->count(), 2);
        QCOMPARE(messages->count(), 2);
        QVERIFY(users->find(us[1]));
        QCOMPARE(users->findByPrimaryKey(identity(2).toWireBytes())->bytes(),
                 QByteArrayView(us[1]));
        QCOMPARE(messages->filter(QStringLiteral("sender"), identity(1).toWireBytes()).size(), 1);
        QVERIFY(ch.violations.isEmpty());
        QVERIFY(ch.unknownTables.isEmpty());
    }

    void duplicatesAcrossQuerySetsAreRefCounted() {
        const QByteArray m = messageRow(1, 10, QStringLiteral("hi"));
        // The same row delivered twice in one set (two queries) and once by another set.
        CacheChanges a =
            cache->applySubscribeApplied(1, QueryRows{{rows(QStringLiteral("message"), {m}),
                                                       rows(QStringLiteral("message"), {m})}});
        QCOMPARE(a.tables[0].inserted.size(), 1);
        CacheChanges b =
            cache->applySubscribeApplied(2, QueryRows{{rows(QStringLiteral("message"), {m})}});
        QVERIFY(b.isEmpty()); // already present: silent
        QCOMPARE(messages->find(m)->refCount(), 3u);

        CacheChanges c =
            cache->applyUnsubscribeApplied(1, QueryRows{{rows(QStringLiteral("message"), {m, m})}});
        QVERIFY(c.isEmpty()); // still delivered by set 2
        QCOMPARE(messages->find(m)->refCount(), 1u);
        CacheChanges d = cache->applyUnsubscribeApplied(2, std::nullopt); // no rows sent
        QCOMPARE(d.tables.size(), 1);
        QCOMPARE(bytesOf(d.tables[0].deleted), QList<QByteArray>{m});
        QCOMPARE(messages->count(), 0);
    }

    void insertsApplyBeforeDeletes() {
        const QByteArray m = messageRow(1, 10, QStringLiteral("hi"));
        (void)cache->applySubscribeApplied(1, QueryRows{{rows(QStringLiteral("message"), {m})}});
        // One transaction deletes the row via one query set and inserts it via another.
        TransactionUpdate tx{{QuerySetUpdate{1, {update(QStringLiteral("message"), {}, {m})}},
                              QuerySetUpdate{2, {update(QStringLiteral("message"), {m}, {})}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QVERIFY(ch.isEmpty());
        QCOMPARE(messages->find(m)->refCount(), 1u);
        QCOMPARE(messages->find(m)->countFor(2), 1u);
        QCOMPARE(messages->find(m)->countFor(1), 0u);
    }

    void primaryKeyDeleteInsertIsAnUpdate() {
        const QByteArray before = userRow(7, {}, true);
        const QByteArray after = userRow(7, QStringLiteral("Ann"), true);
        const QByteArray other = userRow(8, {}, true);
        (void)cache->applySubscribeApplied(1, QueryRows{{rows(QStringLiteral("user"), {before})}});
        TransactionUpdate tx{
            {QuerySetUpdate{1, {update(QStringLiteral("user"), {after, other}, {before})}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QCOMPARE(ch.tables.size(), 1);
        const TableDelta &d = ch.tables[0];
        QCOMPARE(d.updated.size(), 1);
        QCOMPARE(d.updated[0].first->bytes(), QByteArrayView(before)); // still readable
        QCOMPARE(d.updated[0].second->bytes(), QByteArrayView(after));
        QCOMPARE(bytesOf(d.inserted), QList<QByteArray>{other});
        QVERIFY(d.deleted.isEmpty());
        QCOMPARE(users->findByPrimaryKey(identity(7).toWireBytes())->bytes(),
                 QByteArrayView(after));
        QCOMPARE(users->count(), 2);
    }

    // Index keys are views into row bytes: after the row that supplied a key is gone, the
    // index must not keep pointing into its freed buffer (two renames in a row once lost the
    // user: findByPrimaryKey returned nothing).
    void keysSurviveRepeatedUpdates() {
        (void)cache->applySubscribeApplied(
            1, QueryRows{{rows(QStringLiteral("user"), {userRow(7, {}, true)})}});
        auto scribble = [] {
            // Reuse the freed memory so that a dangling key cannot compare equal by luck.
            QList<QByteArray> junk;
            for (int i = 0; i < 64; ++i)
                junk.append(QByteArray(80 + i % 8, char(0xA5)));
        };
        for (int round = 0; round < 5; ++round) {
            const std::optional<QString> prevName =
                round == 0 ? std::nullopt : std::optional(QStringLiteral("n%1").arg(round - 1));
            const QByteArray prev = userRow(7, prevName, true);
            const QByteArray next = userRow(7, QStringLiteral("n%1").arg(round), true);
            {
                CacheChanges ch = cache->applyTransaction(TransactionUpdate{
                    {QuerySetUpdate{1, {update(QStringLiteral("user"), {next}, {prev})}}}});
                QCOMPARE(ch.tables.size(), 1);
                QCOMPARE(ch.tables[0].updated.size(), 1);
            }
            scribble();
            const RowEntry *e = users->findByPrimaryKey(identity(7).toWireBytes());
            QVERIFY2(e, qPrintable(QStringLiteral("lost after update %1").arg(round)));
            QCOMPARE(e->bytes(), QByteArrayView(next));
        }

        // A non-unique index whose first row leaves while another with the same key stays.
        const QByteArray first = messageRow(1, 10, QStringLiteral("first"));
        const QByteArray second = messageRow(1, 11, QStringLiteral("second"));
        const QByteArray third = messageRow(1, 12, QStringLiteral("third"));
        (void)cache->applySubscribeApplied(2,
                                           QueryRows{{rows(QStringLiteral("message"), {first})}});
        (void)cache->applyTransaction(TransactionUpdate{
            {QuerySetUpdate{2, {update(QStringLiteral("message"), {second}, {})}}}});
        (void)cache->applyTransaction(TransactionUpdate{
            {QuerySetUpdate{2, {update(QStringLiteral("message"), {}, {first})}}}});
        scribble();
        QCOMPARE(bytesOf(messages->filter(QStringLiteral("sender"), identity(1).toWireBytes())),
                 QList<QByteArray>{second});
        (void)cache->applyTransaction(TransactionUpdate{
            {QuerySetUpdate{2, {update(QStringLiteral("message"), {third}, {second})}}}});
        scribble();
        QCOMPARE(bytesOf(messages->filter(QStringLiteral("sender"), identity(1).toWireBytes())),
                 QList<QByteArray>{third});
    }

    void tablesWithoutKeyNeverUpdate() {
        const QByteArray a = messageRow(1, 10, QStringLiteral("a"));
        const QByteArray b = messageRow(1, 10, QStringLiteral("b"));
        (void)cache->applySubscribeApplied(1, QueryRows{{rows(QStringLiteral("message"), {a})}});
        CacheChanges ch = cache->applyTransaction(
            TransactionUpdate{{QuerySetUpdate{1, {update(QStringLiteral("message"), {b}, {a})}}}});
        QCOMPARE(ch.tables[0].inserted.size(), 1);
        QCOMPARE(ch.tables[0].deleted.size(), 1);
        QVERIFY(ch.tables[0].updated.isEmpty());
    }

    void repeatedTableEntriesAreMerged() {
        const QByteArray m1 = messageRow(1, 1, QStringLiteral("one"));
        const QByteArray m2 = messageRow(1, 2, QStringLiteral("two"));
        TransactionUpdate tx{{QuerySetUpdate{1,
                                             {update(QStringLiteral("message"), {m1}, {}),
                                              update(QStringLiteral("message"), {m2}, {})}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QCOMPARE(ch.tables.size(), 1);
        QCOMPARE(ch.tables[0].inserted.size(), 2);
    }

    void insertThenDeleteInOneMessageIsInvisible() {
        const QByteArray m = messageRow(1, 1, QStringLiteral("blink"));
        TransactionUpdate tx{{QuerySetUpdate{1, {update(QStringLiteral("message"), {m}, {m})}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QVERIFY(ch.isEmpty());
        QCOMPARE(messages->count(), 0);
    }

    void deleteOfAbsentRowIsReportedNotFatal() {
        const QByteArray m = messageRow(1, 1, QStringLiteral("ghost"));
        CacheChanges ch = cache->applyTransaction(
            TransactionUpdate{{QuerySetUpdate{1, {update(QStringLiteral("message"), {}, {m})}}}});
        QCOMPARE(ch.violations.size(), 1);
        QVERIFY(ch.violations[0].contains(QStringLiteral("message")));
        QCOMPARE(messages->count(), 0);
    }

    void unknownTablesAreReportedAndSkipped() {
        CacheChanges ch = cache->applySubscribeApplied(
            1, QueryRows{{rows(QStringLiteral("mystery"), {QByteArray("xyz")})}});
        QVERIFY(ch.isEmpty());
        QCOMPARE(ch.unknownTables, QStringList{QStringLiteral("mystery")});
    }

    void eventTablesAreNotStored() {
        TableCache *ev = cache->addTable(QStringLiteral("ping"));
        ev->setEventTable(true);
        const QByteArray row("\x01\x00\x00\x00", 4);
        TransactionUpdate tx{
            {QuerySetUpdate{1,
                            {TableUpdate{QStringLiteral("ping"),
                                         {EventTableRows{RowList::fromRows({row, row})}}}}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QCOMPARE(ch.tables.size(), 1);
        QCOMPARE(ch.tables[0].events.size(), 2);
        QCOMPARE(ev->count(), 0);
    }

    // While a resync builds its hidden replica, event rows are still reported when they
    // arrive, against the live table: they come once and are never part of any snapshot.
    void eventRowsDuringAResyncAreReportedAtOnce() {
        TableCache *ev = cache->addTable(QStringLiteral("ping"));
        ev->setEventTable(true);
        const QByteArray row("\x02\x00\x00\x00", 4);
        cache->beginResync();
        (void)cache->applySubscribeApplied(
            7,
            QueryRows{{rows(QStringLiteral("message"), {messageRow(1, 1, QStringLiteral("m"))})}});
        TransactionUpdate tx{{QuerySetUpdate{
            7,
            {TableUpdate{QStringLiteral("ping"), {EventTableRows{RowList::fromRows({row})}}},
             TableUpdate{QStringLiteral("message"),
                         {PersistentTableRows{
                             RowList::fromRows({messageRow(1, 2, QStringLiteral("n"))}), {}}}}}}}};
        CacheChanges ch = cache->applyTransaction(tx);
        QCOMPARE(ch.tables.size(), 1); // the message row waits for the swap
        QCOMPARE(ch.tables[0].table, ev);
        QCOMPARE(ch.tables[0].events.size(), 1);
        QCOMPARE(ch.tables[0].events[0], QByteArrayView(row));
        QCOMPARE(ev->count(), 0);
        CacheChanges swapped = cache->finishResync();
        QVERIFY(!swapped.delta(QStringLiteral("ping")));
        QCOMPARE(swapped.delta(QStringLiteral("message"))->inserted.size(), 2);
    }

    void droppedQuerySetTakesOnlyItsRows() {
        const QByteArray shared = messageRow(1, 1, QStringLiteral("both"));
        const QByteArray only1 = messageRow(1, 2, QStringLiteral("only in 1"));
        (void)cache->applySubscribeApplied(
            1, QueryRows{{rows(QStringLiteral("message"), {shared, only1})}});
        (void)cache->applySubscribeApplied(2,
                                           QueryRows{{rows(QStringLiteral("message"), {shared})}});
        CacheChanges ch = cache->dropQuerySet(1);
        QCOMPARE(bytesOf(ch.tables[0].deleted), QList<QByteArray>{only1});
        QCOMPARE(messages->count(), 1);
        QCOMPARE(messages->find(shared)->refCount(), 1u);
    }

    void deletedRowsStayReadableUntilChangesAreGone() {
        const QByteArray m = messageRow(3, 3, QStringLiteral("bye"));
        QByteArray frame = m; // the only owner of these bytes besides the cache
        (void)cache->applySubscribeApplied(1,
                                           QueryRows{{rows(QStringLiteral("message"), {frame})}});
        frame.clear();
        {
            CacheChanges ch = cache->applyUnsubscribeApplied(
                1, QueryRows{{rows(QStringLiteral("message"), {m})}});
            QCOMPARE(ch.tables[0].deleted.size(), 1);
            QCOMPARE(ch.tables[0].deleted[0]->bytes(), QByteArrayView(m));
        }
        QCOMPARE(messages->retainedBytes(), 0);
    }

    void resyncReportsOnlyTheDifference() {
        const QByteArray kept = messageRow(1, 1, QStringLiteral("kept"));
        const QByteArray gone = messageRow(1, 2, QStringLiteral("gone"));
        const QByteArray fresh = messageRow(1, 3, QStringLiteral("new"));
        const QByteArray u1 = userRow(1, {}, true);
        const QByteArray u1renamed = userRow(1, QStringLiteral("Zed"), true);
        (void)cache->applySubscribeApplied(1,
                                           QueryRows{{rows(QStringLiteral("message"), {kept, gone}),
                                                      rows(QStringLiteral("user"), {u1})}});
        cache->beginResync();
        // While resyncing, readers still see the old replica.
        (void)cache->applySubscribeApplied(
            1, QueryRows{{rows(QStringLiteral("message"), {kept, fresh}),
                          rows(QStringLiteral("user"), {u1renamed})}});
        QVERIFY(messages->find(gone));
        QVERIFY(!messages->find(fresh));
        CacheChanges ch = cache->finishResync();
        const TableDelta *md = ch.delta(QStringLiteral("message"));
        QVERIFY(md);
        QCOMPARE(bytesOf(md->inserted), QList<QByteArray>{fresh});
        QCOMPARE(bytesOf(md->deleted), QList<QByteArray>{gone});
        const TableDelta *ud = ch.delta(QStringLiteral("user"));
        QVERIFY(ud);
        QCOMPARE(ud->updated.size(), 1);
        QCOMPARE(ud->updated[0].first->bytes(), QByteArrayView(u1));
        QCOMPARE(messages->count(), 2);
        QVERIFY(messages->find(kept));
        QVERIFY(!messages->find(gone));
        QCOMPARE(users->findByPrimaryKey(identity(1).toWireBytes())->bytes(),
                 QByteArrayView(u1renamed));
    }

    void manyRowsSurviveChurn() {
        // A longer sequence cross-checked against a plain multiset model.
        QHash<QByteArray, int> model;
        for (int round = 0; round < 50; ++round) {
            QList<QByteArray> ins, del;
            for (int i = 0; i < 20; ++i) {
                const QByteArray r = messageRow(i % 5, (round * 7 + i) % 40, QStringLiteral("x"));
                ins.append(r);
            }
            for (auto it = model.cbegin(); it != model.cend() && del.size() < 15; ++it)
                if (it.value() > 0)
                    del.append(it.key());
            for (const auto &r : ins)
                ++model[r];
            for (const auto &r : del)
                --model[r];
            CacheChanges ch = cache->applyTransaction(TransactionUpdate{
                {QuerySetUpdate{1, {update(QStringLiteral("message"), ins, del)}}}});
            QVERIFY(ch.violations.isEmpty());
        }
        int present = 0;
        for (auto it = model.cbegin(); it != model.cend(); ++it) {
            if (it.value() > 0) {
                ++present;
                QVERIFY(messages->find(it.key()));
                QCOMPARE(int(messages->find(it.key())->refCount()), it.value());
            } else {
                QVERIFY(!messages->find(it.key()));
            }
        }
        QCOMPARE(messages->count(), present);
    }

    void largeChurnKeepsEveryRowFindable() {
        // Thousands of distinct rows coming and going: the row index grows several times, its
        // probe runs wrap around the table end and deletions shift runs back. Every row the
        // model holds must stay findable with its count, and no removed row may be found.
        QRandomGenerator rng(20261123);
        QHash<QByteArray, int> model;
        QList<QByteArray> universe;
        for (int i = 0; i < 6000; ++i)
            universe.append(messageRow(i % 97, i, QStringLiteral("r%1").arg(i)));
        for (int round = 0; round < 40; ++round) {
            QList<QByteArray> ins, del;
            for (int i = 0; i < 400; ++i)
                ins.append(universe[rng.bounded(int(universe.size()))]);
            for (auto it = model.cbegin(); it != model.cend() && del.size() < 300; ++it)
                if (it.value() > 0 && rng.bounded(3) == 0)
                    del.append(it.key());
            for (const auto &r : ins)
                ++model[r];
            for (const auto &r : del)
                --model[r];
            CacheChanges ch = cache->applyTransaction(TransactionUpdate{
                {QuerySetUpdate{1, {update(QStringLiteral("message"), ins, del)}}}});
            QVERIFY(ch.violations.isEmpty());
        }
        int present = 0;
        for (const QByteArray &r : std::as_const(universe)) {
            const int n = model.value(r);
            const RowEntry *e = messages->find(r);
            if (n > 0) {
                ++present;
                QVERIFY(e);
                QCOMPARE(int(e->refCount()), n);
            } else {
                QVERIFY(!e);
            }
        }
        QVERIFY(present > 1000);
        QCOMPARE(messages->count(), present);
    }

    void largeSnapshotThenChurn() {
        // 60k rows: the snapshot's entries come from one block large enough for huge pages
        // (LargeBlock); deletes free entries that later inserts reuse and row-by-row growth
        // adds blocks after the snapshot's one.
        constexpr int n = 60000;
        QList<QByteArray> snapshot;
        snapshot.reserve(n);
        for (int i = 0; i < n; ++i)
            snapshot.append(messageRow(i % 50, i, QStringLiteral("s%1").arg(i)));
        CacheChanges ch =
            cache->applySubscribeApplied(1, QueryRows{{rows(QStringLiteral("message"), snapshot)}});
        QVERIFY(ch.violations.isEmpty());
        QCOMPARE(ch.tables.value(0).inserted.size(), n);
        QCOMPARE(messages->count(), n);
        QList<QByteArray> del, ins;
        for (int i = 0; i < n; i += 3)
            del.append(snapshot[i]);
        for (int i = 0; i < 10000; ++i)
            ins.append(messageRow(i % 50, 200000 + i, QStringLiteral("n%1").arg(i)));
        ch = cache->applyTransaction(
            TransactionUpdate{{QuerySetUpdate{1, {update(QStringLiteral("message"), ins, del)}}}});
        QVERIFY(ch.violations.isEmpty());
        ch = CacheChanges(); // releases the deleted entries for reuse
        ch = cache->applyTransaction(TransactionUpdate{{QuerySetUpdate{
            1, {update(QStringLiteral("message"), {messageRow(1, 1, QStringLiteral("x"))}, {})}}}});
        QVERIFY(ch.violations.isEmpty());
        QCOMPARE(messages->count(), n - int(del.size()) + 10000 + 1);
        for (int i = 0; i < n; ++i) {
            const RowEntry *e = messages->find(snapshot[i]);
            if (i % 3 == 0) {
                QVERIFY(!e);
            } else {
                QVERIFY(e);
                QCOMPARE(e->bytes(), QByteArrayView(snapshot[i]));
                QCOMPARE(int(e->refCount()), 1);
            }
        }
        for (const QByteArray &r : std::as_const(ins))
            QVERIFY(messages->find(r));
        QCOMPARE(messages->filter(QStringLiteral("sender"), identity(7).toWireBytes()).size(),
                 800 + 200);
    }

    // LargeBlock: zeroed like calloc, every byte usable; from kAlignThreshold up (on Linux) it
    // starts on a 2 MiB boundary, so its huge pages cover it from the first byte on.
    void largeBlockZeroedAndAligned() {
        for (const size_t bytes :
             {size_t(1), size_t(4096) + 3, LargeBlock::kHugeThreshold - 1,
              LargeBlock::kHugeThreshold, LargeBlock::kHugeThreshold * 3 + 17,
              LargeBlock::kAlignThreshold - 1, LargeBlock::kAlignThreshold,
              LargeBlock::kAlignThreshold + LargeBlock::kHugeThreshold / 2 + 5}) {
            LargeBlock b(bytes);
            QCOMPARE(b.size(), bytes);
            QVERIFY(b.data());
            auto *p = static_cast<unsigned char *>(b.data());
            QCOMPARE(p[0], 0u);
            QCOMPARE(p[bytes / 2], 0u);
            QCOMPARE(p[bytes - 1], 0u);
            std::memset(p, 0xab, bytes);
            QCOMPARE(p[bytes - 1], 0xabu);
            const auto address = reinterpret_cast<quintptr>(b.data());
#ifdef Q_OS_LINUX
            if (bytes >= LargeBlock::kAlignThreshold)
                QCOMPARE(address % (quintptr(2) << 20), quintptr(0));
#endif
            LargeBlock moved(std::move(b));
            QCOMPARE(reinterpret_cast<quintptr>(moved.data()), address);
            QCOMPARE(moved.size(), bytes);
            QVERIFY(!b.data());
            LargeBlock assigned;
            assigned = std::move(moved);
            QCOMPARE(reinterpret_cast<quintptr>(assigned.data()), address);
        }
        QVERIFY(!LargeBlock(0).data());
    }

    // hugePageBuffer: a QByteArray of the size asked for, every byte writable; from 2 MiB up
    // (on Linux) its data starts on a 2 MiB boundary. It shrinks and detaches like any other.
    void hugePageBufferAligned() {
        for (const qsizetype size :
             {qsizetype(0), qsizetype(5000), qsizetype(kHugePageSize) - 1, qsizetype(kHugePageSize),
              qsizetype(kHugePageSize) * 5 + 12345}) {
            QByteArray b = hugePageBuffer(size);
            QCOMPARE(b.size(), size);
            if (size == 0)
                continue;
            std::memset(b.data(), 0x5a, size_t(size));
            QCOMPARE(b.at(size - 1), char(0x5a));
#ifdef Q_OS_LINUX
            if (size >= qsizetype(kHugePageSize))
                QCOMPARE(reinterpret_cast<quintptr>(b.constData()) % kHugePageSize, quintptr(0));
#endif
            const QByteArray shared = b;
            b.truncate(size / 2);
            QCOMPARE(b.size(), size / 2);
            QCOMPARE(shared.size(), size);
            QCOMPARE(shared.at(size - 1), char(0x5a));
        }
    }

    // Tables prepared elsewhere (a connection's decoder thread) are adopted into empty tables
    // and then behave exactly like ones applied here: keys, indexes, counts, later deletes.
    void preparedSnapshotAdopted() {
        QList<QByteArray> u, m;
        for (int i = 0; i < 50; ++i) {
            u.append(userRow(i, QStringLiteral("u%1").arg(i), true));
            m.append(messageRow(i % 3, i, QStringLiteral("m%1").arg(i)));
        }
        m.append(m[0]); // delivered twice by one set: one row, two references
        QueryRows qr{{rows(QStringLiteral("user"), u), rows(QStringLiteral("message"), m)}};
        const auto layout = cache->layout();
        const auto prepared = ClientCache::prepare(*layout, 1, qr);
        QVERIFY(prepared);
        CacheChanges c = cache->applySubscribeApplied(1, qr, prepared.get());
        QCOMPARE(c.tables.size(), 2);
        QCOMPARE(c.tables[0].table, users); // registration order, live tables
        QCOMPARE(c.tables[0].inserted.size(), 50);
        QCOMPARE(c.tables[1].inserted.size(), 50);
        QCOMPARE(users->count(), 50);
        QCOMPARE(messages->count(), 50);
        QCOMPARE(messages->find(m[0])->refCount(), 2u);
        QVERIFY(users->findByPrimaryKey(QByteArrayView(u[7]).first(32)));
        QCOMPARE(messages->filter(QStringLiteral("sender"), QByteArrayView(m[1]).first(32)).size(),
                 17);
        c = {};

        // A primary-key update and deletes right after, in one transaction.
        TransactionUpdate tu;
        tu.querySets.append(
            {1,
             {update(QStringLiteral("user"), {userRow(7, QStringLiteral("x"), false)}, {u[7]}),
              update(QStringLiteral("message"), {}, {m[0], m[1]})}});
        c = cache->applyTransaction(tu);
        QVERIFY(c.violations.isEmpty());
        QCOMPARE(c.delta(QStringLiteral("user"))->updated.size(), 1);
        QCOMPARE(c.delta(QStringLiteral("message"))->deleted.size(), 1); // m0 keeps one ref
        QCOMPARE(messages->count(), 49);
    }

    // A table that holds rows is not replaced: the snapshot is applied the ordinary way, and a
    // layout made before the configuration changed is not used.
    void preparedSnapshotNotAdopted() {
        const QList<QByteArray> m{messageRow(1, 1, QStringLiteral("a")),
                                  messageRow(1, 2, QStringLiteral("b"))};
        QueryRows qr{{rows(QStringLiteral("message"), m)}};
        auto prepared = ClientCache::prepare(*cache->layout(), 1, qr);
        CacheChanges c = cache->applySubscribeApplied(1, qr, prepared.get());
        QCOMPARE(c.tables.size(), 1);
        c = {};
        prepared = ClientCache::prepare(*cache->layout(), 2, qr);
        c = cache->applySubscribeApplied(2, qr, prepared.get());
        QVERIFY(c.isEmpty()); // both rows were there: references only
        QCOMPARE(messages->find(m[0])->refCount(), 2u);
        QCOMPARE(messages->find(m[0])->countFor(2), 1u);

        const auto stale = cache->layout();
        TableCache *late = cache->addTable(QStringLiteral("late"));
        prepared = ClientCache::prepare(*stale, 3, {{rows(QStringLiteral("late"), m)}});
        QVERIFY(!prepared); // the stale layout does not know the table
        const auto before = cache->layout();
        late->setPrimaryKey(QStringLiteral("k"), identityKey);
        QVERIFY(cache->layout() != before);
        prepared = ClientCache::prepare(*before, 3, {{rows(QStringLiteral("late"), m)}});
        QVERIFY(prepared);
        c = cache->applySubscribeApplied(3, {{rows(QStringLiteral("late"), m)}}, prepared.get());
        // Not adopted (built without the key): applied here with it, so the key index works.
        QCOMPARE(late->count(), 2);
        QVERIFY(late->findByPrimaryKey(QByteArrayView(m[0]).first(32)));
    }
};

QTEST_GUILESS_MAIN(TestClientCache)
#include "tst_clientcache.moc"
