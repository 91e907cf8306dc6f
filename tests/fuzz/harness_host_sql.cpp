// SPDX-License-Identifier: Apache-2.0
// SQL text through the local host's parser (host::sql::Parser) and query compiler
// (host::SqlQuery) against quickstart-chat's catalog, plus a table with every column type and a
// private one, the way the host treats a Subscribe (query strings separated by form feeds,
// duplicates dropped by canonical text) and a /sql statement. Accepted: every query string
// compiles as a subscription or as /sql.

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

} // namespace

bool hostSql(QByteArrayView input) {
    static const QList<TableSchema> tables = catalog();
    static const QList<QList<Row>> samples = sampleRows();
    const SqlAuth anyone{identity('1'), false};
    const SqlAuth owner{identity('0'), true};

    // Form feeds separate the query strings of one Subscribe; each is also tried as /sql.
    const QStringList queries = QString::fromUtf8(input).split(u'\f');
    QHash<QString, SqlQuery> seen;
    bool all = true;
    for (const QString &text : queries) {
        const auto subscription = SqlQuery::compileSubscription(text, tables, anyone);
        const auto query = SqlQuery::compileQuery(text, tables, anyone);
        const auto statement = SqlQuery::compileSql(text, tables, anyone);
        FUZZ_CHECK(!query || statement, "/sql refuses a query the subscription language takes");
        FUZZ_CHECK(!statement || !statement->isDml(), "DML compiled for a caller who is not the "
                                                      "owner");
        FUZZ_CHECK(!subscription || SqlQuery::compileSubscription(text, tables, owner),
                   "the owner may subscribe to less than anyone");
        if (statement && statement->tableIndex() >= 0)
            FUZZ_CHECK(tables[statement->tableIndex()].name == statement->tableName(),
                       "wrong table name");
        if (!subscription) {
            all = all && bool(statement);
            continue;
        }
        for (const SqlQuery &q : *subscription) {
            FUZZ_CHECK(q.tableIndex() >= 0 && q.tableIndex() < tables.size(), "table out of range");
            FUZZ_CHECK(tables[q.tableIndex()].name == q.tableName(), "wrong table name");
            if (q.isJoin())
                continue;
            const QList<Row> &rows = samples[q.tableIndex()];
            for (const Row &row : rows)
                (void)q.matches(row);
            // Queries of one Subscribe with equal canonical text count once, so they must
            // select the same rows.
            const auto first = seen.constFind(q.canonical());
            if (first == seen.cend()) {
                seen.insert(q.canonical(), q);
                continue;
            }
            for (const Row &row : rows)
                FUZZ_CHECK(q.matches(row) == first->matches(row),
                           "two queries with the same canonical text select different rows");
        }
    }
    return all;
}

} // namespace fuzz
