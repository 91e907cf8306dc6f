// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storage.h"
#include "value.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>

#include <optional>

namespace host {

struct StoredRow {
    qint64 rowId = 0;
    Row values;
    QByteArray bytes; // BSATN, what goes on the wire
};

// One table's committed rows. Tables are sets (an identical row is stored once), like
// SpacetimeDB's; the primary key, if any, is unique.
struct Table {
    TableSchema schema;
    QMap<qint64, StoredRow> rows;      // by row id = insertion order
    QHash<QByteArray, qint64> byBytes; // row BSATN -> row id
    QHash<QByteArray, qint64> byKey;   // primary-key BSATN -> row id
    qint64 nextRowId = 1;
};

// What one committed transaction changed, per table. Deleting a row and inserting the same
// row again in one transaction cancels out, as in SpacetimeDB.
struct TableDelta {
    int table = -1;
    QList<StoredRow> inserts;
    QList<StoredRow> deletes;
};
struct TxDelta {
    QList<TableDelta> tables;
    bool isEmpty() const;
};

class Database;

// Changes staged by one reducer. Nothing touches the database until Database::commit, so a
// failing reducer simply drops its Transaction.
class Transaction {
public:
    explicit Transaction(const Database &db);

    std::optional<Row> findByKey(int table, const Value &key) const;
    // Fails on a duplicate primary key.
    stdb::Expected<bool> insert(int table, Row row);
    bool deleteByKey(int table, const Value &key);
    // Deletes a committed row (tables without a primary key, SQL DML).
    void deleteRow(int table, qint64 rowId);
    // Replaces the row with the same primary key; false if there is none.
    bool updateByKey(int table, Row row);
    // Every committed-or-staged row of a table (for whole-table updates).
    QList<Row> scan(int table) const;

    struct Staged {
        QSet<qint64> deleted;
        QList<Row> inserted;
    };
    const QHash<int, Staged> &changes() const { return m_changes; }

private:
    const Database &m_db;
    QHash<int, Staged> m_changes;
};

class Database {
public:
    explicit Database(QList<TableSchema> catalog);

    // Opens SQLite at `path` (":memory:" for none) and loads every row.
    bool open(const QString &path, QString *error);
    Storage &storage() { return m_storage; }

    const QList<TableSchema> &catalog() const { return m_catalog; }
    int tableIndex(QStringView name) const;
    const Table &table(int index) const { return m_tables[index]; }
    int tableCount() const { return int(m_tables.size()); }

    static QByteArray keyBytes(const TableSchema &schema, const Value &key);

    // Persists and applies the transaction; on a storage failure nothing changes.
    stdb::Expected<TxDelta> commit(const Transaction &tx);

private:
    QList<TableSchema> m_catalog;
    QList<Table> m_tables;
    Storage m_storage;
};

} // namespace host
