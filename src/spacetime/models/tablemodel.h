// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include <QAbstractListModel>
#include <QByteArrayView>
#include <QList>
#include <QVariant>
#include <QVariantMap>

#include <memory>

namespace stdb {

class TableHandle;
class TableModelPrivate;
struct TableDelta;

// A live list model of one table's cached rows: one row per cached row, one role per column
// (named after the generated row's C++ field), plus RowRole with the whole row (a Q_GADGET)
// and Qt::DisplayRole with the column displayColumn as text. It follows the table handle:
//   rows the server inserts   beginInsertRows/endInsertRows, appended in the server's order
//   rows it deletes           beginRemoveRows/endRemoveRows (adjacent rows in one range)
//   rows it updates (primary  dataChanged for that row with the roles whose value changed;
//   key tables)               the row keeps its position
// Subscription applies, unsubscribes and the resync after a reconnect arrive as such changes
// too, so the model always equals the cache. Rows cached when the model is made come first, in
// the cache's (unspecified) order. Sort or filter with a QSortFilterProxyModel on a column role.
//
// The generated <Table>Model classes derive from it: they decode rows and name the columns.
class STDB_EXPORT TableModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(
        int displayColumn READ displayColumn WRITE setDisplayColumn NOTIFY displayColumnChanged)
public:
    enum : int {
        RowRole = Qt::UserRole,            // the whole row: QVariant with the generated gadget
        FirstColumnRole = Qt::UserRole + 1 // column i has role FirstColumnRole + i
    };

    ~TableModel() override;

    // The table it follows; null once the handle is gone (the model is empty then).
    TableHandle *tableHandle() const;
    // The columns' names (the roles' names, C++ field names), in column order.
    const QList<QByteArray> &columnNames() const;
    // The table's column count (not columnCount(), which would hide the list model's own:
    // a list model has one column, each table column is a role).
    int tableColumnCount() const { return int(columnNames().size()); }
    // The role of a column by name, or -1.
    Q_INVOKABLE int roleForColumn(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The whole row at `row` (the generated gadget in a QVariant); invalid when out of range.
    Q_INVOKABLE QVariant rowValue(int row) const;
    // Every role of `row` by name (for QML code outside a delegate); empty when out of range.
    Q_INVOKABLE QVariantMap get(int row) const;

    // The column Qt::DisplayRole shows (default 0), for views without a delegate.
    int displayColumn() const;
    void setDisplayColumn(int column);

Q_SIGNALS:
    void countChanged();
    void displayColumnChanged();

protected:
    // `columns` names the roles. The subclass calls reload() at the end of its constructor
    // (decoding is virtual, so the base cannot load rows itself).
    TableModel(TableHandle *table, QList<QByteArray> columns, QObject *parent);

    // Replaces every row with what the cache holds now (one model reset).
    void reload();
    // The row `bytes` decoded into a QVariant holding the generated row; an invalid QVariant
    // when the bytes do not decode (the table handle has logged why; the row is left out).
    virtual QVariant decode(QByteArrayView bytes) const = 0;
    // Column `column` of a decoded row, converted for QML (stdb::QmlValue).
    virtual QVariant columnValue(const QVariant &row, int column) const = 0;
    // The columns whose value differs between two decoded rows.
    virtual QList<int> changedColumns(const QVariant &oldRow, const QVariant &newRow) const = 0;
    // The decoded row at `row` (0 <= row < rowCount()), for the typed accessors.
    const QVariant &storedRow(int row) const;
    // The position of the row with the given key bytes (the primary key's BSATN for primary
    // key tables, the whole row's otherwise), or -1.
    int rowOfKey(QByteArrayView key) const;

private:
    void apply(const TableDelta &delta);
    void tableDestroyed();

    std::unique_ptr<TableModelPrivate> d;
};

} // namespace stdb
