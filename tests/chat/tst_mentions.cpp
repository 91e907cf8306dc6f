// SPDX-License-Identifier: Apache-2.0
// chat::Mentions: which messages mention a name (the message list's highlight and the
// desktop notifications use this one rule).

#include "chat/mentions.h"

#include <QTest>

using chat::Mentions;

class TestMentions : public QObject {
    Q_OBJECT
private slots:
    void wholeWordAnyCaseOptionalAt_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mentions");
        const QString alice = QStringLiteral("Alice");
        QTest::newRow("alone") << alice << QStringLiteral("Alice") << true;
        QTest::newRow("lower case") << alice << QStringLiteral("hey alice, look") << true;
        QTest::newRow("upper case") << alice << QStringLiteral("ALICE!") << true;
        QTest::newRow("at") << alice << QStringLiteral("thanks @alice") << true;
        QTest::newRow("start, colon") << alice << QStringLiteral("Alice: see this") << true;
        QTest::newRow("in a line") << alice << QStringLiteral("a\nb alice\nc") << true;
        QTest::newRow("part of a word") << alice << QStringLiteral("Alicea is here") << false;
        QTest::newRow("inside a word") << alice << QStringLiteral("malice aforethought") << false;
        QTest::newRow("letters of another script after")
            << alice << QStringLiteral("Aliceб") << false;
        QTest::newRow("not there") << alice << QStringLiteral("hello bob") << false;
        QTest::newRow("empty text") << alice << QString() << false;
        // The name is literal text, not a pattern.
        QTest::newRow("pattern characters")
            << QStringLiteral("a.b") << QStringLiteral("axb") << false;
        QTest::newRow("pattern characters, literal")
            << QStringLiteral("a.b") << QStringLiteral("hi a.b!") << true;
        QTest::newRow("name with a space")
            << QStringLiteral("Mary Ann") << QStringLiteral("ok mary ann") << true;
        QTest::newRow("Cyrillic") << QStringLiteral("Борис") << QStringLiteral("привет, борис")
                                  << true;
        QTest::newRow("Cyrillic, longer word")
            << QStringLiteral("Борис") << QStringLiteral("Борисов") << false;
        QTest::newRow("blank name") << QStringLiteral("  ") << QStringLiteral("   ") << false;
        QTest::newRow("no name") << QString() << QStringLiteral("anything") << false;
    }
    void wholeWordAnyCaseOptionalAt() {
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(bool, mentions);
        QCOMPARE(Mentions(name).matches(text), mentions);
    }

    void renameReplacesTheRule() {
        Mentions m;
        QVERIFY(m.isEmpty());
        QVERIFY(!m.matches(QStringLiteral("hi bob")));
        m.setName(QStringLiteral("Bob"));
        QVERIFY(!m.isEmpty());
        QCOMPARE(m.name(), QStringLiteral("Bob"));
        QVERIFY(m.matches(QStringLiteral("hi bob")));
        m.setName(QStringLiteral("Carol"));
        QVERIFY(!m.matches(QStringLiteral("hi bob")));
        QVERIFY(m.matches(QStringLiteral("hi @carol")));
        m.setName(QString());
        QVERIFY(m.isEmpty());
        QVERIFY(!m.matches(QStringLiteral("hi @carol")));
    }
};

QTEST_GUILESS_MAIN(TestMentions)
#include "tst_mentions.moc"
