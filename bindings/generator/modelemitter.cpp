// SPDX-License-Identifier: Apache-2.0
#include "modelemitter.h"

#include "codeformat.h"
#include "naming.h"

namespace {

// `text` as // comment lines of at most CodeFormat::kColumnLimit columns.
QString commentBlock(const QString &text) {
    QString out, line = QStringLiteral("//");
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (line.size() > 2 && line.size() + 1 + word.size() > CodeFormat::kColumnLimit) {
            out += line + u'\n';
            line = QStringLiteral("//");
        }
        line += u' ' + word;
    }
    return out + line + u'\n';
}

} // namespace

ModelEmitter::ModelEmitter(const GenModule &module, const GenTable &table)
    : m_module(module)
    , m_table(table) {}

QString ModelEmitter::handleDeclaration(const GenTable &table) {
    return QStringLiteral("    // A new live list model of the cached rows, owned by `parent`.\n"
                          "    %1 *createModel(QObject *parent = nullptr);\n")
        .arg(className(table));
}

QString ModelEmitter::header() const {
    const GenTable &t = m_table;
    const QString cls = className(t);
    const QString &row = t.rowType;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(t.fileStem);
    out += QStringLiteral("#include \"spacetime/models/tablemodel.h\"\n\n");
    out += QStringLiteral("#include <QByteArrayView>\n#include <QList>\n#include <QVariant>\n\n");
    out += QStringLiteral("#include <optional>\n\n");
    out += QStringLiteral("namespace %1 {\n\n").arg(m_module.nameSpace);
    out += commentBlock(
        QStringLiteral("The `%1` %2 as a live list model (stdb::TableModel): one "
                       "role per column, named like %3's fields, and role \"row\" "
                       "with the whole %3.")
            .arg(t.wireName, t.isView ? QStringLiteral("view") : QStringLiteral("table"), row));
    out += QStringLiteral("class %1 : public stdb::TableModel {\n    Q_OBJECT\npublic:\n").arg(cls);
    if (!t.columns.isEmpty()) {
        out += QStringLiteral("    enum Role {\n");
        for (qsizetype i = 0; i < t.columns.size(); ++i)
            out += i == 0 ? QStringLiteral("        %1Role = stdb::TableModel::FirstColumnRole,\n")
                                .arg(t.columns[i].pascalName)
                          : QStringLiteral("        %1Role,\n").arg(t.columns[i].pascalName);
        out += QStringLiteral("    };\n    Q_ENUM(Role)\n\n");
    }
    out += QStringLiteral("    // Follows `table`: the rows it caches now, then every change.\n");
    out += QStringLiteral("    explicit %1(%2 *table, QObject *parent = nullptr);\n\n")
               .arg(cls, t.cppClass);
    out += QStringLiteral("    %1 *table() const;\n").arg(t.cppClass);
    out += QStringLiteral("    // The row at `row`; nullopt when out of range.\n");
    out += QStringLiteral("    std::optional<%1> row(int row) const;\n").arg(row);
    if (t.primaryKey >= 0) {
        const GenField &pk = t.columns[t.primaryKey];
        out += QStringLiteral("    // The position of the row whose `%1` is `%2`, or -1.\n")
                   .arg(pk.wireName, pk.cppName);
        out += QStringLiteral("    int rowOf(%1) const;\n")
                   .arg(pk.byValue ? pk.cppType + u' ' + pk.cppName
                                   : QStringLiteral("const %1 &%2").arg(pk.cppType, pk.cppName));
    }
    out += QStringLiteral("\nprotected:\n");
    out += QStringLiteral("    QVariant decode(QByteArrayView bytes) const override;\n");
    out += QStringLiteral("    QVariant columnValue(const QVariant &row, int column) const "
                          "override;\n");
    out += CodeFormat::call(
               4, QStringLiteral("QList<int> changedColumns"),
               {QStringLiteral("const QVariant &oldRow"), QStringLiteral("const QVariant &newRow")},
               QStringLiteral(" const override;")) +
           u'\n';
    out += QStringLiteral("};\n\n} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}

QString ModelEmitter::source() const {
    const GenTable &t = m_table;
    const QString cls = className(t);
    const QString &row = t.rowType;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(fileStem(t));
    out += QStringLiteral("#include \"spacetime/models/qmlvalue.h\"\n\n");
    out += QStringLiteral("#include <utility>\n\n");
    out += QStringLiteral("namespace %1 {\n\nnamespace {\n\n").arg(m_module.nameSpace);
    out += QStringLiteral("// A stored row: decode() put a %1 there.\n").arg(row);
    const QString typed = Naming::fileLocal(cls, u"typed");
    const QString columns = Naming::fileLocal(cls, u"columns");
    out += QStringLiteral("const %1 &%2(const QVariant &row) {\n").arg(row, typed);
    out += QStringLiteral("    Q_ASSERT(row.metaType() == QMetaType::fromType<%1>());\n").arg(row);
    out += QStringLiteral("    return *static_cast<const %1 *>(row.constData());\n}\n\n").arg(row);
    QStringList names;
    for (const GenField &c : t.columns)
        names << QStringLiteral("QByteArrayLiteral(%1)").arg(CodeFormat::cString(c.cppName));
    out += QStringLiteral("// The roles' names: the columns' C++ names, in column order.\n");
    out += QStringLiteral("QList<QByteArray> %1() {\n").arg(columns);
    // One statement each: clang-format would lay a long braced list out in columns.
    out += QStringLiteral("    QList<QByteArray> names;\n");
    for (const QString &n : std::as_const(names))
        out += QStringLiteral("    names.append(%1);\n").arg(n);
    out += QStringLiteral("    return names;\n");
    out += QStringLiteral("}\n\n} // namespace\n\n");

    out += QStringLiteral("%1::%1(%2 *table, QObject *parent)\n").arg(cls, t.cppClass);
    out += QStringLiteral("    : stdb::TableModel(table, %1(), parent) {").arg(columns);
    out += QStringLiteral("\n    reload();\n}\n\n");

    out += QStringLiteral("%1 *%2::table() const {\n").arg(t.cppClass, cls);
    out += QStringLiteral("    return static_cast<%1 *>(tableHandle());\n}\n\n").arg(t.cppClass);

    out += QStringLiteral("std::optional<%1> %2::row(int row) const {\n").arg(row, cls);
    out += QStringLiteral("    if (row < 0 || row >= rowCount())\n        return std::nullopt;\n");
    out += QStringLiteral("    return %1(storedRow(row));\n}\n\n").arg(typed);

    if (t.primaryKey >= 0) {
        const GenField &pk = t.columns[t.primaryKey];
        out +=
            QStringLiteral("int %1::rowOf(%2) const {\n")
                .arg(cls, pk.byValue ? pk.cppType + u' ' + pk.cppName
                                     : QStringLiteral("const %1 &%2").arg(pk.cppType, pk.cppName));
        out += QStringLiteral("    return rowOfKey(stdb::toBsatn(%1));\n}\n\n").arg(pk.cppName);
    }

    out += QStringLiteral("QVariant %1::decode(QByteArrayView bytes) const {\n").arg(cls);
    out +=
        QStringLiteral("    std::optional<%1> row = %2::decodeRow(bytes);\n").arg(row, t.cppClass);
    out += QStringLiteral(
        "    return row ? QVariant::fromValue(std::move(*row)) : QVariant();\n}\n\n");

    const bool any = !t.columns.isEmpty();
    out += QStringLiteral("QVariant %1::columnValue(const QVariant &%2, int %3) const {\n")
               .arg(cls, any ? QStringLiteral("row") : QString(),
                    any ? QStringLiteral("column") : QString());
    if (any) {
        out +=
            QStringLiteral("    const %1 &r = %2(row);\n    switch (column) {\n").arg(row, typed);
        for (qsizetype i = 0; i < t.columns.size(); ++i)
            out += QStringLiteral("    case %1:\n        return stdb::toQmlVariant(r.%2);\n")
                       .arg(i)
                       .arg(t.columns[i].cppName);
        out += QStringLiteral("    }\n");
    }
    out += QStringLiteral("    return {};\n}\n\n");

    out +=
        CodeFormat::call(
            0, QStringLiteral("QList<int> %1::changedColumns").arg(cls),
            {any ? QStringLiteral("const QVariant &oldRow") : QStringLiteral("const QVariant &"),
             any ? QStringLiteral("const QVariant &newRow") : QStringLiteral("const QVariant &")},
            QStringLiteral(" const {")) +
        u'\n';
    out += QStringLiteral("    QList<int> out;\n");
    if (any) {
        out += QStringLiteral("    const %1 &a = %2(oldRow);\n").arg(row, typed);
        out += QStringLiteral("    const %1 &b = %2(newRow);\n").arg(row, typed);
        for (qsizetype i = 0; i < t.columns.size(); ++i)
            out += QStringLiteral("    if (!(a.%1 == b.%1))\n        out.append(%2);\n")
                       .arg(t.columns[i].cppName)
                       .arg(i);
    }
    out += QStringLiteral("    return out;\n}\n\n");

    out += QStringLiteral("%1 *%2::createModel(QObject *parent) {\n").arg(cls, t.cppClass);
    out += QStringLiteral("    return new %1(this, parent);\n}\n\n").arg(cls);
    out += QStringLiteral("} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}
