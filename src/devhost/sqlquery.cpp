// SPDX-License-Identifier: Apache-2.0
#include "sqlquery.h"

#include "database.h"

#include <QDate>
#include <QRegularExpression>
#include <QSet>

#include <functional>
#include <limits>
#include <optional>

namespace host {

using stdb::Error;

// Bound expression: fields refer to (relvar, column); constants are typed.
struct SqlQuery::Node {
    enum class Kind { Const, Field, Compare, And, Or };
    Kind kind = Kind::Const;
    ColumnDef type; // of a Const or Field; Bool for the others
    Value value;    // Const
    int relvar = -1;
    int column = -1;
    sql::CompareOp op = sql::CompareOp::Eq;
    std::shared_ptr<const Node> left, right;
};

struct SqlQuery::Plan {
    struct Relvar {
        QString alias;
        int table = -1;
    };
    QList<Relvar> relvars;
    // ON conditions, one per relvar after the first (null: cross join).
    QList<std::shared_ptr<const Node>> on;
    std::shared_ptr<const Node> where;
    sql::Projection::Kind projection = sql::Projection::Kind::Star;
    int returnRelvar = 0; // Star / QualifiedStar
    struct Output {
        int relvar;
        int column;
        QString name;
    };
    QList<Output> outputs; // Columns
    QString countAlias;
    std::optional<quint64> limit;
    // DML
    QList<Row> insertRows;
    QList<QPair<int, Value>> assignments;
};

namespace {

using Node = SqlQuery::Node;
using NodePtr = std::shared_ptr<const Node>;
using Plan = SqlQuery::Plan;

Error sqlError(const QString &message) {
    return Error(Error::Kind::InvalidArgument, message);
}

ColumnDef boolType() {
    return {QString(), ColumnType::Bool, false};
}
ColumnDef identityType() {
    return {QString(), ColumnType::Identity, false};
}
bool sameType(const ColumnDef &a, const ColumnDef &b) {
    return a.type == b.type && a.optional == b.optional;
}
bool isBool(const ColumnDef &t) {
    return t.type == ColumnType::Bool && !t.optional;
}

Error unexpectedType(const ColumnDef &expected, const ColumnDef &inferred) {
    return sqlError(QStringLiteral("Unexpected type: (expected) %1 != %2 (inferred)")
                        .arg(sqlTypeName(expected), sqlTypeName(inferred)));
}
Error invalidLiteral(const QString &literal, const ColumnDef &type) {
    return sqlError(QStringLiteral("The literal expression `%1` cannot be parsed as type `%2`")
                        .arg(literal.left(200), sqlTypeName(type)));
}
Error notInScope(const QString &name) {
    return sqlError(QStringLiteral("`%1` is not in scope").arg(name));
}
Error noSuchTable(const QString &name) {
    return sqlError(
        QStringLiteral("no such table: `%1`. If the table exists, it may be marked private.")
            .arg(name));
}

// BigDecimal's grammar: [+-] digits [. digits] [e [+-] digits] (or . digits). Integer values
// only (1e3 and 1.0 are integers, 0.5 and 1e-3 are not); *magnitude saturates past u128.
bool parseInteger(const QString &text, bool *negative, unsigned __int128 *magnitude) {
    qsizetype i = 0;
    const qsizetype n = text.size();
    *negative = false;
    if (i < n && (text[i] == u'+' || text[i] == u'-')) {
        *negative = text[i] == u'-';
        ++i;
    }
    QString digits;
    qsizetype fraction = 0;
    bool any = false;
    while (i < n && text[i].isDigit() && text[i].unicode() < 128) {
        digits += text[i++];
        any = true;
    }
    if (i < n && text[i] == u'.') {
        ++i;
        while (i < n && text[i].isDigit() && text[i].unicode() < 128) {
            digits += text[i++];
            ++fraction;
            any = true;
        }
    }
    if (!any)
        return false;
    qint64 exponent = 0;
    if (i < n && (text[i] == u'e' || text[i] == u'E')) {
        ++i;
        bool negExp = false;
        if (i < n && (text[i] == u'+' || text[i] == u'-')) {
            negExp = text[i] == u'-';
            ++i;
        }
        bool expDigits = false;
        while (i < n && text[i].isDigit() && text[i].unicode() < 128) {
            exponent = qMin<qint64>(exponent * 10 + text[i++].digitValue(), 1000000);
            expDigits = true;
        }
        if (!expDigits)
            return false;
        if (negExp)
            exponent = -exponent;
    }
    if (i != n)
        return false;
    qint64 scale = fraction - exponent; // value = digits * 10^-scale
    while (scale > 0) {
        if (digits.isEmpty() || digits.back() != u'0') {
            // Only zeros may be cut off; a zero mantissa is an integer whatever its scale.
            bool allZero = true;
            for (QChar c : digits)
                allZero = allZero && c == u'0';
            if (!allZero)
                return false;
            digits = QStringLiteral("0");
            scale = 0;
            break;
        }
        digits.chop(1);
        --scale;
    }
    unsigned __int128 v = 0;
    const unsigned __int128 cap = ~static_cast<unsigned __int128>(0) / 10;
    auto push = [&](int d) {
        if (v > cap) {
            v = ~static_cast<unsigned __int128>(0);
            return;
        }
        v = v * 10 + unsigned(d);
    };
    for (QChar c : digits)
        push(c.digitValue());
    for (qint64 k = 0; k < -scale && k < 60; ++k)
        push(0);
    if (-scale >= 60 && v != 0)
        v = ~static_cast<unsigned __int128>(0);
    *magnitude = v;
    if (v == 0)
        *negative = false;
    return true;
}

bool isHexText(QStringView s) {
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    return true;
}

// RFC 3339 as chrono reads it: YYYY-MM-DD, 'T'/'t'/' ', hh:mm:ss[.frac], 'Z'/'z'/±hh:mm.
std::optional<stdb::Timestamp> parseRfc3339(const QString &text) {
    // Reads past the end as NUL, which matches nothing below.
    struct Chars {
        const QString &s;
        QChar value(qsizetype i) const { return i < s.size() ? s[i] : QChar(); }
        qsizetype size() const { return s.size(); }
        QChar operator[](qsizetype i) const { return s[i]; }
    } s{text};
    auto num = [&](qsizetype at, int len, int *out) {
        if (at + len > s.size())
            return false;
        int v = 0;
        for (int k = 0; k < len; ++k) {
            const QChar c = s[at + k];
            if (c < u'0' || c > u'9')
                return false;
            v = v * 10 + c.digitValue();
        }
        *out = v;
        return true;
    };
    int year, month, day, hour, minute, second;
    if (!num(0, 4, &year) || s.value(4) != u'-' || !num(5, 2, &month) || s.value(7) != u'-' ||
        !num(8, 2, &day))
        return std::nullopt;
    const QChar sep = s.value(10);
    if (sep != u'T' && sep != u't' && sep != u' ')
        return std::nullopt;
    if (!num(11, 2, &hour) || s.value(13) != u':' || !num(14, 2, &minute) || s.value(16) != u':' ||
        !num(17, 2, &second))
        return std::nullopt;
    qsizetype i = 19;
    qint64 micros = 0;
    if (s.value(i) == u'.') {
        ++i;
        int count = 0;
        while (i < s.size() && s[i] >= u'0' && s[i] <= u'9') {
            if (count < 6)
                micros = micros * 10 + s[i].digitValue();
            ++count;
            ++i;
        }
        if (count == 0)
            return std::nullopt;
        for (int k = count; k < 6; ++k)
            micros *= 10;
    }
    int offsetSeconds = 0;
    const QChar z = s.value(i);
    if (z == u'Z' || z == u'z') {
        ++i;
    } else if (z == u'+' || z == u'-' || z == QChar(0x2212)) {
        int oh, om;
        if (!num(i + 1, 2, &oh) || s.value(i + 3) != u':' || !num(i + 4, 2, &om) || oh > 23 ||
            om > 59)
            return std::nullopt;
        offsetSeconds = (oh * 60 + om) * 60 * (z == u'+' ? 1 : -1);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size() || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid())
        return std::nullopt;
    const qint64 days = QDate(1970, 1, 1).daysTo(date);
    const qint64 secs = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return stdb::Timestamp::fromMicros(secs * 1000000 + micros);
}

// The server's parse(): the literal's text read as the column's type.
std::optional<Value> parseLiteral(const QString &text, const ColumnDef &type) {
    if (type.optional)
        return std::nullopt; // "Literal values for type … are not supported"
    switch (type.type) {
    case ColumnType::Bool:
        return std::nullopt;
    case ColumnType::String:
        return Value(text);
    case ColumnType::Timestamp:
        if (auto ts = parseRfc3339(text))
            return Value(*ts);
        return std::nullopt;
    case ColumnType::Identity:
    case ColumnType::ConnectionId: {
        // from_hex_pad: an optional lower-case 0x, then exactly the full width in hex digits
        const QString hex = text.startsWith(u"0x") ? text.mid(2) : text;
        const int digits = type.type == ColumnType::Identity ? 64 : 32;
        if (hex.size() != digits || !isHexText(hex))
            return std::nullopt;
        bool ok = false;
        if (type.type == ColumnType::Identity) {
            const auto v = stdb::U256::fromHex(hex, &ok);
            if (ok)
                return Value(stdb::Identity(v));
        } else {
            const auto v = stdb::U128::fromHex(hex, &ok);
            if (ok)
                return Value(stdb::ConnectionId(v));
        }
        return std::nullopt;
    }
    default:
        break;
    }
    bool negative = false;
    unsigned __int128 magnitude = 0;
    if (!parseInteger(text, &negative, &magnitude))
        return std::nullopt;
    if (type.type == ColumnType::U64) {
        if (negative || magnitude > std::numeric_limits<quint64>::max())
            return std::nullopt;
        return Value(quint64(magnitude));
    }
    if (magnitude > static_cast<unsigned __int128>(std::numeric_limits<qint64>::max()) + 1)
        return std::nullopt;
    qint64 v;
    if (negative)
        v = magnitude == static_cast<unsigned __int128>(std::numeric_limits<qint64>::max()) + 1
                ? std::numeric_limits<qint64>::min()
                : -qint64(magnitude);
    else if (magnitude > static_cast<unsigned __int128>(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    else
        v = qint64(magnitude);
    if (!integerFits(type.type, v))
        return std::nullopt;
    return Value(v);
}

// Which relvars a name resolves to, and the tables behind them.
struct Scope {
    const QList<TableSchema> &catalog;
    QList<Plan::Relvar> relvars;

    int find(const QString &alias) const {
        for (qsizetype i = 0; i < relvars.size(); ++i)
            if (relvars[i].alias == alias)
                return int(i);
        return -1;
    }
};

struct Checker {
    const Scope &scope;
    const SqlAuth &auth;

    stdb::Expected<NodePtr> type(const sql::ExprPtr &e, const std::optional<ColumnDef> &expected) {
        auto node = std::make_shared<Node>();
        using K = sql::Expr::Kind;
        switch (e->kind) {
        case K::Literal:
            if (e->literal == sql::Expr::LiteralKind::Bool) {
                if (expected && !isBool(*expected))
                    return unexpectedType(boolType(), *expected);
                node->kind = Node::Kind::Const;
                node->type = boolType();
                node->value = e->boolValue;
                return NodePtr(node);
            }
            if (!expected)
                return sqlError(QStringLiteral("Cannot resolve type for literal expression"));
            if (auto v = parseLiteral(e->text, *expected)) {
                node->kind = Node::Kind::Const;
                node->type = *expected;
                node->value = *v;
                return NodePtr(node);
            }
            return invalidLiteral(e->text, *expected);
        case K::Sender:
            if (expected && !sameType(*expected, identityType()))
                return unexpectedType(identityType(), *expected);
            node->kind = Node::Kind::Const;
            node->type = identityType();
            node->value = auth.caller;
            return NodePtr(node);
        case K::Field: {
            const int rv = scope.find(e->table);
            if (rv < 0)
                return notInScope(e->table);
            const TableSchema &t = scope.catalog[scope.relvars[rv].table];
            const int col = t.columnIndex(e->column);
            if (col < 0)
                return notInScope(e->column);
            const ColumnDef &c = t.columns[col];
            if (expected && !sameType(c, *expected))
                return unexpectedType(c, *expected);
            node->kind = Node::Kind::Field;
            node->type = c;
            node->relvar = rv;
            node->column = col;
            return NodePtr(node);
        }
        case K::And:
        case K::Or: {
            if (expected && !isBool(*expected))
                return unexpectedType(boolType(), *expected);
            auto l = type(e->left, boolType());
            if (!l)
                return l;
            auto r = type(e->right, boolType());
            if (!r)
                return r;
            node->kind = e->kind == K::And ? Node::Kind::And : Node::Kind::Or;
            node->type = boolType();
            node->left = *l;
            node->right = *r;
            return NodePtr(node);
        }
        case K::Compare:
            break;
        }
        if (expected && !isBool(*expected))
            return unexpectedType(boolType(), *expected);
        NodePtr a, b;
        // A literal (or :sender) on the left takes the type of the right-hand side.
        if (e->left->kind == K::Literal || e->left->kind == K::Sender) {
            auto r = type(e->right, std::nullopt);
            if (!r)
                return r;
            auto l = type(e->left, (*r)->type);
            if (!l)
                return l;
            a = *l;
            b = *r;
        } else {
            auto l = type(e->left, std::nullopt);
            if (!l)
                return l;
            auto r = type(e->right, (*l)->type);
            if (!r)
                return r;
            a = *l;
            b = *r;
        }
        if (a->type.optional) // Option is a sum type: no operator takes it
            return sqlError(QStringLiteral("Invalid binary operator `%1` for type `%2`")
                                .arg(sql::opText(e->op), sqlTypeName(a->type)));
        node->kind = Node::Kind::Compare;
        node->type = boolType();
        node->op = e->op;
        node->left = a;
        node->right = b;
        return NodePtr(node);
    }
};

using Tuple = QList<const StoredRow *>;

const Value &valueOf(const Node &n, const Tuple &tuple) {
    static const Value none;
    if (n.kind == Node::Kind::Const)
        return n.value;
    const StoredRow *r = tuple.value(n.relvar);
    if (!r || n.column >= r->values.size())
        return none;
    return r->values[n.column];
}

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

// Iterative over AND/OR chains' right spines would not help: the parser bounds the depth.
bool evaluate(const Node &n, const Tuple &tuple) {
    switch (n.kind) {
    case Node::Kind::Const:
    case Node::Kind::Field: {
        const Value &v = valueOf(n, tuple);
        return std::holds_alternative<bool>(v) && std::get<bool>(v);
    }
    case Node::Kind::And:
        return evaluate(*n.left, tuple) && evaluate(*n.right, tuple);
    case Node::Kind::Or:
        return evaluate(*n.left, tuple) || evaluate(*n.right, tuple);
    case Node::Kind::Compare:
        break;
    }
    return compareOp(n.op, compareValues(valueOf(*n.left, tuple), valueOf(*n.right, tuple)));
}

QString canonicalText(const Node &n) {
    switch (n.kind) {
    case Node::Kind::Const: {
        // Constants carry their kind and length: a string such as `p) OR (#2 = 4:q` must not
        // read as more of the expression (a finding of fuzz_host_sql).
        const QString text = valueToDisplay(n.value);
        return QStringLiteral("%1:%2:%3").arg(n.value.index()).arg(text.size()).arg(text);
    }
    case Node::Kind::Field:
        return QStringLiteral("#%1.%2").arg(n.relvar).arg(n.column);
    case Node::Kind::And:
        return QStringLiteral("(%1 AND %2)").arg(canonicalText(*n.left), canonicalText(*n.right));
    case Node::Kind::Or:
        return QStringLiteral("(%1 OR %2)").arg(canonicalText(*n.left), canonicalText(*n.right));
    case Node::Kind::Compare:
        break;
    }
    return QStringLiteral("(%1 %2 %3)")
        .arg(canonicalText(*n.left), sql::opText(n.op), canonicalText(*n.right));
}

// SchemaViewer: a table the caller may not read does not exist for it.
int readableTable(const QList<TableSchema> &catalog, const QString &name, const SqlAuth &auth) {
    for (qsizetype i = 0; i < catalog.size(); ++i)
        if (catalog[i].name == name)
            return catalog[i].isPublic || auth.owner ? int(i) : -1;
    return -1;
}

// type_from: relvars in order, duplicate aliases refused, ON typed when its relvar joins.
stdb::Expected<Scope> typeFrom(const sql::Select &st, const QList<TableSchema> &catalog,
                               const SqlAuth &auth, Plan &plan) {
    Scope scope{catalog, {}};
    const int first = readableTable(catalog, st.from.name, auth);
    if (first < 0)
        return noSuchTable(st.from.name);
    scope.relvars.append({st.from.alias, first});
    plan.on.append(nullptr);
    for (const sql::Join &j : st.joins) {
        if (scope.find(j.table.alias) >= 0)
            return sqlError(QStringLiteral("Duplicate name `%1`").arg(j.table.alias));
        const int t = readableTable(catalog, j.table.name, auth);
        if (t < 0)
            return noSuchTable(j.table.name);
        scope.relvars.append({j.table.alias, t});
        NodePtr on;
        if (j.on) {
            Checker checker{scope, auth};
            auto typed = checker.type(j.on, boolType());
            if (!typed)
                return typed.error();
            on = *typed;
        }
        plan.on.append(on);
    }
    plan.relvars = scope.relvars;
    return scope;
}

// type_proj (+ type_limit): what the SELECT returns.
std::optional<Error> typeProjection(const sql::Select &st, const Scope &scope, const SqlAuth &auth,
                                    Plan &plan) {
    const sql::Projection &p = st.projection;
    plan.projection = p.kind;
    switch (p.kind) {
    case sql::Projection::Kind::Star:
        if (scope.relvars.size() > 1)
            return sqlError(QStringLiteral("SELECT * is not supported for joins"));
        plan.returnRelvar = 0;
        break;
    case sql::Projection::Kind::QualifiedStar: {
        const int rv = scope.find(p.qualifier);
        if (rv < 0)
            return notInScope(p.qualifier);
        plan.returnRelvar = rv;
        break;
    }
    case sql::Projection::Kind::Count:
        plan.countAlias = p.countAlias;
        break;
    case sql::Projection::Kind::Columns: {
        QSet<QString> names;
        Checker checker{scope, auth};
        for (const sql::ProjectItem &item : p.items) {
            if (names.contains(item.name))
                return sqlError(QStringLiteral("Duplicate name `%1`").arg(item.name));
            names.insert(item.name);
            auto field = std::make_shared<sql::Expr>();
            field->kind = sql::Expr::Kind::Field;
            field->table = item.table;
            field->column = item.column;
            auto typed = checker.type(field, std::nullopt);
            if (!typed)
                return typed.error();
            plan.outputs.append({(*typed)->relvar, (*typed)->column, item.name});
        }
        break;
    }
    }
    if (st.limit) {
        const ColumnDef u64{QString(), ColumnType::U64, false};
        auto v = parseLiteral(*st.limit, u64);
        if (!v)
            return invalidLiteral(*st.limit, u64);
        plan.limit = std::get<quint64>(*v);
    }
    return std::nullopt;
}

bool isAllTables(QStringView sql) {
    static const QRegularExpression re(QStringLiteral("^\\s*SELECT\\s+\\*\\s+FROM\\s+\\*\\s*$"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(sql).hasMatch();
}

void forEachTuple(const Plan &plan, const Database &db,
                  const std::function<void(const Tuple &)> &visit) {
    Tuple tuple(plan.relvars.size(), nullptr);
    std::function<void(int)> level = [&](int k) {
        if (k == plan.relvars.size()) {
            if (!plan.where || evaluate(*plan.where, tuple))
                visit(tuple);
            return;
        }
        for (const StoredRow &r : db.table(plan.relvars[k].table).rows) {
            tuple[k] = &r;
            if (plan.on.value(k) && !evaluate(*plan.on[k], tuple))
                continue;
            level(k + 1);
        }
        tuple[k] = nullptr;
    };
    level(0);
}

stdb::Expected<SqlQuery> finishSelect(const sql::Select &st, const QList<TableSchema> &catalog,
                                      const SqlAuth &auth, bool tableTyped, Plan &plan) {
    auto scope = typeFrom(st, catalog, auth, plan);
    if (!scope)
        return scope.error();
    if (st.where) {
        Checker checker{*scope, auth};
        auto where = checker.type(st.where, boolType());
        if (!where)
            return where.error();
        plan.where = *where;
    }
    if (auto e = typeProjection(st, *scope, auth, plan))
        return *e;
    if (tableTyped && (plan.projection == sql::Projection::Kind::Columns ||
                       plan.projection == sql::Projection::Kind::Count))
        return sqlError(QStringLiteral("Column projections are not supported in subscriptions; "
                                       "Subscriptions must return a table type"));
    return SqlQuery();
}

} // namespace

QString sqlTypeName(const ColumnDef &type) {
    QString inner;
    switch (type.type) {
    case ColumnType::Bool:
        inner = QStringLiteral("Bool");
        break;
    case ColumnType::I8:
        inner = QStringLiteral("I8");
        break;
    case ColumnType::U8:
        inner = QStringLiteral("U8");
        break;
    case ColumnType::I16:
        inner = QStringLiteral("I16");
        break;
    case ColumnType::U16:
        inner = QStringLiteral("U16");
        break;
    case ColumnType::I32:
        inner = QStringLiteral("I32");
        break;
    case ColumnType::U32:
        inner = QStringLiteral("U32");
        break;
    case ColumnType::I64:
        inner = QStringLiteral("I64");
        break;
    case ColumnType::U64:
        inner = QStringLiteral("U64");
        break;
    case ColumnType::String:
        inner = QStringLiteral("String");
        break;
    case ColumnType::Identity:
        inner = QStringLiteral("(__identity__: U256)");
        break;
    case ColumnType::ConnectionId:
        inner = QStringLiteral("(__connection_id__: U128)");
        break;
    case ColumnType::Timestamp:
        inner = QStringLiteral("(__timestamp_micros_since_unix_epoch__: I64)");
        break;
    }
    return type.optional ? QStringLiteral("(some: %1 | none: ())").arg(inner) : inner;
}

bool SqlQuery::isJoin() const {
    return m_plan && m_plan->relvars.size() > 1;
}

QList<int> SqlQuery::tablesRead() const {
    QList<int> out;
    if (m_plan)
        for (const Plan::Relvar &rv : m_plan->relvars)
            if (!out.contains(rv.table))
                out.append(rv.table);
    return out;
}

bool SqlQuery::matches(const Row &row) const {
    if (!m_plan->where)
        return true;
    StoredRow stored;
    stored.values = row;
    return evaluate(*m_plan->where, Tuple{&stored});
}

QList<const StoredRow *> SqlQuery::returnRows(const Database &db) const {
    QList<const StoredRow *> out;
    forEachTuple(*m_plan, db, [&](const Tuple &t) { out.append(t[m_plan->returnRelvar]); });
    return out;
}

SqlQuery::ResultSet SqlQuery::run(const Database &db) const {
    ResultSet result;
    const Plan &plan = *m_plan;
    switch (plan.projection) {
    case sql::Projection::Kind::Star:
    case sql::Projection::Kind::QualifiedStar: {
        const TableSchema &t = db.catalog()[plan.relvars[plan.returnRelvar].table];
        result.columns = t.columns;
        for (const StoredRow *r : returnRows(db))
            result.rows.append(r->values);
        break;
    }
    case sql::Projection::Kind::Columns:
        for (const Plan::Output &o : plan.outputs) {
            ColumnDef c = db.catalog()[plan.relvars[o.relvar].table].columns[o.column];
            c.name = o.name;
            result.columns.append(c);
        }
        forEachTuple(plan, db, [&](const Tuple &t) {
            Row row;
            for (const Plan::Output &o : plan.outputs)
                row.append(t[o.relvar]->values.value(o.column));
            result.rows.append(row);
        });
        break;
    case sql::Projection::Kind::Count: {
        quint64 n = 0;
        forEachTuple(plan, db, [&](const Tuple &) { ++n; });
        result.columns.append({plan.countAlias, ColumnType::U64, false});
        result.rows.append(Row{n});
        break;
    }
    }
    if (plan.limit && quint64(result.rows.size()) > *plan.limit)
        result.rows.resize(qsizetype(*plan.limit));
    return result;
}

stdb::Expected<SqlQuery::DmlStats> SqlQuery::stage(Transaction &tx, const Database &db) const {
    DmlStats stats;
    const Plan &plan = *m_plan;
    if (m_kind == Kind::Insert) {
        for (const Row &row : plan.insertRows) {
            auto inserted = tx.insert(m_table, row);
            if (!inserted)
                return sqlError(inserted.error().message());
            ++stats.inserted;
        }
        return stats;
    }
    QList<const StoredRow *> hits;
    forEachTuple(plan, db, [&](const Tuple &t) { hits.append(t[0]); });
    for (const StoredRow *r : hits) {
        tx.deleteRow(m_table, r->rowId);
        if (m_kind == Kind::Delete) {
            ++stats.deleted;
            continue;
        }
        Row updated = r->values;
        for (const auto &[column, value] : plan.assignments)
            updated[column] = value;
        auto inserted = tx.insert(m_table, updated);
        if (!inserted)
            return sqlError(inserted.error().message());
        ++stats.updated;
    }
    return stats;
}

stdb::Expected<SqlQuery> SqlQuery::compileQuery(QStringView sql, const QList<TableSchema> &catalog,
                                                const SqlAuth &auth) {
    auto st = sql::Parser::parseSubscription(sql);
    if (!st)
        return st.error();
    auto plan = std::make_shared<Plan>();
    auto checked = finishSelect(*st, catalog, auth, true, *plan);
    if (!checked)
        return checked.error();
    SqlQuery q;
    q.m_kind = Kind::Select;
    q.m_table = plan->relvars[plan->returnRelvar].table;
    q.m_tableName = catalog[q.m_table].name;
    QString canonical = QString::number(plan->returnRelvar);
    for (qsizetype i = 0; i < plan->relvars.size(); ++i) {
        canonical += QStringLiteral("|%1").arg(plan->relvars[i].table);
        if (plan->on[i])
            canonical += u'@' + canonicalText(*plan->on[i]);
    }
    q.m_canonical = canonical + u'|' + (plan->where ? canonicalText(*plan->where) : QString());
    q.m_plan = plan;
    return q;
}

stdb::Expected<QList<SqlQuery>> SqlQuery::compileSubscription(QStringView sql,
                                                              const QList<TableSchema> &catalog,
                                                              const SqlAuth &auth) {
    const QStringView trimmed = sql.trimmed();
    if (trimmed.isEmpty())
        return sqlError(QStringLiteral("Empty string"));
    if (isAllTables(trimmed)) {
        QList<SqlQuery> all;
        for (qsizetype i = 0; i < catalog.size(); ++i) {
            if (!catalog[i].isPublic && !auth.owner)
                continue;
            auto plan = std::make_shared<Plan>();
            plan->relvars.append({catalog[i].name, int(i)});
            plan->on.append(nullptr);
            SqlQuery q;
            q.m_table = int(i);
            q.m_tableName = catalog[i].name;
            q.m_canonical = QStringLiteral("0|%1|").arg(i);
            q.m_plan = plan;
            all.append(q);
        }
        return all;
    }
    auto q = compileQuery(trimmed, catalog, auth);
    if (!q)
        return q.error();
    if (q->isJoin()) {
        // The server plans a join as an index join or refuses it: the joined table must have
        // an index on its join column (here: its primary key).
        const Plan &plan = *q->m_plan;
        if (plan.relvars.size() > 2)
            return sqlError(QStringLiteral("Invalid number of tables in subscription: %1")
                                .arg(plan.relvars.size()));
        const NodePtr &on = plan.on.value(1);
        bool indexed = false;
        if (on && on->kind == Node::Kind::Compare && on->op == sql::CompareOp::Eq) {
            for (const NodePtr &side : {on->left, on->right})
                if (side->kind == Node::Kind::Field && side->relvar == 1 &&
                    catalog[plan.relvars[1].table].primaryKey == side->column)
                    indexed = true;
        }
        if (!indexed)
            return sqlError(QStringLiteral("Subscriptions require indexes on join columns"));
    }
    return QList<SqlQuery>{*q};
}

stdb::Expected<SqlQuery> SqlQuery::compileSql(QStringView sql, const QList<TableSchema> &catalog,
                                              const SqlAuth &auth) {
    auto parsed = sql::Parser::parseSql(sql);
    if (!parsed)
        return parsed.error();
    auto plan = std::make_shared<Plan>();
    SqlQuery q;
    q.m_plan = plan;
    if (const auto *st = std::get_if<sql::Select>(&*parsed)) {
        auto checked = finishSelect(*st, catalog, auth, false, *plan);
        if (!checked)
            return checked.error();
        q.m_kind = Kind::Select;
        if (plan->projection == sql::Projection::Kind::Star ||
            plan->projection == sql::Projection::Kind::QualifiedStar) {
            q.m_table = plan->relvars[plan->returnRelvar].table;
            q.m_tableName = catalog[q.m_table].name;
        }
        return q;
    }
    // DML: the table, then its rows/assignments/filter, then the caller's right to write.
    QString table;
    if (const auto *ins = std::get_if<sql::Insert>(&*parsed))
        table = ins->table;
    else if (const auto *up = std::get_if<sql::Update>(&*parsed))
        table = up->table;
    else
        table = std::get<sql::Delete>(*parsed).table;
    const int t = readableTable(catalog, table, auth);
    if (t < 0)
        return noSuchTable(table);
    const TableSchema &schema = catalog[t];
    q.m_table = t;
    q.m_tableName = schema.name;
    plan->relvars.append({table, t});
    plan->on.append(nullptr);
    Scope scope{catalog, plan->relvars};
    Checker checker{scope, auth};
    auto literalFor = [&](const sql::Expr &lit, const ColumnDef &col) -> stdb::Expected<Value> {
        using LK = sql::Expr::LiteralKind;
        // A string or a bool only fits its own type; numbers and hex are read as the column's.
        if (lit.literal == LK::Bool) {
            if (!isBool(col))
                return unexpectedType(boolType(), col);
            return Value(lit.boolValue);
        }
        if (lit.literal == LK::String) {
            if (col.type != ColumnType::String || col.optional)
                return unexpectedType({QString(), ColumnType::String, false}, col);
            return Value(lit.text);
        }
        if (auto v = parseLiteral(lit.text, col))
            return *v;
        return invalidLiteral(lit.text, col);
    };
    if (const auto *ins = std::get_if<sql::Insert>(&*parsed)) {
        q.m_kind = Kind::Insert;
        const int ncols = int(schema.columns.size());
        if (ins->fieldCount != ncols)
            return sqlError(QStringLiteral("The number of fields (%1) in the INSERT does not "
                                           "match the number of columns (%2) of the table `%3`")
                                .arg(ins->fieldCount)
                                .arg(ncols)
                                .arg(schema.name));
        for (const QList<sql::ExprPtr> &values : ins->rows) {
            if (values.size() != ncols)
                return sqlError(QStringLiteral("Inserting a row with %1 values into `%2` which "
                                               "has %3 fields")
                                    .arg(values.size())
                                    .arg(schema.name)
                                    .arg(ncols));
            Row row;
            for (int i = 0; i < ncols; ++i) {
                auto v = literalFor(*values[i], schema.columns[i]);
                if (!v)
                    return v.error();
                row.append(*v);
            }
            plan->insertRows.append(row);
        }
    } else {
        sql::ExprPtr where;
        if (const auto *up = std::get_if<sql::Update>(&*parsed)) {
            q.m_kind = Kind::Update;
            for (const sql::Assignment &a : up->assignments) {
                const int col = schema.columnIndex(a.column);
                if (col < 0)
                    return sqlError(QStringLiteral("`%1` does not have a field `%2`")
                                        .arg(schema.name, a.column));
                auto v = literalFor(*a.value, schema.columns[col]);
                if (!v)
                    return v.error();
                plan->assignments.append({col, *v});
            }
            where = up->where;
        } else {
            q.m_kind = Kind::Delete;
            where = std::get<sql::Delete>(*parsed).where;
        }
        if (where) {
            auto typed = checker.type(where, boolType());
            if (!typed)
                return typed.error();
            plan->where = *typed;
        }
    }
    if (!auth.owner)
        return sqlError(QStringLiteral("Caller %1 is not authorized to run SQL DML statements")
                            .arg(auth.caller.toHex()));
    return q;
}

} // namespace host
