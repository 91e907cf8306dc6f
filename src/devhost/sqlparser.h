#pragma once

#include "spacetime/expected.h"

#include <QList>
#include <QString>

#include <memory>
#include <variant>

namespace host::sql {

// Syntax tree of the SQL subset the host understands (no schema knowledge here):
//   SELECT * | t.* FROM t [[AS] alias] [WHERE expr]        and   SELECT * FROM *
//   expr := expr OR expr | expr AND expr | ( expr ) | operand [op operand]
//   op   := = | != | <> | < | <= | > | >=
// Operands are column references (`col`, `t.col`, `"quoted"`) or literals: integers, strings
// ('…' with '' escaping), TRUE/FALSE, 0x-hex, X'…' hex blobs.

struct ColumnRef {
    QString qualifier; // table or alias, empty if unqualified
    QString column;
    int offset = 0; // position in the SQL text, for error messages
};

struct Literal {
    enum class Kind { Integer, Float, String, Bool, Hex, Blob };
    Kind kind = Kind::Integer;
    QString text; // Integer: digits with optional '-'; Hex/Blob: the hex digits only
    bool boolValue = false;
    int offset = 0;
};

using Operand = std::variant<ColumnRef, Literal>;

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
QString opText(CompareOp op);

struct Expr {
    enum class Kind { Compare, And, Or, Operand };
    Kind kind = Kind::Operand;
    CompareOp op = CompareOp::Eq;
    Operand lhs;                             // Compare, Operand (a bare bool column or literal)
    Operand rhs;                             // Compare
    std::shared_ptr<const Expr> left, right; // And, Or
};

struct SelectStatement {
    bool allTables = false; // FROM *
    QString table;          // FROM table
    QString alias;          // optional alias
    QString projection;     // qualifier of "t.*", empty for "*"
    int tableOffset = 0;
    std::shared_ptr<const Expr> where;
};

class Parser {
public:
    // Bounds that keep hostile input from exhausting the stack or memory.
    static constexpr int kMaxDepth = 64;
    static constexpr int kMaxNodes = 2048;
    static constexpr qsizetype kMaxLength = 64 * 1024;

    // Exactly one statement (a trailing ';' is allowed).
    static stdb::Expected<SelectStatement> parseSelect(QStringView sql);
    // One or more statements separated by ';' (the HTTP /sql route).
    static stdb::Expected<QList<SelectStatement>> parseScript(QStringView sql);
};

} // namespace host::sql
