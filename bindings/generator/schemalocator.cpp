// SPDX-License-Identifier: Apache-2.0
#include "schemalocator.h"

#include "spacetime/schema/exactjson.h"
#include "spacetime/schema/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using stdb::JsonPath;

SchemaLocator::SchemaLocator(QByteArrayView json) {
    // Exact, so that a submodule's definition handed on to the schema parser keeps its u64/u128
    // numbers (sequence bounds …) as the top-level parse does.
    const stdb::Expected<QJsonDocument> parsed = stdb::ExactJson::parse(json);
    const QJsonObject top = parsed ? parsed->object() : QJsonObject();
    QJsonObject doc = top;
    if (top.size() == 1 && (top.contains(u"V9") || top.contains(u"V10"))) {
        m_root = top.begin().key();
        doc = top.begin().value().toObject();
    }
    read(doc);
}

SchemaLocator::SchemaLocator(const QJsonObject &module, const QString &basePath)
    : m_root(basePath) {
    read(module);
}

void SchemaLocator::read(const QJsonObject &doc) {
    m_v10 = doc.contains(u"sections");
    if (!m_v10) {
        m_typespace = JsonPath::key(JsonPath::key(m_root, u"typespace"), u"types");
        const QString miscPath = JsonPath::key(m_root, u"misc_exports");
        const QJsonArray misc = doc.value(u"misc_exports").toArray();
        for (qsizetype i = 0; i < misc.size(); ++i) {
            const QJsonObject m = misc[i].toObject();
            if (m.size() != 1)
                continue;
            const QString path = JsonPath::key(JsonPath::index(miscPath, i), m.begin().key());
            if (m.begin().key() == u"Procedure")
                m_v9Procedures.append(path);
            else if (m.begin().key() == u"View")
                m_v9Views.append(path);
        }
        return;
    }
    const QString sectionsPath = JsonPath::key(m_root, u"sections");
    const QJsonArray sections = doc.value(u"sections").toArray();
    for (qsizetype i = 0; i < sections.size(); ++i) {
        const QJsonObject s = sections[i].toObject();
        if (s.size() != 1)
            continue;
        const QString kind = s.begin().key();
        const QString path = JsonPath::key(JsonPath::index(sectionsPath, i), kind);
        const QJsonValue payload = s.begin().value();
        if (kind == u"Typespace")
            m_typespace = JsonPath::key(path, u"types");
        else if (kind == u"Types")
            m_types.append({path, payload.toArray().size()});
        else if (kind == u"Tables")
            m_tables.append({path, payload.toArray().size()});
        else if (kind == u"Reducers")
            m_reducers.append({path, payload.toArray().size()});
        else if (kind == u"Procedures")
            m_procedures.append({path, payload.toArray().size()});
        else if (kind == u"Views")
            m_views.append({path, payload.toArray().size()});
        else if (kind == u"Submodules") {
            const QJsonArray list = payload.toArray();
            for (qsizetype k = 0; k < list.size(); ++k)
                m_submodules.append({JsonPath::index(path, k),
                                     list[k].toObject().value(u"namespace").toString(),
                                     list[k].toObject().value(u"module").toObject()});
        }
    }
}

QString SchemaLocator::entry(const QList<std::pair<QString, qsizetype>> &sections, qsizetype i) {
    for (const auto &[path, count] : sections) {
        if (i < count)
            return JsonPath::index(path, i);
        i -= count;
    }
    return {};
}

QString SchemaLocator::typespaceEntry(quint32 ref) const {
    return JsonPath::index(m_typespace, ref);
}

QString SchemaLocator::typeDef(qsizetype i) const {
    return m_v10 ? entry(m_types, i) : JsonPath::index(JsonPath::key(m_root, u"types"), i);
}

QString SchemaLocator::table(qsizetype i) const {
    return m_v10 ? entry(m_tables, i) : JsonPath::index(JsonPath::key(m_root, u"tables"), i);
}

QString SchemaLocator::reducer(qsizetype i) const {
    return m_v10 ? entry(m_reducers, i) : JsonPath::index(JsonPath::key(m_root, u"reducers"), i);
}

QString SchemaLocator::reducerParam(qsizetype reducer, qsizetype param) const {
    return JsonPath::index(
        JsonPath::key(JsonPath::key(this->reducer(reducer), u"params"), u"elements"), param);
}

QString SchemaLocator::procedure(qsizetype i) const {
    return m_v10 ? entry(m_procedures, i) : m_v9Procedures.value(i);
}

QString SchemaLocator::view(qsizetype i) const {
    return m_v10 ? entry(m_views, i) : m_v9Views.value(i);
}
