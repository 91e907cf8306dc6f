// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

// A server on 127.0.0.1 that fails a client's connection attempt in one chosen way, over plain
// TCP or TLS, for the connect-failure tests of every layer.
class FailureServer : public QTcpServer {
    Q_OBJECT
public:
    enum class Behaviour {
        Silent,           // accepts the TCP connection and never says anything (no TLS either)
        Respond,          // answers every request with the configured HTTP status and body
        RespondAtOnce,    // answers the first bytes, whatever they are (a TLS ClientHello too)
        UpgradeThenClose, // completes the WebSocket upgrade, then closes without a message
    };

    // How Respond delimits the body.
    enum class Framing { ContentLength, Chunked, UntilClose };

    explicit FailureServer(QObject *parent = nullptr);
    ~FailureServer() override;

    // TLS with this certificate and key (before start()); without, plain TCP.
    void setTls(const QSslCertificate &certificate, const QSslKey &key);
    void setResponse(int status, const QByteArray &reason, const QByteArray &body,
                     Framing framing = Framing::ContentLength);
    bool start(Behaviour behaviour);
    quint16 port() const { return serverPort(); }
    // Complete request heads received.
    int requests() const { return m_requests; }

Q_SIGNALS:
    void requestReceived();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void onReadyRead(QTcpSocket *socket);

    Behaviour m_behaviour = Behaviour::Silent;
    QSslCertificate m_certificate;
    QSslKey m_key;
    int m_status = 404;
    QByteArray m_reason = "Not Found";
    QByteArray m_body;
    Framing m_framing = Framing::ContentLength;
    int m_requests = 0;
};
