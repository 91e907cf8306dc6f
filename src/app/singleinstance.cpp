// SPDX-License-Identifier: Apache-2.0
#include "singleinstance.h"

#include "applog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>

namespace {
const QByteArray kActivate = QByteArrayLiteral("activate\n");
}

SingleInstance::SingleInstance(QObject *parent)
    : QObject(parent) {}

SingleInstance::~SingleInstance() {
    stop();
}

QString SingleInstance::serverName(const QString &profileName) {
    const QByteArray who = QDir::homePath().toUtf8() + '\0' + profileName.toUtf8();
    const QByteArray hash = QCryptographicHash::hash(who, QCryptographicHash::Sha256).toHex();
    return QStringLiteral("spacetime-chat-") + QString::fromLatin1(hash.left(24));
}

bool SingleInstance::activateRunning(const QString &profileName, int timeoutMs) {
    QLocalSocket socket;
    socket.connectToServer(serverName(profileName));
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(kActivate);
    socket.waitForBytesWritten(timeoutMs);
    // Wait for the answer, so the first instance really got it before we exit.
    socket.waitForReadyRead(timeoutMs);
    socket.disconnectFromServer();
    return true;
}

bool SingleInstance::listen(const QString &profileName) {
    stop();
    m_profile = profileName;
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name = serverName(profileName);
    bool ok = m_server->listen(name);
    // A socket file left behind by a crash: nobody answers on it, so take it over.
    if (!ok && m_server->serverError() == QAbstractSocket::AddressInUseError &&
        !activateRunning(profileName, 300)) {
        QLocalServer::removeServer(name);
        ok = m_server->listen(name);
    }
    if (!ok) {
        qCWarning(lcApp) << "single-instance socket unavailable:" << m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *s = m_server->nextPendingConnection()) {
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QLocalSocket::readyRead, this, [this, s] {
                if (!s->canReadLine())
                    return;
                if (s->readLine() == kActivate) {
                    s->write("ok\n");
                    emit activationRequested();
                }
            });
        }
    });
    return true;
}

void SingleInstance::stop() {
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
}
