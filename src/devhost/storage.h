// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "value.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlQuery;

namespace host {

struct TxDelta;

// Durable rows in SQLite via Qt SQL: one SQLite table per module table (typed columns, plus a
// row_id) and a small key/value meta table. Identities are stored as hex text so the file
// stays readable with the sqlite3 shell.
class Storage {
public:
    Storage();
    ~Storage();
    Storage(const Storage &) = delete;
    Storage &operator=(const Storage &) = delete;

    // path: a file name, or ":memory:" for a throw-away database.
    bool open(const QString &path, const QList<TableSchema> &catalog, QString *error);
    void close();
    bool isOpen() const { return m_db.isOpen(); }

    struct LoadedRow {
        qint64 rowId = 0;
        Row values;
    };
    // Rows that do not fit the schema are skipped with a warning, not fatal.
    stdb::Expected<QList<LoadedRow>> load(int table);

    // Applies one committed transaction atomically (BEGIN … COMMIT, ROLLBACK on failure).
    bool apply(const TxDelta &delta, QString *error);

    QString meta(const QString &key) const;
    bool setMeta(const QString &key, const QString &value, QString *error);

private:
    QString m_connection;
    QSqlDatabase m_db;
    QList<TableSchema> m_catalog;
    // Prepared per table: insert, delete.
    QList<std::shared_ptr<QSqlQuery>> m_insert;
    QList<std::shared_ptr<QSqlQuery>> m_delete;
};

} // namespace host
