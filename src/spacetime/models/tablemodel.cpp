// SPDX-License-Identifier: Apache-2.0
#include "spacetime/models/tablemodel.h"

#include "spacetime/cache/tablecache.h"
#include "spacetime/connection/tablehandle.h"

#include <QHash>
#include <QPointer>

#include <algorithm>

namespace stdb {

class TableModelPrivate {
public:
    struct Row {
        QByteArray key;
        QVariant value;
    };

    QPointer<TableHandle> table;
    QList<QByteArray> columns;
    QList<Row> rows;
    QHash<QByteArray, int> positions; // key -> index into rows
    int displayColumn = 0;

    QByteArray keyOf(QByteArrayView bytes) const {
        const TableCache *cache = table ? table->cache() : nullptr;
        if (cache && cache->hasPrimaryKey()) {
            const QByteArrayView pk = cache->primaryKeyOf(bytes);
            if (!pk.isNull())
                return pk.toByteArray();
        }
        return bytes.toByteArray();
    }
    int find(QByteArrayView key) const {
        return positions.value(QByteArray::fromRawData(key.data(), key.size()), -1);
    }
    void reindex(int from) {
        for (int i = qMax(0, from); i < rows.size(); ++i)
            positions.insert(rows[i].key, i);
    }
};

TableModel::TableModel(TableHandle *table, QList<QByteArray> columns, QObject *parent)
    : QAbstractListModel(parent)
    , d(std::make_unique<TableModelPrivate>()) {
    d->table = table;
    d->columns = std::move(columns);
    if (!table)
        return;
    // rawChanges comes once per message after the cache holds all of it, with every deleted,
    // updated and inserted row of this table: one batch of model signals per message.
    connect(table, &TableHandle::rawChanges, this,
            [this](const TableDelta &delta, const EventContext &) { apply(delta); });
    connect(table, &QObject::destroyed, this, &TableModel::tableDestroyed);
}

TableModel::~TableModel() = default;

TableHandle *TableModel::tableHandle() const {
    return d->table;
}

const QList<QByteArray> &TableModel::columnNames() const {
    return d->columns;
}

int TableModel::roleForColumn(const QString &name) const {
    const int i = int(d->columns.indexOf(name.toUtf8()));
    return i < 0 ? -1 : FirstColumnRole + i;
}

int TableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(d->rows.size());
}

QVariant TableModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariant &row = d->rows[index.row()].value;
    if (role == RowRole)
        return row;
    if (role == Qt::DisplayRole)
        return d->displayColumn < tableColumnCount() ? columnValue(row, d->displayColumn)
                                                     : QVariant();
    const int column = role - FirstColumnRole;
    if (column < 0 || column >= tableColumnCount())
        return {};
    return columnValue(row, column);
}

QHash<int, QByteArray> TableModel::roleNames() const {
    QHash<int, QByteArray> names{{Qt::DisplayRole, QByteArrayLiteral("display")}};
    // A column called "row" keeps its name; the whole row is then reachable by rowValue().
    if (!d->columns.contains(QByteArrayLiteral("row")))
        names.insert(RowRole, QByteArrayLiteral("row"));
    for (int i = 0; i < tableColumnCount(); ++i)
        names.insert(FirstColumnRole + i, d->columns[i]);
    return names;
}

QVariant TableModel::rowValue(int row) const {
    return row >= 0 && row < d->rows.size() ? d->rows[row].value : QVariant();
}

QVariantMap TableModel::get(int row) const {
    QVariantMap out;
    if (row < 0 || row >= d->rows.size())
        return out;
    for (int i = 0; i < tableColumnCount(); ++i)
        out.insert(QString::fromUtf8(d->columns[i]), columnValue(d->rows[row].value, i));
    return out;
}

int TableModel::displayColumn() const {
    return d->displayColumn;
}

void TableModel::setDisplayColumn(int column) {
    if (column == d->displayColumn || column < 0 || column >= tableColumnCount())
        return;
    d->displayColumn = column;
    if (!d->rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(d->rows.size()) - 1), {Qt::DisplayRole});
    Q_EMIT displayColumnChanged();
}

