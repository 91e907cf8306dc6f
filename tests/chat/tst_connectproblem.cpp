// SPDX-License-Identifier: Apache-2.0
// chat::ConnectProblem: the sentence for each kind of connect failure (chosen by the kind, with
// the server's own words isolated), and its German translation.

#include "chat/connectproblem.h"

#include "spacetime/connection/dbconnectionbuilder.h"

#include <QSet>
#include <QTest>
#include <QTranslator>

using stdb::ConnectFailure;
using K = ConnectFailure::Kind;
using S = ConnectFailure::Stage;
using P = ConnectFailure::CertificateProblem;

namespace {

stdb::ConnectionOptions options() {
    return stdb::DbConnectionBuilder()
        .withUri(QStringLiteral("https://chat.example:3000"))
        .withDatabaseName(QStringLiteral("quickstart-chat"))
        .options()
        .value();
}

ConnectFailure failure(K kind) {
    ConnectFailure f;
    f.kind = kind;
    return f;
}

// One failure of every kind and every variant with its own sentence.
QList<ConnectFailure> everyVariant() {
    QList<ConnectFailure> all;
    for (K k : {K::HostNotFound, K::ConnectionRefused, K::TlsHandshake, K::ClosedBeforeUpgrade,
                K::ClosedAfterUpgrade, K::Network})
        all.append(failure(k));
    for (S s : {S::Connecting, S::TlsHandshake, S::Upgrading, S::AwaitingHello}) {
        ConnectFailure f = failure(K::Timeout);
        f.stage = s;
        f.timeoutMs = 20000;
        all.append(f);
    }
    for (P p : {P::SelfSigned, P::Untrusted, P::HostnameMismatch, P::Expired, P::NotYetValid,
                P::Revoked, P::Other}) {
        ConnectFailure f = failure(K::Certificate);
        f.certificate = {p};
        all.append(f);
    }
    for (int status : {401, 403, 404, 503}) {
        ConnectFailure f = failure(K::HttpStatus);
        f.httpStatus = status;
        all.append(f);
    }
    ConnectFailure protocol = failure(K::Protocol);
    protocol.detail = QStringLiteral("no subprotocol");
    all.append(protocol);
    return all;
}

} // namespace

class TestConnectProblem : public QObject {
    Q_OBJECT

private slots:
    void eachKindHasItsOwnText() {
        const stdb::ConnectionOptions o = options();
        QSet<QString> seen;
        for (const ConnectFailure &f : everyVariant()) {
            const QString text = chat::ConnectProblem::describe(f, o);
            QVERIFY2(!text.isEmpty(), qPrintable(stdb::kindName(f.kind)));
            QVERIFY2(text.contains(QLatin1String("https://chat.example:3000")), qPrintable(text));
            QVERIFY2(!seen.contains(text), qPrintable(text));
            seen.insert(text);
        }
        QVERIFY(chat::ConnectProblem::describe(ConnectFailure(), o).isEmpty());
    }

    // Only a close after the upgrade mentions the module's client_connected reducer.
    void onlyClosedAfterUpgradeBlamesTheModule() {
        const stdb::ConnectionOptions o = options();
        for (const ConnectFailure &f : everyVariant())
            QCOMPARE(
                chat::ConnectProblem::describe(f, o).contains(QLatin1String("client_connected")),
                f.kind == K::ClosedAfterUpgrade);
    }

    // The server's words are shown, isolated, and a token makes 401 a different sentence.
    void serverTextAndToken() {
        stdb::ConnectionOptions o = options();
        ConnectFailure f = failure(K::HttpStatus);
        f.httpStatus = 404;
        f.httpBody = QStringLiteral("`quickstart-chat` not found\n\u202Eevil");
        const QString text = chat::ConnectProblem::describe(f, o);
        QVERIFY2(text.contains(QStringLiteral("`quickstart-chat` not found")), qPrintable(text));
        QVERIFY(!text.contains(QChar(0x202E)));
        QVERIFY(!text.contains(QLatin1Char('\n')));
        f.httpStatus = 401;
        const QString anonymous = chat::ConnectProblem::describe(f, o);
        o.token = QStringLiteral("t");
        QVERIFY(chat::ConnectProblem::describe(f, o) != anonymous);
    }

    // Every sentence has a German translation.
    void german() {
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/spacetime-chat_de.qm")));
        const stdb::ConnectionOptions o = options();
        QStringList english;
        for (const ConnectFailure &f : everyVariant())
            english.append(chat::ConnectProblem::describe(f, o));
        QVERIFY(QCoreApplication::installTranslator(&german));
        const QList<ConnectFailure> all = everyVariant();
        for (qsizetype i = 0; i < all.size(); ++i) {
            const QString text = chat::ConnectProblem::describe(all[i], o);
            QVERIFY2(text != english[i], qPrintable(text));
        }
        QCOMPARE(chat::ConnectProblem::describe(failure(K::ConnectionRefused), o),
                 QStringLiteral("https://chat.example:3000 ist nicht erreichbar: Die Verbindung "
                                "wurde abgelehnt. Läuft der Server auf diesem Port?"));
        QCoreApplication::removeTranslator(&german);
    }
};

QTEST_GUILESS_MAIN(TestConnectProblem)

#include "tst_connectproblem.moc"
