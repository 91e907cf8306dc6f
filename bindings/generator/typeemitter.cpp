// SPDX-License-Identifier: Apache-2.0
#include "typeemitter.h"

#include "codeformat.h"
#include "gadgetemitter.h"

namespace {

QString paramDecl(const GenField &f, const QString &name) {
    return f.byValue ? f.cppType + u' ' + name
                     : QStringLiteral("const %1 &%2").arg(f.cppType, name);
}

} // namespace

TypeEmitter::TypeEmitter(const GenModule &module, const GenType &type)
    : m_module(module)
    , m_type(type) {}

QString TypeEmitter::comment() const {
    if (m_type.isReducerArgs)
        return QStringLiteral("// The arguments of %1 `%2`, in wire order.\n")
            .arg(m_type.isProcedureArgs ? QStringLiteral("procedure") : QStringLiteral("reducer"),
                 m_type.schemaName);
    QString what;
    switch (m_type.kind) {
    case GenType::Kind::Product:
        what = QStringLiteral("product type");
        break;
    case GenType::Kind::Sum:
        what = QStringLiteral("sum type");
        break;
    case GenType::Kind::Enum:
        what = QStringLiteral("enum");
        break;
    }
    QString text = QStringLiteral("// The module's %1 `%2`").arg(what, m_type.schemaName);
    QStringList tables;
    for (const GenTable &t : m_module.tables)
        if (t.rowType == m_type.cppName)
            tables.append(u'`' + t.wireName + u'`');
    if (!tables.isEmpty())
        text += QStringLiteral(", the row type of table %1").arg(tables.join(QStringLiteral(", ")));
    if (m_type.kind == GenType::Kind::Sum)
        text += QStringLiteral(": exactly one of its variants, with that variant's payload");
    return text + QStringLiteral(".\n");
}

QString TypeEmitter::header() const {
    QSet<QString> qt, std;
    for (const GenField &f : m_type.members)
        CodeFormat::headersFor(f.cppType, &qt, &std);
    if (m_type.kind == GenType::Kind::Sum)
        std.insert(QStringLiteral("variant"));
    if (m_type.kind == GenType::Kind::Enum)
        qt.insert(QStringLiteral("QString"));
    const GadgetEmitter gadget(m_module, m_type);
    if (gadget.isGadget() || m_type.kind == GenType::Kind::Enum)
        qt.insert(QStringLiteral("QObject"));
    QStringList own;
    for (const QString &d : m_type.dependencies)
        if (const GenType *t = m_module.type(d); t && t != &m_type)
            own.append(t->fileStem + QStringLiteral(".h"));

    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    if (!own.isEmpty())
        out += CodeFormat::includeBlock(own, false) + u'\n';
    QStringList sdk{QStringLiteral("spacetime/bsatn/codec.h")};
    if (gadget.needsQmlValue())
        sdk << QStringLiteral("spacetime/models/qmlvalue.h");
    out += CodeFormat::includeBlock(sdk, false) + u'\n';
    if (!qt.isEmpty())
        out += CodeFormat::includeBlock(QStringList(qt.cbegin(), qt.cend()), true) + u'\n';
    if (!std.isEmpty())
        out += CodeFormat::includeBlock(QStringList(std.cbegin(), std.cend()), true) + u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(m_module.nameSpace);
    out += comment();
    switch (m_type.kind) {
    case GenType::Kind::Product:
        out += productBody();
        break;
    case GenType::Kind::Sum:
        out += sumBody();
        break;
    case GenType::Kind::Enum:
        out += enumBody();
        break;
    }
    out += QStringLiteral("\n} // namespace %1\n\n").arg(m_module.nameSpace);
    out += codecDeclaration();
    return out;
}

QString TypeEmitter::productBody() const {
    const GadgetEmitter gadget(m_module, m_type);
    QString out = QStringLiteral("struct %1 {\n").arg(m_type.cppName);
    if (gadget.isGadget())
        out += gadget.classHead();
    for (const GenField &f : m_type.members)
        out += QStringLiteral("    %1 %2%3;\n").arg(f.cppType, f.cppName, f.initialiser);
    if (!m_type.members.isEmpty())
        out += u'\n';
    out += QStringLiteral("    bool operator==(const %1 &) const = default;\n").arg(m_type.cppName);
    if (gadget.isGadget()) {
        const QString getters = gadget.getterDeclarations();
        if (!getters.isEmpty())
            out += u'\n' + getters;
    }
    return out + QStringLiteral("};\n");
}

QString TypeEmitter::enumBody() const {
    return GadgetEmitter(m_module, m_type).enumDeclaration();
}

