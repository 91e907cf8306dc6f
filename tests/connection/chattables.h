// SPDX-License-Identifier: Apache-2.0
#pragma once

// Hand-written typed handles for the quickstart-chat tables, the way generated bindings will
// look: `user` (identity PK, name Option<String>, online bool) and `message` (sender, sent, text).

#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/connection/tablehandle.h"

#include <optional>

struct UserRow {
    stdb::Identity identity;
    std::optional<QString> name;
    bool online = false;
    bool operator==(const UserRow &) const = default;
};

struct MessageRow {
    stdb::Identity sender;
    stdb::Timestamp sent;
    QString text;
    bool operator==(const MessageRow &) const = default;
};

Q_DECLARE_METATYPE(UserRow)
Q_DECLARE_METATYPE(MessageRow)

QByteArray encodeUser(const UserRow &row);
std::optional<UserRow> decodeUser(QByteArrayView bytes);
QByteArray encodeMessage(const MessageRow &row);
std::optional<MessageRow> decodeMessage(QByteArrayView bytes);
// BSATN of a one-string reducer argument product (set_name, send_message).
QByteArray stringArgs(const QString &s);

class UserTable : public stdb::TableHandle {
    Q_OBJECT
public:
    explicit UserTable(stdb::DbConnection *connection);

    std::optional<UserRow> find(const stdb::Identity &identity) const;
    QList<UserRow> rows() const;

Q_SIGNALS:
    void rowInserted(const UserRow &row, const stdb::EventContext &ctx);
    void rowDeleted(const UserRow &row, const stdb::EventContext &ctx);
    void rowUpdated(const UserRow &oldRow, const UserRow &newRow, const stdb::EventContext &ctx);

protected:
    void dispatch(const stdb::TableDelta &delta, const stdb::EventContext &ctx) override;
};

class MessageTable : public stdb::TableHandle {
    Q_OBJECT
public:
    explicit MessageTable(stdb::DbConnection *connection);

    QList<MessageRow> rows() const; // sorted by (sent, text)

Q_SIGNALS:
    void rowInserted(const MessageRow &row, const stdb::EventContext &ctx);
    void rowDeleted(const MessageRow &row, const stdb::EventContext &ctx);

protected:
    void dispatch(const stdb::TableDelta &delta, const stdb::EventContext &ctx) override;
};
