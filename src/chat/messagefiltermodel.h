// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSortFilterProxyModel>

namespace chat {

// Find-in-conversation: keeps messages whose text or sender name contains the search text,
// case-insensitively. An empty search shows everything.
class MessageFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
public:
    explicit MessageFilterModel(QObject *parent = nullptr);

    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);

    // Older history goes in at the top, but Qt's stock views fetch more when their last row
    // shows (always, in a chat): they must not load history on their own. The views ask the
    // MessageModel underneath when their first row shows (see MessageModel::canFetchMore).
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}

signals:
    void searchTextChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_search;
};

} // namespace chat
