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

// What a generated handle reads: a table, a view or an event table. Handles of views and
// event tables declare `static constexpr SourceKind kSourceKind`; a table's need not.
enum class SourceKind { Table, View, EventTable };

template <typename Handle>
constexpr SourceKind sourceKindOf() {
    if constexpr (requires { Handle::kSourceKind; })
        return Handle::kSourceKind;
    else
        return SourceKind::Table;
}

// Two handles a semijoin may join: not two event tables. The server never makes an event
// table the lookup (inner) side of a subscription join ("Event tables cannot be used as the
// lookup table in subscription joins", crates/subscription SubscriptionPlan::compile_plans),
// and of two tables one is the lookup.
template <typename A, typename B>
concept SemijoinPair = sourceKindOf<A>()
!= SourceKind::EventTable || sourceKindOf<B>() != SourceKind::EventTable;

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
    // order) over two indexed columns of the same type (views: their primary key); at most
    // one of the two is an event table (SemijoinPair).
    //
    // The rows of this table that match a row of `other`:
    //   SELECT "this".* FROM "other" JOIN "this" ON "other"."y" = "this"."x" WHERE …
    // (an event table is always the one in FROM, see Semijoin).
    template <typename Other>
    requires SemijoinPair<Table, Other> Semijoin<Table>
    leftSemijoin(const Query<Other> &other, const std::type_identity_t<JoinOn<Table, Other>> &on)
    const { return Semijoin<Table>(*this, other, on); }
    // The rows of `other` that match a row of this table:
    //   SELECT "other".* FROM "this" JOIN "other" ON "this"."x" = "other"."y" WHERE …
    template <typename Other>
    requires SemijoinPair<Table, Other> Semijoin<Other>
    rightSemijoin(const Query<Other> &other, const std::type_identity_t<JoinOn<Table, Other>> &on)
    const { return Semijoin<Other>(other, *this, JoinOn<Other, Table>(on)); }

    const std::optional<Condition> &condition() const { return m_where; }

private:
    std::optional<Condition> m_where;
};

// SELECT "result".* FROM "filter" JOIN "result" ON "filter"."a" = "result"."b" [WHERE …]: the
// one join form of the subscription grammar (sql-parser sub.rs: an inner join of two tables on
// one equality of qualified columns, `table.*` projected; crates/expr type_from), which
// one-off queries accept too. Made by Query::leftSemijoin / rightSemijoin.
//
// The table after JOIN is the one the server looks rows up in (the index join's inner side,
// crates/physical-plan HashToIxJoin), which must not be an event table: an event table as
// the result is therefore written first, SELECT "event".* FROM "event" JOIN "other" …. The
// planner swaps the two sides when the FROM table's scan is bare and the other's is filtered
// (ReorderHashJoin: the other has a condition it pushes down, see Condition::filtersScan, or
// is a view, whose scan always has its argument filter); with an event table in FROM that
// would make it the lookup table, so toSql() fails then (InvalidArgument) instead of sending a
// query the server refuses: give the event table a condition of its own.
template <typename Result>
class Semijoin {
public:
    template <typename Filter>
    requires SemijoinPair<Result, Filter> Semijoin(const Query<Result> &result,
                                                   const Query<Filter> &filter,
                                                   const JoinOn<Result, Filter> &on)
        : m_resultFirst(sourceKindOf<Result>() == SourceKind::EventTable)
        , m_resultTable(quoteTableName(QString::fromUtf8(Result::kTableName)))
        , m_filterTable(quoteTableName(QString::fromUtf8(Filter::kTableName)))
        , m_resultColumn(on.columnOf(JoinOn<Result, Filter>::Side::First))
        , m_filterColumn(on.columnOf(JoinOn<Result, Filter>::Side::Second))
        , m_resultWhere(result.condition())
        , m_filterWhere(filter.condition()) {
        const bool resultEvent = sourceKindOf<Result>() == SourceKind::EventTable;
        const bool filterEvent = sourceKindOf<Filter>() == SourceKind::EventTable;
        m_hasEventTable = resultEvent || filterEvent;
        // The table after JOIN; only needed when the one in FROM is an event table.
        m_innerIsView =
            (resultEvent ? sourceKindOf<Filter>() : sourceKindOf<Result>()) == SourceKind::View;
    }

    // More conditions on the result table's rows, joined with AND.
    Semijoin where(const Expr<Result> &condition) const {
        Semijoin j = *this;
        j.m_resultWhere = m_resultWhere ? Condition::both(*m_resultWhere, condition.condition())
                                        : condition.condition();
        return j;
    }

    Expected<QString> toSql() const {
        // FROM first, then the table after JOIN.
        const QString &outerTable = m_resultFirst ? m_resultTable : m_filterTable;
        const QString &innerTable = m_resultFirst ? m_filterTable : m_resultTable;
        const QString &outerColumn = m_resultFirst ? m_resultColumn : m_filterColumn;
        const QString &innerColumn = m_resultFirst ? m_filterColumn : m_resultColumn;
        const std::optional<Condition> &outerWhere = m_resultFirst ? m_resultWhere : m_filterWhere;
        const std::optional<Condition> &innerWhere = m_resultFirst ? m_filterWhere : m_resultWhere;
        if (m_hasEventTable) {
            const bool outerBare = !outerWhere || !outerWhere->filtersScan();
            const bool innerFiltered = m_innerIsView || (innerWhere && innerWhere->filtersScan());
            if (outerBare && innerFiltered)
                return Error(Error::Kind::InvalidArgument,
                             QStringLiteral("semijoin of event table %1 with %2: the server would "
                                            "look rows up in the event table, which subscriptions "
                                            "refuse, because %2 %3 and %1 has none; give %1 a "
                                            "condition comparing one of its columns with a value")
                                 .arg(outerTable, innerTable,
                                      m_innerIsView
                                          ? QStringLiteral("is a view (its scan is filtered)")
                                          : QStringLiteral("has a condition on a column")));
        }
        // ON is written bare: sql-parser parse_join takes only `column = column` there (a
        // parenthesised condition is a nested expression it refuses).
        QString sql = QStringLiteral("SELECT %1.* FROM %2 JOIN %3 ON %4 = %5")
                          .arg(m_resultTable, outerTable, innerTable, outerColumn, innerColumn);
        QStringList clauses;
        for (const std::optional<Condition> &c : {outerWhere, innerWhere}) {
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
    bool m_resultFirst = false; // the result is an event table: it is the one in FROM
    bool m_innerIsView = false;
    bool m_hasEventTable = false; // then it is the one in FROM
    QString m_resultTable, m_filterTable, m_resultColumn, m_filterColumn;
    std::optional<Condition> m_resultWhere, m_filterWhere;
};

} // namespace stdb::query
