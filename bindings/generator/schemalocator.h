// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Where things of a parsed schema sit in its JSON text, so that the generator's own errors
// ("recursive type", "anonymous sum") name a JSON path like the schema parser's errors do.
// ModuleSchema keeps definitions in document order but not their paths; this walks only the
// document's outline (wrapper, V10 sections) to rebuild them.
class SchemaLocator {
public:
    explicit SchemaLocator(QByteArrayView json);
    // A V10 submodule's own definition (a bare RawModuleDefV10), found at `basePath`
    // ("sections[14].Submodules[0].module"): its paths are those of the whole document.
    SchemaLocator(const QJsonObject &module, const QString &basePath);

    // "typespace.types", "V10.sections[0].Typespace.types"
    QString typespace() const { return m_typespace; }
    // "typespace.types[3]", "V10.sections[0].Typespace.types[3]", …
    QString typespaceEntry(quint32 ref) const;
    // The i-th entry of `types` (V9) / the Types sections (V10).
    QString typeDef(qsizetype i) const;
    QString table(qsizetype i) const;
    QString reducer(qsizetype i) const;
    // A reducer parameter: "reducers[0].params.elements[1]".
    QString reducerParam(qsizetype reducer, qsizetype param) const;
    // The i-th procedure / view: V10 Procedures / Views sections, V9 misc_exports entries.
    QString procedure(qsizetype i) const;
    QString view(qsizetype i) const;

    // V10 Submodules entries (the schema parser does not read them): path, namespace and
    // the submodule's own definition (a RawModuleDefV10 with its own typespace), integers
    // beyond qint64 kept exact (ExactJson).
    struct Submodule {
        QString path;
        QString nameSpace;
        QJsonObject module;
    };
    const QList<Submodule> &submodules() const { return m_submodules; }

private:
    void read(const QJsonObject &doc);
    // For V10: which section holds the i-th definition of a kind (sections may repeat).
    static QString entry(const QList<std::pair<QString, qsizetype>> &sections, qsizetype i);

    QString m_root; // "" or "V9" / "V10"
    bool m_v10 = false;
    QString m_typespace; // path of the types array
    QList<std::pair<QString, qsizetype>> m_types, m_tables, m_reducers, m_procedures,
        m_views;                           // V10: path, count
    QStringList m_v9Procedures, m_v9Views; // V9: their misc_exports entries
    QList<Submodule> m_submodules;
};
