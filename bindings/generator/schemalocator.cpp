// SPDX-License-Identifier: Apache-2.0
#include "schemalocator.h"

#include "spacetime/schema/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using stdb::JsonPath;

SchemaLocator::SchemaLocator(QByteArrayView json) {
    const QJsonObject top = QJsonDocument::fromJson(json.toByteArray()).object();
    QJsonObject doc = top;
    if (top.size() == 1 && (top.contains(u"V9") || top.contains(u"V10"))) {
        m_root = top.begin().key();
        doc = top.begin().value().toObject();
    }
    m_v10 = doc.contains(u"sections");
    if (!m_v10) {
        m_typespace = JsonPath::key(JsonPath::key(m_root, u"typespace"), u"types");
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
