// SPDX-License-Identifier: Apache-2.0
#pragma once

// Records everything a connection and the chat tables report, as short strings in the order
// it happened, so tests can compare whole callback sequences.

#include "chattables.h"

#include "spacetime/connection/dbconnection.h"

#include <QObject>
#include <QStringList>

class EventLog : public QObject {
    Q_OBJECT
public:
    EventLog(stdb::DbConnection *c, UserTable *users, MessageTable *messages);

    QStringList entries;
    void add(const QString &e) { entries.append(e); }
    void clear() { entries.clear(); }
    // Entries starting with prefix.
    QStringList matching(const QString &prefix) const;
    int count(const QString &prefix) const { return int(matching(prefix).size()); }

    static QString ctxName(const stdb::EventContext &ctx);
    static QString userText(const UserRow &u);
};
