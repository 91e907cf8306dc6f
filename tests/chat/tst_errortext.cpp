// SPDX-License-Identifier: Apache-2.0
// chat::ErrorText, chat::DayLabel and chat::Translations: the SDK's typed errors become one
// translated sentence each, the same for every front end, and the German catalogue has them.

#include "chat/daylabel.h"
#include "chat/errortext.h"
#include "chat/translations.h"

#include <QLocale>
#include <QSet>
#include <QTest>

using chat::DayLabel;
using chat::ErrorText;
using stdb::Error;
using stdb::ReducerOutcome;

namespace {

const QList<Error::Kind> kKinds{Error::Kind::Decode,       Error::Kind::Compression,
                                Error::Kind::Protocol,     Error::Kind::InvalidArgument,
                                Error::Kind::Network,      Error::Kind::Server,
                                Error::Kind::Disconnected, Error::Kind::Internal};

const QList<ReducerOutcome::Status> kFailures{ReducerOutcome::Status::InternalError,
                                              ReducerOutcome::Status::NeverSent,
                                              ReducerOutcome::Status::OutcomeUnknown};

ReducerOutcome outcome(ReducerOutcome::Status status, const QString &message) {
    ReducerOutcome o;
    o.status = status;
    o.message = message;
    return o;
}

// Every text ErrorText and DayLabel make, for comparing languages.
QStringList allTexts(QDate today) {
    QStringList out;
    for (Error::Kind kind : kKinds)
        out << ErrorText::describe(Error(kind, QStringLiteral("detail")));
    for (ReducerOutcome::Status status : kFailures)
        out << ErrorText::reducerFailure(outcome(status, QStringLiteral("detail")));
    out << ErrorText::reducerFailure(outcome(ReducerOutcome::Status::Err, QString()));
    out << DayLabel::text(today, today) << DayLabel::text(today.addDays(-1), today);
    return out;
}

} // namespace

class TestErrorText : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void everyKindHasItsOwnSentence() {
        QCOMPARE(ErrorText::describe(Error()), QString());
        QSet<QString> seen;
        for (Error::Kind kind : kKinds) {
            const QString text = ErrorText::describe(Error(kind, QStringLiteral("detail")));
            QVERIFY2(!text.isEmpty(), qPrintable(stdb::kindName(kind)));
            QVERIFY2(!seen.contains(text), qPrintable(text));
            seen.insert(text);
            // The detail names what failed (a server, a table) wherever it says anything;
            // for Disconnected the state is the whole story.
            if (kind != Error::Kind::Disconnected)
                QVERIFY2(text.contains(QStringLiteral("detail")), qPrintable(text));
        }
        // A decode error keeps its byte offset.
        QVERIFY(ErrorText::describe(Error::decode(QStringLiteral("bad tag"), 17))
                    .contains(QStringLiteral("17")));
    }

    void reducerStatesHaveTheirOwnSentence() {
        QCOMPARE(ErrorText::reducerFailure(outcome(ReducerOutcome::Status::Committed, {})),
                 QString());
        // The module's own words, verbatim: they are its to choose.
        const QString words = QStringLiteral("Names must not be empty");
        QCOMPARE(ErrorText::reducerFailure(outcome(ReducerOutcome::Status::Err, words)), words);
        QVERIFY(!ErrorText::reducerFailure(outcome(ReducerOutcome::Status::Err, {})).isEmpty());
        QSet<QString> seen;
        const QString sdkNote = QStringLiteral("an SDK note for the log");
        for (ReducerOutcome::Status status : kFailures) {
            const QString text = ErrorText::reducerFailure(outcome(status, sdkNote));
            QVERIFY(!text.isEmpty());
            QVERIFY(!seen.contains(text));
            seen.insert(text);
            // Never sent / unknown: decided by the state, not by what the SDK wrote.
            if (status != ReducerOutcome::Status::InternalError)
                QVERIFY2(!text.contains(sdkNote), qPrintable(text));
        }
    }

    void dayLabels() {
        const QDate today(2026, 11, 23);
        const QString todayText = DayLabel::text(today, today);
        const QString yesterday = DayLabel::text(today.addDays(-1), today);
        QVERIFY(!todayText.isEmpty() && !yesterday.isEmpty() && todayText != yesterday);
        QCOMPARE(DayLabel::text(today.addDays(-2), today),
                 QLocale().toString(today.addDays(-2), QLocale::LongFormat));
        QCOMPARE(DayLabel::text(today.addDays(1), today),
                 QLocale().toString(today.addDays(1), QLocale::LongFormat));
    }

    void germanCatalogueCoversThem() {
        const QDate today(2026, 11, 23);
        const QStringList english = allTexts(today);
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QVERIFY(chat::Translations::install());
        const QStringList german = allTexts(today);
        QCOMPARE(german.size(), english.size());
        for (qsizetype i = 0; i < english.size(); ++i)
            QVERIFY2(german[i] != english[i], qPrintable(english[i]));
    }
};

QTEST_GUILESS_MAIN(TestErrorText)
#include "tst_errortext.moc"
