// SPDX-License-Identifier: Apache-2.0
#include "chat/messagefiltermodel.h"

#include "chat/messagemodel.h"

namespace chat {

MessageFilterModel::MessageFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent) {}

void MessageFilterModel::setSearchText(const QString &text) {
    if (text == m_search)
        return;
    m_search = text;
    invalidateFilter();
    emit searchTextChanged();
}

bool MessageFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (m_search.isEmpty())
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    return idx.data(MessageModel::TextRole).toString().contains(m_search, Qt::CaseInsensitive) ||
           idx.data(MessageModel::SenderNameRole)
               .toString()
               .contains(m_search, Qt::CaseInsensitive);
}

} // namespace chat
