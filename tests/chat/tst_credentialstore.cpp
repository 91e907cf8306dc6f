// SPDX-License-Identifier: Apache-2.0
// CredentialStore against a real Secret Service (run through with-keyring.sh).

#include "chat/credentialstore.h"
#include "chat/rustcredentials.h"
#include "logcapture.h"

#include "spacetime/bsatn/bsatnwriter.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using chat::CredentialStore;
using chat::Profile;

namespace {

// A token shaped like the real thing, unique per call so a leak can be traced to one test.
QString makeToken(const char *tag) {
    return QStringLiteral("eyJhbGciOiJIUzI1NiJ9.%1.%2")
        .arg(QString::fromLatin1(tag), QString::number(QDateTime::currentMSecsSinceEpoch()));
}

QString loadSync(CredentialStore &store, const Profile &p) {
    QSignalSpy spy(&store, &CredentialStore::loaded);
    store.load(p);
    if (!spy.wait(10000))
        return QStringLiteral("<timeout>");
    return spy.first().at(1).toString();
}

bool saveSync(CredentialStore &store, const Profile &p, const QString &token) {
    QSignalSpy spy(&store, &CredentialStore::saved);
    QSignalSpy problems(&store, &CredentialStore::problem);
    store.save(p, token);
    return spy.wait(10000) && problems.isEmpty();
}

bool forgetSync(CredentialStore &store, const Profile &p) {
    QSignalSpy spy(&store, &CredentialStore::forgotten);
    store.forget(p);
    return spy.wait(10000);
}

} // namespace

class TestCredentialStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    LogCapture *logs = nullptr;
    QStringList tokensUsed;

private slots:
    void initTestCase() {
        // This run's own XDG directories, not QStandardPaths test mode: that ignores them and
        // keeps token files in ~/.qttest, shared by every run on the machine.
        QVERIFY(m_home.isValid());
        for (const char *var : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})
            qputenv(var, m_home.filePath(QString::fromLatin1(var)).toUtf8());
        logs = new LogCapture;
    }

    void saveAndReloadAcrossInstances() {
        const Profile p(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("alice"));
        const QString token = makeToken("reload");
        tokensUsed << token;
        {
            CredentialStore store;
            QCOMPARE(loadSync(store, p), QString()); // first start: nothing stored
            QVERIFY(saveSync(store, p, token));
            QCOMPARE(store.backend(), CredentialStore::Backend::Keychain);
        }
        CredentialStore again; // a restart
        QCOMPARE(loadSync(again, p), token);
        // The same server spelled differently shares the entry.
        const Profile sameServer(QStringLiteral("HTTP://127.0.0.1:3000/"),
                                 QStringLiteral("quickstart-chat"), QStringLiteral("alice"));
        QCOMPARE(loadSync(again, sameServer), token);
    }

    void profilesAreSeparate() {
        CredentialStore store;
        const Profile a(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("sep-a"));
        const Profile b(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("sep-b"));
        const Profile otherDb(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("other-db"),
                              QStringLiteral("sep-a"));
        const Profile otherServer(QStringLiteral("http://127.0.0.1:4000"),
                                  QStringLiteral("quickstart-chat"), QStringLiteral("sep-a"));
        const QString ta = makeToken("sep-a"), tb = makeToken("sep-b");
        tokensUsed << ta << tb;
        QVERIFY(saveSync(store, a, ta));
        QVERIFY(saveSync(store, b, tb));
        QCOMPARE(loadSync(store, a), ta);
        QCOMPARE(loadSync(store, b), tb);
        QCOMPARE(loadSync(store, otherDb), QString());
        QCOMPARE(loadSync(store, otherServer), QString());
    }

    void forgetDeletesTheEntry() {
        CredentialStore store;
        const Profile p(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("forgetful"));
        const QString token = makeToken("forget");
        tokensUsed << token;
        QVERIFY(saveSync(store, p, token));
        QCOMPARE(loadSync(store, p), token);
        QVERIFY(forgetSync(store, p));
        CredentialStore fresh;
        QCOMPARE(loadSync(fresh, p), QString());
        // Forgetting what is not there is fine too.
        QVERIFY(forgetSync(fresh, p));
    }

    void insecureFileIsOwnerOnly() {
        CredentialStore store;
        QSignalSpy backend(&store, &CredentialStore::backendChanged);
        store.setInsecureFileStore(true);
        QCOMPARE(backend.size(), 1);
        QVERIFY(logs->contains(QStringLiteral("not encrypted")));
        const Profile p(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("quickstart-chat"),
                        QStringLiteral("filestore"));
        const QString token = makeToken("file");
        QVERIFY(saveSync(store, p, token));
        const QString path = CredentialStore::tokenFilePath(p);
        QVERIFY(QFile::exists(path));
        QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(QFile(path).permissions(),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
        CredentialStore again;
        again.setInsecureFileStore(true);
        QCOMPARE(loadSync(again, p), token);
        QVERIFY(forgetSync(again, p));
        QVERIFY(!QFile::exists(path));
    }

    void rustCredentialsImport() {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("quickstart-chat"));
        {
            stdb::BsatnWriter w;
            w.writeString(QStringLiteral("eyJrust.token"));
            QFile f(good);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(w.buffer());
        }
        auto ok = chat::RustCredentials::read(good);
        QVERIFY(ok.hasValue());
        QCOMPARE(*ok, QStringLiteral("eyJrust.token"));

        auto writeRaw = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            if (f.open(QIODevice::WriteOnly))
                f.write(bytes);
            return dir.filePath(name);
        };
        const struct {
            const char *name;
            QByteArray bytes;
            const char *expect;
        } bad[] = {
            {"truncated",
             QByteArray("\x10\x00\x00\x00"
                        "abc",
                        7),
             "exceeds"},
            {"short", QByteArray("\x01\x00", 2), "unexpected end"},
            {"trailing",
             QByteArray("\x01\x00\x00\x00"
                        "xZZ",
                        7),
             "trailing"},
            {"badutf8", QByteArray("\x02\x00\x00\x00\xc3\x28", 6), "UTF-8"},
            {"empty-token", QByteArray("\x00\x00\x00\x00", 4), "empty token"},
        };
        for (const auto &b : bad) {
            auto r = chat::RustCredentials::read(writeRaw(QLatin1String(b.name), b.bytes));
            QVERIFY2(!r.hasValue(), b.name);
            QVERIFY2(r.error().message().contains(QLatin1String(b.expect)),
                     qPrintable(r.error().message()));
        }
        auto missing = chat::RustCredentials::read(dir.filePath(QStringLiteral("nope")));
        QVERIFY(!missing.hasValue());
        QVERIFY(missing.error().message().contains(QStringLiteral("No Rust quickstart")));
    }

    void noTokenInLogsOrFiles() {
        QVERIFY(!tokensUsed.isEmpty());
        for (const QString &t : std::as_const(tokensUsed))
            QVERIFY2(!logs->contains(t), "a token reached the log");
        // Keychain-mode tokens must not be in any file under our data or config locations.
        const QStringList roots{
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)};
        for (const QString &root : roots) {
            QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (!f.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray content = f.read(4 * 1024 * 1024);
                for (const QString &t : std::as_const(tokensUsed))
                    QVERIFY2(!content.contains(t.toUtf8()), qPrintable(f.fileName()));
            }
        }
    }

    void cleanupTestCase() {
        delete logs;
        logs = nullptr;
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
