// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/jsonpath.h"

namespace stdb {

QString JsonPath::key(const QString &path, QAnyStringView key) {
    if (path.isEmpty())
        return key.toString();
    return path + u'.' + key.toString();
}

QString JsonPath::index(const QString &path, qsizetype i) {
    return path + u'[' + QString::number(i) + u']';
}

Error JsonPath::error(const QString &path, const QString &message) {
    return Error(Error::Kind::InvalidArgument,
                 path.isEmpty() ? message : path + QStringLiteral(": ") + message);
}

Error JsonPath::expected(const QString &path, const char *what, const QJsonValue &got) {
    return error(path,
                 QStringLiteral("expected %1, got %2").arg(QLatin1String(what), describe(got)));
}

QString JsonPath::describe(const QJsonValue &v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a bool");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    }
    return QStringLiteral("something else");
}

} // namespace stdb
