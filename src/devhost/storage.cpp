// SPDX-License-Identifier: Apache-2.0
#include "storage.h"

#include "database.h"
#include "hostlog.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

#include <atomic>

namespace host {

namespace {

QString quoted(const QString &identifier) {
    QString s = identifier;
    s.replace(u'"', QStringLiteral("\"\""));
    return u'"' + s + u'"';
}

QString sqlType(const ColumnDef &c) {
    switch (c.type) {
    case ColumnType::String:
    case ColumnType::Identity:
    case ColumnType::ConnectionId:
        return QStringLiteral("TEXT");
    default:
        return QStringLiteral("INTEGER");
    }
}

// A short description of the catalog; a data directory written for another schema is refused
// instead of being misread.
QString schemaFingerprint(const QList<TableSchema> &catalog) {
    QStringList parts;
    for (const TableSchema &t : catalog) {
        QStringList cols;
        for (const ColumnDef &c : t.columns)
            cols << c.name + u':' + typeName(c);
        parts << t.name + u'(' + cols.join(u',') + u')';
    }
    return parts.join(u';');
}

QVariant toSql(const ColumnDef &c, const Value &v) {
    // Rows are built by the module and well-typed; the get_if fallbacks only keep a bug from
    // turning into an exception.
    if (std::holds_alternative<std::monostate>(v))
        return QVariant(); // NULL = None
    if (const auto *b = std::get_if<bool>(&v))
        return *b ? 1 : 0;
    if (const auto *u = std::get_if<quint64>(&v))
        return qint64(*u); // SQLite integers are signed 64-bit; store the bit pattern
    if (const auto *i = std::get_if<qint64>(&v))
        return *i;
    if (const auto *s = std::get_if<QString>(&v))
        return *s;
    if (const auto *id = std::get_if<stdb::Identity>(&v))
        return id->toHex();
    if (const auto *cid = std::get_if<stdb::ConnectionId>(&v))
        return cid->toHex();
    if (const auto *ts = std::get_if<stdb::Timestamp>(&v))
        return ts->micros();
    Q_UNUSED(c);
    return QVariant();
}

// Reads one SQLite cell into `out` (a cell of the caller's row); false if it does not fit the
// column. Writing into the row in place instead of returning std::optional<Value> keeps GCC 12
// from reporting -Wmaybe-uninitialized on the variant temporary under -fsanitize=address.
bool fromSql(const ColumnDef &c, const QVariant &v, Value &out) {
    if (v.isNull()) {
        if (!c.optional)
            return false;
        out = std::monostate{};
        return true;
    }
    bool ok = true;
    switch (c.type) {
    case ColumnType::Bool: {
        const qint64 i = v.toLongLong(&ok);
        if (!ok || (i != 0 && i != 1))
            return false;
        out = (i == 1);
        return true;
    }
    case ColumnType::U64: {
        const qint64 i = v.toLongLong(&ok);
        if (!ok)
            return false;
        out = quint64(i);
        return true;
    }
    case ColumnType::String:
        out = v.toString();
        return true;
    case ColumnType::Identity: {
        const auto id = stdb::Identity::fromHex(v.toString(), &ok);
        if (!ok)
            return false;
        out = id;
        return true;
    }
    case ColumnType::ConnectionId: {
        const auto id = stdb::ConnectionId::fromHex(v.toString(), &ok);
        if (!ok)
            return false;
        out = id;
        return true;
    }
    case ColumnType::Timestamp: {
        const qint64 us = v.toLongLong(&ok);
        if (!ok)
            return false;
        out = stdb::Timestamp::fromMicros(us);
        return true;
    }
    default: {
        const qint64 i = v.toLongLong(&ok);
        if (!ok || !integerFits(c.type, i))
            return false;
        out = i;
        return true;
    }
    }
}

std::atomic<int> g_connectionCounter{0};

} // namespace

Storage::Storage()
    : m_connection(QStringLiteral("host-storage-%1").arg(++g_connectionCounter)) {}

Storage::~Storage() {
    close();
}

void Storage::close() {
    m_insert.clear();
    m_delete.clear();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool Storage::open(const QString &path, const QList<TableSchema> &catalog, QString *error) {
    m_catalog = catalog;
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid()) {
        *error = QStringLiteral("the Qt SQLite driver (QSQLITE) is not available");
        return false;
    }
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text());
        return false;
    }
    QSqlQuery q(m_db);
    auto exec = [&](const QString &sql) {
        if (!q.exec(sql)) {
            *error = QStringLiteral("%1: %2").arg(sql, q.lastError().text());
            return false;
        }
        return true;
    };
    // WAL + NORMAL: a commit survives a crash of this process (the OS has the pages), which is
    // what a development host needs, at a fraction of the cost of FULL.
    if (path != QLatin1String(":memory:")) {
        if (!exec(QStringLiteral("PRAGMA journal_mode=WAL")))
            return false;
    }
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL")) ||
        !exec(QStringLiteral("CREATE TABLE IF NOT EXISTS host_meta (key TEXT PRIMARY KEY, "
                             "value TEXT NOT NULL)")))
        return false;

    const QString fingerprint = schemaFingerprint(catalog);
    const QString stored = meta(QStringLiteral("schema"));
    if (!stored.isEmpty() && stored != fingerprint) {
        *error = QStringLiteral("%1 holds a database with another schema (%2)").arg(path, stored);
        return false;
    }

    for (const TableSchema &t : catalog) {
        QStringList cols{QStringLiteral("row_id INTEGER PRIMARY KEY")};
        QStringList names, params;
        for (const ColumnDef &c : t.columns) {
            cols << quoted(c.name) + u' ' + sqlType(c) +
                        (c.optional ? QString() : QStringLiteral(" NOT NULL"));
            names << quoted(c.name);
            params << QStringLiteral("?");
        }
        if (!exec(QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)")
                      .arg(quoted(t.name), cols.join(QStringLiteral(", ")))))
            return false;
        auto ins = std::make_shared<QSqlQuery>(m_db);
        auto del = std::make_shared<QSqlQuery>(m_db);
        if (!ins->prepare(QStringLiteral("INSERT INTO %1 (row_id, %2) VALUES (?, %3)")
                              .arg(quoted(t.name), names.join(u','), params.join(u','))) ||
            !del->prepare(QStringLiteral("DELETE FROM %1 WHERE row_id = ?").arg(quoted(t.name)))) {
            *error = QStringLiteral("cannot prepare statements for %1: %2")
                         .arg(t.name, ins->lastError().text() + del->lastError().text());
            return false;
        }
        m_insert.append(ins);
        m_delete.append(del);
    }
    if (stored.isEmpty() && !setMeta(QStringLiteral("schema"), fingerprint, error))
        return false;
    return true;
}