QString TypeEmitter::sumBody() const {
    const QString &name = m_type.cppName;
    const GadgetEmitter gadget(m_module, m_type);
    QString out = QStringLiteral("class %1 {\n").arg(name) + gadget.classHead();
    out += QStringLiteral("    enum class Tag : quint8 {\n");
    for (const GenField &f : m_type.members)
        out += QStringLiteral("        %1,\n").arg(f.pascalName);
    out += QStringLiteral("    };\n    Q_ENUM(Tag)\n\n");
    out += QStringLiteral("    // Holds the first variant (%1) with a default payload.\n")
               .arg(m_type.members.front().pascalName);
    out += QStringLiteral("    %1() = default;\n").arg(name);
    for (const GenField &f : m_type.members) {
        const QString head = QStringLiteral("static %1 make%2").arg(name, f.pascalName);
        out += CodeFormat::call(4, head,
                                f.isUnit ? QStringList()
                                         : QStringList{paramDecl(f, QStringLiteral("value"))},
                                QStringLiteral(";")) +
               u'\n';
    }
    out += u'\n';
    out += QStringLiteral("    Tag tag() const { return Tag(m_value.index()); }\n");
    for (qsizetype i = 0; i < m_type.members.size(); ++i)
        out += QStringLiteral("    bool is%1() const { return m_value.index() == %2; }\n")
                   .arg(m_type.members[i].pascalName)
                   .arg(i);
    bool anyPayload = false;
    for (const GenField &f : m_type.members)
        anyPayload = anyPayload || !f.isUnit;
    if (anyPayload) {
        out += QStringLiteral(
            "    // A variant's payload; a default value when another variant is held.\n");
        for (const GenField &f : m_type.members) {
            if (f.isUnit)
                continue;
            out += f.byValue
                       ? QStringLiteral("    %1 %2() const;\n").arg(f.cppType, f.cppName)
                       : QStringLiteral("    const %1 &%2() const;\n").arg(f.cppType, f.cppName);
        }
    }
    out += u'\n' + gadget.getterDeclarations();
    out += QStringLiteral("\n    bool operator==(const %1 &) const = default;\n\nprivate:\n")
               .arg(name);
    QStringList alternatives;
    for (const GenField &f : m_type.members)
        alternatives.append(f.cppType);
    out += CodeFormat::call(4, QStringLiteral("std::variant"), alternatives,
                            QStringLiteral(" m_value;"), u'<', u'>') +
           QStringLiteral("\n};\n");
    return out;
}

QString TypeEmitter::codecDeclaration() const {
    const QString q = qualified();
    QString out =
        QStringLiteral("namespace stdb {\n\ntemplate <>\nstruct BsatnCodec<%1> {\n").arg(q);
    out +=
        CodeFormat::call(4, QStringLiteral("static void write"),
                         {QStringLiteral("BsatnWriter &w"), QStringLiteral("const %1 &v").arg(q)},
                         QStringLiteral(";")) +
        u'\n';
    out += CodeFormat::call(4, QStringLiteral("static void read"),
                            {QStringLiteral("BsatnReader &r"), QStringLiteral("%1 &v").arg(q)},
                            QStringLiteral(";")) +
           u'\n';
    out += QStringLiteral("};\n\n} // namespace stdb\n");
    return out;
}

