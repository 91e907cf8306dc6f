// SPDX-License-Identifier: Apache-2.0
// ChatClient against the real local host over loopback: backlog, live messages, renames,
// presence, the outbox across drops and restarts, loadOlder paging and search.
//
// With STDB_TEST_SERVER set (tests/devhost/support/hostprocess.h) the functions run against that
// server's database, which keeps the rows of earlier runs: message texts carry a tag unique to
// this run, and checks look at this run's rows (the whole table only with a host of our own).
// Functions needing restarts, fault controls or an empty table skip there.
#include "chat/chatclient.h"
#include "chat/errortext.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"
#include "chat/namedisambiguator.h"
#include "chat/outbox.h"
#include "chat/readmarker.h"
#include "chat/usermodel.h"

#include "quickstart_chat/module.h"

#include "spacetime/connection/manualclock.h"

#include "hostprocess.h"
#include "httpclient.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using chat::ChatClient;
using chat::DeliveryState;
using chat::MessageModel;
using chat::UserModel;

namespace {

constexpr int kTimeout = 15000;

struct Client {
    std::unique_ptr<ChatClient> client;
    std::unique_ptr<QAbstractItemModelTester> messageTester;
    std::unique_ptr<QAbstractItemModelTester> userTester;
    ChatClient *operator->() const { return client.get(); }
};

QStringList texts(const MessageModel *m) {
    QStringList out;
    for (int i = 0; i < m->rowCount(); ++i)
        out << m->index(i, 0).data(MessageModel::TextRole).toString();
    return out;
}

int rowWithText(const MessageModel *m, const QString &text) {
    for (int i = 0; i < m->rowCount(); ++i)
        if (m->index(i, 0).data(MessageModel::TextRole).toString() == text)
            return i;
    return -1;
}

// A tag unique to this run and test function, so that its messages are told apart from the rows
// earlier runs and functions left in an external server's database.
QString runTag() {
    static const QString run = QUuid::createUuid().toString(QUuid::Id128).left(10);
    return run + QLatin1Char('.') + QLatin1String(QTest::currentTestFunction());
}

QString tagged(const QString &text) {
    return text + QLatin1Char(' ') + runTag();
}

// The texts of this run's rows, in model order.
QStringList ownTexts(const MessageModel *m) {
    QStringList out;
    for (const QString &t : texts(m))
        if (t.endsWith(runTag()))
            out << t;
    return out;
}

} // namespace

