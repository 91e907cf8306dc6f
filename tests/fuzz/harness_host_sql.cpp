// SQL text through the local host's parser (host::sql::Parser) and query compiler
// (host::SqlQuery) against quickstart-chat's catalog, plus a table with every column type and a
// private one, the way the host treats a Subscribe (every statement one query of the set,
// duplicates dropped by canonical text) and a /sql script.

#include "harness.h"

#include "chatmodule.h"
#include "sqlparser.h"
#include "sqlquery.h"

#include <QHash>

using namespace host;

namespace fuzz {

namespace {

QList<TableSchema> catalog() {
    QList<TableSchema> c = ChatModule::catalog();
    TableSchema all;
    all.name = QStringLiteral("every_type");
    all.columns = {
        {QStringLiteral("b"), ColumnType::Bool},
        {QStringLiteral("i8"), ColumnType::I8},
        {QStringLiteral("u8"), ColumnType::U8},
        {QStringLiteral("i16"), ColumnType::I16},
        {QStringLiteral("u16"), ColumnType::U16},
        {QStringLiteral("i32"), ColumnType::I32},
        {QStringLiteral("u32"), ColumnType::U32},
        {QStringLiteral("i64"), ColumnType::I64},
        {QStringLiteral("u64"), ColumnType::U64},
        {QStringLiteral("s"), ColumnType::String},
        {QStringLiteral("id"), ColumnType::Identity},
        {QStringLiteral("conn"), ColumnType::ConnectionId},
        {QStringLiteral("ts"), ColumnType::Timestamp},
        {QStringLiteral("oi32"), ColumnType::I32, true},
        {QStringLiteral("os"), ColumnType::String, true},
        {QStringLiteral("ob"), ColumnType::Bool, true},
    };
    all.primaryKey = 7;
    c.append(all);
    TableSchema secret;
    secret.name = QStringLiteral("secret");
    secret.columns = {{QStringLiteral("x"), ColumnType::U32}};
    secret.isPublic = false;
    c.append(secret);
    return c;
}

stdb::Identity identity(char digit) {
    return stdb::Identity::fromHex(QString(64, QLatin1Char(digit)));
}

// A few rows per table (by catalog index) with edge values.
QList<QList<Row>> sampleRows() {
    const stdb::ConnectionId conn = stdb::ConnectionId::fromHex(QString(32, u'a'));
    const Value none{std::monostate{}};
    return {
        {
            {identity('0'), QStringLiteral("alice"), true},
            {identity('f'), none, false},
        },
        {
            {identity('0'), stdb::Timestamp::fromMicros(1704067200000000), QStringLiteral("hi")},
            {identity('1'), stdb::Timestamp::fromMicros(-1), QString()},
        },
        {
            {false, qint64(-128), qint64(0), qint64(-32768), qint64(0), qint64(INT32_MIN),
             qint64(0), qint64(INT64_MIN), quint64(0), QString(), identity('0'),
             stdb::ConnectionId(), stdb::Timestamp::fromMicros(0), none, none, none},
            {true, qint64(127), qint64(255), qint64(32767), qint64(65535), qint64(INT32_MAX),
             qint64(UINT32_MAX), qint64(INT64_MAX), quint64(UINT64_MAX), QStringLiteral("é ✓"),
             identity('f'), conn, stdb::Timestamp::fromMicros(INT64_MAX), qint64(-1),
             QStringLiteral("x"), true},
        },
        {{qint64(7)}},
    };
}

void collectLiterals(const sql::Operand &o, QList<sql::Literal> &out) {
    if (const auto *lit = std::get_if<sql::Literal>(&o))
        out.append(*lit);
}

void collectLiterals(const sql::Expr *e, QList<sql::Literal> &out, int depth = 0) {
    if (!e || depth > 2 * sql::Parser::kMaxDepth || out.size() >= 16)
        return;
    collectLiterals(e->lhs, out);
    collectLiterals(e->rhs, out);
    collectLiterals(e->left.get(), out, depth + 1);
    collectLiterals(e->right.get(), out, depth + 1);
}

// Rows that put the query's own literals into every column of a fitting type, so that two
// queries claiming to be the same (equal canonical text) are compared where they could differ.
QList<Row> literalRows(const TableSchema &t, const Row &base, const QList<sql::Literal> &lits) {
    QList<Row> rows;
    for (const sql::Literal &lit : lits) {
        Row r = base;
        bool changed = false;
        for (qsizetype c = 0; c < t.columns.size() && c < r.size(); ++c) {
            const ColumnType type = t.columns[c].type;
            if (lit.kind == sql::Literal::Kind::String && type == ColumnType::String) {
                r[c] = lit.text;
                changed = true;
            } else if (lit.kind == sql::Literal::Kind::Bool && type == ColumnType::Bool) {
                r[c] = lit.boolValue;
                changed = true;
            } else if (lit.kind == sql::Literal::Kind::Integer && isIntegerType(type)) {
                bool ok = false;
                const qint64 v = lit.text.toLongLong(&ok);
                if (ok && type != ColumnType::U64 && integerFits(type, v)) {
                    r[c] = v;
                    changed = true;
                } else if (ok && type == ColumnType::U64 && v >= 0) {
                    r[c] = quint64(v);
                    changed = true;
                }
            }
        }
        if (changed)
            rows.append(r);
    }
    return rows;
}

} // namespace

bool hostSql(QByteArrayView input) {
    static const QList<TableSchema> tables = catalog();
    static const QList<QList<Row>> samples = sampleRows();
    const QString sql = QString::fromUtf8(input);

    // A Subscribe with this one query string, and the same text as a /sql script.
    const auto subscription = SqlQuery::compileSubscription(sql, tables);
    const auto script = SqlQuery::compileScript(sql, tables);
    const auto statements = sql::Parser::parseScript(sql);
    if (!statements) {
        FUZZ_CHECK(!script, "compileScript accepted what the parser rejects");
        return bool(subscription); // SELECT * FROM * is recognised before parsing
    }

    // Every statement as one query of a Subscribe: duplicates by canonical text are dropped,
    // so queries with equal canonical text must select the same rows.
    QList<sql::Literal> literals;
    for (const sql::SelectStatement &st : *statements)
        collectLiterals(st.where.get(), literals);
    QHash<QString, SqlQuery> seen;
    bool all = true;
    for (const sql::SelectStatement &st : *statements) {
        const auto q = SqlQuery::compile(st, tables);
        if (!q) {
            all = false;
            continue;
        }
        FUZZ_CHECK(q->tableIndex() >= 0 && q->tableIndex() < tables.size(), "table out of range");
        FUZZ_CHECK(tables[q->tableIndex()].name == q->tableName(), "wrong table name");
        const QList<Row> &base = samples[q->tableIndex()];
        for (const Row &row : base)
            (void)q->matches(row);
        const auto first = seen.constFind(q->canonical());
        if (first == seen.cend()) {
            seen.insert(q->canonical(), *q);
            continue;
        }
        QList<Row> rows = base;
        rows += literalRows(tables[q->tableIndex()], base.front(), literals);
        for (const Row &row : std::as_const(rows))
            FUZZ_CHECK(q->matches(row) == first->matches(row),
                       "two queries with the same canonical text select different rows");
    }
    FUZZ_CHECK(bool(script) == all, "compileScript disagrees with compiling each statement");
    if (script)
        FUZZ_CHECK(script->size() == statements->size(), "compileScript lost a statement");
    return all || subscription;
}

} // namespace fuzz
