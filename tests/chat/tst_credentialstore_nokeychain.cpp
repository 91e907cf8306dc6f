// SPDX-License-Identifier: Apache-2.0
// CredentialStore with no Secret Service on the bus: a clear message, then session-only.

#include "chat/credentialstore.h"
#include "logcapture.h"
#include "nofilegrowth.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#include <sys/stat.h>

using chat::CredentialStore;
using chat::Profile;

class TestNoKeychain : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
private slots:
    void initTestCase() {
        // This run's own XDG directories, not QStandardPaths test mode: that ignores them and
        // keeps token files in ~/.qttest, shared by every run on the machine.
        QVERIFY(m_home.isValid());
        for (const char *var : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})
            qputenv(var, m_home.filePath(QString::fromLatin1(var)).toUtf8());
    }

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

    void tokenFileIsReplacedWhole() {
        // The opt-in token file never touches the keychain. A new token goes to a new file
        // that replaces the old one in one step: whoever has the old one open still reads all
        // of the old token, and nothing is left beside it.
        CredentialStore store;
        store.setInsecureFileStore(true);
        const Profile p(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("atomic"));
        const QString path = CredentialStore::tokenFilePath(p);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile::remove(path);
        const QString first = QStringLiteral("eyJfirst.token.") + QString(2000, u'a');
        const QString second = QStringLiteral("eyJsecond.token");
        QVERIFY(save(store, p, first));
        QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);

        QFile before(path);
        QVERIFY(before.open(QIODevice::ReadOnly));
        struct stat oldStat {};
        QCOMPARE(::fstat(before.handle(), &oldStat), 0);
        QVERIFY(save(store, p, second));
        struct stat newStat {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &newStat), 0);
        QVERIFY(newStat.st_ino != oldStat.st_ino); // replaced, not rewritten in place
        QCOMPARE(QString::fromUtf8(before.readAll()), first);
        QFile after(path);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(after.readAll()), second);
        QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        const QStringList beside =
            QDir(QFileInfo(path).absolutePath())
                .entryList({QFileInfo(path).fileName() + u'*'}, QDir::Files | QDir::Hidden);
        QCOMPARE(beside, QStringList{QFileInfo(path).fileName()});

        CredentialStore again;
        again.setInsecureFileStore(true);
        QSignalSpy loaded(&again, &CredentialStore::loaded);
        again.load(p);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.first().at(1).toString(), second);
        QFile::remove(path);
    }

    void tokenFileKeptWhenItCannotBeReplaced() {
        // The directory refuses new files: the save fails with a reason and the old token stays
        // whole.
        CredentialStore store;
        store.setInsecureFileStore(true);
        const Profile p(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("readonly"));
        const QString path = CredentialStore::tokenFilePath(p);
        const QString dir = QFileInfo(path).absolutePath();
        QVERIFY(QDir().mkpath(dir));
        const QString old = QStringLiteral("eyJold.token");
        QVERIFY(save(store, p, old));
        const QFile::Permissions dirMode = QFile::permissions(dir);
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner));
        // Root ignores the mode; a file size limit of 0 stops root's writes too.
        std::optional<NoFileGrowth> full;
        if (QFileInfo(dir).isWritable()) {
            full.emplace();
            QVERIFY(full->active());
        }
        QSignalSpy problems(&store, &CredentialStore::problem);
        store.save(p, QStringLiteral("eyJnew.token"));
        const bool reported = !problems.isEmpty() || problems.wait(5000);
        full.reset();
        QVERIFY(QFile::setPermissions(dir, dirMode));
        QVERIFY(reported);
        QVERIFY2(problems.first().at(1).toString().contains(path),
                 qPrintable(problems.first().at(1).toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), old);
        QFile::remove(path);
    }

private:
    static bool save(CredentialStore &store, const Profile &p, const QString &token) {
        QSignalSpy saved(&store, &CredentialStore::saved);
        QSignalSpy problems(&store, &CredentialStore::problem);
        store.save(p, token);
        return saved.wait(5000) && problems.isEmpty();
    }
};

QTEST_GUILESS_MAIN(TestNoKeychain)
#include "tst_credentialstore_nokeychain.moc"
