// SPDX-License-Identifier: Apache-2.0
// NameDisambiguator and what UserModel / MessageModel make of it, without a network: names that
// look alike (case, Unicode normalisation, confusable letters) get an identity suffix while they
// collide and lose it when the collision ends; invisible names are shown as such; only the rows
// whose display changed are reported, with the display roles only. Also the user model's
// presence state while our connection is down.

#include "chat/messagemodel.h"
#include "chat/namedisambiguator.h"
#include "chat/usermodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace chat;
using stdb::Identity;

namespace {

// An identity whose hex starts with `prefix` (8 hex digits), so the suffixes differ.
Identity ident(const char *prefix) {
    const QString hex = QLatin1String(prefix) + QString(56, QLatin1Char('0'));
    bool ok = false;
    const Identity id = Identity::fromHex(hex, &ok);
    Q_ASSERT(ok);
    return id;
}

const Identity kA = ident("c0ffee12");
const Identity kB = ident("b0b0b0b0");
const Identity kC = ident("deadbeef");

// Cyrillic capital VE and small O: "Воb" looks like "Bob".
const QString kCyrillicBob = QString::fromUtf16(u"\u0412\u043Eb");

QList<Identity> sorted(QList<Identity> l) {
    std::sort(l.begin(), l.end());
    return l;
}

QString displayAt(const UserModel &m, const Identity &id) {
    return m.index(m.rowOf(id), 0).data(UserModel::DisplayNameRole).toString();
}

} // namespace

