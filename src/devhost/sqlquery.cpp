#include "sqlquery.h"

#include <QRegularExpression>

#include <optional>

namespace host {

using stdb::Error;

// Bound predicate: comparisons refer to column indexes and carry typed constants.
struct SqlQuery::Node {
    enum class Kind { Compare, And, Or, Const, Column };
    Kind kind = Kind::Const;
    sql::CompareOp op = sql::CompareOp::Eq;
    int lhsColumn = -1; // -1: lhsValue is a constant
    int rhsColumn = -1;
    Value lhsValue;
    Value rhsValue;
    bool constant = true;
    std::shared_ptr<const Node> left, right;
};

namespace {

using Node = SqlQuery::Node;
using NodePtr = std::shared_ptr<const Node>;

Error queryError(const QString &message) {
    return Error(Error::Kind::InvalidArgument, message);
}

bool isAllTables(QStringView sql) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*select\\s+\\*\\s+from\\s+\\*\\s*;?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(sql).hasMatch();
}

QString literalDescription(const sql::Literal &lit) {
    switch (lit.kind) {
    case sql::Literal::Kind::Integer:
        return QStringLiteral("integer %1").arg(lit.text);
    case sql::Literal::Kind::Float:
        return QStringLiteral("number %1").arg(lit.text);
    case sql::Literal::Kind::String:
        return QStringLiteral("string '%1'").arg(lit.text.left(64));
    case sql::Literal::Kind::Bool:
        return lit.boolValue ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    case sql::Literal::Kind::Hex:
        return QStringLiteral("hex literal 0x%1").arg(lit.text.left(64));
    case sql::Literal::Kind::Blob:
        return QStringLiteral("blob X'%1'").arg(lit.text.left(64));
    }
    return {};
}

// Converts a literal to the column's type into `out`, or explains why it cannot. The value is
// assigned to a caller-owned Value rather than returned inside an Expected: moving a freshly
// built variant temporary into Expected<Value> trips GCC 12's -Wmaybe-uninitialized under
// -fsanitize=address (a false positive, but the build treats warnings as errors).
std::optional<Error> coerce(const sql::Literal &lit, const ColumnDef &col, Value &out) {
    const QString where = QStringLiteral("column `%1` has type %2").arg(col.name, typeName(col));
    auto mismatch = [&] {
        return queryError(QStringLiteral("type mismatch: cannot compare %1 with %2")
                              .arg(literalDescription(lit), where));
    };
    using K = sql::Literal::Kind;
    switch (col.type) {
    case ColumnType::Bool:
        if (lit.kind != K::Bool)
            return mismatch();
        out = lit.boolValue;
        return std::nullopt;
    case ColumnType::String:
        if (lit.kind != K::String)
            return mismatch();
        out = lit.text;
        return std::nullopt;
    case ColumnType::Identity:
    case ColumnType::ConnectionId: {
        const bool isIdentity = col.type == ColumnType::Identity;
        const int digits = isIdentity ? 64 : 32;
        QString hex;
        if (lit.kind == K::Hex) {
            hex = lit.text; // 0x… may be shorter; it is a number, zero-padded on the left
            if (hex.size() > digits)
                return queryError(QStringLiteral("hex literal 0x%1 is too long for %2")
                                      .arg(lit.text.left(80), where));
            hex = QString(digits - hex.size(), u'0') + hex;
        } else if (lit.kind == K::Blob) {
            hex = lit.text; // bytes, most significant first, must be the full width
            if (hex.size() != digits)
                return queryError(QStringLiteral("X'…' literal must have exactly %1 hex digits "
                                                 "for %2")
                                      .arg(digits)
                                      .arg(where));
        } else if (lit.kind == K::String) {
            hex = lit.text;
            if (hex.startsWith(u"0x") || hex.startsWith(u"0X"))
                hex = hex.mid(2);
            if (hex.size() != digits)
                return queryError(QStringLiteral("string '%1' is not a %2-digit hex value for %3")
                                      .arg(lit.text.left(80))
                                      .arg(digits)
                                      .arg(where));
        } else {
            return mismatch();
        }
        bool ok = false;
        if (isIdentity) {
            const auto v = stdb::U256::fromHex(hex, &ok);
            if (ok) {
                out = stdb::Identity(v);
                return std::nullopt;
            }
        } else {
            const auto v = stdb::U128::fromHex(hex, &ok);
            if (ok) {
                out = stdb::ConnectionId(v);
                return std::nullopt;
            }
        }
        return queryError(
            QStringLiteral("invalid hex in %1 for %2").arg(literalDescription(lit), where));
    }
    case ColumnType::Timestamp:
        if (lit.kind == K::String) {
            bool ok = false;
            const auto ts = stdb::Timestamp::fromIso8601(lit.text, &ok);
            if (!ok)
                return queryError(QStringLiteral("string '%1' is not an ISO-8601 timestamp for "
                                                 "%2")
                                      .arg(lit.text.left(80), where));
            out = ts;
            return std::nullopt;
        }
        if (lit.kind == K::Integer) {
            bool ok = false;
            const qint64 us = lit.text.toLongLong(&ok);
            if (!ok)
                return queryError(
                    QStringLiteral("integer %1 is out of range for %2").arg(lit.text, where));
            out = stdb::Timestamp::fromMicros(us); // microseconds since the epoch
            return std::nullopt;
        }
        return mismatch();
    default:
        break;
    }
    // Integer columns.
    if (lit.kind != K::Integer && lit.kind != K::Hex)
        return mismatch();
    bool ok = false;
    if (col.type == ColumnType::U64) {
        const quint64 u =
            lit.kind == K::Hex ? lit.text.toULongLong(&ok, 16) : lit.text.toULongLong(&ok, 10);
        if (!ok)
            return queryError(
                QStringLiteral("%1 is out of range for %2").arg(literalDescription(lit), where));
        out = u;
        return std::nullopt;
    }
    const qint64 v = lit.kind == K::Hex ? lit.text.toLongLong(&ok, 16) : lit.text.toLongLong(&ok);
    if (!ok || !integerFits(col.type, v))
        return queryError(
            QStringLiteral("%1 is out of range for %2").arg(literalDescription(lit), where));
    out = v;
    return std::nullopt;
}

struct Binder {
    const TableSchema &table;
    QString alias;

