// QML tests of the Qt Quick front end: the real components from qrc:/qml, a real
// chat::ChatClient connected to a spacetime-chat-host started here ("chatClient"), and one
// pointed at a closed port ("deadClient") for the connection banner.
#include "hostprocess.h"
#include "quicksupport.h"

#include "chat/chatclient.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QStandardPaths>
#include <QTcpServer>
#include <QtQuickTest>

class Setup : public QObject {
    Q_OBJECT
public:
    Setup() { QStandardPaths::setTestModeEnabled(true); }

public slots:
    void applicationAvailable() {
        if (!m_host.start())
            qFatal("cannot start the host: %s", qPrintable(m_host.errorString()));
    }

    void qmlEngineAvailable(QQmlEngine *engine) {
        quick::registerQuickTypes();
        chat::ChatClient::Options live;
        live.profile = chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(m_host.port()),
                                     QStringLiteral("quickstart-chat"),
                                     QStringLiteral("quicktest"));
        live.anonymous = true;
        live.outboxPath = QStringLiteral(":memory:");
        m_live = new chat::ChatClient(live, this);
        m_live->start();

        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 closedPort = probe.serverPort();
        probe.close();
        chat::ChatClient::Options dead = live;
        dead.profile = chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(closedPort),
                                     QStringLiteral("quickstart-chat"), QStringLiteral("dead"));
        m_dead = new chat::ChatClient(dead, this);
        m_dead->start();

        engine->rootContext()->setContextProperty(QStringLiteral("chatClient"), m_live);
        engine->rootContext()->setContextProperty(QStringLiteral("deadClient"), m_dead);
    }

    void cleanupTestCase() {
        if (m_live)
            m_live->stop();
        if (m_dead)
            m_dead->stop();
        m_host.stop();
    }

private:
    HostProcess m_host;
    chat::ChatClient *m_live = nullptr;
    chat::ChatClient *m_dead = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_quick, Setup)

#include "tst_quick.moc"