class TestNameDisambiguator : public QObject {
    Q_OBJECT
private slots:
    void keysTreatLookAlikesAsEqual_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("same") << "Bob"
                              << "Bob" << true;
        QTest::newRow("case") << "Bob"
                              << "bob" << true;
        QTest::newRow("upper") << "BOB"
                               << "bob" << true;
        QTest::newRow("cyrillic") << "Bob" << kCyrillicBob << true;
        QTest::newRow("cyrillic vs lower") << "bob" << kCyrillicBob << true;
        QTest::newRow("NFC vs NFD")
            << QString::fromUtf16(u"Jos\u00E9") << QString::fromUtf16(u"Jose\u0301") << true;
        QTest::newRow("fullwidth") << QString::fromUtf16(u"\uFF22\uFF4F\uFF42") << "Bob" << true;
        QTest::newRow("zero-width space") << QString::fromUtf16(u"B\u200Bob") << "Bob" << true;
        QTest::newRow("outer and double spaces") << " Bob  Smith "
                                                 << "Bob Smith" << true;
        QTest::newRow("l and I") << "AIice"
                                 << "Alice" << true;
        QTest::newRow("different") << "Bob"
                                   << "Rob" << false;
        QTest::newRow("accent matters") << QString::fromUtf16(u"Jos\u00E9") << "Jose" << false;
        QTest::newRow("space matters") << "Bob Smith"
                                       << "BobSmith" << false;
    }
    void keysTreatLookAlikesAsEqual() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, equal);
        const QString ka = NameDisambiguator::comparisonKey(a);
        const QString kb = NameDisambiguator::comparisonKey(b);
        QVERIFY(!ka.isEmpty());
        QVERIFY(!kb.isEmpty());
        QCOMPARE(ka == kb, equal);
    }

    void invisibleNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("invisible");
        QTest::newRow("spaces") << "   " << true;
        QTest::newRow("zero-width space") << QString::fromUtf16(u"\u200B") << true;
        QTest::newRow("joiners and no-break space")
            << QString::fromUtf16(u"\u200D\u00A0\u200C\u2060") << true;
        QTest::newRow("hangul filler") << QString::fromUtf16(u"\u3164\u3164") << true;
        QTest::newRow("braille blank") << QString::fromUtf16(u"\u2800") << true;
        QTest::newRow("ideographic space") << QString::fromUtf16(u"\u3000") << true;
        QTest::newRow("control") << QString::fromUtf16(u"\u0007\t") << true;
        QTest::newRow("bidi override") << QString::fromUtf16(u"\u202E\u202C") << true;
        QTest::newRow("variation selector") << QString::fromUtf16(u"\uFE0F") << true;
        QTest::newRow("lone combining mark") << QString::fromUtf16(u"\u0301") << true;
        QTest::newRow("letter") << "x" << false;
        QTest::newRow("letter among blanks") << QString::fromUtf16(u"\u200B.\u200B") << false;
        QTest::newRow("emoji") << QString::fromUtf16(u"\U0001F600") << false;
    }
    void invisibleNames() {
        QFETCH(QString, name);
        QFETCH(bool, invisible);
        QCOMPARE(NameDisambiguator::isInvisible(name), invisible);
        QCOMPARE(NameDisambiguator::comparisonKey(name).isEmpty(), invisible);
    }

    void suffixWhileNamesCollide() {
        NameDisambiguator d;
        QCOMPARE(d.set(kA, QStringLiteral("Bob")), QList<Identity>{kA});
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob"));
        QVERIFY(!d.isAmbiguous(kA));
        // "bob" joins: both change.
        QCOMPARE(sorted(d.set(kB, QStringLiteral("bob"))), sorted({kA, kB}));
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(d.displayName(kB), QStringLiteral("bob (b0b0b0b0)"));
        QVERIFY(d.isAmbiguous(kA));
        // The Cyrillic look-alike joins: only it changes, the others keep their suffix.
        QCOMPARE(d.set(kC, kCyrillicBob), QList<Identity>{kC});
        QCOMPARE(d.displayName(kC), kCyrillicBob + QStringLiteral(" (deadbeef)"));
        // Renaming within the group changes only that user's text.
        QCOMPARE(d.set(kB, QStringLiteral("BOB")), QList<Identity>{kB});
        QCOMPARE(d.displayName(kB), QStringLiteral("BOB (b0b0b0b0)"));
        // Same name again: nothing changes.
        QVERIFY(d.set(kB, QStringLiteral("BOB")).isEmpty());
        // One leaves the group: the other two still collide.
        QCOMPARE(d.set(kC, QStringLiteral("Carol")), QList<Identity>{kC});
        QCOMPARE(d.displayName(kC), QStringLiteral("Carol"));
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob (c0ffee12)"));
        // The collision ends: both lose the suffix.
        QCOMPARE(sorted(d.set(kB, QStringLiteral("Robert"))), sorted({kA, kB}));
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob"));
        QCOMPARE(d.displayName(kB), QStringLiteral("Robert"));
        QVERIFY(!d.isAmbiguous(kA));
    }

    void removalEndsCollision() {
        NameDisambiguator d;
        d.reset({{kA, QStringLiteral("Bob")}, {kB, QStringLiteral("bob")}, {kC, std::nullopt}});
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(d.displayName(kC), kC.toShortHex());
        QCOMPARE(d.remove(kB), QList<Identity>{kA});
        QCOMPARE(d.displayName(kA), QStringLiteral("Bob"));
        QCOMPARE(d.displayName(kB), kB.toShortHex()); // unknown now
        QVERIFY(d.remove(kB).isEmpty());
    }

    void nfcAndNfdCollide() {
        NameDisambiguator d;
        const QString nfc = QString::fromUtf16(u"Ren\u00E9e");
        const QString nfd = QString::fromUtf16(u"Rene\u0301e");
        d.set(kA, nfc);
        d.set(kB, nfd);
        // Each is shown as typed, with its own suffix.
        QCOMPARE(d.displayName(kA), nfc + QStringLiteral(" (c0ffee12)"));
        QCOMPARE(d.displayName(kB), nfd + QStringLiteral(" (b0b0b0b0)"));
    }

    void invisibleNameShownAsSuch() {
        NameDisambiguator d;
        d.set(kA, QString::fromUtf16(u"\u200B\u200B"));
        QCOMPARE(d.displayName(kA), QStringLiteral("(no visible name) c0ffee12"));
        d.set(kB, QStringLiteral("   "));
        QCOMPARE(d.displayName(kB), QStringLiteral("(no visible name) b0b0b0b0"));
        QVERIFY(!d.isAmbiguous(kA));
        // A visible name later: shown as typed.
        QCOMPARE(d.set(kA, QStringLiteral("Ann")), QList<Identity>{kA});
        QCOMPARE(d.displayName(kA), QStringLiteral("Ann"));
    }

    void nameLikeSomeonesIdentityIsTold() {
        // An unnamed user is shown by identity; a name copying it gets a suffix.
        NameDisambiguator d;
        d.set(kA, std::nullopt);
        d.set(kB, kA.toShortHex().toUpper());
        QCOMPARE(d.displayName(kA), kA.toShortHex());
        QCOMPARE(d.displayName(kB), kA.toShortHex().toUpper() + QStringLiteral(" (b0b0b0b0)"));
    }

    void suffixGrowsWhileEightDigitsAreShared() {
        // Real identities all begin with c200: 8 digits are only 16 bits.
        const Identity x = Identity::fromHex(QStringLiteral("c200abcd1111") + QString(52, u'0'));
        const Identity y = Identity::fromHex(QStringLiteral("c200abcd2222") + QString(52, u'0'));
        const Identity z = Identity::fromHex(QStringLiteral("c200ffff3333") + QString(52, u'0'));
        NameDisambiguator d;
        d.set(x, QStringLiteral("Bob"));
        d.set(z, QStringLiteral("Bob"));
        QCOMPARE(d.displayName(x), QStringLiteral("Bob (c200abcd)"));
        QCOMPARE(sorted(d.set(y, QStringLiteral("bob"))), sorted({x, y, z}));
        QCOMPARE(d.displayName(x), QStringLiteral("Bob (c200abcd1111)"));
        QCOMPARE(d.displayName(y), QStringLiteral("bob (c200abcd2222)"));
        QCOMPARE(d.displayName(z), QStringLiteral("Bob (c200ffff3333)"));
        QCOMPARE(sorted(d.remove(y)), sorted({x, z}));
        QCOMPARE(d.displayName(x), QStringLiteral("Bob (c200abcd)"));
    }

    void rightToLeftNameIsIsolated() {
        NameDisambiguator d;
        const QString arabic = QString::fromUtf16(u"\u0633\u0627\u0645");
        d.set(kA, arabic);
        d.set(kB, arabic);
        const QString shown = d.displayName(kA);
        QVERIFY(shown.startsWith(QChar(0x2068)));
        QVERIFY(shown.endsWith(QStringLiteral("\u2069 (c0ffee12)")));
    }

    void userModelUpdatesOnlyChangedRows() {
        UserModel users;
        QAbstractItemModelTester tester(&users,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        users.setSelf(kA);
        users.resetUsers({{kA, QStringLiteral("Bob"), true},
                          {kB, QStringLiteral("Rob"), true},
                          {kC, QStringLiteral("Carol"), false}});
        QCOMPARE(displayAt(users, kA), QStringLiteral("Bob"));
        QCOMPARE(users.selfDisplayName(), QStringLiteral("Bob"));

        QSignalSpy changed(&users, &QAbstractItemModel::dataChanged);
        QSignalSpy names(&users, &UserModel::displayNameChanged);
        QSignalSpy self(&users, &UserModel::selfDisplayNameChanged);
        users.upsert({kB, QStringLiteral("bob"), true}); // renames into the collision
        QCOMPARE(displayAt(users, kA), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(displayAt(users, kB), QStringLiteral("bob (b0b0b0b0)"));
        QCOMPARE(users.index(users.rowOf(kB), 0).data(UserModel::NameRole).toString(),
                 QStringLiteral("bob"));
        QCOMPARE(users.index(users.rowOf(kA), 0).data(UserModel::NameRole).toString(),
                 QStringLiteral("Bob"));
        QCOMPARE(users.selfDisplayName(), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(self.size(), 1);
        QCOMPARE(sorted({names.at(0).at(0).value<Identity>(), names.at(1).at(0).value<Identity>()}),
                 sorted({kA, kB}));
        // Carol's row is never touched; each changed row gets the roles that changed.
        QHash<int, QList<int>> rolesByRow;
        for (const QList<QVariant> &args : changed) {
            const QModelIndex from = args.at(0).toModelIndex();
            QCOMPARE(from, args.at(1).toModelIndex());
            rolesByRow[from.row()] += args.at(2).value<QList<int>>();
        }
        QCOMPARE(rolesByRow.size(), 2);
        QVERIFY(!rolesByRow.contains(users.rowOf(kC)));
        const QList<int> roleA = rolesByRow.value(users.rowOf(kA));
        QVERIFY(roleA.contains(UserModel::DisplayNameRole));
        QVERIFY(!roleA.contains(UserModel::NameRole));
        QVERIFY(!roleA.contains(UserModel::OnlineRole));
        const QList<int> roleB = rolesByRow.value(users.rowOf(kB));
        QVERIFY(roleB.contains(UserModel::DisplayNameRole));
        QVERIFY(roleB.contains(UserModel::NameRole));
        QVERIFY(!roleB.contains(UserModel::OnlineRole));

        // Going offline changes no name.
        changed.clear();
        names.clear();
        users.upsert({kB, QStringLiteral("bob"), false});
        QVERIFY(names.isEmpty());
        for (const QList<QVariant> &args : changed)
            QVERIFY(!args.at(2).value<QList<int>>().contains(UserModel::DisplayNameRole));

        // The user leaves the table: the collision ends.
        names.clear();
        users.remove(kB);
        QCOMPARE(displayAt(users, kA), QStringLiteral("Bob"));
        QCOMPARE(names.size(), 1);
        QCOMPARE(names.at(0).at(0).value<Identity>(), kA);

        // A newcomer with a look-alike name: the existing row changes as well.
        users.upsert({kB, kCyrillicBob, true});
        QCOMPARE(displayAt(users, kA), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(displayAt(users, kB), kCyrillicBob + QStringLiteral(" (b0b0b0b0)"));
    }

    void messageSenderFollowsDisambiguation() {
        UserModel users;
        MessageModel messages;
        QAbstractItemModelTester tester(&messages,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        messages.setUserModel(&users);
        users.resetUsers({{kA, QStringLiteral("Bob"), true}, {kB, QStringLiteral("Rob"), true}});
        const stdb::Timestamp t = stdb::Timestamp::fromMicros(1'700'000'000'000'000);
        messages.resetMessages({{kA, t, QStringLiteral("hi")},
                                {kB, t, QStringLiteral("hello")},
                                {kC, t, QStringLiteral("who am I")}});
        auto sender = [&](int row) {
            return messages.index(row, 0).data(MessageModel::SenderNameRole).toString();
        };
        QCOMPARE(sender(0), QStringLiteral("Bob"));
        QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
        users.upsert({kB, QStringLiteral("BOB"), true});
        QCOMPARE(sender(0), QStringLiteral("Bob (c0ffee12)"));
        QCOMPARE(sender(1), QStringLiteral("BOB (b0b0b0b0)"));
        QCOMPARE(sender(2), kC.toShortHex());
        // Both senders' rows were reported, with the sender role only; never the third.
        QSet<int> rows;
        for (const QList<QVariant> &args : changed) {
            QCOMPARE(args.at(2).value<QList<int>>(), QList<int>{MessageModel::SenderNameRole});
            for (int r = args.at(0).toModelIndex().row(); r <= args.at(1).toModelIndex().row(); ++r)
                rows.insert(r);
        }
        QCOMPARE(rows, (QSet<int>{0, 1}));
        users.upsert({kB, QStringLiteral("Rob"), true});
        QCOMPARE(sender(0), QStringLiteral("Bob"));
        QCOMPARE(sender(1), QStringLiteral("Rob"));
    }

    void presenceStateWhileDisconnected() {
        UserModel users;
        QAbstractItemModelTester tester(&users,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        users.resetUsers({{kA, QStringLiteral("Ann"), true}, {kB, QStringLiteral("Ben"), false}});
        const QModelIndex ann = users.index(users.rowOf(kA), 0);
        const QModelIndex ben = users.index(users.rowOf(kB), 0);
        QVERIFY(users.presenceKnown());
        QVERIFY(ann.data(UserModel::PresenceKnownRole).toBool());
        QCOMPARE(ann.data(UserModel::PresenceTextRole).toString(), QStringLiteral("online"));
        QCOMPARE(ben.data(UserModel::PresenceTextRole).toString(), QStringLiteral("offline"));

        QSignalSpy state(&users, &UserModel::presenceKnownChanged);
        QSignalSpy changed(&users, &QAbstractItemModel::dataChanged);
        const QDateTime lost = QDateTime::currentDateTime();
        users.setPresenceKnown(false, lost);
        QCOMPARE(state.size(), 1);
        QVERIFY(!users.presenceKnown());
        QCOMPARE(users.presenceLostAt(), lost);
        QCOMPARE(changed.size(), 1);
        QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(UserModel::PresenceKnownRole));
        QVERIFY(!ann.data(UserModel::PresenceKnownRole).toBool());
        // What was last seen stays, marked as such.
        QVERIFY(ann.data(UserModel::OnlineRole).toBool());
        const QString when = QLocale().toString(lost.time(), QLocale::ShortFormat);
        QCOMPARE(
            ann.data(UserModel::PresenceTextRole).toString(),
            QStringLiteral("last seen online at %1, before the connection was lost").arg(when));
        QCOMPARE(
            ben.data(UserModel::PresenceTextRole).toString(),
            QStringLiteral("last seen offline at %1, before the connection was lost").arg(when));
        // Losing it again does not move the time.
        users.setPresenceKnown(false, lost.addSecs(30));
        QCOMPARE(users.presenceLostAt(), lost);
        QCOMPARE(state.size(), 1);
        users.setPresenceKnown(true);
        QCOMPARE(state.size(), 2);
        QVERIFY(ann.data(UserModel::PresenceKnownRole).toBool());
        QVERIFY(!users.presenceLostAt().isValid());
    }
};

QTEST_GUILESS_MAIN(TestNameDisambiguator)
#include "tst_namedisambiguator.moc"
