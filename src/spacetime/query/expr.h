// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/query/sqltext.h"

#include <QString>

#include <concepts>
#include <memory>
#include <optional>

namespace stdb::query {

// The `:sender` parameter (stdb::query::senderIdentity): the identity of the connection that
// subscribes (crates/expr types it as the Identity of the column it meets).
struct Sender {};
inline constexpr Sender senderIdentity{};

enum class Compare { Eq, Ne, Lt, Le, Gt, Ge };

// An untyped WHERE condition: a tree of comparisons joined by AND/OR. Negation is pushed down
// to the comparisons (De Morgan, `<` becomes `>=`), because the subscription grammar has no NOT
// (sql-parser parse_expr accepts no unary operator but a sign). The first error met (a literal
// that has none, e.g. NaN) stays with the condition and fails the query that uses it.
class STDB_EXPORT Condition {
public:
    // lhs op rhs, both already rendered: a column and a value (a literal or `:sender`).
    static Condition compare(QString lhs, Compare op, const Expected<QString> &rhs);
    // Two columns of one table.
    static Condition compareColumns(QString lhs, Compare op, QString rhs);
    static Condition both(const Condition &a, const Condition &b);
    static Condition either(const Condition &a, const Condition &b);
    Condition negated() const;
    // "(\"t\".\"c\" = 1)", nested in parentheses as the official query builders write it.
    Expected<QString> toSql() const;
    // Whether the server's planner moves (part of) this condition down onto its table's scan:
    // a comparison of a column with a value, alone or among the terms of an AND
    // (crates/physical-plan PushConstEq / PushConstAnd). An OR, or comparisons of two
    // columns only, stay above a join. Semijoin needs it to know the planner's join order.
    bool filtersScan() const;

private:
    struct Node;
    std::shared_ptr<const Node> m_node;
    std::optional<Error> m_error;
};

template <typename Table, typename T>
class Col;

// A condition over the rows of one table, `Table` being its generated table handle class
// (so a column of another table is a compile error, not a server error).
template <typename Table>
class Expr {
public:
    explicit Expr(Condition c)
        : m_c(std::move(c)) {}
    // A bool column alone means `column = TRUE`.
    Expr(const Col<Table, bool> &column)
        : m_c(column.isTrue().condition()) {}

    const Condition &condition() const { return m_c; }
    Expected<QString> toSql() const { return m_c.toSql(); }

    friend Expr operator&&(const Expr &a, const Expr &b) {
        return Expr(Condition::both(a.m_c, b.m_c));
    }
    friend Expr operator||(const Expr &a, const Expr &b) {
        return Expr(Condition::either(a.m_c, b.m_c));
    }
    friend Expr operator!(const Expr &a) { return Expr(a.m_c.negated()); }

private:
    Condition m_c;
};

// A column of `Table` holding T. Generated per table (`MessageTable::Cols::sent`); compares
// with a value of T (any literal type of sqltext.h), with another column of the same table and
// type, and Identity columns with stdb::query::senderIdentity.
template <typename Table, typename T>
class Col {
public:
    constexpr explicit Col(const char *wireName)
        : m_name(wireName) {}

    const char *wireName() const { return m_name; }
    // "table"."column"
    QString toSql() const {
        return quoteTableName(QString::fromUtf8(Table::kTableName)) + u'.' +
               quoteIdentifier(QString::fromUtf8(m_name));
    }

    Expr<Table> operator==(const T &v) const { return cmp(Compare::Eq, v); }
    Expr<Table> operator!=(const T &v) const { return cmp(Compare::Ne, v); }
    Expr<Table> operator<(const T &v) const { return cmp(Compare::Lt, v); }
    Expr<Table> operator<=(const T &v) const { return cmp(Compare::Le, v); }
    Expr<Table> operator>(const T &v) const { return cmp(Compare::Gt, v); }
    Expr<Table> operator>=(const T &v) const { return cmp(Compare::Ge, v); }

    Expr<Table> operator==(const Col &o) const { return cmpCol(Compare::Eq, o); }
    Expr<Table> operator!=(const Col &o) const { return cmpCol(Compare::Ne, o); }
    Expr<Table> operator<(const Col &o) const { return cmpCol(Compare::Lt, o); }
    Expr<Table> operator<=(const Col &o) const { return cmpCol(Compare::Le, o); }
    Expr<Table> operator>(const Col &o) const { return cmpCol(Compare::Gt, o); }
    Expr<Table> operator>=(const Col &o) const { return cmpCol(Compare::Ge, o); }

    Expr<Table> operator==(Sender) const requires std::same_as<T, Identity> {
        return Expr<Table>(Condition::compare(toSql(), Compare::Eq, QStringLiteral(":sender")));
    }
    Expr<Table> operator!=(Sender) const requires std::same_as<T, Identity> {
        return Expr<Table>(Condition::compare(toSql(), Compare::Ne, QStringLiteral(":sender")));
    }

    Expr<Table> isTrue() const requires std::same_as<T, bool> { return cmp(Compare::Eq, true); }
    Expr<Table> operator!() const requires std::same_as<T, bool> { return cmp(Compare::Eq, false); }

private:
    Expr<Table> cmp(Compare op, const T &v) const {
        return Expr<Table>(Condition::compare(toSql(), op, literalFor(v)));
    }
    Expr<Table> cmpCol(Compare op, const Col &o) const {
        return Expr<Table>(Condition::compareColumns(toSql(), op, o.toSql()));
    }

    const char *m_name;
};

// The ON of a semijoin: one column of `A` equal to one column of `B`, two different tables
// (a self-join would need aliases, which the builder does not write). Written as
// `ATable::Cols::x == BTable::Cols::y` with two IndexedCol: the server plans subscription
// joins only as index joins and requires an index on both join columns (crates/subscription
// SubscriptionPlan::compile_plans: "Subscriptions require indexes on join columns").
template <typename A, typename B>
class JoinOn {
public:
    JoinOn(QString aColumn, QString bColumn)
        : m_a(std::move(aColumn))
        , m_b(std::move(bColumn)) {}
    // The same condition written the other way round.
    JoinOn(const JoinOn<B, A> &o)
        : m_a(o.columnOf(JoinOn<B, A>::Side::Second))
        , m_b(o.columnOf(JoinOn<B, A>::Side::First)) {}

    enum class Side { First, Second };
    // "table"."column" of that side.
    const QString &columnOf(Side s) const { return s == Side::First ? m_a : m_b; }

private:
    QString m_a, m_b;
};

// A column with an index of its own (a single-column index, unique or not, primary keys
// included): usable like a Col and, compared with an IndexedCol of another table and the same
// type, it makes the ON of a semijoin. Generated only for such columns (of a view: its primary
// key, which the server indexes), so a join the server would refuse for want of an index does
// not compile. Event tables have them too; Semijoin keeps them out of the lookup side.
template <typename Table, typename T>
class IndexedCol : public Col<Table, T> {
public:
    constexpr explicit IndexedCol(const char *wireName)
        : Col<Table, T>(wireName) {}

    // Both re-declared here: with only operator== in this class, C++20 would rewrite
    // `a != b` as !(a == b) and pick that (its object parameter matches better).
    using Col<Table, T>::operator==;
    using Col<Table, T>::operator!=;
    template <typename Other>
    requires(!std::same_as<Other, Table>) JoinOn<Table, Other>
    operator==(const IndexedCol<Other, T> &o) const {
        return JoinOn<Table, Other>(this->toSql(), o.toSql());
    }
};

} // namespace stdb::query
