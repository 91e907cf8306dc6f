// SPDX-License-Identifier: Apache-2.0
// DBusNotifier against a notification service on a real session bus (the private bus
// scripts/lib.sh starts with dbus-run-session): the availability probe and Notify are
// asynchronous, the call carries the escaped body and the hints, and a click on the
// notification comes back as activated() with our id.
#include "desktop/dbusnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using desktop::DBusNotifier;
using desktop::Notification;
using desktop::Notifier;

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

// The server side of org.freedesktop.Notifications, as far as the notifier uses it.
class FakeNotificationServer : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call {
        QString app, icon, summary, body;
        QStringList actions;
        QVariantMap hints;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &app, uint replacesId, const QString &icon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints,
                int timeout) {
        Q_UNUSED(replacesId)
        Q_UNUSED(timeout)
        calls.append({app, icon, summary, body, actions, hints});
        return uint(100 + calls.size());
    }
};
} // namespace

class TestDBusNotifier : public QObject {
    Q_OBJECT

    QDBusConnection m_serviceBus{QString()};

    static bool otherServiceRuns() {
        auto *iface = QDBusConnection::sessionBus().interface();
        return iface && iface->isServiceRegistered(kService).value();
    }

    bool click(uint serverId) {
        QDBusMessage signal =
            QDBusMessage::createSignal(kPath, kService, QStringLiteral("ActionInvoked"));
        signal << serverId << QStringLiteral("default");
        return m_serviceBus.send(signal);
    }

private Q_SLOTS:
    void initTestCase() {
        if (!QDBusConnection::sessionBus().isConnected())
            QSKIP("no D-Bus session bus (scripts/lib.sh runs the suite in dbus-run-session)");
        if (otherServiceRuns())
            QSKIP("a real notification service runs on this session bus");
        QGuiApplication::setDesktopFileName(QStringLiteral("io.spacetimedb.SpacetimeChat"));
    }

    void cleanup() {
        if (m_serviceBus.isConnected()) {
            m_serviceBus.unregisterObject(kPath);
            m_serviceBus.unregisterService(kService);
            QDBusConnection::disconnectFromBus(m_serviceBus.name());
            m_serviceBus = QDBusConnection(QString());
        }
    }

    void probeSaysNoWithoutAService() {
        QObject context;
        int answers = 0;
        bool available = true;
        DBusNotifier::probe(&context, [&](bool a) {
            ++answers;
            available = a;
        });
        QCOMPARE(answers, 0); // asynchronous: nothing is decided inside the call
        QTRY_COMPARE(answers, 1);
        QVERIFY(!available);
    }

    void probeAnswerIsDroppedWithItsContext() {
        int answers = 0;
        {
            QObject context;
            DBusNotifier::probe(&context, [&](bool) { ++answers; });
        }
        // A later probe answering proves the bus round trip happened in between.
        QObject later;
        bool laterAnswered = false;
        DBusNotifier::probe(&later, [&](bool) { laterAnswered = true; });
        QTRY_VERIFY(laterAnswered);
        QCOMPARE(answers, 0);
    }

    void notifiesThroughTheServiceAndReportsClicks() {
        FakeNotificationServer server;
        m_serviceBus = QDBusConnection::connectToBus(QDBusConnection::SessionBus,
                                                     QStringLiteral("fake-notification-server"));
        QVERIFY(m_serviceBus.isConnected());
        QVERIFY(m_serviceBus.registerObject(kPath, &server, QDBusConnection::ExportAllSlots));
        QVERIFY(m_serviceBus.registerService(kService));

        QObject context;
        std::optional<bool> available;
        DBusNotifier::probe(&context, [&](bool a) { available = a; });
        QTRY_VERIFY(available.has_value());
        QVERIFY(*available);

        DBusNotifier notifier;
        QSignalSpy activated(&notifier, &Notifier::activated);
        notifier.notify(
            Notification{42, QStringLiteral("Zoe"), QStringLiteral("<b>hi</b> & bye"), true});
        QCOMPARE(server.calls.size(), 0); // the call did not wait for the service
        QTRY_COMPARE(server.calls.size(), 1);
        const FakeNotificationServer::Call &call = server.calls.constFirst();
        QCOMPARE(call.summary, QStringLiteral("Zoe"));
        QCOMPARE(call.body, QStringLiteral("&lt;b&gt;hi&lt;/b&gt; &amp; bye"));
        QCOMPARE(call.icon, QStringLiteral("io.spacetimedb.SpacetimeChat"));
        QVERIFY(call.actions.contains(QStringLiteral("default")));
        QCOMPARE(call.hints.value(QStringLiteral("desktop-entry")).toString(),
                 QStringLiteral("io.spacetimedb.SpacetimeChat"));
        QCOMPARE(call.hints.value(QStringLiteral("urgency")).toInt(), 2); // a mention

        // One connection's messages arrive in order: the Notify reply (the server's id 101)
        // reaches the notifier before this click does.
        QVERIFY(click(101));
        QVERIFY(activated.wait());
        QCOMPARE(activated.constFirst().at(0).toULongLong(), quint64(42));

        // Closed notifications are forgotten: a click on them does nothing.
        QDBusMessage closed =
            QDBusMessage::createSignal(kPath, kService, QStringLiteral("NotificationClosed"));
        closed << uint(101) << uint(2);
        QVERIFY(m_serviceBus.send(closed));
        activated.clear();
        notifier.notify(Notification{43, QStringLiteral("Zoe"), QStringLiteral("again"), false});
        QTRY_COMPARE(server.calls.size(), 2);
        QVERIFY(click(101)); // closed: ignored
        QVERIFY(click(102)); // arrives after the one above
        QVERIFY(activated.wait());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.constFirst().at(0).toULongLong(), quint64(43));
    }
};

QTEST_MAIN(TestDBusNotifier)
#include "tst_dbusnotifier.moc"
