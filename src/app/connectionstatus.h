// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "chat/chatclient.h"

#include <QWidget>

class QLabel;
class QToolButton;

// The permanent part of the status bar: a coloured dot with the connection state, the
// reconnect countdown with "Reconnect now", and our identity's short form (a click copies the
// full hex to the clipboard).
class ConnectionStatus : public QWidget {
    Q_OBJECT
public:
    explicit ConnectionStatus(QWidget *parent = nullptr);

    // wasOnline: the session had a connection before (then a retry is "connection lost").
    // subscriptionFailed: the Error is the server refusing a subscription (ChatClient::
    // ErrorSource::Subscription); the connection itself stands.
    void setState(chat::ChatClient::State state, int reconnectSeconds, const QString &error,
                  bool wasOnline = true, bool subscriptionFailed = false);
    void setIdentity(const QString &shortHex, const QString &fullHex);
    void setPending(int count);

    QString stateText() const;
    QToolButton *reconnectButton() const { return m_reconnect; }
    QToolButton *identityButton() const { return m_identity; }

    static QString describe(chat::ChatClient::State state, int reconnectSeconds,
                            bool wasOnline = true);

Q_SIGNALS:
    void reconnectRequested();
    // The identity was copied (the main window shows a short confirmation).
    void identityCopied(const QString &hex);

private:
    QLabel *m_dot = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_pending = nullptr;
    QToolButton *m_reconnect = nullptr;
    QToolButton *m_identity = nullptr;
    QString m_fullIdentity;
};
