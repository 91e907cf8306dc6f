// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/query/expr.h"

#include <QString>

#include <optional>

namespace stdb::query {

// One SQL query for a subscription or a one-off query: raw SQL as written, or what a
// Query<Table> rendered (with the error, if its condition had one).
class STDB_EXPORT Statement {
public:
    Statement(QString rawSql)
        : m_sql(std::move(rawSql)) {}
    Statement(Expected<QString> rendered)
        : m_sql(std::move(rendered)) {}
    const Expected<QString> &toSql() const { return m_sql; }

private:
    Expected<QString> m_sql;
};

// SELECT * FROM "table" [WHERE condition]: the subscription grammar of sql-parser
// (crates/sql-parser/src/parser/sub.rs), which one-off queries accept too. `Table` is a
// generated table handle class; `MessageTable::query()` returns one.
//
//   using C = MessageTable::Cols;
//   conn->subscriptionBuilder().subscribe(MessageTable::query().where(C::sent > since));
template <typename Table>
class Query {
public:
    // Conditions of repeated where() calls are joined with AND.
    Query where(const Expr<Table> &condition) const {
        Query q = *this;
        q.m_where =
            m_where ? Condition::both(*m_where, condition.condition()) : condition.condition();
        return q;
    }
    Expected<QString> toSql() const {
        QString sql = QStringLiteral("SELECT * FROM ") +
                      quoteIdentifier(QString::fromUtf8(Table::kTableName));
        if (!m_where)
            return sql;
        const Expected<QString> cond = m_where->toSql();
        if (!cond)
            return cond.error();
        return sql + QStringLiteral(" WHERE ") + cond.value();
    }
    operator Statement() const { return Statement(toSql()); }

private:
    std::optional<Condition> m_where;
};

} // namespace stdb::query