const QVariant &TableModel::storedRow(int row) const {
    return d->rows.at(row).value;
}

int TableModel::rowOfKey(QByteArrayView key) const {
    return d->find(key);
}

void TableModel::reload() {
    const int before = int(d->rows.size());
    beginResetModel();
    d->rows.clear();
    d->positions.clear();
    if (d->table && d->table->cache()) {
        d->rows.reserve(d->table->count());
        d->table->cache()->forEach([this](const RowEntry &entry) {
            QVariant value = decode(entry.bytes());
            if (!value.isValid())
                return;
            QByteArray key = d->keyOf(entry.bytes());
            d->positions.insert(key, int(d->rows.size()));
            d->rows.append({std::move(key), std::move(value)});
        });
    }
    endResetModel();
    if (before != d->rows.size())
        Q_EMIT countChanged();
}

void TableModel::apply(const TableDelta &delta) {
    const int before = int(d->rows.size());

    // Deletes: highest first, adjacent rows in one range, positions fixed up once at the end.
    QList<int> gone;
    gone.reserve(delta.deleted.size());
    for (const RowEntry *entry : delta.deleted) {
        const QByteArray key = d->keyOf(entry->bytes());
        const int pos = d->find(key);
        if (pos >= 0) {
            gone.append(pos);
            d->positions.remove(key);
        }
    }
    std::sort(gone.begin(), gone.end(), std::greater<int>());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    for (qsizetype i = 0; i < gone.size();) {
        const int last = gone[i];
        int first = last;
        while (++i < gone.size() && gone[i] == first - 1)
            first = gone[i];
        beginRemoveRows({}, first, last);
        d->rows.remove(first, last - first + 1);
        endRemoveRows();
    }
    if (!gone.isEmpty())
        d->reindex(gone.last());

    // Updates keep their position; only the roles whose value changed are reported.
    QList<std::pair<QByteArray, QVariant>> added;
    auto update = [this](int pos, QByteArray key, QVariant value) {
        TableModelPrivate::Row &row = d->rows[pos];
        const QList<int> columns = changedColumns(row.value, value);
        if (row.key != key) {
            d->positions.remove(row.key);
            d->positions.insert(key, pos);
            row.key = std::move(key);
        }
        row.value = std::move(value);
        if (columns.isEmpty())
            return;
        QList<int> roles{RowRole};
        for (int c : columns) {
            roles.append(FirstColumnRole + c);
            if (c == d->displayColumn)
                roles.append(Qt::DisplayRole);
        }
        Q_EMIT dataChanged(index(pos), index(pos), roles);
    };
    for (const auto &[oldEntry, newEntry] : delta.updated) {
        QVariant value = decode(newEntry->bytes());
        if (!value.isValid())
            continue;
        const int pos = d->find(d->keyOf(oldEntry->bytes()));
        if (pos >= 0)
            update(pos, d->keyOf(newEntry->bytes()), std::move(value));
        else // its old row did not decode, so it was never shown
            added.append({d->keyOf(newEntry->bytes()), std::move(value)});
    }

    // Inserts: appended in the server's order, in one range.
    for (const RowEntry *entry : delta.inserted) {
        QVariant value = decode(entry->bytes());
        if (value.isValid())
            added.append({d->keyOf(entry->bytes()), std::move(value)});
    }
    QList<TableModelPrivate::Row> fresh;
    for (auto &[key, value] : added) {
        const int pos = d->find(key);
        if (pos >= 0) // the cache never does this; stay consistent if it did
            update(pos, std::move(key), std::move(value));
        else
            fresh.append({std::move(key), std::move(value)});
    }
    if (!fresh.isEmpty()) {
        const int first = int(d->rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        for (TableModelPrivate::Row &row : fresh) {
            d->positions.insert(row.key, int(d->rows.size()));
            d->rows.append(std::move(row));
        }
        endInsertRows();
    }
    if (before != d->rows.size())
        Q_EMIT countChanged();
}

void TableModel::tableDestroyed() {
    if (d->rows.isEmpty())
        return;
    beginResetModel();
    d->rows.clear();
    d->positions.clear();
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace stdb
