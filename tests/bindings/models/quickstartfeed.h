// SPDX-License-Identifier: Apache-2.0
#pragma once

// The quickstart-chat bindings fed through the real connection and cache: a scripted server
// sends the snapshot and transactions, so models see exactly what an application would.

#include "quickstart_chat/module.h"

#include "spacetime/connection/subscriptionhandle.h"
#include "spacetime/protocol/messages.h"

#include <QObject>

#include <memory>

class ScriptedServer;

class QuickstartFeed : public QObject {
    Q_OBJECT
public:
    explicit QuickstartFeed(QObject *parent = nullptr);
    ~QuickstartFeed() override;

    static stdb::Identity ident(int n);
    static quickstart_chat::User user(int n, const QString &name = {}, bool online = true);
    static quickstart_chat::Message message(const QString &text, int sender = 1);
    static QByteArray bytes(const quickstart_chat::User &u);
    static QByteArray bytes(const quickstart_chat::Message &m);

    // Connects (the server greets the client); false when that fails.
    bool start();
    // Subscribes to every table and applies the snapshot; false when it was not applied.
    bool subscribe(const QList<quickstart_chat::User> &users,
                   const QList<quickstart_chat::Message> &messages = {});
    // One transaction on one table; returns once the client applied it.
    bool transaction(const QString &table, const QList<QByteArray> &inserts,
                     const QList<QByteArray> &deletes);
    // Ends the subscription; the server confirms without rows (the client drops the set's).
    bool unsubscribe();
    // The server deletes a row it never sent; the client resyncs with `users`/`messages` as
    // the new snapshot. Returns once the resync was applied.
    bool resync(const QList<quickstart_chat::User> &users,
                const QList<quickstart_chat::Message> &messages);

    // The server drops the connection; the client reconnects and resubscribes, and the server
    // answers with `users`/`messages`. Returns once that resync was applied.
    bool reconnect(const QList<quickstart_chat::User> &users,
                   const QList<quickstart_chat::Message> &messages);

    // For QML: user n now has this name and online flag (a primary-key update).
    Q_INVOKABLE bool setUser(int n, const QString &name, bool online);

    quickstart_chat::Module *module() const { return m_module; }
    stdb::DbConnection *connection() const { return m_connection.get(); }
    void dropModule();

private:
    bool roundTrip();

    std::unique_ptr<ScriptedServer> m_server;
    std::unique_ptr<stdb::DbConnection> m_connection;
    quickstart_chat::Module *m_module = nullptr;
    stdb::SubscriptionHandle m_subscription;
    stdb::protocol::QuerySetId m_set = 0;
};