stdb::Expected<QList<Storage::LoadedRow>> Storage::load(int table) {
    const TableSchema &t = m_catalog[table];
    QStringList names;
    for (const ColumnDef &c : t.columns)
        names << quoted(c.name);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT row_id, %1 FROM %2 ORDER BY row_id")
                    .arg(names.join(u','), quoted(t.name))))
        return stdb::Error(
            stdb::Error::Kind::Internal,
            QStringLiteral("cannot read table %1: %2").arg(t.name, q.lastError().text()));
    QList<LoadedRow> rows;
    while (q.next()) {
        LoadedRow r;
        r.rowId = q.value(0).toLongLong();
        bool good = true;
        r.values.resize(t.columns.size());
        for (qsizetype i = 0; i < t.columns.size() && good; ++i)
            good = fromSql(t.columns[i], q.value(int(i) + 1), r.values[i]);
        if (!good) {
            qCWarning(lcDb).noquote()
                << "skipping unreadable row" << r.rowId << "of table" << t.name;
            continue;
        }
        rows.append(std::move(r));
    }
    return rows;
}

bool Storage::apply(const TxDelta &delta, QString *error) {
    if (!m_db.transaction()) {
        *error = QStringLiteral("cannot begin a transaction: %1").arg(m_db.lastError().text());
        return false;
    }
    auto fail = [&](QSqlQuery &q) {
        *error = q.lastError().text();
        m_db.rollback();
        return false;
    };
    for (const TableDelta &td : delta.tables) {
        const TableSchema &t = m_catalog[td.table];
        QSqlQuery &del = *m_delete[td.table];
        for (const StoredRow &row : td.deletes) {
            del.bindValue(0, row.rowId);
            if (!del.exec())
                return fail(del);
        }
        QSqlQuery &ins = *m_insert[td.table];
        for (const StoredRow &row : td.inserts) {
            ins.bindValue(0, row.rowId);
            for (qsizetype i = 0; i < t.columns.size(); ++i)
                ins.bindValue(int(i) + 1, toSql(t.columns[i], row.values.value(i)));
            if (!ins.exec())
                return fail(ins);
        }
    }
    if (!m_db.commit()) {
        *error = QStringLiteral("commit failed: %1").arg(m_db.lastError().text());
        m_db.rollback();
        return false;
    }
    return true;
}

QString Storage::meta(const QString &key) const {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM host_meta WHERE key = ?"));
    q.bindValue(0, key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

bool Storage::setMeta(const QString &key, const QString &value, QString *error) {
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO host_meta (key, value) VALUES (?, ?)"));
    q.bindValue(0, key);
    q.bindValue(1, value);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

} // namespace host
