// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/expected.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <variant>

namespace host::sql {

// Syntax of SpacetimeDB's two SQL languages, as the real server accepts them (its sql-parser
// crate on top of sqlparser 0.38 with the PostgreSQL dialect):
//   /sql:          SELECT proj FROM rel [WHERE expr] [LIMIT n] | INSERT | UPDATE | DELETE
//   subscriptions: SELECT * | t.* FROM rel [WHERE expr]   (column lists fail at type checking)
//   proj := * | t.* | col [[AS] a] {, col [[AS] a]} | COUNT(*) AS a
//   rel  := t [[AS] a] { [INNER] JOIN t [[AS] a] [ON x.c = y.d] }
//   expr := expr OR expr | expr AND expr | ( expr ) | operand op operand | operand
// Unqualified names are qualified with the single table's alias here; with joins every name
// must be qualified. Nothing here knows the schema (see SqlQuery). Errors carry the real
// server's texts.

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
// As the real server prints it (Ne is "<>").
QString opText(CompareOp op);

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
    enum class Kind { Literal, Field, Sender, Compare, And, Or };
    // Literals keep their source text; the column they meet decides how it is read.
    enum class LiteralKind { Bool, Number, String, Hex };
    Kind kind = Kind::Literal;
    LiteralKind literal = LiteralKind::Bool;
    QString text;           // Literal: number with sign, string contents, hex digits
    bool boolValue = false; // Literal Bool
    QString table;          // Field: table alias (always set after qualification)
    QString column;         // Field
    CompareOp op = CompareOp::Eq;
    ExprPtr left, right; // Compare, And, Or
};

struct ProjectItem {
    QString table; // alias the column belongs to
    QString column;
    QString name; // output name
};

struct Projection {
    enum class Kind { Star, QualifiedStar, Columns, Count };
    Kind kind = Kind::Star;
    QString qualifier; // QualifiedStar
    QList<ProjectItem> items;
    QString countAlias;
};

struct TableRef {
    QString name;
    QString alias; // the name itself when none was given
};

struct Join {
    TableRef table;
    ExprPtr on; // null for a cross join
};

struct Select {
    Projection projection;
    TableRef from;
    QList<Join> joins;
    ExprPtr where;
    std::optional<QString> limit; // the number as written
};

struct Insert {
    QString table;
    int fieldCount = 0; // names in the column list (the real server only counts them)
    QList<QList<ExprPtr>> rows;
};

struct Assignment {
    QString column;
    ExprPtr value;
};

struct Update {
    QString table;
    QList<Assignment> assignments;
    ExprPtr where;
};

struct Delete {
    QString table;
    ExprPtr where;
};

using Statement = std::variant<Select, Insert, Update, Delete>;

class Parser {
public:
    // The real server's limit, in UTF-8 bytes, checked before parsing.
    static constexpr qsizetype kMaxBytes = 50000;
    // sqlparser's nesting budget and the sql-parser crate's expression depth limit.
    static constexpr int kMaxNesting = 50;
    static constexpr int kMaxExprDepth = 1600;

    // The /sql language: exactly one statement.
    static stdb::Expected<Statement> parseSql(QStringView sql);
    // The subscription (and one-off query) language: exactly one SELECT.
    static stdb::Expected<Select> parseSubscription(QStringView sql);
    // The length check both languages share (the error names the query's start).
    static std::optional<stdb::Error> checkLength(QStringView sql);
};

} // namespace host::sql
