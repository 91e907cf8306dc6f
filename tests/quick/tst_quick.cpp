// QML tests of the Qt Quick front end: the real components from qrc:/qml, a real
// chat::ChatClient connected to a spacetime-chat-host started here ("chatClient"), and one
// pointed at a closed port ("deadClient", and over https "deadTlsClient") for the connection
// banner.
#include "hostprocess.h"
#include "quicksupport.h"

#include "chat/chatclient.h"
#include "chat/connectproblem.h"
#include "spacetime/connection/dbconnectionbuilder.h"

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
        live.profile =
            chat::Profile(QStringLiteral("http://127.0.0.1:%1").arg(m_host.port()),
                          QStringLiteral("quickstart-chat"), QStringLiteral("quicktest"));
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
        // The same closed port over https: refused too, and said so (not a TLS problem).
        const QString tlsUrl = QStringLiteral("https://127.0.0.1:%1").arg(closedPort);
        chat::ChatClient::Options deadTls = live;
        deadTls.profile =
            chat::Profile(tlsUrl, QStringLiteral("quickstart-chat"), QStringLiteral("deadtls"));
        m_deadTls = new chat::ChatClient(deadTls, this);
        m_deadTls->start();
        stdb::ConnectFailure refused;
        refused.kind = stdb::ConnectFailure::Kind::ConnectionRefused;
        const auto tlsOptions = stdb::DbConnectionBuilder()
                                    .withUri(tlsUrl)
                                    .withDatabaseName(QStringLiteral("quickstart-chat"))
                                    .options();
        engine->rootContext()->setContextProperty(
            QStringLiteral("refusedTlsText"),
            tlsOptions ? chat::ConnectProblem::describe(refused, *tlsOptions) : QString());

        engine->rootContext()->setContextProperty(QStringLiteral("chatClient"), m_live);
        engine->rootContext()->setContextProperty(QStringLiteral("deadClient"), m_dead);
        engine->rootContext()->setContextProperty(QStringLiteral("deadTlsClient"), m_deadTls);
    }

    void cleanupTestCase() {
        if (m_live)
            m_live->stop();
        if (m_dead)
            m_dead->stop();
        if (m_deadTls)
            m_deadTls->stop();
        m_host.stop();
    }

private:
    HostProcess m_host;
    chat::ChatClient *m_live = nullptr;
    chat::ChatClient *m_dead = nullptr;
    chat::ChatClient *m_deadTls = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_quick, Setup)

#include "tst_quick.moc"
