// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sqlparser.h"
#include "value.h"

#include <QList>

#include <memory>

namespace host {

class Database;
class Transaction;
struct StoredRow;

// Who runs a query: `:sender` is the caller; the database owner may read private tables and run
// INSERT/UPDATE/DELETE, as on the real server.
struct SqlAuth {
    stdb::Identity caller;
    bool owner = false;
};

// A statement bound to a catalog and type-checked with the real server's rules (its expr
// crate): literals are read as the type of the column they meet, Option columns take no
// literal, unknown and private tables are "no such table", names out of scope are refused.
// Pure code apart from run()/stage(): safe to fuzz.
class SqlQuery {
public:
    enum class Kind { Select, Insert, Update, Delete };

    // The /sql route: one SELECT (column lists, COUNT(*) AS n, LIMIT, joins) or DML.
    static stdb::Expected<SqlQuery> compileSql(QStringView sql, const QList<TableSchema> &catalog,
                                               const SqlAuth &auth);
    // The subscription language, as one-off queries use it: one SELECT returning table rows.
    static stdb::Expected<SqlQuery> compileQuery(QStringView sql, const QList<TableSchema> &catalog,
                                                 const SqlAuth &auth);
    // A Subscribe query string: compileQuery plus the subscription-only rules (a join needs an
    // index on the joined table's column); `SELECT * FROM *` expands to every readable table.
    static stdb::Expected<QList<SqlQuery>>
    compileSubscription(QStringView sql, const QList<TableSchema> &catalog, const SqlAuth &auth);

    Kind kind() const { return m_kind; }
    bool isDml() const { return m_kind != Kind::Select; }
    // The table whose rows a table-typed SELECT returns, or the DML target; -1 otherwise.
    int tableIndex() const { return m_table; }
    const QString &tableName() const { return m_tableName; }
    bool isJoin() const;
    // Every table the query reads.
    QList<int> tablesRead() const;

    // Single-table SELECT: does this row of the table qualify?
    bool matches(const Row &row) const;
    // Table-typed SELECT (joins too): the return table's rows, one entry per result row.
    QList<const StoredRow *> returnRows(const Database &db) const;

    struct ResultSet {
        QList<ColumnDef> columns;
        QList<Row> rows;
    };
    // Any SELECT of the /sql route.
    ResultSet run(const Database &db) const;

    struct DmlStats {
        int inserted = 0;
        int deleted = 0;
        int updated = 0;
    };
    // Stages an INSERT/UPDATE/DELETE into `tx` (nothing is committed here).
    stdb::Expected<DmlStats> stage(Transaction &tx, const Database &db) const;

    // Equal for queries that select the same rows (used to drop duplicates in one Subscribe).
    const QString &canonical() const { return m_canonical; }

    struct Node;
    struct Plan;

private:
    Kind m_kind = Kind::Select;
    int m_table = -1;
    QString m_tableName;
    std::shared_ptr<const Plan> m_plan;
    QString m_canonical;
};

// The real server's text of a column type ("U32", "(some: String | none: ())", …).
QString sqlTypeName(const ColumnDef &type);

} // namespace host
