// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

#include "spacetime/schema/moduleschema.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace stdb {

// Turns schema JSON (V9 or V10) into a ModuleSchema. Internal to ModuleSchema::fromJson.
//
// The first error wins and is kept; later reads return defaults, so the walk can go on without
// checking after every field (the same sticky style as BsatnReader).
class STDB_SCHEMA_EXPORT SchemaParser {
public:
    Expected<ModuleSchema> parse(const QJsonValue &root);

private:
    bool ok() const { return !m_error.isError(); }
    void fail(const QString &path, const QString &message);
    void failExpected(const QString &path, const char *what, const QJsonValue &got);

    // Field readers; each returns a default after recording an error.
    QJsonObject object(const QJsonValue &v, const QString &path);
    QJsonArray array(const QJsonValue &v, const QString &path);
    QJsonValue required(const QJsonObject &o, const QString &path, QStringView key);
    QString string(const QJsonValue &v, const QString &path);
    qint64 integer(const QJsonValue &v, const QString &path, qint64 min, qint64 max);
    int index(const QJsonValue &v, const QString &path) { return int(integer(v, path, 0, 65535)); }
    bool boolean(const QJsonValue &v, const QString &path);
    I128 i128(const QJsonValue &v, const QString &path);
    // SATS Option<T>: {"some": x} / {"none": []}; also a bare value / null. Returns the payload
    // or Undefined for none.
    QJsonValue option(const QJsonValue &v, const QString &path);
    QString optionalString(const QJsonValue &v, const QString &path);
    // An enum value {"Variant": payload}; returns the variant name, payload in *payload.
    QString variant(const QJsonValue &v, const QString &path, QJsonValue *payload = nullptr);
    QList<int> colList(const QJsonValue &v, const QString &path);
    AlgebraicType type(const QJsonValue &v, const QString &path);
    AlgebraicType productType(const QJsonValue &v, const QString &path);
    QList<FieldDef> fields(const AlgebraicType &product) const;

    IndexDef indexDef(const QJsonObject &o, const QString &path, const char *nameKey);
    QList<UniqueConstraintDef> constraints(const QJsonValue &v, const QString &path,
                                           const char *nameKey);
    QList<SequenceDef> sequences(const QJsonValue &v, const QString &path, const char *nameKey);
    void finishTable(TableDef &t, const QString &path);
    void finishView(ViewDef &v);
    Lifecycle lifecycle(const QJsonValue &v, const QString &path);
    TableType tableType(const QJsonValue &v, const QString &path);
    TableAccess tableAccess(const QJsonValue &v, const QString &path);

    void parseV9(const QJsonObject &root, const QString &path);
    void parseV10(const QJsonObject &root, const QString &path);
    void parseTypespace(const QJsonValue &v, const QString &path);
    QString canonical(const QHash<QString, QString> &names, const QString &source) const;

    ModuleSchema m_schema;
    Error m_error;
    bool m_snakeCase = true; // V10 CaseConversionPolicy
};

} // namespace stdb
