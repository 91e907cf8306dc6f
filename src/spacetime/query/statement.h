// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/query/expr.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <type_traits>

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
class Semijoin;

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
        QString sql =
            QStringLiteral("SELECT * FROM ") + quoteTableName(QString::fromUtf8(Table::kTableName));
        if (!m_where)
            return sql;
        const Expected<QString> cond = m_where->toSql();
        if (!cond)
            return cond.error();
        return sql + QStringLiteral(" WHERE ") + cond.value();
    }
    operator Statement() const { return Statement(toSql()); }

    // Semijoins, as the official query builders have them (TypeScript leftSemijoin /
    // rightSemijoin): the rows of one table that have a matching row in the other, each
    // table's where() kept. `on` is `ThisTable::Cols::x == OtherTable::Cols::y` (either
    // order) over two indexed columns of the same type.
    //
    // The rows of this table that match a row of `other`:
    //   SELECT "this".* FROM "other" JOIN "this" ON "other"."y" = "this"."x" WHERE …
    template <typename Other>
    Semijoin<Table> leftSemijoin(const Query<Other> &other,
                                 const std::type_identity_t<JoinOn<Table, Other>> &on) const {
        return Semijoin<Table>(*this, other, on);
    }
    // The rows of `other` that match a row of this table:
    //   SELECT "other".* FROM "this" JOIN "other" ON "this"."x" = "other"."y" WHERE …
    template <typename Other>
    Semijoin<Other> rightSemijoin(const Query<Other> &other,
                                  const std::type_identity_t<JoinOn<Table, Other>> &on) const {
        return Semijoin<Other>(other, *this, JoinOn<Other, Table>(on));
    }

    const std::optional<Condition> &condition() const { return m_where; }

private:
    std::optional<Condition> m_where;
};

// SELECT "result".* FROM "filter" JOIN "result" ON "filter"."a" = "result"."b" [WHERE …]: the
// one join form of the subscription grammar (sql-parser sub.rs: an inner join of two tables on
// one equality of qualified columns, `table.*` projected; crates/expr type_from), which
// one-off queries accept too. Made by Query::leftSemijoin / rightSemijoin.
template <typename Result>
class Semijoin {
public:
    template <typename Filter>
    Semijoin(const Query<Result> &result, const Query<Filter> &filter,
             const JoinOn<Result, Filter> &on)
        : m_resultTable(quoteTableName(QString::fromUtf8(Result::kTableName)))
        , m_filterTable(quoteTableName(QString::fromUtf8(Filter::kTableName)))
        , m_resultColumn(on.columnOf(JoinOn<Result, Filter>::Side::First))
        , m_filterColumn(on.columnOf(JoinOn<Result, Filter>::Side::Second))
        , m_resultWhere(result.condition())
        , m_filterWhere(filter.condition()) {}

    // More conditions on the result table's rows, joined with AND.
    Semijoin where(const Expr<Result> &condition) const {
        Semijoin j = *this;
        j.m_resultWhere = m_resultWhere ? Condition::both(*m_resultWhere, condition.condition())
                                        : condition.condition();
        return j;
    }

    Expected<QString> toSql() const {
        // ON is written bare: sql-parser parse_join takes only `column = column` there (a
        // parenthesised condition is a nested expression it refuses).
        QString sql = QStringLiteral("SELECT %1.* FROM %2 JOIN %1 ON %3 = %4")
                          .arg(m_resultTable, m_filterTable, m_filterColumn, m_resultColumn);
        QStringList clauses;
        for (const std::optional<Condition> &c : {m_filterWhere, m_resultWhere}) {
            if (!c)
                continue;
            const Expected<QString> text = c->toSql();
            if (!text)
                return text.error();
            clauses << text.value();
        }
        if (clauses.isEmpty())
            return sql;
        return sql + QStringLiteral(" WHERE ") + clauses.join(QStringLiteral(" AND "));
    }
    operator Statement() const { return Statement(toSql()); }

private:
    QString m_resultTable, m_filterTable, m_resultColumn, m_filterColumn;
    std::optional<Condition> m_resultWhere, m_filterWhere;
};

} // namespace stdb::query