class TestChatClient : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    int m_clients = 0;

    ChatClient::Options options(const HostProcess &host,
                                const QString &outbox = QStringLiteral(":memory:")) {
        return options(host.baseUrl(), outbox);
    }
    // For a host that is not running (its port only).
    ChatClient::Options options(quint16 port, const QString &outbox = QStringLiteral(":memory:")) {
        return options(QStringLiteral("http://127.0.0.1:%1").arg(port), outbox);
    }
    ChatClient::Options options(const QString &server, const QString &outbox) {
        ChatClient::Options o;
        o.profile =
            chat::Profile(server, HostProcess::database(), QStringLiteral("p%1").arg(++m_clients));
        o.anonymous = true;
        o.outboxPath = outbox;
        o.reconnect.enabled = true;
        o.reconnect.initialDelay = std::chrono::milliseconds(100);
        o.reconnect.maxDelay = std::chrono::milliseconds(400);
        return o;
    }

    Client make(const ChatClient::Options &o) {
        Client c;
        c.client = std::make_unique<ChatClient>(o);
        c.messageTester = std::make_unique<QAbstractItemModelTester>(
            c.client->messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        c.userTester = std::make_unique<QAbstractItemModelTester>(
            c.client->users(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        return c;
    }

    static bool online(const Client &c, int timeout = kTimeout) {
        c->start();
        return QTest::qWaitFor([&] { return c->state() == ChatClient::State::Online; }, timeout);
    }

    static QByteArray sql(HostProcess &host, const QString &query) {
        HttpClient http;
        const auto r =
            http.post(host.databaseUrl(QStringLiteral("/sql")), query.toUtf8(),
                      {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain")}});
        return r.body;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    }

    void connectsAndSeesItself() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QSignalSpy synced(a.client.get(), &ChatClient::synchronized);
        QVERIFY(online(a));
        QCOMPARE(synced.count(), 1);
        QVERIFY(!a->identityHex().isEmpty());
        QCOMPARE(a->identityShort(), a->identityHex().left(16));
        const int row = a->users()->rowOf(a->identity());
        QVERIFY(row >= 0);
        const QModelIndex idx = a->users()->index(row, 0);
        QVERIFY(idx.data(UserModel::OnlineRole).toBool());
        QVERIFY(idx.data(UserModel::IsSelfRole).toBool());
    }

    void unreachableServerReportsAndRetries() {
        STDB_REQUIRE_OWN_HOST("stops and restarts the host");
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        const quint16 port = host.port();
        QVERIFY(host.stop());
        Client a = make(options(port));
        QSignalSpy problems(a.client.get(), &ChatClient::connectionProblem);
        a->start();
        QVERIFY(QTest::qWaitFor([&] { return a->state() == ChatClient::State::Reconnecting; },
                                kTimeout));
        QVERIFY(problems.count() >= 1);
        QVERIFY(!a->lastError().isEmpty());
        QVERIFY(!a->wasOnline()); // retrying a first connection, not a lost one
        // Host back on the same port: the client comes online by itself.
        QVERIFY2(
            host.startWith(QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral(":memory:")),
            qPrintable(host.errorString()));
        QVERIFY(QTest::qWaitFor([&] { return a->state() == ChatClient::State::Online; }, kTimeout));
        QVERIFY(a->lastError().isEmpty());
        QVERIFY(a->wasOnline());
        QCOMPARE(a->lastErrorCause().kind(), stdb::Error::Kind::None);
    }

    void unknownDatabaseIsAnError() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        ChatClient::Options o = options(host);
        o.profile =
            chat::Profile(o.profile.serverUrl(), QStringLiteral("no-such-db"), o.profile.name());
        Client a = make(o);
        // Whoever reacts to the Error state reads the real reason at once.
        QString errorAtStateChange;
        connect(a.client.get(), &ChatClient::stateChanged, this, [&](ChatClient::State st) {
            if (st == ChatClient::State::Error)
                errorAtStateChange = a->lastError();
        });
        a->start();
        QVERIFY(QTest::qWaitFor([&] { return a->state() == ChatClient::State::Error; }, kTimeout));
        QCOMPARE(a->connectFailure().kind, stdb::ConnectFailure::Kind::HttpStatus);
        QCOMPARE(a->connectFailure().httpStatus, 404);
        QVERIFY2(a->lastError().contains(QLatin1String("no-such-db")), qPrintable(a->lastError()));
        QCOMPARE(errorAtStateChange, a->lastError());
    }

    void badUrlIsAnError() {
        ChatClient::Options o = options(1);
        o.profile = chat::Profile(QStringLiteral("ftp://example.org"), QStringLiteral("x"),
                                  QStringLiteral("bad"));
        Client a = make(o);
        QSignalSpy problems(a.client.get(), &ChatClient::connectionProblem);
        a->start();
        QCOMPARE(a->state(), ChatClient::State::Error);
        QCOMPARE(problems.count(), 1);
        QCOMPARE(a->lastErrorCause().kind(), stdb::Error::Kind::InvalidArgument);
        QCOMPARE(a->lastError(), chat::ErrorText::describe(a->lastErrorCause()));
        QCOMPARE(problems.first().at(0).toString(), a->lastError());
    }

    void messagesFlowBetweenClients() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        Client b = make(options(host));
        QVERIFY(online(a));
        QVERIFY(online(b));
        QSignalSpy arrivedB(b.client.get(), &ChatClient::messagesArrived);
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);

        const int rowsBefore = b->messages()->rowCount();
        const QString hello = tagged(QStringLiteral("hello from a"));
        const qint64 id = a->sendMessage(hello);
        QVERIFY(id > 0);
        // Shown at once as our own, pending.
        const int pendingRow = rowWithText(a->messages(), hello);
        QVERIFY(pendingRow >= 0);
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1; }, kTimeout));
        QCOMPARE(delivered.at(0).at(0).toLongLong(), id);
        QCOMPARE(ownTexts(a->messages()), QStringList{hello});
        if (!HostProcess::usesExternalServer())
            QCOMPARE(texts(a->messages()), QStringList{hello});
        const QModelIndex own = a->messages()->index(rowWithText(a->messages(), hello), 0);
        QCOMPARE(own.data(MessageModel::DeliveryStateRole).value<DeliveryState>(),
                 DeliveryState::Sent);
        QVERIFY(own.data(MessageModel::IsOwnRole).toBool());
        QVERIFY(a->outbox()->isEmpty());

        QVERIFY(
            QTest::qWaitFor([&] { return b->messages()->rowCount() == rowsBefore + 1; }, kTimeout));
        const int seenRow = rowWithText(b->messages(), hello);
        QVERIFY(seenRow >= 0);
        const QModelIndex seen = b->messages()->index(seenRow, 0);
        QCOMPARE(seen.data(MessageModel::TextRole).toString(), hello);
        QCOMPARE(seen.data(MessageModel::SenderIdentityRole).toString(), a->identityHex());
        QVERIFY(!seen.data(MessageModel::IsOwnRole).toBool());
        QCOMPARE(arrivedB.count(), 1);
        const auto list = arrivedB.at(0).at(0).value<QList<chat::ChatMessage>>();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).text, hello);
    }

    // The client asks for Brotli unless told otherwise (the server's own default and the Rust
    // and C# SDKs'), and a history the host sends compressed (a body over 1 KiB) arrives whole.
    void asksForBrotliByDefault() {
        STDB_REQUIRE_OWN_HOST("asks the host's test controls which compression clients chose");
        HostProcess host;
        QVERIFY2(host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(host.errorString()));
        QCOMPARE(ChatClient::Options().compression, stdb::Compression::Brotli);
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        QStringList sent;
        for (int i = 0; i < 5; ++i) {
            sent << tagged(QStringLiteral("%1 %2").arg(i).arg(QString(400, u'x')));
            QVERIFY(a->sendMessage(sent.last()) > 0);
        }
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 5; }, kTimeout));

        Client b = make(options(host));
        QVERIFY(online(b));
        QCOMPARE(texts(b->messages()), sent);

        HttpClient http;
        const QJsonArray clients =
            QJsonDocument::fromJson(http.get(host.http(QStringLiteral("/_test/clients"))).body)
                .object()
                .value(QStringLiteral("clients"))
                .toArray();
        QCOMPARE(clients.size(), 2);
        for (const QJsonValue &c : clients)
            QCOMPARE(c.toObject().value(QStringLiteral("compression")).toString(),
                     QStringLiteral("brotli"));
    }

    void pendingCountFollowsTheOutbox() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy changed(a.client.get(), &ChatClient::pendingCountChanged);
        QCOMPARE(a->property("pendingCount").toInt(), 0);
        a->sendMessage(QStringLiteral("one"));
        a->sendMessage(QStringLiteral("two"));
        QVERIFY(a->setName(QStringLiteral("counter")));
        QVERIFY(changed.count() >= 1);
        QVERIFY(a->pendingCount() >= 1);
        // Everything settles: the last change reports zero.
        QVERIFY(QTest::qWaitFor([&] { return a->pendingCount() == 0; }, kTimeout));
        QVERIFY(QTest::qWaitFor(
            [&] { return !changed.isEmpty() && changed.last().at(0).toInt() == 0; }, kTimeout));
        int max = 0;
        for (const QList<QVariant> &args : std::as_const(changed))
            max = qMax(max, args.at(0).toInt());
        QVERIFY2(max >= 2, qPrintable(QString::number(max)));
    }

    void messageSizeCapEndsTheSessionWithAReason() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        for (int i = 0; i < 40; ++i)
            a->sendMessage(QStringLiteral("%1 %2").arg(i).arg(QString(200, QLatin1Char('x'))));
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 40; }, kTimeout));

        // 8 KiB is more than the handshake needs and less than the 40-message snapshot.
        ChatClient::Options o = options(host);
        o.maxMessageBytes = 8 * 1024;
        Client b = make(o);
        QSignalSpy problems(b.client.get(), &ChatClient::connectionProblem);
        b->start();
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QList<QVariant> &args : std::as_const(problems))
                    if (args.at(0).toString().contains(QLatin1String("8192 bytes")))
                        return true;
                return false;
            },
            kTimeout));
        QCOMPARE(b->messages()->rowCount(), 0); // nothing half-applied
        QVERIFY(b->state() != ChatClient::State::Online);
    }

    void backlogInOrderAndNotLive() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        for (int i = 0; i < 20; ++i)
            a->sendMessage(tagged(QStringLiteral("m%1").arg(i)));
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 20; }, kTimeout));

        Client b = make(options(host));
        QSignalSpy arrived(b.client.get(), &ChatClient::messagesArrived);
        QVERIFY(online(b));
        QStringList expected;
        for (int i = 0; i < 20; ++i)
            expected << tagged(QStringLiteral("m%1").arg(i));
        QCOMPARE(ownTexts(b->messages()), expected);
        if (!HostProcess::usesExternalServer())
            QCOMPARE(texts(b->messages()), expected);
        QCOMPARE(arrived.count(), 0); // the backlog is not news
        // Grouping: one sender within 5 minutes -> only the first starts a group.
        const int first = rowWithText(b->messages(), expected.at(0));
        QCOMPARE(rowWithText(b->messages(), expected.at(1)), first + 1);
        QVERIFY(b->messages()->index(first, 0).data(MessageModel::FirstOfGroupRole).toBool());
        QVERIFY(!b->messages()->index(first + 1, 0).data(MessageModel::FirstOfGroupRole).toBool());
    }

    void renameUpdatesExistingRows() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        Client b = make(options(host));
        QVERIFY(online(a));
        QVERIFY(online(b));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        const QString before = tagged(QStringLiteral("before the rename"));
        a->sendMessage(before);
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1; }, kTimeout));
        QVERIFY(QTest::qWaitFor([&] { return rowWithText(b->messages(), before) >= 0; }, kTimeout));
        const auto row = [&] {
            return b->messages()->index(rowWithText(b->messages(), before), 0);
        };
        QCOMPARE(row().data(MessageModel::SenderNameRole).toString(), a->identityShort());

        QSignalSpy nameChanged(a.client.get(), &ChatClient::nameChanged);
        QSignalSpy ownName(a.client.get(), &ChatClient::ownNameChanged);
        QSignalSpy dataChanged(b->messages(), &QAbstractItemModel::dataChanged);
        QVERIFY(a->setName(QStringLiteral("alice")));
        QVERIFY(QTest::qWaitFor([&] { return nameChanged.count() == 1; }, kTimeout));
        QCOMPARE(a->ownName(), QStringLiteral("alice"));
        QVERIFY(ownName.count() >= 1);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return row().data(MessageModel::SenderNameRole).toString() ==
                       QLatin1String("alice");
            },
            kTimeout));
        QVERIFY(dataChanged.count() >= 1);
        const QList<int> roles = dataChanged.last().at(2).value<QList<int>>();
        QVERIFY(roles.contains(MessageModel::SenderNameRole));
        QVERIFY(!roles.contains(MessageModel::TextRole));
        QCOMPARE(b->users()->displayName(a->identity()), QStringLiteral("alice"));
    }

    void namesThatCollideAreToldApart() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        Client b = make(options(host));
        QVERIFY(online(a));
        QVERIFY(online(b));
        // Unique to this run: an external server's database may have other Bobs.
        const QString tag = QUuid::createUuid().toString(QUuid::Id128).left(6);
        const QString bob = QStringLiteral("Bob-") + tag;
        const QString lowerBob = QStringLiteral("bob-") + tag;
        // Cyrillic capital VE and small O.
        const QString cyrillicBob = QString::fromUtf16(u"\u0412\u043Eb-") + tag;
        const QString aSuffix = chat::NameDisambiguator::shortIdentity(a->identity());
        const QString bSuffix = chat::NameDisambiguator::shortIdentity(b->identity());
        auto rename = [&](Client &c, const QString &name) {
            QSignalSpy done(c.client.get(), &ChatClient::nameChanged);
            return c->setName(name) && done.wait(kTimeout);
        };
        auto display = [](const Client &viewer, const Client &of) {
            const UserModel *users = viewer->users();
            const int row = users->rowOf(of->identity());
            return row < 0 ? QString()
                           : users->index(row, 0).data(UserModel::DisplayNameRole).toString();
        };
        auto name = [](const Client &viewer, const Client &of) {
            const UserModel *users = viewer->users();
            const int row = users->rowOf(of->identity());
            return row < 0 ? QString() : users->index(row, 0).data(UserModel::NameRole).toString();
        };
        // Both views agree on everyone's display name.
        auto shows = [&](const QString &forA, const QString &forB) {
            return QTest::qWaitFor(
                [&] {
                    return display(a, a) == forA && display(b, a) == forA &&
                           display(a, b) == forB && display(b, b) == forB;
                },
                kTimeout);
        };

        QVERIFY(rename(a, bob));
        QVERIFY(rename(b, QStringLiteral("Robert-") + tag));
        QVERIFY(shows(bob, QStringLiteral("Robert-") + tag));
        QSignalSpy delivered(b.client.get(), &ChatClient::messageDelivered);
        const QString text = tagged(QStringLiteral("which Bob am I?"));
        b->sendMessage(text);
        QVERIFY(delivered.wait(kTimeout));
        QVERIFY(QTest::qWaitFor([&] { return rowWithText(a->messages(), text) >= 0; }, kTimeout));
        const auto sender = [&] {
            return a->messages()
                ->index(rowWithText(a->messages(), text), 0)
                .data(MessageModel::SenderNameRole)
                .toString();
        };
        QCOMPARE(sender(), QStringLiteral("Robert-") + tag);

        // Into the collision: differently cased, then a Cyrillic look-alike.
        QVERIFY(rename(b, lowerBob));
        QVERIFY(shows(bob + QStringLiteral(" (%1)").arg(aSuffix),
                      lowerBob + QStringLiteral(" (%1)").arg(bSuffix)));
        QCOMPARE(name(a, b), lowerBob); // as typed
        QCOMPARE(sender(), lowerBob + QStringLiteral(" (%1)").arg(bSuffix));
        QCOMPARE(a->users()->selfDisplayName(), bob + QStringLiteral(" (%1)").arg(aSuffix));
        QVERIFY(rename(b, cyrillicBob));
        QVERIFY(shows(bob + QStringLiteral(" (%1)").arg(aSuffix),
                      cyrillicBob + QStringLiteral(" (%1)").arg(bSuffix)));
        QCOMPARE(sender(), cyrillicBob + QStringLiteral(" (%1)").arg(bSuffix));

        // And out of it: the suffixes go.
        QVERIFY(rename(b, QStringLiteral("Carol-") + tag));
        QVERIFY(shows(bob, QStringLiteral("Carol-") + tag));
        QCOMPARE(sender(), QStringLiteral("Carol-") + tag);
        QCOMPARE(a->users()->selfDisplayName(), bob);
    }

    void presenceGreyedWhileDisconnectedThenRefreshed() {
        STDB_REQUIRE_OWN_HOST("--test-controls: drop-all");
        HostProcess host;
        QVERIFY2(host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(host.errorString()));
        Client a = make(options(host));
        ChatClient::Options ob = options(host);
        ob.reconnect.enabled = false; // b stays away once dropped
        Client b = make(ob);
        QVERIFY(online(a));
        QVERIFY(online(b));
        const UserModel *users = a->users();
        QVERIFY(QTest::qWaitFor(
            [&] { return users->rowOf(b->identity()) >= 0 && users->user(b->identity())->online; },
            kTimeout));
        QVERIFY(users->presenceKnown());
        const auto bRow = [&] { return users->index(users->rowOf(b->identity()), 0); };
        QVERIFY(bRow().data(UserModel::PresenceKnownRole).toBool());

        // What the list says at the moment our connection is down (before any reconnect).
        bool sawReconnecting = false;
        bool knownWhileDown = true;
        bool bOnlineWhileDown = false;
        bool bRowKnownWhileDown = true;
        QString bTextWhileDown;
        connect(a.client.get(), &ChatClient::stateChanged, this, [&](ChatClient::State s) {
            if (s != ChatClient::State::Reconnecting || sawReconnecting)
                return;
            sawReconnecting = true;
            knownWhileDown = users->presenceKnown();
            bOnlineWhileDown = bRow().data(UserModel::OnlineRole).toBool();
            bRowKnownWhileDown = bRow().data(UserModel::PresenceKnownRole).toBool();
            bTextWhileDown = bRow().data(UserModel::PresenceTextRole).toString();
        });
        HttpClient http;
        QCOMPARE(http.post(host.http(QStringLiteral("/_test/drop-all")), {}).status, 200);
        QVERIFY(QTest::qWaitFor([&] { return sawReconnecting; }, kTimeout));
        QVERIFY(!knownWhileDown);
        QVERIFY(!bRowKnownWhileDown);
        QVERIFY(bOnlineWhileDown); // the last thing seen, shown greyed
        QVERIFY2(bTextWhileDown.contains(QLatin1String("before the connection was lost")),
                 qPrintable(bTextWhileDown));

        // Back: the server's rows say b went away meanwhile.
        QVERIFY(QTest::qWaitFor(
            [&] { return a->state() == ChatClient::State::Online && users->presenceKnown(); },
            kTimeout));
        QVERIFY(QTest::qWaitFor([&] { return !users->user(b->identity())->online; }, kTimeout));
        QVERIFY(bRow().data(UserModel::PresenceKnownRole).toBool());
        QCOMPARE(bRow().data(UserModel::PresenceTextRole).toString(), QStringLiteral("offline"));
        QVERIFY(users->user(a->identity())->online);

        // Stopping by hand is a connection down too.
        a->stop();
        QVERIFY(QTest::qWaitFor([&] { return !users->presenceKnown(); }, kTimeout));
        QVERIFY(online(a));
        // Online comes with the session; the presence with the resync after it.
        QVERIFY(QTest::qWaitFor([&] { return users->presenceKnown(); }, kTimeout));
        QVERIFY(a->isSynced());
    }

    void invalidInputIsRejectedBeforeSending() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        const int rowsBefore = a->messages()->rowCount();
        QSignalSpy nameRejected(a.client.get(), &ChatClient::nameRejected);
        QSignalSpy messageRejected(a.client.get(), &ChatClient::messageRejected);
        QVERIFY(!a->setName(QStringLiteral("   ")));
        QVERIFY(!a->setName(QString(65, QLatin1Char('x'))));
        QCOMPARE(nameRejected.count(), 2);
        QVERIFY(!nameRejected.at(0).at(1).toString().isEmpty());
        QCOMPARE(a->sendMessage(QString()), 0);
        QCOMPARE(a->sendMessage(QString(9000, QLatin1Char('y'))), 0);
        QCOMPARE(messageRejected.count(), 2);
        QVERIFY(a->outbox()->isEmpty());
        QCOMPARE(a->messages()->rowCount(), rowsBefore);
    }

    void presenceFollowsConnections() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy cameOnline(a->users(), &UserModel::userCameOnline);
        QSignalSpy wentOffline(a->users(), &UserModel::userWentOffline);
        Client b = make(options(host));
        QVERIFY(online(b));
        QVERIFY(QTest::qWaitFor([&] { return a->users()->rowOf(b->identity()) >= 0; }, kTimeout));
        QVERIFY(a->users()->user(b->identity())->online);
        const int onlineWithB = a->users()->onlineCount();
        b->stop();
        QCOMPARE(b->state(), ChatClient::State::Offline);
        QVERIFY(QTest::qWaitFor([&] { return wentOffline.count() == 1; }, kTimeout));
        QVERIFY(!a->users()->user(b->identity())->online);
        QCOMPARE(a->users()->onlineCount(), onlineWithB - 1);
        b->start();
        QVERIFY(QTest::qWaitFor([&] { return a->users()->user(b->identity())->online; }, kTimeout));
        Q_UNUSED(cameOnline);
        // The SDK's primary-key index still finds the row after two updates.
        const std::optional<quickstart_chat::User> row =
            a->module()->user()->findByIdentity(b->identity());
        QVERIFY(row);
        QVERIFY(row->online);
    }

    void pendingWhileOfflineDeliveredAfterHostRestart() {
        STDB_REQUIRE_OWN_HOST("stops and restarts the host with its data");
        QTemporaryDir data;
        HostProcess host;
        QVERIFY2(host.start(data.path()), qPrintable(host.errorString()));
        const quint16 port = host.port();
        Client a = make(options(port));
        QVERIFY(online(a));
        QVERIFY(host.stop());
        QVERIFY(QTest::qWaitFor([&] { return a->state() == ChatClient::State::Reconnecting; },
                                kTimeout));

        const qint64 id1 = a->sendMessage(QStringLiteral("written offline 1"));
        const qint64 id2 = a->sendMessage(QStringLiteral("written offline 2"));
        QCOMPARE(a->messages()->rowCount(), 2);
        for (int r = 0; r < 2; ++r)
            QCOMPARE(a->messages()
                         ->index(r, 0)
                         .data(MessageModel::DeliveryStateRole)
                         .value<DeliveryState>(),
                     DeliveryState::Pending);
        QVERIFY(a->reconnectSeconds() >= 0);

        QVERIFY2(host.startWith(QStringLiteral("127.0.0.1:%1").arg(port), data.path()),
                 qPrintable(host.errorString()));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 2; }, kTimeout));
        QCOMPARE(delivered.at(0).at(0).toLongLong(), id1);
        QCOMPARE(delivered.at(1).at(0).toLongLong(), id2);
        QCOMPARE(texts(a->messages()), (QStringList{QStringLiteral("written offline 1"),
                                                    QStringLiteral("written offline 2")}));
        // Exactly once on the server.
        const QByteArray rows = sql(host, QStringLiteral("SELECT * FROM message"));
        QCOMPARE(rows.count("written offline 1"), 1);
        QCOMPARE(rows.count("written offline 2"), 1);
    }

    void unconfirmedIsSettledBySnapshotNotResent() {
        STDB_REQUIRE_OWN_HOST("--test-controls: delay and drop-all, and the host's log");
        HostProcess host;
        QVERIFY2(host.start(QStringLiteral(":memory:"), {QStringLiteral("--test-controls")}),
                 qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        HttpClient http;
        // The reducer runs, but its result is held back; then the socket dies.
        QCOMPARE(http.post(host.http(QStringLiteral("/_test/delay?ms=3000")), {}).status, 200);
        const qint64 id = a->sendMessage(QStringLiteral("did it arrive?"));
        QVERIFY(QTest::qWaitFor([&] { return a->outbox()->entry(id)->inFlight; }, kTimeout));
        bool sawUnconfirmed = false;
        connect(a->outbox(), &chat::Outbox::entryChanged, this, [&](qint64 changed) {
            const auto *e = a->outbox()->entry(changed);
            if (changed == id && e && e->state == DeliveryState::Unconfirmed)
                sawUnconfirmed = true;
        });
        QVERIFY(host.waitForLog("did it arrive?"));
        QCOMPARE(http.post(host.http(QStringLiteral("/_test/drop-all")), {}).status, 200);
        QCOMPARE(http.post(host.http(QStringLiteral("/_test/delay?ms=0")), {}).status, 200);
        QVERIFY(QTest::qWaitFor([&] { return sawUnconfirmed; }, kTimeout));
        // After the reconnect the snapshot has it: settled, shown once, never sent twice.
        QVERIFY(QTest::qWaitFor([&] { return a->outbox()->isEmpty(); }, kTimeout));
        QVERIFY(QTest::qWaitFor([&] { return a->state() == ChatClient::State::Online; }, kTimeout));
        QCOMPARE(texts(a->messages()), QStringList{QStringLiteral("did it arrive?")});
        // A resend would have gone out on this session before any later call: once a later
        // message is confirmed, the table holds everything this client will ever have sent.
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        a->sendMessage(QStringLiteral("barrier"));
        QVERIFY(delivered.wait(kTimeout));
        const QByteArray table = sql(host, QStringLiteral("SELECT * FROM message"));
        QCOMPARE(table.count("did it arrive?"), 1);
        QCOMPARE(table.count("barrier"), 1);
    }

    void outboxSurvivesRestartOfTheApp() {
        STDB_REQUIRE_OWN_HOST("starts the host only after the app has queued a message");
        QTemporaryDir dir;
        const QString outboxFile = dir.filePath(QStringLiteral("outbox.json"));
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        const quint16 port = host.port();
        QVERIFY(host.stop());
        {
            Client a = make(options(port, outboxFile));
            a->start();
            a->sendMessage(QStringLiteral("typed before quitting"));
            QCOMPARE(a->messages()->rowCount(), 1);
        }
        QVERIFY2(
            host.startWith(QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral(":memory:")),
            qPrintable(host.errorString()));
        Client again = make(options(port, outboxFile));
        // Shown before any connection.
        QCOMPARE(texts(again->messages()), QStringList{QStringLiteral("typed before quitting")});
        QVERIFY(online(again));
        QVERIFY(QTest::qWaitFor([&] { return again->outbox()->isEmpty(); }, kTimeout));
        QCOMPARE(texts(again->messages()), QStringList{QStringLiteral("typed before quitting")});
        QCOMPARE(sql(host, QStringLiteral("SELECT * FROM message")).count("typed before quitting"),
                 1);
    }

    // The read position is kept for the profile: a restarted client shows the same first
    // unread message and count, and after the newest was seen, nothing is unread any more.
    void readPositionSurvivesRestart() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        QTemporaryDir dir;
        ChatClient::Options reader = options(host);
        reader.readMarkerPath = dir.filePath(QStringLiteral("state.ini"));
        Client b = make(options(host));
        QVERIFY(online(b));
        QStringList sent;
        QString firstUnread;
        {
            Client a = make(reader);
            QVERIFY(online(a));
            QVERIFY(a->readMarker()->position()); // a new profile starts with everything read
            QCOMPARE(a->readMarker()->unreadCount(), 0);
            for (int i = 0; i < 3; ++i) {
                sent << tagged(QStringLiteral("unread %1").arg(i));
                QVERIFY(b->sendMessage(sent.last()) > 0);
            }
            QVERIFY(QTest::qWaitFor([&] { return a->readMarker()->unreadCount() == 3; }, kTimeout));
            const int row = a->readMarker()->firstUnreadRow();
            QVERIFY(row >= 0);
            firstUnread = texts(a->messages()).at(row);
            QCOMPARE(firstUnread, sent.first());
        }
        Client again = make(reader);
        QCOMPARE(again->readMarker()->storagePath(), reader.readMarkerPath);
        QVERIFY(online(again));
        QCOMPARE(again->readMarker()->unreadCount(), 3);
        QCOMPARE(texts(again->messages()).at(again->readMarker()->firstUnreadRow()), firstUnread);
        QVERIFY(again->messages()
                    ->index(again->readMarker()->firstUnreadRow(), 0)
                    .data(MessageModel::FirstUnreadRole)
                    .toBool());

        // Seen: attended with the newest on screen, for the delay (on a manual clock).
        stdb::ManualClock clock;
        const auto realClock = qScopeGuard([&again] {
            if (again.client)
                again->readMarker()->setClock(nullptr); // the manual clock goes first
        });
        again->readMarker()->setClock(&clock);
        again->readMarker()->setAttended(true);
        again->readMarker()->setNewestVisible(true);
        clock.advance(chat::ReadMarker::kSeenDelay);
        QCOMPARE(again->readMarker()->unreadCount(), 0);
        QCOMPARE(again->readMarker()->firstUnreadRow(), -1);
        again->readMarker()->setClock(nullptr);
        again.client.reset();
        Client third = make(reader);
        QVERIFY(online(third));
        QCOMPARE(third->readMarker()->unreadCount(), 0);
        QCOMPARE(third->readMarker()->firstUnreadRow(), -1);
    }

    void failedMessageCanBeRetriedOrDiscarded() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        // The server rejects what the client lets through only in odd cases; make one by hand:
        // an entry marked failed, as after a server rejection.
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        const QString retryMe = tagged(QStringLiteral("retry me"));
        const qint64 id = a->outbox()->add(retryMe);
        a->outbox()->markFailed(id, QStringLiteral("Messages must not be empty"));
        const int row = a->messages()->rowOfOutgoing(id);
        QVERIFY(row >= 0);
        QCOMPARE(a->messages()
                     ->index(row, 0)
                     .data(MessageModel::DeliveryStateRole)
                     .value<DeliveryState>(),
                 DeliveryState::Failed);
        QCOMPARE(a->messages()->index(row, 0).data(MessageModel::ErrorRole).toString(),
                 QStringLiteral("Messages must not be empty"));
        a->retryMessage(id);
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 1; }, kTimeout));
        QCOMPARE(ownTexts(a->messages()), QStringList{retryMe});

        const qint64 id2 = a->outbox()->add(tagged(QStringLiteral("discard me")));
        a->outbox()->markFailed(id2, QStringLiteral("nope"));
        a->discardMessage(id2);
        QCOMPARE(a->messages()->rowOfOutgoing(id2), -1);
        QCOMPARE(ownTexts(a->messages()), QStringList{retryMe});
        if (!HostProcess::usesExternalServer())
            QCOMPARE(texts(a->messages()), QStringList{retryMe});
    }

    // `old` messages before the reader's window and 2 in it; the reader's clock places its
    // window (a minute, far longer than this test takes) to start right after the old ones.
    void seedOldAndNew(HostProcess &host, int old, stdb::ManualClock &clock) {
        Client writer = make(options(host));
        QVERIFY(online(writer));
        QSignalSpy delivered(writer.client.get(), &ChatClient::messageDelivered);
        for (int i = 0; i < old; ++i)
            writer->sendMessage(QStringLiteral("old %1").arg(i));
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == old; }, kTimeout));
        // The host stamps each message with this machine's calendar time in microseconds (plus
        // 1 us for a second message within one microsecond), and a delivery is confirmed after
        // that. So once the clock has passed `cut`, every message sent from then on is later
        // than `cut`, and every old one is older (a margin of 1 ms for the host's +1 us steps).
        const stdb::Timestamp lastOld = stdb::Timestamp::now();
        const stdb::Timestamp cut = stdb::Timestamp::fromMicros(lastOld.micros() + 1000);
        QTRY_VERIFY(stdb::Timestamp::now() > cut); // a state of the clock: at most 1 ms
        for (int i = 0; i < 2; ++i)
            writer->sendMessage(QStringLiteral("new %1").arg(i));
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == old + 2; }, kTimeout));
        clock.setWallTime(stdb::Timestamp::fromMicros(cut.micros() + 60 * 1000 * 1000));
    }

    ChatClient::Options readerOptions(const HostProcess &host, stdb::ManualClock &clock) {
        ChatClient::Options ro = options(host);
        ro.historyWindow = std::chrono::seconds(60);
        ro.clock = &clock;
        return ro;
    }

    // Whether older messages exist is known right after the first snapshot, before any load:
    // no "Load older" for an empty past, and one for a past of more than a page.
    void hasOlderKnownFromTheStart_data() {
        QTest::addColumn<int>("old");
        QTest::newRow("nothing older") << 0;
        QTest::newRow("more than a page") << 5;
    }
    void hasOlderKnownFromTheStart() {
        STDB_REQUIRE_OWN_HOST("counts every message before the window: an empty database");
        QFETCH(int, old);
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        stdb::ManualClock clock;
        seedOldAndNew(host, old, clock);
        if (QTest::currentTestFailed())
            return;
        ChatClient::Options ro = readerOptions(host, clock);
        ro.maxMessages = 6; // a page is at most half of it: 3
        Client reader = make(ro);
        QSignalSpy hasOlder(reader.client.get(), &ChatClient::hasOlderChanged);
        QVERIFY(!reader->hasOlder()); // unknown is not "yes"
        QVERIFY(!reader->messages()->canFetchMore({}));
        QVERIFY(online(reader));
        QCOMPARE(texts(reader->messages()),
                 (QStringList{QStringLiteral("new 0"), QStringLiteral("new 1")}));
        if (old == 0) {
            QTRY_VERIFY_WITH_TIMEOUT(reader->isHistoryComplete(), kTimeout);
            QVERIFY(!reader->hasOlder());
            QCOMPARE(hasOlder.count(), 0); // never offered
            QVERIFY(!reader->messages()->canFetchMore({}));
            QVERIFY(!reader->messages()->canFetchOlder());
            return;
        }
        QTRY_VERIFY_WITH_TIMEOUT(reader->hasOlder(), kTimeout);
        QVERIFY(reader->messages()->canFetchMore({}));
        QVERIFY(reader->messages()->canFetchOlder());
        QCOMPARE(reader->messages()->rowCount(), 2); // known, not loaded
        QVERIFY(!reader->isLoadingOlder());
    }

    // Qt's canFetchMore/fetchMore on the message model pages back; the cap then unloads the
    // newest side, and reloadNewest() brings it back.
    void fetchMorePagesBackUnderTheCap() {
        STDB_REQUIRE_OWN_HOST("pages back to the first message: an empty database");
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        stdb::ManualClock clock;
        seedOldAndNew(host, 5, clock);
        if (QTest::currentTestFailed())
            return;
        ChatClient::Options ro = readerOptions(host, clock);
        ro.maxMessages = 6;
        Client reader = make(ro);
        // The model tester calls fetchMore() after every change: here the test does.
        reader.messageTester.reset();
        QVERIFY(online(reader));
        MessageModel *model = reader->messages();
        QTRY_VERIFY_WITH_TIMEOUT(model->canFetchMore({}), kTimeout);
        QSignalSpy prepended(model, &MessageModel::olderPrepended);
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);

        // The page was fetched ahead: it goes in at once, in one insert, newest end first.
        model->fetchMore({});
        QCOMPARE(prepended.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(texts(model), (QStringList{QStringLiteral("old 2"), QStringLiteral("old 3"),
                                            QStringLiteral("old 4"), QStringLiteral("new 0"),
                                            QStringLiteral("new 1")}));
        QVERIFY(model->canFetchMore({})); // the rest of the page
        QVERIFY(!model->newerUnloaded());

        // Past the cap of 6: the newest go, the model says so.
        QSignalSpy unloaded(model, &MessageModel::newerUnloadedChanged);
        model->fetchMore({});
        QCOMPARE(prepended.count(), 2);
        QCOMPARE(texts(model), (QStringList{QStringLiteral("old 0"), QStringLiteral("old 1"),
                                            QStringLiteral("old 2"), QStringLiteral("old 3"),
                                            QStringLiteral("old 4"), QStringLiteral("new 0")}));
        QVERIFY(model->newerUnloaded());
        QCOMPARE(unloaded.count(), 1);
        // Nothing older: the next probe says so.
        QTRY_VERIFY_WITH_TIMEOUT(reader->isHistoryComplete(), kTimeout);
        QVERIFY(!model->canFetchMore({}));
        QVERIFY(!reader->isLoadingOlder());

        // A live message while the newest are unloaded does not open a gap in the middle.
        Client writer = make(options(host));
        QVERIFY(online(writer));
        QSignalSpy arrived(reader.client.get(), &ChatClient::messagesArrived);
        writer->sendMessage(QStringLiteral("live"));
        QVERIFY(arrived.wait(kTimeout));
        QCOMPARE(model->rowCount(), 6);
        QVERIFY(model->newerUnloaded());

        // Back to the newest: the window again (cap: the oldest go), and older exists again.
        model->reloadNewest();
        QVERIFY(!model->newerUnloaded());
        QCOMPARE(texts(model), (QStringList{QStringLiteral("new 0"), QStringLiteral("new 1"),
                                            QStringLiteral("live")}));
        QTRY_VERIFY_WITH_TIMEOUT(model->canFetchMore({}), kTimeout);
    }

    // A page fetched ahead, then live messages push the oldest rows out under the cap: the
    // next fetchMore() must continue right before the oldest row shown, not before the rows
    // that are gone (they would be a gap in the middle of the history).
    void liveMessagesAtTheCapLeaveNoGapBehind() {
        STDB_REQUIRE_OWN_HOST("pages back through known messages: an empty database");
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        stdb::ManualClock clock;
        seedOldAndNew(host, 5, clock);
        if (QTest::currentTestFailed())
            return;
        ChatClient::Options ro = readerOptions(host, clock);
        ro.maxMessages = 3;
        Client reader = make(ro);
        reader.messageTester.reset(); // it would call fetchMore() after every change
        QVERIFY(online(reader));
        MessageModel *model = reader->messages();
        QTRY_VERIFY_WITH_TIMEOUT(model->canFetchMore({}), kTimeout); // "old 4" is ready

        Client writer = make(options(host));
        QVERIFY(online(writer));
        QSignalSpy arrived(reader.client.get(), &ChatClient::messagesArrived);
        writer->sendMessage(QStringLiteral("live 0"));
        writer->sendMessage(QStringLiteral("live 1"));
        QTRY_VERIFY_WITH_TIMEOUT(texts(model).contains(QStringLiteral("live 1")), kTimeout);
        QCOMPARE(texts(model), (QStringList{QStringLiteral("new 1"), QStringLiteral("live 0"),
                                            QStringLiteral("live 1")}));

        // Older rows exist (they were just dropped): offered at once, fetched when asked for.
        QVERIFY(model->canFetchMore({}));
        QSignalSpy prepended(model, &MessageModel::olderPrepended);
        model->fetchMore({});
        QVERIFY(prepended.count() == 1 || prepended.wait(kTimeout));
        QCOMPARE(texts(model).mid(0, 2),
                 (QStringList{QStringLiteral("new 0"), QStringLiteral("new 1")}));
    }

    void searchFiltersTextAndSender() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        Client a = make(options(host));
        QVERIFY(online(a));
        QSignalSpy nameChanged(a.client.get(), &ChatClient::nameChanged);
        // Names are at most 64 characters: "Zed" and the tag fit.
        const QString zed = QStringLiteral("Zed") + runTag();
        a->setName(zed);
        QVERIFY(QTest::qWaitFor([&] { return nameChanged.count() == 1; }, kTimeout));
        QSignalSpy delivered(a.client.get(), &ChatClient::messageDelivered);
        a->sendMessage(tagged(QStringLiteral("Apples are red")));
        a->sendMessage(tagged(QStringLiteral("bananas are yellow")));
        QVERIFY(QTest::qWaitFor([&] { return delivered.count() == 2; }, kTimeout));
        chat::MessageFilterModel filter;
        filter.setSourceModel(a->messages());
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int all = a->messages()->rowCount();
        filter.setSearchText(QStringLiteral("APPLES ARE RED ") + runTag().toUpper());
        QCOMPARE(filter.rowCount(), 1);
        filter.setSearchText(zed.toLower());
        QCOMPARE(filter.rowCount(), 2);
        filter.setSearchText(QString());
        QCOMPARE(filter.rowCount(), all);
    }

    void forgetIdentityStartsOver() {
        HostProcess host;
        QVERIFY2(host.start(), qPrintable(host.errorString()));
        ChatClient::Options o = options(host);
        o.anonymous = false;
        o.insecureTokenFile = true; // no keychain needed here; see tst_credentialstore
        Client a = make(o);
        QVERIFY(online(a));
        const QString first = a->identityHex();
        {
            // Same profile again: the saved token brings back the same identity.
            a.client.reset();
            Client b = make(o);
            QVERIFY(online(b));
            QCOMPARE(b->identityHex(), first);
            b->forgetIdentity();
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return b->state() == ChatClient::State::Online && b->identityHex() != first &&
                           !b->identityHex().isEmpty();
                },
                kTimeout));
        }
        Client c = make(o);
        QVERIFY(online(c));
        QVERIFY(c->identityHex() != first);
    }
};

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
