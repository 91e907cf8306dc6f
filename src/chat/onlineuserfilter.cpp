// SPDX-License-Identifier: Apache-2.0
#include "chat/onlineuserfilter.h"

#include "chat/usermodel.h"

namespace chat {

OnlineUserFilter::OnlineUserFilter(QObject *parent)
    : QSortFilterProxyModel(parent) {}

void OnlineUserFilter::setOnlineOnly(bool on) {
    if (on == m_onlineOnly)
        return;
    m_onlineOnly = on;
    invalidateFilter();
    emit onlineOnlyChanged();
}

bool OnlineUserFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (!m_onlineOnly)
        return true;
    return sourceModel()->index(sourceRow, 0, sourceParent).data(UserModel::OnlineRole).toBool();
}

} // namespace chat