    stdb::Expected<int> column(const sql::ColumnRef &ref) const {
        if (!ref.qualifier.isEmpty() && ref.qualifier != table.name && ref.qualifier != alias)
            return queryError(QStringLiteral("unknown table or alias `%1` in `%1.%2` (the query "
                                             "reads `%3`)")
                                  .arg(ref.qualifier, ref.column, table.name));
        const int idx = table.columnIndex(ref.column);
        if (idx < 0)
            return queryError(
                QStringLiteral("no such column: `%1` in table `%2`").arg(ref.column, table.name));
        return idx;
    }

    stdb::Expected<NodePtr> bind(const sql::Expr &e) const {
        auto node = std::make_shared<Node>();
        switch (e.kind) {
        case sql::Expr::Kind::And:
        case sql::Expr::Kind::Or: {
            auto l = bind(*e.left);
            if (!l)
                return l;
            auto r = bind(*e.right);
            if (!r)
                return r;
            node->kind = e.kind == sql::Expr::Kind::And ? Node::Kind::And : Node::Kind::Or;
            node->left = *l;
            node->right = *r;
            return NodePtr(node);
        }
        case sql::Expr::Kind::Operand: {
            if (const auto *lit = std::get_if<sql::Literal>(&e.lhs)) {
                if (lit->kind != sql::Literal::Kind::Bool)
                    return queryError(QStringLiteral("a WHERE condition must be boolean, found "
                                                     "%1")
                                          .arg(literalDescription(*lit)));
                node->kind = Node::Kind::Const;
                node->constant = lit->boolValue;
                return NodePtr(node);
            }
            const auto &ref = std::get<sql::ColumnRef>(e.lhs);
            auto idx = column(ref);
            if (!idx)
                return idx.error();
            const ColumnDef &col = table.columns[*idx];
            if (col.type != ColumnType::Bool || col.optional)
                return queryError(QStringLiteral("column `%1` has type %2 and cannot be used as "
                                                 "a condition on its own")
                                      .arg(col.name, typeName(col)));
            node->kind = Node::Kind::Column;
            node->lhsColumn = *idx;
            return NodePtr(node);
        }
        case sql::Expr::Kind::Compare:
            break;
        }
        node->kind = Node::Kind::Compare;
        node->op = e.op;
        const auto *lref = std::get_if<sql::ColumnRef>(&e.lhs);
        const auto *rref = std::get_if<sql::ColumnRef>(&e.rhs);
        if (!lref && !rref)
            return queryError(QStringLiteral("comparison %1 %2 %3 does not involve a column")
                                  .arg(literalDescription(std::get<sql::Literal>(e.lhs)),
                                       sql::opText(e.op),
                                       literalDescription(std::get<sql::Literal>(e.rhs))));
        if (lref && rref) {
            auto l = column(*lref);
            if (!l)
                return l.error();
            auto r = column(*rref);
            if (!r)
                return r.error();
            const ColumnDef &a = table.columns[*l];
            const ColumnDef &b = table.columns[*r];
            if (a.type != b.type)
                return queryError(QStringLiteral("type mismatch: cannot compare column `%1` (%2) "
                                                 "with column `%3` (%4)")
                                      .arg(a.name, typeName(a), b.name, typeName(b)));
            node->lhsColumn = *l;
            node->rhsColumn = *r;
            return NodePtr(node);
        }
        const sql::ColumnRef &ref = lref ? *lref : *rref;
        const sql::Literal &lit =
            lref ? std::get<sql::Literal>(e.rhs) : std::get<sql::Literal>(e.lhs);
        auto idx = column(ref);
        if (!idx)
            return idx.error();
        Value value;
        if (std::optional<Error> error = coerce(lit, table.columns[*idx], value))
            return *error;
        if (lref) {
            node->lhsColumn = *idx;
            node->rhsValue = std::move(value);
        } else {
            node->rhsColumn = *idx;
            node->lhsValue = std::move(value);
        }
        return NodePtr(node);
    }
};

bool compareOp(sql::CompareOp op, int c) {
    switch (op) {
    case sql::CompareOp::Eq:
        return c == 0;
    case sql::CompareOp::Ne:
        return c != 0;
    case sql::CompareOp::Lt:
        return c < 0;
    case sql::CompareOp::Le:
        return c <= 0;
    case sql::CompareOp::Gt:
        return c > 0;
    case sql::CompareOp::Ge:
        return c >= 0;
    }
    return false;
}

bool evaluate(const Node &n, const Row &row) {
    switch (n.kind) {
    case Node::Kind::Const:
        return n.constant;
    case Node::Kind::Column:
        return n.lhsColumn < row.size() && std::holds_alternative<bool>(row[n.lhsColumn]) &&
               std::get<bool>(row[n.lhsColumn]);
    case Node::Kind::And:
        return evaluate(*n.left, row) && evaluate(*n.right, row);
    case Node::Kind::Or:
        return evaluate(*n.left, row) || evaluate(*n.right, row);
    case Node::Kind::Compare:
        break;
    }
    const Value &a =
        n.lhsColumn >= 0 ? (n.lhsColumn < row.size() ? row[n.lhsColumn] : n.lhsValue) : n.lhsValue;
    const Value &b =
        n.rhsColumn >= 0 ? (n.rhsColumn < row.size() ? row[n.rhsColumn] : n.rhsValue) : n.rhsValue;
    // An empty Option compares like SQL NULL: never true.
    if (std::holds_alternative<std::monostate>(a) || std::holds_alternative<std::monostate>(b))
        return false;
    return compareOp(n.op, compareValues(a, b));
}

QString canonicalText(const Node &n) {
    switch (n.kind) {
    case Node::Kind::Const:
        return n.constant ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    case Node::Kind::Column:
        return QStringLiteral("#%1").arg(n.lhsColumn);
    case Node::Kind::And:
        return QStringLiteral("(%1 AND %2)").arg(canonicalText(*n.left), canonicalText(*n.right));
    case Node::Kind::Or:
        return QStringLiteral("(%1 OR %2)").arg(canonicalText(*n.left), canonicalText(*n.right));
    case Node::Kind::Compare:
        break;
    }
    // Constants carry their length: a string such as `p) OR (#2 = 4:q` must not read as more
    // of the expression, or two different queries of one Subscribe would be deduplicated as
    // one (a finding of fuzz_host_sql).
    auto side = [](int col, const Value &v) {
        if (col >= 0)
            return QStringLiteral("#%1").arg(col);
        const QString text = valueToDisplay(v);
        return QStringLiteral("%1:%2:%3").arg(v.index()).arg(text.size()).arg(text);
    };
    return QStringLiteral("(%1 %2 %3)")
        .arg(side(n.lhsColumn, n.lhsValue), sql::opText(n.op), side(n.rhsColumn, n.rhsValue));
}

} // namespace

