// SPDX-License-Identifier: Apache-2.0
// Qt Quick Test on a generated model: a ListView over quickstart-chat's UserTableModel
// ("userModel", rows fed through the real connection by a scripted server, "feed") shows the
// column values in its delegates and follows updates (tst_models.qml).
#include "quickstartfeed.h"

#include "quickstart_chat/usertablemodel.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QtQuickTest>

// The feed as QML sees it: user n's identity in hex and setUser().
class QmlFeed : public QuickstartFeed {
    Q_OBJECT
public:
    using QuickstartFeed::QuickstartFeed;
    Q_INVOKABLE QString identityHex(int n) const { return ident(n).toHex(); }
};

class Setup : public QObject {
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine) {
        m_feed = new QmlFeed(this);
        if (!m_feed->start() ||
            !m_feed->subscribe({QuickstartFeed::user(1, QStringLiteral("ann")),
                                QuickstartFeed::user(2, QStringLiteral("bob"), false)}))
            qFatal("the scripted server did not deliver the snapshot");
        engine->rootContext()->setContextProperty(QStringLiteral("feed"), m_feed);
        engine->rootContext()->setContextProperty(QStringLiteral("userModel"),
                                                  m_feed->module()->user()->createModel(this));
    }

private:
    QmlFeed *m_feed = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_bindings_models_qml, Setup)

#include "tst_bindings_models_qml.moc"
