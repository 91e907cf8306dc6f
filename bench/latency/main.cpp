// SPDX-License-Identifier: Apache-2.0
// spacetime-bench-latency: how late the desktop app's GUI thread answers while the user sends
// messages at a fixed rate and another user's messages arrive at the same rate, each one a
// desktop notification. A 5 ms precise timer ticks on the GUI thread; each tick's lateness
// (time since the tick was due) is a sample. Prints p50/p99/max.
//
// Runs the real MainWindow (offscreen unless a display is set) against a fresh
// spacetime-chat-host; the outbox is a file in a temporary data directory. With a D-Bus session
// bus (run it in dbus-run-session) and no notification service on it, a minimal notification
// service runs on a thread of its own, so notifications take the real D-Bus path.
#include "desktop/notifier.h"
#include "hostlauncher.h"
#include "mainwindow.h"
#include "messageinput.h"

#include "chat/chatclient.h"
#include "chat/messagemodel.h"
#include "chat/profile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#ifdef STDB_DESKTOP_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#endif

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace {

#ifdef STDB_DESKTOP_HAVE_DBUS
// Answers Notify at once, on its own thread, like a notification daemon in another process.
class NotificationService : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    std::atomic<int> count{0};
public Q_SLOTS:
    uint Notify(const QString &, uint, const QString &, const QString &, const QString &,
                const QStringList &, const QVariantMap &, int) {
        return uint(++count);
    }
};
#endif

// Another user: a chat client on a thread of its own, sending at a fixed rate.
class Sender : public QObject {
    Q_OBJECT
public:
    Sender(const QString &url, int perSecond)
        : m_url(url)
        , m_perSecond(perSecond) {}
    std::atomic<bool> online{false};
    std::atomic<int> sent{0};

public Q_SLOTS:
    void start() {
        chat::ChatClient::Options o;
        o.profile =
            chat::Profile(m_url, QStringLiteral("quickstart-chat"), QStringLiteral("sender"));
        o.anonymous = true;
        o.outboxPath = QStringLiteral(":memory:");
        m_client = new chat::ChatClient(o, this);
        connect(m_client, &chat::ChatClient::synchronized, this, [this] {
            if (!online.exchange(true))
                m_client->setName(QStringLiteral("Zoe"));
        });
        m_client->start();
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(1000 / m_perSecond);
        connect(m_timer, &QTimer::timeout, this,
                [this] { m_client->sendMessage(QStringLiteral("from Zoe %1").arg(++sent)); });
    }
    void startSending() { m_timer->start(); }
    void stop() {
        m_timer->stop();
        delete m_client;
        m_client = nullptr;
    }

private:
    QString m_url;
    int m_perSecond;
    chat::ChatClient *m_client = nullptr;
    QTimer *m_timer = nullptr;
};

double percentile(QList<double> v, double p) {
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype i = std::min<qsizetype>(v.size() - 1, qsizetype(p * double(v.size())));
    return v[i];
}

} // namespace

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        qputenv("QT_LOGGING_RULES", "*.debug=false"); // logging would be part of the figure
    QTemporaryDir home;
    if (!home.isValid())
        return 2;
    for (const char *var : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})
        qputenv(var, home.filePath(QString::fromLatin1(var)).toUtf8());
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spacetime-bench-latency"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Event-loop latency of the desktop app while sending and receiving messages."));
    parser.addHelpOption();
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                        QStringLiteral("How long to measure (default 10)."),
                                        QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"),
                                     QStringLiteral("Messages per second each way (default 50)."),
                                     QStringLiteral("n"), QStringLiteral("50"));
    parser.addOptions({secondsOpt, rateOpt});
    parser.process(app);
    const int seconds = qMax(1, parser.value(secondsOpt).toInt());
    const int rate = qBound(1, parser.value(rateOpt).toInt(), 1000);

    hostload::HostLauncher host;
    if (!host.start(hostload::HostLauncher::defaultExecutable(), {})) {
        std::fprintf(stderr, "cannot start the host: %s\n", qPrintable(host.errorString()));
        return 2;
    }

    QString notifications = QStringLiteral("none (no session bus)");
