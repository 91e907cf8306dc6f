// SPDX-License-Identifier: Apache-2.0
#include "quicksupport.h"

#include "chat/chatclient.h"
#include "chat/chattypes.h"
#include "chat/daylabel.h"
#include "chat/messagemodel.h"
#include "chat/readmarker.h"
#include "chat/untrustedtext.h"
#include "chat/usermodel.h"

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
    qmlRegisterType<DayProxyModel>(uri, 1, 0, "DayProxyModel");
    qmlRegisterSingletonType<ChatUi>(
        uri, 1, 0, "ChatUi", [](QQmlEngine *, QJSEngine *) -> QObject * { return new ChatUi; });
}

} // namespace quick
