// SPDX-License-Identifier: Apache-2.0
// A full session with the real keychain (gnome-keyring in a private D-Bus session, see
// with-keyring.sh), then a search for the token everywhere it must never be: every log line
// (debug included), the host's log, and every file the client may have written.
#include "chat/chatclient.h"
#include "chat/outbox.h"

#include "hostprocess.h"
#include "httpclient.h"
#include "logcapture.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using chat::ChatClient;

class TestTokenScan : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    ChatClient::Options options(quint16 port) const {
        ChatClient::Options o;
        o.profile = chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(port),
                                  QStringLiteral("quickstart-chat"), QStringLiteral("scan"));
        o.reconnect.enabled = true;
        o.reconnect.initialDelay = std::chrono::milliseconds(100);
        o.reconnect.maxDelay = std::chrono::milliseconds(400);
        return o;
    }

    static bool online(ChatClient &c) {
        return QTest::qWaitFor([&] { return c.state() == ChatClient::State::Online; }, 15000);
    }

    // Files below `root` whose bytes contain `needle`.
    static QStringList filesContaining(const QString &root, const QByteArray &needle) {
        QStringList hits;
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
                hits << path;
        }
        return hits;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs the private Secret Service of with-keyring.sh");
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_STATE_HOME", m_home.filePath(QStringLiteral("state")).toUtf8());
    }

    void tokenNeverLeaks() {
        STDB_REQUIRE_OWN_HOST("--test-controls: drop-all, and the host's log is scanned too");
        LogCapture logs;
        HostProcess host;
        QVERIFY2(host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(host.errorString()));

        QString token;
        QString identity;
        {
            ChatClient a(options(host.port()));
            QSignalSpy warnings(&a, &ChatClient::credentialWarning);
            a.start();
            QVERIFY(online(a));
            QCOMPARE(warnings.count(), 0);
            QCOMPARE(a.credentials()->backend(), chat::CredentialStore::Backend::Keychain);
            token = a.connection()->token();
            identity = a.identityHex();
            QVERIFY(token.size() > 20);

            QSignalSpy delivered(&a, &ChatClient::messageDelivered);
            QSignalSpy named(&a, &ChatClient::nameChanged);
            a.sendMessage(QStringLiteral("a message worth keeping"));
            a.setName(QStringLiteral("scanner"));
            QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1 && named.count() == 1; },
                                    15000));

            // A dropped socket and a reconnect with the same token.
            HttpClient http;
            QCOMPARE(http.post(host.http(QStringLiteral("/_test/drop-all"))).status, 200);
            QVERIFY(QTest::qWaitFor([&] { return a.state() != ChatClient::State::Online; }, 5000));
            QVERIFY(online(a));
            // Something unsent stays in the persistent outbox file while offline.
            a.stop();
            a.sendMessage(QStringLiteral("kept for later"));
            QVERIFY(!a.outbox()->isEmpty());
        }
        {
            // Restart: the token comes back from the keychain, same identity.
            ChatClient again(options(host.port()));
            QSignalSpy delivered(&again, &ChatClient::messageDelivered);
            again.start();
            QVERIFY(online(again));
            QCOMPARE(again.identityHex(), identity);
            QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1; }, 15000));
        }

        // The scan.
        const QByteArray needle = token.toUtf8();
        // The signature alone is enough to be a leak.
        const QByteArray signature = needle.mid(needle.lastIndexOf('.') + 1);
        QVERIFY(signature.size() >= 16);
        QVERIFY(logs.lines().size() > 10); // the scan looked at a real log
        for (const QString &line : logs.lines()) {
            QVERIFY2(!line.contains(token), qPrintable(QStringLiteral("token in log: ") + line));
            QVERIFY2(!line.contains(QString::fromUtf8(signature)), "token signature in a log line");
        }
        QVERIFY(!host.log().contains(signature));
        const QString dataHome = qEnvironmentVariable("XDG_DATA_HOME");
        QVERIFY(!dataHome.isEmpty());
        for (const QString &root : {m_home.path(), dataHome}) {
            QStringList hits = filesContaining(root, signature);
            // The keyring daemon's own store is encrypted; it must not hold it in clear either.
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u',')));
        }
        // The profile's outbox file was really written there (so the scan covered it).
        const QString outboxFile =
            options(host.port()).profile.dataDir() + QStringLiteral("/outbox.json");
        QVERIFY2(outboxFile.startsWith(dataHome), qPrintable(outboxFile));
        QVERIFY(QFile::exists(outboxFile));
    }
};

QTEST_GUILESS_MAIN(TestTokenScan)
#include "tst_tokenscan.moc"
