// SPDX-License-Identifier: Apache-2.0
#include "failureserver.h"

#include <QCryptographicHash>
#include <QSslConfiguration>
#include <QSslSocket>

FailureServer::FailureServer(QObject *parent)
    : QTcpServer(parent) {}

FailureServer::~FailureServer() = default;

void FailureServer::setTls(const QSslCertificate &certificate, const QSslKey &key) {
    m_certificate = certificate;
    m_key = key;
}

void FailureServer::setResponse(int status, const QByteArray &reason, const QByteArray &body,
                                Framing framing) {
    m_status = status;
    m_reason = reason;
    m_body = body;
    m_framing = framing;
}

bool FailureServer::start(Behaviour behaviour) {
    m_behaviour = behaviour;
    return listen(QHostAddress::LocalHost, 0);
}

void FailureServer::incomingConnection(qintptr descriptor) {
    const bool tls = !m_certificate.isNull() && m_behaviour != Behaviour::Silent;
    QTcpSocket *socket = nullptr;
    if (tls) {
        auto *ssl = new QSslSocket(this);
        if (!ssl->setSocketDescriptor(descriptor)) {
            delete ssl;
            return;
        }
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_certificate);
        config.setPrivateKey(m_key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        ssl->setSslConfiguration(config);
        // The client refusing our certificate ends the handshake; nothing to report here.
        connect(ssl, &QSslSocket::errorOccurred, ssl, &QObject::deleteLater);
        ssl->startServerEncryption();
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
    }
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (m_behaviour == Behaviour::Silent)
        return; // holds the connection open, reads nothing, answers nothing
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
}

void FailureServer::onReadyRead(QTcpSocket *socket) {
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    const qsizetype end =
        m_behaviour == Behaviour::RespondAtOnce ? buffer.size() : buffer.indexOf("\r\n\r\n");
    if (end < 0 || socket->property("answered").toBool())
        return;
    socket->setProperty("answered", true);
    ++m_requests;
    emit requestReceived();
    if (m_behaviour == Behaviour::Respond || m_behaviour == Behaviour::RespondAtOnce) {
        QByteArray response =
            "HTTP/1.1 " + QByteArray::number(m_status) + ' ' + m_reason +
            "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n";
        switch (m_framing) {
        case Framing::ContentLength:
            response +=
                "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body;
            break;
        case Framing::Chunked: {
            // In two chunks (with an extension on the first), then the last chunk.
            response += "Transfer-Encoding: chunked\r\n\r\n";
            const QByteArray first = m_body.left(m_body.size() / 2);
            const QByteArray second = m_body.mid(first.size());
            response += QByteArray::number(first.size(), 16) + ";ext=1\r\n" + first + "\r\n";
            if (!second.isEmpty())
                response += QByteArray::number(second.size(), 16) + "\r\n" + second + "\r\n";
            response += "0\r\n\r\n";
            break;
        }
        case Framing::UntilClose:
            response += "\r\n" + m_body;
            break;
        }
        socket->write(response);
        socket->disconnectFromHost();
        return;
    }
    QByteArray key;
    for (const QByteArray &line : buffer.first(end).split('\n'))
        if (line.toLower().startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                  "Upgrade\r\nSec-WebSocket-Accept: " +
                  accept + "\r\nSec-WebSocket-Protocol: v2.bsatn.spacetimedb\r\n\r\n");
    // Like a module whose client_connected reducer refused: gone without a message.
    socket->disconnectFromHost();
}
