// SPDX-License-Identifier: Apache-2.0
#include "quicksupport.h"

#include "chat/chatclient.h"
#include "chat/chattypes.h"
#include "chat/daylabel.h"
#include "chat/messagefiltermodel.h"
#include "chat/messagemodel.h"
#include "chat/readmarker.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"
#include "desktop/messagenotifier.h"

#include <QDateTime>
#include <QLocale>
#include <QQmlEngine>
#include <QRegularExpression>

namespace quick {

DayProxyModel::DayProxyModel(QObject *parent)
    : QIdentityProxyModel(parent) {}

QVariant DayProxyModel::data(const QModelIndex &index, int role) const {
    if (role != DayRole)
        return QIdentityProxyModel::data(index, role);
    const QDateTime sent =
        QIdentityProxyModel::data(index, chat::MessageModel::SentRole).toDateTime();
    if (!sent.isValid())
        return QString();
    return chat::DayLabel::text(sent.toLocalTime().date());
}

QHash<int, QByteArray> DayProxyModel::roleNames() const {
    QHash<int, QByteArray> roles = QIdentityProxyModel::roleNames();
    roles.insert(DayRole, "day");
    return roles;
}

QString ChatUi::validateName(const QString &name) const {
    return chat::validateName(name);
}

QString ChatUi::validateMessage(const QString &text) const {
    return chat::validateMessage(text);
}

QVariant ChatUi::nameCommand(const QString &text) const {
    const std::optional<QString> name = chat::nameCommand(text);
    if (!name)
        return {};
    return name->isEmpty() ? QVariant(QStringLiteral("")) : QVariant(*name);
}

QString ChatUi::timeText(const QDateTime &when) const {
    // The locale's short time format, without seconds (the C locale's includes them).
    static const QRegularExpression seconds(QStringLiteral("[:.]ss?"));
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(seconds);
    return QLocale().toString(when.toLocalTime().time(), format);
}

QString ChatUi::dateTimeText(const QDateTime &when) const {
    return QLocale().toString(when.toLocalTime(), QLocale::LongFormat);
}

QString ChatUi::isolate(const QString &text) const {
    return chat::UntrustedText::isolate(text);
}

bool ChatUi::applyColorScheme(QObject *window, const QString &scheme) const {
    const auto parsed = desktop::ColorScheme::fromName(scheme);
    return parsed && quick::applyColorScheme(window, *parsed);
}

bool applyColorScheme(QObject *window, desktop::ColorScheme::Scheme scheme) {
    // QML's palette type (QQuickPalette) is not public C++ API: its roles and colour groups are
    // set through their properties, by name.
    auto *palette = window ? window->property("palette").value<QObject *>() : nullptr;
    if (!palette)
        return false;
    const std::optional<QPalette> colors = desktop::ColorScheme::palette(scheme);
    if (!colors)
        return true;
    const std::pair<QPalette::ColorGroup, const char *> groups[] = {
        {QPalette::Active, "active"},
        {QPalette::Inactive, "inactive"},
        {QPalette::Disabled, "disabled"},
    };
    for (const auto &[role, name] : desktop::ColorScheme::roleNames())
        palette->setProperty(name, colors->color(QPalette::Active, role));
    for (const auto &[group, groupName] : groups) {
        auto *colorGroup = palette->property(groupName).value<QObject *>();
        if (!colorGroup)
            continue;
        for (const auto &[role, name] : desktop::ColorScheme::roleNames())
            colorGroup->setProperty(name, colors->color(group, role));
    }
    return true;
}

void registerQuickTypes() {
    static bool done = false;
    if (done)
        return;
    done = true;
    const char *uri = "SpacetimeChat";
    const QString why = QStringLiteral("provided by the application");
    qmlRegisterUncreatableType<chat::ChatClient>(uri, 1, 0, "ChatClient", why);
    qmlRegisterUncreatableType<chat::MessageModel>(uri, 1, 0, "MessageModel", why);
    qmlRegisterUncreatableType<chat::UserModel>(uri, 1, 0, "UserModel", why);
    qmlRegisterUncreatableType<chat::ReadMarker>(uri, 1, 0, "ReadMarker", why);
    qmlRegisterUncreatableMetaObject(chat::staticMetaObject, uri, 1, 0, "Chat", why);
    qmlRegisterUncreatableType<desktop::MessageNotifier>(uri, 1, 0, "MessageNotifier", why);
    qmlRegisterType<DayProxyModel>(uri, 1, 0, "DayProxyModel");
    qmlRegisterType<chat::MessageFilterModel>(uri, 1, 0, "MessageFilterModel");
    qmlRegisterSingletonType<ChatUi>(
        uri, 1, 0, "ChatUi", [](QQmlEngine *, QJSEngine *) -> QObject * { return new ChatUi; });
}

} // namespace quick
