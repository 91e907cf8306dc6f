// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cliconfig.h"

#include "quickstart_chat/message.h"
#include "quickstart_chat/user.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace stdb {
class EventContext;
}

namespace quickstart_chat {
class Module;
}

namespace chat {
class ChatClient;
class CredentialStore;
} // namespace chat

namespace cli {

class ConsoleOutput;

// The official Rust quickstart client's behaviour on top of chat::ChatClient:
//
// * "User <name> connected." for everyone online in the first snapshot, then the message
//   backlog sorted by `sent`, then "Fully connected and all subscriptions applied." and
//   "Use /name to set your name, or type a message!" — once per run, never again after a
//   reconnect;
// * after that, live changes as they happen: "User <x> connected.", "User <old> renamed to
//   <new>.", "User <x> disconnected.", "<sender>: <text>" (also for our own messages, and for
//   messages that arrived while the connection was down);
// * each input line is "/name NAME" (set_name) or a message (send_message); failures go to
//   standard error as "Failed to change name to \"NAME\": reason" and "Failed to send message
//   \"TEXT\": reason".
//
// Input lines are held until the client is in sync and then issued in order, so names and
// messages reach the server in the order they were typed. After endOfInput() the console waits
// until every call has settled (and a new identity is saved), disconnects and finishes with 0.
// A connection that cannot be established finishes with "Connection error: …" and 1.
class QuickstartConsole : public QObject {
    Q_OBJECT
public:
    QuickstartConsole(CliConfig config, ConsoleOutput *output, QObject *parent = nullptr);
    ~QuickstartConsole() override;

    chat::ChatClient *client() const { return m_client; }

    // Prepares the credentials (--forget-identity) and connects.
    void start();
    // One line of input (without its newline).
    void handleLine(const QString &line);
    // Standard input ended: finish once everything settled.
    void endOfInput();

    // "name" or the first 16 hex digits of the identity, as the official client prints users.
    static QString userNameOrIdentity(const quickstart_chat::User &user);

signals:
    // The console is done; the process should exit with this code.
    void finished(int exitCode);

private:
    void startClient();
    void attachModule();
    void onSynchronized();
    void onUserInserted(const quickstart_chat::User &row, const stdb::EventContext &ctx);
    void onUserUpdated(const quickstart_chat::User &oldRow, const quickstart_chat::User &newRow,
                       const stdb::EventContext &ctx);
    void onMessagesChanged(const QList<quickstart_chat::Message> &inserted,
                           const stdb::EventContext &ctx);
    void printMessage(const quickstart_chat::Message &message);
    // userNameOrIdentity(), with the chat layer's identity suffix while another user's name
    // looks the same ("bob (c0ffee12)"), so that a message says who wrote it.
    QString senderName(const quickstart_chat::User &user) const;
    std::optional<quickstart_chat::User> lookupUser(const stdb::Identity &identity);
    void onConnectionProblem(const QString &text);
    void onStateChanged();
    void drainInput();
    void issue(const QString &line);
    void checkDone();
    void disconnectAndFinish(int exitCode);
    void fail(const QString &line);
    void emitFinished();
    bool tokenSavePending() const;

    CliConfig m_config;
    ConsoleOutput *m_output;
    chat::ChatClient *m_client = nullptr;
    chat::CredentialStore *m_preStore = nullptr;
    QPointer<quickstart_chat::Module> m_module;
    QHash<stdb::Identity, quickstart_chat::User> m_users;

    bool m_backlogPrinted = false;
    QList<stdb::Identity> m_initialUserOrder; // in the order their rows arrived
    QSet<stdb::Identity> m_initialUserSeen;

    QStringList m_queue; // lines not issued yet
    bool m_inputDone = false;
    QHash<qint64, QString> m_messagesInFlight; // outbox id -> text
    int m_namesInFlight = 0;
    bool m_insideSetName = false;

    QString m_loadedToken;
    bool m_tokenLoaded = false;
    bool m_tokenSettled = false; // saved or failed to save

    bool m_finishing = false;
    bool m_finished = false;
    bool m_outage = false;
    QSet<QString> m_outageProblems; // already printed during this outage
    QTimer m_exitTimer;
    int m_exitCode = 0;
};

} // namespace cli
