// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QListView>
#include <QPersistentModelIndex>
#include <QPointer>

namespace chat {
class MessageModel;
} // namespace chat

class MessageDelegate;
class QPushButton;

// The conversation list. Keeps the reading position the way a chat needs it:
// - pinned to the bottom while the user is at the bottom (new messages scroll in);
// - unmoved when messages arrive while reading history, with a "new messages" button;
// - unmoved when older history is prepended above;
// - a "Load older messages" button at the top while the message model can fetch more;
// - "Jump to newest" while the cap unloaded the newest messages (reading old history); they
//   come back when the user returns to the bottom.
class MessageView : public QListView {
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    MessageDelegate *messageDelegate() const { return m_delegate; }

    bool isPinned() const { return m_pinned; }
    int unseenCount() const { return m_unseen; }
    QPushButton *jumpButton() const { return m_jump; }
    QPushButton *loadOlderButton() const { return m_loadOlder; }

    // The MessageModel under the view's proxies: its canFetchMore() / fetchMore() load older
    // history (the proxies do not fetch, see MessageFilterModel), its newerUnloaded() shows.
    void setHistoryModel(chat::MessageModel *history);
    // Whether older history is being looked for.
    void setLoadingOlder(bool loading);
    void setCompact(bool compact);
    // Shown in the middle while there are no rows ("Connecting…", "No messages yet").
    void setPlaceholderText(const QString &text);
    QString placeholderText() const { return m_placeholder; }

public Q_SLOTS:
    void scrollToLatest();

Q_SIGNALS:
    void retryRequested(qint64 localId);
    void discardRequested(qint64 localId);
    void pinnedChanged(bool pinned);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void updateGeometries() override;

private:
    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRangeChanged(int min, int max);
    void onValueChanged(int value);
    void setPinned(bool pinned);
    void updateOverlays();
    void copyCurrent();
    void jumpToNewest();

    MessageDelegate *m_delegate = nullptr;
    QPushButton *m_jump = nullptr;
    QPushButton *m_loadOlder = nullptr;
    bool m_pinned = true;
    bool m_adjusting = false;
    QPointer<chat::MessageModel> m_history;
    bool m_loadingOlder = false;
    int m_unseen = 0;
    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    QString m_placeholder;
};
