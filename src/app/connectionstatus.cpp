// SPDX-License-Identifier: Apache-2.0
#include "connectionstatus.h"

#include "chat/untrustedtext.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

using State = chat::ChatClient::State;

ConnectionStatus::ConnectionStatus(QWidget *parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_state(new QLabel(this))
    , m_pending(new QLabel(this))
    , m_reconnect(new QToolButton(this))
    , m_identity(new QToolButton(this)) {
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    m_dot->setFixedWidth(14);
    m_dot->setTextFormat(Qt::PlainText);
    m_state->setObjectName(QStringLiteral("connectionState"));
    m_state->setTextFormat(Qt::PlainText);
    m_state->setAccessibleName(tr("Connection state"));
    m_pending->setObjectName(QStringLiteral("pendingCount"));
    m_pending->hide();
    m_reconnect->setObjectName(QStringLiteral("reconnectNow"));
    m_reconnect->setText(tr("Reconnect now"));
    m_reconnect->setAccessibleName(tr("Reconnect now"));
    m_reconnect->setAutoRaise(true);
    m_reconnect->hide();
    m_identity->setObjectName(QStringLiteral("identityButton"));
    m_identity->setAutoRaise(true);
    m_identity->setCursor(Qt::PointingHandCursor);
    m_identity->setAccessibleName(tr("Your identity (click to copy)"));
    m_identity->hide();
    layout->addWidget(m_dot);
    layout->addWidget(m_state);
    layout->addWidget(m_reconnect);
    layout->addWidget(m_pending);
    layout->addSpacing(8);
    layout->addWidget(m_identity);

    connect(m_reconnect, &QToolButton::clicked, this, &ConnectionStatus::reconnectRequested);
    connect(m_identity, &QToolButton::clicked, this, [this] {
        if (m_fullIdentity.isEmpty())
            return;
        QApplication::clipboard()->setText(m_fullIdentity);
        emit identityCopied(m_fullIdentity);
    });
    setState(State::Offline, 0, {});
}

QString ConnectionStatus::describe(State state, int reconnectSeconds, bool wasOnline) {
    switch (state) {
    case State::Connecting:
        return tr("Connecting…");
    case State::Online:
        return tr("Online");
    case State::Reconnecting:
        if (!wasOnline) // never connected in this session: nothing was lost
            return reconnectSeconds > 0
                       ? tr("Could not connect: trying again in %n s", nullptr, reconnectSeconds)
                       : tr("Trying again to connect…");
        return reconnectSeconds > 0
                   ? tr("Connection lost: reconnecting in %n s", nullptr, reconnectSeconds)
                   : tr("Reconnecting…");
    case State::Offline:
        return tr("Offline");
    case State::Error:
        return tr("Not connected");
    }
    return {};
}

void ConnectionStatus::setState(State state, int reconnectSeconds, const QString &error,
                                bool wasOnline, bool subscriptionFailed) {
    const bool subscription = state == State::Error && subscriptionFailed;
    QString text = describe(state, reconnectSeconds, wasOnline);
    if (subscription)
        text = error.isEmpty() ? tr("Connected, but the subscription failed")
                               : tr("Connected, but the subscription failed: %1")
                                     .arg(chat::UntrustedText::isolate(error));
    else if (state == State::Error && !error.isEmpty())
        text = tr("Not connected: %1").arg(chat::UntrustedText::isolate(error));
    m_state->setText(text);
    m_state->setToolTip(error.isEmpty() ? QString()
                                        : QLatin1String("<qt>") + error.toHtmlEscaped() +
                                              QLatin1String("</qt>"));
    QColor c;
    switch (state) {
    case State::Online:
        c = QColor(40, 170, 80);
        break;
    case State::Connecting:
    case State::Reconnecting:
        c = QColor(225, 160, 20);
        break;
    case State::Offline:
        c = QColor(140, 140, 140);
        break;
    case State::Error:
        // Connected but without the data we asked for: a problem, not a lost connection.
        c = subscription ? QColor(225, 160, 20) : QColor(210, 50, 50);
        break;
    }
    m_dot->setText(QStringLiteral("●"));
    QPalette p = m_dot->palette();
    p.setColor(QPalette::WindowText, c);
    m_dot->setPalette(p);
    m_reconnect->setVisible(state == State::Reconnecting || state == State::Error ||
                            state == State::Offline);
}

QString ConnectionStatus::stateText() const {
    return m_state->text();
}

void ConnectionStatus::setIdentity(const QString &shortHex, const QString &fullHex) {
    m_fullIdentity = fullHex;
    m_identity->setVisible(!fullHex.isEmpty());
    m_identity->setText(tr("Identity %1…").arg(shortHex));
    m_identity->setToolTip(tr("Your identity: %1\nClick to copy it.").arg(fullHex));
}

void ConnectionStatus::setPending(int count) {
    m_pending->setVisible(count > 0);
    m_pending->setText(tr("%n message(s) waiting", nullptr, count));
}
