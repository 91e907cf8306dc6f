// SPDX-License-Identifier: Apache-2.0
#pragma once

// Hand-written typed handles for the quickstart-chat tables, the way generated bindings will
// look: `user` (identity PK, name Option<String>, online bool) and `message` (sender, sent, text).
// The rows themselves come from the tests' one quickstart row codec (tests/support).

#include "quickstartrows.h"
#include "spacetime/connection/tablehandle.h"

#include <optional>

using stdb::testing::decodeMessage;
using stdb::testing::decodeUser;
using stdb::testing::encodeMessage;
using stdb::testing::encodeUser;
using stdb::testing::MessageRow;
using stdb::testing::stringArgs;
using stdb::testing::UserRow;

Q_DECLARE_METATYPE(UserRow)
Q_DECLARE_METATYPE(MessageRow)

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