bool SqlQuery::matches(const Row &row) const {
    return !m_where || evaluate(*m_where, row);
}

stdb::Expected<SqlQuery> SqlQuery::compile(const sql::SelectStatement &st,
                                           const QList<TableSchema> &catalog) {
    if (st.allTables)
        return queryError(QStringLiteral("SELECT * FROM * is only valid as a subscription"));
    int index = -1;
    for (qsizetype i = 0; i < catalog.size(); ++i)
        if (catalog[i].name == st.table)
            index = int(i);
    if (index < 0)
        return queryError(QStringLiteral("no such table: `%1`").arg(st.table));
    const TableSchema &table = catalog[index];
    if (!table.isPublic)
        return queryError(QStringLiteral("table `%1` is private").arg(st.table));
    if (!st.projection.isEmpty() && st.projection != table.name && st.projection != st.alias)
        return queryError(
            QStringLiteral("unknown table or alias `%1` in `%1.*`").arg(st.projection));
    SqlQuery q;
    q.m_table = index;
    q.m_tableName = table.name;
    if (st.where) {
        Binder binder{table, st.alias};
        auto where = binder.bind(*st.where);
        if (!where)
            return where.error();
        q.m_where = *where;
    }
    q.m_canonical = table.name + u'|' + (q.m_where ? canonicalText(*q.m_where) : QString());
    return q;
}

stdb::Expected<QList<SqlQuery>> SqlQuery::compileSubscription(QStringView sql,
                                                              const QList<TableSchema> &catalog) {
    if (isAllTables(sql)) {
        QList<SqlQuery> all;
        for (qsizetype i = 0; i < catalog.size(); ++i) {
            if (!catalog[i].isPublic)
                continue;
            SqlQuery q;
            q.m_table = int(i);
            q.m_tableName = catalog[i].name;
            q.m_canonical = catalog[i].name + u'|';
            all.append(q);
        }
        return all;
    }
    auto st = sql::Parser::parseSelect(sql);
    if (!st)
        return st.error();
    auto q = compile(*st, catalog);
    if (!q)
        return q.error();
    return QList<SqlQuery>{*q};
}

stdb::Expected<QList<SqlQuery>> SqlQuery::compileScript(QStringView sql,
                                                        const QList<TableSchema> &catalog) {
    auto script = sql::Parser::parseScript(sql);
    if (!script)
        return script.error();
    QList<SqlQuery> out;
    for (const auto &st : *script) {
        auto q = compile(st, catalog);
        if (!q)
            return q.error();
        out.append(*q);
    }
    return out;
}

} // namespace host
