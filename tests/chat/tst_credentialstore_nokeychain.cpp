// CredentialStore with no Secret Service on the bus: a clear message, then session-only.

#include "chat/credentialstore.h"
#include "logcapture.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using chat::CredentialStore;
using chat::Profile;

class TestNoKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void fallsBackToSessionOnlyWithAnExplanation() {
        LogCapture logs;
        CredentialStore store;
        const Profile p;
        QSignalSpy loaded(&store, &CredentialStore::loaded);
        QSignalSpy problems(&store, &CredentialStore::problem);
        QSignalSpy backend(&store, &CredentialStore::backendChanged);
        store.load(p);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(loaded.first().at(1).toString(), QString()); // works, anonymous
        QCOMPARE(problems.size(), 1);
        const QString message = problems.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("keychain"), Qt::CaseInsensitive),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("temporary identity")), qPrintable(message));
        QCOMPARE(store.backend(), CredentialStore::Backend::SessionOnly);
        QCOMPARE(backend.size(), 1);

        // The identity still survives within the session.
        const QString token = QStringLiteral("eyJsession.only.token");
        QSignalSpy saved(&store, &CredentialStore::saved);
        store.save(p, token);
        QVERIFY(saved.wait(5000));
        loaded.clear();
        store.load(p);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.first().at(1).toString(), token);
        QVERIFY(!logs.contains(token));
    }
};

QTEST_GUILESS_MAIN(TestNoKeychain)
#include "tst_credentialstore_nokeychain.moc"
