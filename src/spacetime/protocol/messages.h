// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

// The v2 WebSocket protocol (`v2.bsatn.spacetimedb`) message types, field for field in wire
// order (see docs/ARCHITECTURE.md and the protocol spec §2.4/§2.5). Plain value types; encoding
// and decoding live in messagecodec.h.

#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/protocol/rowlist.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace stdb::protocol {

inline constexpr char kSubprotocolV2[] = "v2.bsatn.spacetimedb";
inline constexpr char kSubprotocolV3[] = "v3.bsatn.spacetimedb";

// Client messages above this size make the server drop the connection.
inline constexpr qsizetype kMaxClientMessageSize = 32 * 1024 * 1024;

using QuerySetId = quint32;

// ---- client -> server -------------------------------------------------------------------

enum class UnsubscribeFlags : quint8 { Default = 0, SendDroppedRows = 1 };

struct STDB_EXPORT Subscribe {
    quint32 requestId = 0;
    QuerySetId querySetId = 0;
    QStringList queryStrings;
    bool operator==(const Subscribe &) const = default;
};

struct STDB_EXPORT Unsubscribe {
    quint32 requestId = 0;
    QuerySetId querySetId = 0;
    UnsubscribeFlags flags = UnsubscribeFlags::SendDroppedRows;
    bool operator==(const Unsubscribe &) const = default;
};

struct STDB_EXPORT OneOffQuery {
    quint32 requestId = 0;
    QString queryString;
    bool operator==(const OneOffQuery &) const = default;
};

struct STDB_EXPORT CallReducer {
    quint32 requestId = 0;
    quint8 flags = 0; // only 0 is valid
    QString reducer;
    QByteArray args; // BSATN of the parameter product
    bool operator==(const CallReducer &) const = default;
};

struct STDB_EXPORT CallProcedure {
    quint32 requestId = 0;
    quint8 flags = 0;
    QString procedure;
    QByteArray args;
    bool operator==(const CallProcedure &) const = default;
};

// Variant index == wire tag.
using ClientMessage = std::variant<Subscribe, Unsubscribe, OneOffQuery, CallReducer, CallProcedure>;

// ---- shared building blocks -------------------------------------------------------------

struct STDB_EXPORT SingleTableRows {
    QString table;
    RowList rows;
    bool operator==(const SingleTableRows &) const = default;
};

struct STDB_EXPORT QueryRows {
    QList<SingleTableRows> tables;
    bool operator==(const QueryRows &) const = default;
};

struct STDB_EXPORT PersistentTableRows {
    RowList inserts; // inserts first on the wire
    RowList deletes;
    bool operator==(const PersistentTableRows &) const = default;
};

struct STDB_EXPORT EventTableRows {
    RowList events;
    bool operator==(const EventTableRows &) const = default;
};

// Index == wire tag: 0 PersistentTable, 1 EventTable.
using TableUpdateRows = std::variant<PersistentTableRows, EventTableRows>;

struct STDB_EXPORT TableUpdate {
    QString tableName;
    QList<TableUpdateRows> rows;
    bool operator==(const TableUpdate &) const = default;
};

struct STDB_EXPORT QuerySetUpdate {
    QuerySetId querySetId = 0;
    QList<TableUpdate> tables;
    bool operator==(const QuerySetUpdate &) const = default;
};

// ---- server -> client -------------------------------------------------------------------

struct STDB_EXPORT InitialConnection {
    Identity identity;
    ConnectionId connectionId;
    QString token;
    bool operator==(const InitialConnection &) const = default;
};

struct STDB_EXPORT SubscribeApplied {
    quint32 requestId = 0;
    QuerySetId querySetId = 0;
    QueryRows rows;
    bool operator==(const SubscribeApplied &) const = default;
};

struct STDB_EXPORT UnsubscribeApplied {
    quint32 requestId = 0;
    QuerySetId querySetId = 0;
    std::optional<QueryRows> rows; // Some only when SendDroppedRows was asked for
    bool operator==(const UnsubscribeApplied &) const = default;
};

struct STDB_EXPORT SubscriptionError {
    std::optional<quint32> requestId; // None: a set that was applied failed later
    QuerySetId querySetId = 0;
    QString error;
    bool operator==(const SubscriptionError &) const = default;
};

struct STDB_EXPORT TransactionUpdate {
    QList<QuerySetUpdate> querySets;
    bool operator==(const TransactionUpdate &) const = default;
};

struct STDB_EXPORT OneOffQueryResult {
    quint32 requestId = 0;
    // Result<QueryRows, String>: index 0 Ok, 1 Err
    std::variant<QueryRows, QString> result;
    bool operator==(const OneOffQueryResult &) const = default;
};

struct STDB_EXPORT ReducerOk {
    QByteArray retValue;
    TransactionUpdate transactionUpdate;
    bool operator==(const ReducerOk &) const = default;
};
struct STDB_EXPORT ReducerOkEmpty {
    bool operator==(const ReducerOkEmpty &) const = default;
};
struct STDB_EXPORT ReducerErr {
    QByteArray payload; // BSATN of the error value; a String for every current server
    // The payload read as a BSATN String; if it is not one, a readable fallback.
    QString message() const;
    bool operator==(const ReducerErr &) const = default;
};
struct STDB_EXPORT ReducerInternalError {
    QString message;
    bool operator==(const ReducerInternalError &) const = default;
};
// Index == wire tag: 0 Ok, 1 OkEmpty, 2 Err, 3 InternalError.
using ReducerOutcome = std::variant<ReducerOk, ReducerOkEmpty, ReducerErr, ReducerInternalError>;

struct STDB_EXPORT ReducerResult {
    quint32 requestId = 0;
    Timestamp timestamp;
    ReducerOutcome result;
    bool operator==(const ReducerResult &) const = default;
};

struct STDB_EXPORT ProcedureReturned {
    QByteArray value;
    bool operator==(const ProcedureReturned &) const = default;
};
struct STDB_EXPORT ProcedureInternalError {
    QString message;
    bool operator==(const ProcedureInternalError &) const = default;
};
// Index == wire tag: 0 Returned, 1 InternalError.
using ProcedureStatus = std::variant<ProcedureReturned, ProcedureInternalError>;

struct STDB_EXPORT ProcedureResult {
    ProcedureStatus status; // status first, request id last on the wire
    Timestamp timestamp;
    TimeDuration totalHostExecutionDuration;
    quint32 requestId = 0;
    bool operator==(const ProcedureResult &) const = default;
};

// Variant index == wire tag.
using ServerMessage =
    std::variant<InitialConnection, SubscribeApplied, UnsubscribeApplied, SubscriptionError,
                 TransactionUpdate, OneOffQueryResult, ReducerResult, ProcedureResult>;

// Protocol names ("Subscribe", "TransactionUpdate", …) for logs and the inspector.
STDB_EXPORT QString messageName(const ClientMessage &m);
STDB_EXPORT QString messageName(const ServerMessage &m);

} // namespace stdb::protocol
