// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/error.h"

#include <QAnyStringView>
#include <QJsonValue>
#include <QString>

namespace stdb {

// Builds the JSON paths that schema and value errors name ("tables[1].product_type_ref"), so a
// user can find the offending spot in a large document.
class STDB_SCHEMA_EXPORT JsonPath {
public:
    static QString key(const QString &path, QAnyStringView key);
    static QString index(const QString &path, qsizetype i);
    // "path: message" (just the message at the root), as an InvalidArgument error.
    static Error error(const QString &path, const QString &message);
    // "expected a number, got a string" style messages.
    static Error expected(const QString &path, const char *what, const QJsonValue &got);
    // "null", "a bool", "a number", "a string", "an array", "an object".
    static QString describe(const QJsonValue &v);
};

} // namespace stdb
