// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "desktop/colorscheme.h"

#include <QIdentityProxyModel>
#include <QObject>
#include <QString>

namespace quick {

// The message model as the QML ListView wants it: every role of chat::MessageModel plus
// "day", the label of the message's calendar day (chat::DayLabel, as in the Widgets app) that
// the view uses as its section key.
class DayProxyModel : public QIdentityProxyModel {
    Q_OBJECT
public:
    enum { DayRole = Qt::UserRole + 100 };

    explicit DayProxyModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    // ListView would fetch more when its last row shows (always, in a chat); older history
    // goes in at the top, so MessageList.qml asks the MessageModel itself when its first row
    // shows (see chat::MessageModel::canFetchMore).
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
};

// Helpers QML calls so that no chat rule is written twice: the same validation as the chat
// layer, and display formatting that follows the locale.
class ChatUi : public QObject {
    Q_OBJECT
public:
    explicit ChatUi(QObject *parent = nullptr)
        : QObject(parent) {}

    // Empty when fine, else the reason (chat::validateName / chat::validateMessage).
    Q_INVOKABLE QString validateName(const QString &name) const;
    Q_INVOKABLE QString validateMessage(const QString &text) const;
    // "/name NEW NAME" (chat::nameCommand): the new name ("" for a bare "/name"), or undefined
    // when the text is a message.
    Q_INVOKABLE QVariant nameCommand(const QString &text) const;
    // "14:05" in the user's locale.
    Q_INVOKABLE QString timeText(const QDateTime &when) const;
    // Full date and time, for tooltips.
    Q_INVOKABLE QString dateTimeText(const QDateTime &when) const;
    // Network text to embed in a sentence of ours: bidi-isolated (chat::UntrustedText).
    Q_INVOKABLE QString isolate(const QString &text) const;
    // applyColorScheme() by the scheme's name ("light", "dark", "system"); false for an
    // unknown name or a window without a palette.
    Q_INVOKABLE bool applyColorScheme(QObject *window, const QString &scheme) const;
};

// --color-scheme for Qt Quick: sets the scheme's palette (desktop::ColorScheme, the one the
// Widgets app uses) on the window's palette, from which every control in it inherits. The
// application palette does not reach Qt Quick Controls on Qt 6.4, the window's does. System
// leaves the window's palette alone. False when the window has no palette property.
bool applyColorScheme(QObject *window, desktop::ColorScheme::Scheme scheme);

// Registers the chat types with QML under "SpacetimeChat 1.0": ChatClient, MessageModel,
// UserModel, ReadMarker and MessageNotifier (uncreatable, for their enums and properties), the
// DeliveryState enum as Chat.*, DayProxyModel and MessageFilterModel (creatable) and the ChatUi
// singleton. Call once before loading any QML.
void registerQuickTypes();

} // namespace quick