QString TypeEmitter::source() const {
    QString out = CodeFormat::marker() + QStringLiteral("\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(m_type.fileStem);
    if (m_type.kind == GenType::Kind::Sum)
        out += QStringLiteral("#include <utility>\n\n");
    const QString getters = GadgetEmitter(m_module, m_type).getterDefinitions();
    if (m_type.kind == GenType::Kind::Sum)
        out += QStringLiteral("namespace %1 {\n\n%2%3} // namespace %1\n\n")
                   .arg(m_module.nameSpace, sumMembers(), getters);
    if (m_type.kind == GenType::Kind::Product && !getters.isEmpty())
        out += QStringLiteral("namespace %1 {\n\n%2} // namespace %1\n\n")
                   .arg(m_module.nameSpace, getters);
    if (m_type.kind == GenType::Kind::Enum)
        out += QStringLiteral("namespace %1 {\n\n%2} // namespace %1\n\n")
                   .arg(m_module.nameSpace, enumMembers());
    out += QStringLiteral("namespace stdb {\n\n");
    out += codecWrite() + u'\n' + codecRead();
    out += QStringLiteral("\n} // namespace stdb\n");
    return out;
}

QString TypeEmitter::enumMembers() const {
    QString out =
        QStringLiteral("QString toString(%1 value) {\n    switch (value) {\n").arg(m_type.cppName);
    for (const GenField &f : m_type.members)
        out += QStringLiteral("    case %1::%2:\n        return %3;\n")
                   .arg(m_type.cppName, f.cppName,
                        CodeFormat::qstring(f.wireName.isEmpty() ? f.cppName : f.wireName));
    out += QStringLiteral("    }\n    return {};\n}\n\n");
    return out;
}

QString TypeEmitter::sumMembers() const {
    const QString &name = m_type.cppName;
    QString out;
    for (qsizetype i = 0; i < m_type.members.size(); ++i) {
        const GenField &f = m_type.members[i];
        out += CodeFormat::call(0, QStringLiteral("%1 %1::make%2").arg(name, f.pascalName),
                                f.isUnit ? QStringList()
                                         : QStringList{paramDecl(f, QStringLiteral("value"))},
                                QStringLiteral(" {"));
        out += QStringLiteral("\n    %1 sum;\n").arg(name);
        if (f.isUnit)
            out += QStringLiteral("    sum.m_value.emplace<%1>();\n").arg(i);
        else if (f.byValue)
            out += QStringLiteral("    sum.m_value.emplace<%1>(value);\n").arg(i);
        else
            out += QStringLiteral("    sum.m_value.emplace<%1>(value);\n").arg(i);
        out += QStringLiteral("    return sum;\n}\n\n");
    }
    for (qsizetype i = 0; i < m_type.members.size(); ++i) {
        const GenField &f = m_type.members[i];
        if (f.isUnit)
            continue;
        if (f.byValue) {
            out += QStringLiteral("%1 %2::%3() const {\n").arg(f.cppType, name, f.cppName);
            out += QStringLiteral("    const auto *payload = std::get_if<%1>(&m_value);\n").arg(i);
            out += QStringLiteral("    return payload ? *payload : %1{};\n}\n\n").arg(f.cppType);
        } else {
            out += QStringLiteral("const %1 &%2::%3() const {\n").arg(f.cppType, name, f.cppName);
            out += QStringLiteral("    static const %1 fallback{};\n").arg(f.cppType);
            out += QStringLiteral("    const auto *payload = std::get_if<%1>(&m_value);\n").arg(i);
            out += QStringLiteral("    return payload ? *payload : fallback;\n}\n\n");
        }
    }
    return out;
}

QString TypeEmitter::codecWrite() const {
    const QString q = qualified();
    const bool empty = m_type.members.isEmpty();
    QString out = CodeFormat::call(
        0, QStringLiteral("void BsatnCodec<%1>::write").arg(q),
        {empty ? QStringLiteral("BsatnWriter &") : QStringLiteral("BsatnWriter &w"),
         empty ? QStringLiteral("const %1 &").arg(q) : QStringLiteral("const %1 &v").arg(q)},
        empty ? QStringLiteral(" {}") : QStringLiteral(" {"));
    if (empty)
        return out + u'\n';
    out += u'\n';
    switch (m_type.kind) {
    case GenType::Kind::Product:
        for (const GenField &f : m_type.members)
            out += QStringLiteral("    bsatnWrite(w, v.%1);\n").arg(f.cppName);
        break;
    case GenType::Kind::Enum:
        out += QStringLiteral("    w.writeTag(quint8(v));\n");
        break;
    case GenType::Kind::Sum:
        out += QStringLiteral("    w.writeTag(quint8(v.tag()));\n    switch (v.tag()) {\n");
        for (const GenField &f : m_type.members) {
            out += QStringLiteral("    case %1::Tag::%2:\n").arg(q, f.pascalName);
            if (!f.isUnit)
                out += QStringLiteral("        bsatnWrite(w, v.%1());\n").arg(f.cppName);
            out += QStringLiteral("        break;\n");
        }
        out += QStringLiteral("    }\n");
        break;
    }
    return out + QStringLiteral("}\n");
}

QString TypeEmitter::codecRead() const {
    const QString q = qualified();
    const bool empty = m_type.members.isEmpty();
    QString out = CodeFormat::call(
        0, QStringLiteral("void BsatnCodec<%1>::read").arg(q),
        {empty ? QStringLiteral("BsatnReader &") : QStringLiteral("BsatnReader &r"),
         empty ? QStringLiteral("%1 &").arg(q) : QStringLiteral("%1 &v").arg(q)},
        empty ? QStringLiteral(" {}") : QStringLiteral(" {"));
    if (empty)
        return out + u'\n';
    out += u'\n';
    const QString typeName = CodeFormat::cString(m_type.schemaName);
    switch (m_type.kind) {
    case GenType::Kind::Product:
        for (const GenField &f : m_type.members)
            out += QStringLiteral("    bsatnRead(r, v.%1);\n").arg(f.cppName);
        break;
    case GenType::Kind::Enum:
        out += QStringLiteral("    v = %1(r.readTag(%2, %3));\n")
                   .arg(q)
                   .arg(m_type.members.size())
                   .arg(typeName);
        break;
    case GenType::Kind::Sum:
        out += QStringLiteral("    switch (r.readTag(%1, %2)) {\n")
                   .arg(m_type.members.size())
                   .arg(typeName);
        for (qsizetype i = 0; i < m_type.members.size(); ++i) {
            const GenField &f = m_type.members[i];
            if (f.isUnit) {
                out += QStringLiteral("    case %1:\n        v = %2::make%3();\n        break;\n")
                           .arg(i)
                           .arg(q, f.pascalName);
                continue;
            }
            out += QStringLiteral("    case %1: {\n").arg(i);
            out += QStringLiteral("        %1 payload%2;\n")
                       .arg(m_module.qualified(f.cppType),
                            f.byValue ? QStringLiteral("{}") : QString());
            out += QStringLiteral("        bsatnRead(r, payload);\n");
            out += QStringLiteral("        v = %1::make%2(%3);\n")
                       .arg(q, f.pascalName,
                            f.byValue ? QStringLiteral("payload")
                                      : QStringLiteral("std::move(payload)"));
            out += QStringLiteral("        break;\n    }\n");
        }
        out += QStringLiteral("    }\n");
        break;
    }
    return out + QStringLiteral("}\n");
}
