// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSortFilterProxyModel>

namespace chat {

// Only online users (the official TS quickstart's `where(eq('online', true))`).
class OnlineUserFilter : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(bool onlineOnly READ onlineOnly WRITE setOnlineOnly NOTIFY onlineOnlyChanged)
public:
    explicit OnlineUserFilter(QObject *parent = nullptr);
    bool onlineOnly() const { return m_onlineOnly; }
    void setOnlineOnly(bool on);
signals:
    void onlineOnlyChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_onlineOnly = true;
};

} // namespace chat
