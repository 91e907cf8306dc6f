// SPDX-License-Identifier: Apache-2.0
// chat::NameCompleter: Tab name completion in the message input, without a window.

#include "chat/namecompleter.h"

#include <QTest>

using chat::NameCompleter;

namespace {
const QStringList kNames = {QStringLiteral("bob"), QStringLiteral("Zoe"), QStringLiteral("Bobby"),
                            QStringLiteral("Alice"), QStringLiteral("Boris")};
} // namespace

class TestNameCompleter : public QObject {
    Q_OBJECT
private slots:
    void startOfMessageGetsColon() {
        NameCompleter c;
        const auto r = c.complete(QStringLiteral("al"), 2, kNames);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("Alice: "));
        QCOMPARE(r->cursor, 7);
        QCOMPARE(r->from, 0);
        QCOMPARE(r->to, 2);
        QCOMPARE(r->insert, QStringLiteral("Alice: "));
    }

    void elsewhereGetsSpaceAndTextAfterStays() {
        NameCompleter c;
        const QString text = QStringLiteral("hi zo and more");
        const auto r = c.complete(text, 5, kNames); // after "zo"
        QVERIFY(r);
        // A space follows already: it is used, not doubled.
        QCOMPARE(r->text, QStringLiteral("hi Zoe and more"));
        QCOMPARE(r->cursor, 7);
        QCOMPARE(r->from, 3);
        QCOMPARE(r->to, 5);
        QCOMPARE(r->insert, QStringLiteral("Zoe"));

        const auto end = c.complete(QStringLiteral("hi zo"), 5, kNames);
        QVERIFY(end);
        QCOMPARE(end->text, QStringLiteral("hi Zoe "));
        QCOMPARE(end->cursor, 7);
    }

    void tabCyclesShiftTabGoesBack() {
        NameCompleter c;
        // Candidates in alphabetical order whatever the list's order: bob, Bobby, Boris.
        auto r = c.complete(QStringLiteral("say bo"), 6, kNames);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("say bob "));
        QCOMPARE(c.candidates(), QStringList({QStringLiteral("bob"), QStringLiteral("Bobby"),
                                              QStringLiteral("Boris")}));
        r = c.complete(r->text, r->cursor, kNames);
        QCOMPARE(r->text, QStringLiteral("say Bobby "));
        QCOMPARE(r->from, 4);
        QCOMPARE(r->to, 8); // what the last Tab put in ("bob ")
        r = c.complete(r->text, r->cursor, kNames);
        QCOMPARE(r->text, QStringLiteral("say Boris "));
        r = c.complete(r->text, r->cursor, kNames); // wraps
        QCOMPARE(r->text, QStringLiteral("say bob "));
        r = c.complete(r->text, r->cursor, kNames, true); // back, wrapping
        QCOMPARE(r->text, QStringLiteral("say Boris "));
        r = c.complete(r->text, r->cursor, kNames, true);
        QCOMPARE(r->text, QStringLiteral("say Bobby "));
        QCOMPARE(r->cursor, 10);
    }

    void shiftTabFirstStartsFromTheLast() {
        NameCompleter c;
        const auto r = c.complete(QStringLiteral("bo"), 2, kNames, true);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("Boris: "));
    }

    void anotherKeyEndsTheCycle() {
        NameCompleter c;
        auto r = c.complete(QStringLiteral("bo"), 2, kNames);
        QCOMPARE(r->text, QStringLiteral("bob: "));
        c.reset();
        QVERIFY(!c.isCycling());
        // Nothing before the cursor now but ": ": nothing to complete.
        QVERIFY(!c.complete(r->text, r->cursor, kNames));
        // An edit starts a new cycle from the word as it now is.
        r = c.complete(QStringLiteral("bob: hi bobb"), 12, kNames);
        QCOMPARE(r->text, QStringLiteral("bob: hi Bobby "));
        r = c.complete(QStringLiteral("bob: hi Bobby x"), 15, kNames);
        QVERIFY(!r); // "x" matches nobody
        QVERIFY(!c.isCycling());
    }

    void atIsKept() {
        NameCompleter c;
        auto r = c.complete(QStringLiteral("ping @zo"), 8, kNames);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("ping @Zoe "));
        r = c.complete(QStringLiteral("@ali"), 4, kNames);
        QCOMPARE(r->text, QStringLiteral("@Alice: "));
        // A lone "@" offers everyone, in order.
        r = c.complete(QStringLiteral("@"), 1, kNames);
        QCOMPARE(r->text, QStringLiteral("@Alice: "));
        QCOMPARE(c.candidates().size(), kNames.size());
    }

    void nothingToComplete() {
        NameCompleter c;
        QVERIFY(!c.complete(QString(), 0, kNames));               // empty input: Tab moves on
        QVERIFY(!c.complete(QStringLiteral("hi "), 3, kNames));   // no word before the cursor
        QVERIFY(!c.complete(QStringLiteral("hi xy"), 5, kNames)); // nobody
        QVERIFY(!c.complete(QStringLiteral("hi bo"), 5, {}));     // no names
        QVERIFY(!c.complete(QStringLiteral("hi bo"), 9, kNames)); // cursor out of range
        QVERIFY(!c.complete(QStringLiteral("bo"), 2, {QStringLiteral("  "), QString()}));
        QVERIFY(!c.isCycling());
    }

    void cursorInsideAWord() {
        // Only the part before the cursor is the prefix; what follows stays.
        NameCompleter c;
        const auto r = c.complete(QStringLiteral("hi zoXYZ"), 5, kNames);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("hi Zoe XYZ"));
        QCOMPARE(r->cursor, 7);
    }

    void sameNameTwiceIsOneCandidate() {
        NameCompleter c;
        const auto r =
            c.complete(QStringLiteral("bo"), 2,
                       {QStringLiteral("Bob"), QStringLiteral("Bob"), QStringLiteral("bob")});
        QVERIFY(r);
        QCOMPARE(c.candidates(), QStringList({QStringLiteral("Bob"), QStringLiteral("bob")}));
    }

    void unicodeNames() {
        const QStringList names = {QStringLiteral("Élodie"), QStringLiteral("Воронин"),
                                   QStringLiteral("Straße"), QStringLiteral("😀smile"),
                                   QStringLiteral("Mary Ann")};
        NameCompleter c;
        // Case-insensitive beyond ASCII.
        auto r = c.complete(QStringLiteral("élo"), 3, names);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("Élodie: "));
        r = c.complete(QStringLiteral("hi вор"), 6, names);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("hi Воронин "));
        // A decomposed "É" (E + combining acute) matches the composed one.
        r = c.complete(QStringLiteral("E\u0301l"), 3, names);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("Élodie: "));
        // Characters outside the BMP (surrogate pairs) stay whole.
        const QString smile = QStringLiteral("😀");
        r = c.complete(smile, smile.size(), names);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("😀smile: "));
        QCOMPARE(r->cursor, r->text.size());
        // A name with a space completes from its first word.
        r = c.complete(QStringLiteral("ma"), 2, names);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("Mary Ann: "));
    }

    void newlineSeparatesWords() {
        NameCompleter c;
        const auto r = c.complete(QStringLiteral("first line\nzo"), 13, kNames);
        QVERIFY(r);
        QCOMPARE(r->text, QStringLiteral("first line\nZoe "));
    }
};

QTEST_GUILESS_MAIN(TestNameCompleter)
#include "tst_namecompleter.moc"
