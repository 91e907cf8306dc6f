// SPDX-License-Identifier: Apache-2.0
#include "database.h"

#include "hostlog.h"

namespace host {

bool TxDelta::isEmpty() const {
    for (const TableDelta &t : tables)
        if (!t.inserts.isEmpty() || !t.deletes.isEmpty())
            return false;
    return true;
}

// ---- Transaction ------------------------------------------------------------------------

Transaction::Transaction(const Database &db)
    : m_db(db) {}

std::optional<Row> Transaction::findByKey(int table, const Value &key) const {
    const Table &t = m_db.table(table);
    const int pk = t.schema.primaryKey;
    if (pk < 0)
        return std::nullopt;
    const auto staged = m_changes.constFind(table);
    if (staged != m_changes.cend()) {
        for (const Row &r : staged->inserted)
            if (compareValues(r.value(pk), key) == 0)
                return r;
    }
    const auto it = t.byKey.constFind(Database::keyBytes(t.schema, key));
    if (it == t.byKey.cend())
        return std::nullopt;
    if (staged != m_changes.cend() && staged->deleted.contains(*it))
        return std::nullopt;
    return t.rows.value(*it).values;
}

stdb::Expected<bool> Transaction::insert(int table, Row row) {
    const TableSchema &schema = m_db.table(table).schema;
    if (row.size() != schema.columns.size())
        return stdb::Error(stdb::Error::Kind::Internal,
                           QStringLiteral("row for `%1` has %2 values, expected %3")
                               .arg(schema.name)
                               .arg(row.size())
                               .arg(schema.columns.size()));
    if (schema.primaryKey >= 0 && findByKey(table, row[schema.primaryKey]))
        return stdb::Error(stdb::Error::Kind::Internal,
                           QStringLiteral("duplicate primary key %1 in table `%2`")
                               .arg(valueToDisplay(row[schema.primaryKey]), schema.name));
    m_changes[table].inserted.append(std::move(row));
    return true;
}

bool Transaction::deleteByKey(int table, const Value &key) {
    const Table &t = m_db.table(table);
    const int pk = t.schema.primaryKey;
    if (pk < 0)
        return false;
    Staged &staged = m_changes[table];
    for (qsizetype i = 0; i < staged.inserted.size(); ++i) {
        if (compareValues(staged.inserted[i].value(pk), key) == 0) {
            staged.inserted.removeAt(i);
            return true;
        }
    }
    const auto it = t.byKey.constFind(Database::keyBytes(t.schema, key));
    if (it == t.byKey.cend() || staged.deleted.contains(*it))
        return false;
    staged.deleted.insert(*it);
    return true;
}

void Transaction::deleteRow(int table, qint64 rowId) {
    m_changes[table].deleted.insert(rowId);
}

bool Transaction::updateByKey(int table, Row row) {
    const int pk = m_db.table(table).schema.primaryKey;
    if (pk < 0 || pk >= row.size() || !deleteByKey(table, row[pk]))
        return false;
    m_changes[table].inserted.append(std::move(row));
    return true;
}

QList<Row> Transaction::scan(int table) const {
    const Table &t = m_db.table(table);
    const auto staged = m_changes.constFind(table);
    QList<Row> out;
    for (const StoredRow &r : t.rows)
        if (staged == m_changes.cend() || !staged->deleted.contains(r.rowId))
            out.append(r.values);
    if (staged != m_changes.cend())
        out.append(staged->inserted);
    return out;
}

// ---- Database ---------------------------------------------------------------------------

Database::Database(QList<TableSchema> catalog)
    : m_catalog(std::move(catalog)) {
    for (const TableSchema &s : m_catalog) {
        Table t;
        t.schema = s;
        m_tables.append(t);
    }
}

int Database::tableIndex(QStringView name) const {
    for (qsizetype i = 0; i < m_catalog.size(); ++i)
        if (m_catalog[i].name == name)
            return int(i);
    return -1;
}

QByteArray Database::keyBytes(const TableSchema &schema, const Value &key) {
    stdb::BsatnWriter w;
    encodeValue(w, schema.columns[schema.primaryKey], key);
    return w.take();
}

bool Database::open(const QString &path, QString *error) {
    if (!m_storage.open(path, m_catalog, error))
        return false;
    for (qsizetype i = 0; i < m_tables.size(); ++i) {
        auto rows = m_storage.load(int(i));
        if (!rows) {
            *error = rows.error().message();
            return false;
        }
        Table &t = m_tables[i];
        for (Storage::LoadedRow &lr : *rows) {
            StoredRow sr;
            sr.rowId = lr.rowId;
            sr.values = std::move(lr.values);
            sr.bytes = encodeRow(t.schema.columns, sr.values);
            if (t.byBytes.contains(sr.bytes))
                continue; // a duplicate cannot arise from this host; ignore it if it does
            t.byBytes.insert(sr.bytes, sr.rowId);
            if (t.schema.primaryKey >= 0)
                t.byKey.insert(keyBytes(t.schema, sr.values[t.schema.primaryKey]), sr.rowId);
            t.nextRowId = qMax(t.nextRowId, sr.rowId + 1);
            t.rows.insert(sr.rowId, std::move(sr));
        }
        qCInfo(lcDb).noquote() << "table" << t.schema.name << "loaded with" << t.rows.size()
                               << "rows";
    }
    return true;
}

stdb::Expected<TxDelta> Database::commit(const Transaction &tx) {
    TxDelta delta;
    for (auto it = tx.changes().cbegin(); it != tx.changes().cend(); ++it) {
        const Table &t = m_tables[it.key()];
        TableDelta td;
        td.table = it.key();
        QHash<QByteArray, qsizetype> deletedByBytes; // index into td.deletes
        for (qint64 id : it->deleted) {
            const StoredRow &sr = t.rows[id];
            deletedByBytes.insert(sr.bytes, td.deletes.size());
            td.deletes.append(sr);
        }
        QSet<qsizetype> cancelled;
        QSet<QByteArray> insertedBytes;
        qint64 nextId = t.nextRowId;
        for (const Row &r : it->inserted) {
            const QByteArray bytes = encodeRow(t.schema.columns, r);
            const auto del = deletedByBytes.constFind(bytes);
            if (del != deletedByBytes.cend() && !cancelled.contains(*del)) {
                cancelled.insert(*del); // deleted and re-inserted unchanged: no change at all
                continue;
            }
            if (insertedBytes.contains(bytes))
                continue; // set semantics
            const auto existing = t.byBytes.constFind(bytes);
            if (existing != t.byBytes.cend() && !it->deleted.contains(*existing))
                continue;
            insertedBytes.insert(bytes);
            td.inserts.append(StoredRow{nextId++, r, bytes});
        }
        if (!cancelled.isEmpty()) {
            QList<StoredRow> kept;
            for (qsizetype i = 0; i < td.deletes.size(); ++i)
                if (!cancelled.contains(i))
                    kept.append(td.deletes[i]);
            td.deletes = kept;
        }
        if (td.inserts.isEmpty() && td.deletes.isEmpty())
            continue;
        delta.tables.append(td);
    }
    // Keep table order stable (catalog order) so updates list tables predictably.
    std::sort(delta.tables.begin(), delta.tables.end(),
              [](const TableDelta &a, const TableDelta &b) { return a.table < b.table; });
    if (delta.isEmpty())
        return delta;

    QString error;
    if (!m_storage.apply(delta, &error))
        return stdb::Error(stdb::Error::Kind::Internal,
                           QStringLiteral("storage failure: %1").arg(error));

    for (const TableDelta &td : delta.tables) {
        Table &t = m_tables[td.table];
        for (const StoredRow &sr : td.deletes) {
            t.byBytes.remove(sr.bytes);
            if (t.schema.primaryKey >= 0)
                t.byKey.remove(keyBytes(t.schema, sr.values[t.schema.primaryKey]));
            t.rows.remove(sr.rowId);
        }
        for (const StoredRow &sr : td.inserts) {
            t.byBytes.insert(sr.bytes, sr.rowId);
            if (t.schema.primaryKey >= 0)
                t.byKey.insert(keyBytes(t.schema, sr.values[t.schema.primaryKey]), sr.rowId);
            t.rows.insert(sr.rowId, sr);
            t.nextRowId = qMax(t.nextRowId, sr.rowId + 1);
        }
    }
    return delta;
}

} // namespace host
