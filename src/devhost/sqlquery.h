#pragma once

#include "sqlparser.h"
#include "value.h"

#include <QList>

#include <memory>

namespace host {

// A parsed query bound to a catalog: the table to read and a typed predicate over its rows.
// Errors name the problem (unknown table or column, a literal that does not fit the column's
// type, …). Pure code: no I/O, safe to fuzz.
class SqlQuery {
public:
    // Compiles one SELECT. `SELECT * FROM *` is rejected here (see compileSubscription).
    static stdb::Expected<SqlQuery> compile(const sql::SelectStatement &statement,
                                            const QList<TableSchema> &catalog);
    // A subscription query string: one SELECT, where `SELECT * FROM *` expands to one query per
    // public table.
    static stdb::Expected<QList<SqlQuery>> compileSubscription(QStringView sql,
                                                               const QList<TableSchema> &catalog);
    // Every statement of a script must be a single-table SELECT (the HTTP /sql route).
    static stdb::Expected<QList<SqlQuery>> compileScript(QStringView sql,
                                                         const QList<TableSchema> &catalog);

    int tableIndex() const { return m_table; }
    const QString &tableName() const { return m_tableName; }
    bool matches(const Row &row) const;
    // Equal for queries that select the same rows (used to drop duplicates in one Subscribe).
    const QString &canonical() const { return m_canonical; }

    struct Node;

private:
    int m_table = -1;
    QString m_tableName;
    std::shared_ptr<const Node> m_where; // null = every row
    QString m_canonical;
};

} // namespace host
