// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/moduleschema.h"

#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/schemaparser.h"

namespace stdb {

namespace {

template <typename Def>
const Def *findByName(const QList<Def> &list, QStringView name) {
    for (const Def &d : list)
        if (d.name == name)
            return &d;
    return nullptr;
}

} // namespace

Expected<ModuleSchema> ModuleSchema::fromJson(QByteArrayView json) {
    Expected<QJsonDocument> doc = ExactJson::parse(json);
    if (!doc)
        return doc.error();
    if (doc->isArray())
        return SchemaParser().parse(QJsonValue(doc->array()));
    return SchemaParser().parse(QJsonValue(doc->object()));
}

Expected<ModuleSchema> ModuleSchema::fromJsonValue(const QJsonValue &root) {
    return SchemaParser().parse(root);
}

const TableDef *ModuleSchema::table(QStringView name) const {
    return findByName(m_tables, name);
}

const ReducerDef *ModuleSchema::reducer(QStringView name) const {
    return findByName(m_reducers, name);
}

const ProcedureDef *ModuleSchema::procedure(QStringView name) const {
    return findByName(m_procedures, name);
}

const ViewDef *ModuleSchema::view(QStringView name) const {
    return findByName(m_views, name);
}

const TypeDef *ModuleSchema::typeDef(quint32 ref) const {
    for (const TypeDef &t : m_types)
        if (t.ref == ref)
            return &t;
    return nullptr;
}

const AlgebraicType *ModuleSchema::rowTypeOf(QStringView name) const {
    if (const TableDef *t = table(name))
        return &t->rowType;
    if (const ViewDef *v = view(name); v && v->rowType.isProduct() && !v->columns.isEmpty())
        return &v->rowType;
    return nullptr;
}

const QList<FieldDef> *ModuleSchema::columnsOf(QStringView name) const {
    if (const TableDef *t = table(name))
        return &t->columns;
    if (const ViewDef *v = view(name); v && !v->columns.isEmpty())
        return &v->columns;
    return nullptr;
}

} // namespace stdb