#ifdef STDB_DESKTOP_HAVE_DBUS
    QThread serviceThread;
    NotificationService service;
    QDBusConnection serviceBus(QString{});
    if (QDBusConnection::sessionBus().isConnected()) {
        auto *iface = QDBusConnection::sessionBus().interface();
        if (iface &&
            iface->isServiceRegistered(QStringLiteral("org.freedesktop.Notifications")).value()) {
            notifications = QStringLiteral("the session's notification service");
        } else {
            serviceThread.start();
            service.moveToThread(&serviceThread);
            serviceBus = QDBusConnection::connectToBus(QDBusConnection::SessionBus,
                                                       QStringLiteral("bench-notifications"));
            serviceBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &service,
                                      QDBusConnection::ExportAllSlots);
            serviceBus.registerService(QStringLiteral("org.freedesktop.Notifications"));
            notifications = QStringLiteral("D-Bus, a minimal service on its own thread");
        }
    }
#endif

    MainWindow::Options options;
    options.client.profile =
        chat::Profile(host.url(), QStringLiteral("quickstart-chat"), QStringLiteral("bench"));
    options.client.anonymous = true; // no keychain; the outbox is still a file
    options.useTray = false;
    options.persistSettings = false;
    MainWindow window(options);
    window.resize(900, 700);
    window.show();
    QWidget decoy; // in front, so the app window is not attended and notifies
    decoy.resize(100, 100);
    decoy.show();
    decoy.activateWindow();
    window.startSession();

    QThread senderThread;
    Sender sender(host.url(), rate);
    sender.moveToThread(&senderThread);
    senderThread.start();
    QMetaObject::invokeMethod(&sender, &Sender::start, Qt::QueuedConnection);

    QElapsedTimer waited;
    waited.start();
    while ((!window.client() || window.client()->state() != chat::ChatClient::State::Online ||
            !sender.online) &&
           waited.elapsed() < 20000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!sender.online || window.client()->state() != chat::ChatClient::State::Online) {
        std::fprintf(stderr, "the clients did not get online\n");
        return 2;
    }

    // The measurement: the user types and sends at `rate`, Zoe sends at `rate`.
    QList<double> lateMs;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 due = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateMs.append(double(qMax<qint64>(0, now - due)) / 1e6);
        due = now + 5'000'000;
    });
    int userSent = 0;
    QTimer typing;
    typing.setTimerType(Qt::PreciseTimer);
    typing.setInterval(1000 / rate);
    QObject::connect(&typing, &QTimer::timeout, [&] {
        QPlainTextEdit *edit = window.messageInput()->editor();
        edit->setPlainText(QStringLiteral("from me %1").arg(++userSent));
        QKeyEvent press(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier);
        QCoreApplication::sendEvent(edit, &press);
    });
    const int ownRowsBefore = window.client()->messages()->rowCount();
    clock.start();
    due = 5'000'000;
    probe.start();
    typing.start();
    QMetaObject::invokeMethod(&sender, &Sender::startSending, Qt::QueuedConnection);
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    typing.stop();
    probe.stop();
    QMetaObject::invokeMethod(&sender, &Sender::stop, Qt::BlockingQueuedConnection);
    senderThread.quit();
    senderThread.wait();

    const int rows = window.client()->messages()->rowCount() - ownRowsBefore;
    std::printf("event-loop latency of spacetime-chat (MainWindow, %s platform)\n",
                qPrintable(QGuiApplication::platformName()));
    std::printf("  load: user sends %d/s, another user sends %d/s, %d s; notifications: %s\n", rate,
                rate, seconds, qPrintable(notifications));
    std::printf("  window attended: %s (notifications need it not to be)\n",
                window.isActiveWindow() ? "yes" : "no");
    std::printf("  sent by the user: %d, by the other user: %d, rows added to the view: %d\n",
                userSent, int(sender.sent), rows);
#ifdef STDB_DESKTOP_HAVE_DBUS
    std::printf("  notifications shown by the service: %d\n", int(service.count));
#endif
    std::printf(
        "  ticks: %lld; lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 16 ms)\n",
        qlonglong(lateMs.size()), percentile(lateMs, 0.50), percentile(lateMs, 0.99),
        percentile(lateMs, 1.0));
#ifdef STDB_DESKTOP_HAVE_DBUS
    if (serviceThread.isRunning()) {
        serviceBus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
        QDBusConnection::disconnectFromBus(serviceBus.name());
        serviceThread.quit();
        serviceThread.wait();
    }
#endif
    host.stop();
    return 0;
}

#include "main.moc"
