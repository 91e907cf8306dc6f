// SPDX-License-Identifier: Apache-2.0
#include "gadgetemitter.h"

#include "codeformat.h"

#include <QSet>

GadgetEmitter::GadgetEmitter(const GenModule &module, const GenType &type)
    : m_module(module)
    , m_type(type) {}

bool GadgetEmitter::isGadget() const {
    return !m_type.isReducerArgs && m_type.kind != GenType::Kind::Enum;
}

GadgetEmitter::Property GadgetEmitter::property(const GenField &f) const {
    static const QSet<QString> native{
        QStringLiteral("bool"),   QStringLiteral("qint32"),  QStringLiteral("quint32"),
        QStringLiteral("qint64"), QStringLiteral("quint64"), QStringLiteral("float"),
        QStringLiteral("double"), QStringLiteral("QString"), QStringLiteral("QByteArray")};
    static const QSet<QString> small{QStringLiteral("qint8"), QStringLiteral("quint8"),
                                     QStringLiteral("qint16"), QStringLiteral("quint16")};
    static const QSet<QString> text{
        QStringLiteral("stdb::Identity"), QStringLiteral("stdb::ConnectionId"),
        QStringLiteral("stdb::I128"),     QStringLiteral("stdb::U128"),
        QStringLiteral("stdb::I256"),     QStringLiteral("stdb::U256"),
        QStringLiteral("stdb::Uuid")};
    const QString &t = f.cppType;
    if (native.contains(t) || m_module.type(t))
        return {t, true};
    if (small.contains(t))
        return {QStringLiteral("int"), false};
    if (text.contains(t))
        return {QStringLiteral("QString"), false};
    if (t == u"stdb::Timestamp")
        return {QStringLiteral("QDateTime"), false};
    if (t == u"stdb::TimeDuration")
        return {QStringLiteral("qint64"), false};
    if (t.startsWith(u"QList<"))
        return {QStringLiteral("QVariantList"), false};
    if (t.startsWith(u"stdb::SumResult<") || t == u"stdb::ScheduleAt")
        return {QStringLiteral("QVariantMap"), false};
    return {QStringLiteral("QVariant"), false}; // std::optional, stdb::Unit
}

bool GadgetEmitter::needsQmlValue() const {
    if (m_type.kind == GenType::Kind::Sum)
        return true;
    if (!isGadget())
        return false;
    for (const GenField &f : m_type.members)
        if (!property(f).member)
            return true;
    return false;
}

QString GadgetEmitter::classHead() const {
    QString out = QStringLiteral("    Q_GADGET\n");
    if (m_type.kind == GenType::Kind::Sum) {
        out += QStringLiteral("    Q_PROPERTY(Tag tag READ tag)\n");
        out += QStringLiteral("    Q_PROPERTY(QString variant READ qml_variant)\n");
        out += QStringLiteral("    Q_PROPERTY(QVariant value READ qml_value)\n");
    } else {
        for (const GenField &f : m_type.members) {
            const Property p = property(f);
            out +=
                p.member
                    ? QStringLiteral("    Q_PROPERTY(%1 %2 MEMBER %2)\n").arg(p.type, f.cppName)
                    : QStringLiteral("    Q_PROPERTY(%1 %2 READ qml_%2)\n").arg(p.type, f.cppName);
        }
    }
    return out + QStringLiteral("\npublic:\n");
}

QString GadgetEmitter::getterDeclarations() const {
    if (m_type.kind == GenType::Kind::Sum)
        return QStringLiteral(
            "    // What QML and item views see: tag (a number), variant (the variant's name as "
            "the module\n"
            "    // spells it) and value (the payload as stdb::QmlValue converts it; undefined "
            "without one).\n"
            "    QString qml_variant() const;\n"
            "    QVariant qml_value() const;\n");
    QString out;
    for (const GenField &f : m_type.members) {
        const Property p = property(f);
        if (!p.member)
            out += QStringLiteral("    %1 qml_%2() const;\n").arg(p.type, f.cppName);
    }
    if (out.isEmpty())
        return out;
    return QStringLiteral(
               "    // The fields QML cannot use as they are, converted by stdb::QmlValue "
               "(the properties'\n"
               "    // READ functions).\n") +
           out;
}

QString GadgetEmitter::getterDefinitions() const {
    const QString &name = m_type.cppName;
    QString out;
    if (m_type.kind == GenType::Kind::Sum) {
        out +=
            QStringLiteral("QString %1::qml_variant() const {\n    switch (tag()) {\n").arg(name);
        for (const GenField &f : m_type.members)
            out += QStringLiteral("    case Tag::%1:\n        return %2;\n")
                       .arg(f.pascalName,
                            CodeFormat::qstring(f.wireName.isEmpty() ? f.pascalName : f.wireName));
        out += QStringLiteral("    }\n    return {};\n}\n\n");
        out += QStringLiteral("QVariant %1::qml_value() const {\n    switch (tag()) {\n").arg(name);
        for (qsizetype i = 0; i < m_type.members.size(); ++i)
            out += QStringLiteral("    case Tag::%1:\n        return "
                                  "stdb::toQmlVariant(std::get<%2>(m_value));\n")
                       .arg(m_type.members[i].pascalName)
                       .arg(i);
        out += QStringLiteral("    }\n    return {};\n}\n\n");
        return out;
    }
    if (!isGadget())
        return out;
    for (const GenField &f : m_type.members) {
        const Property p = property(f);
        if (p.member)
            continue;
        out += QStringLiteral("%1 %2::qml_%3() const {\n    return stdb::toQml(%3);\n}\n\n")
                   .arg(p.type, name, f.cppName);
    }
    return out;
}

QString GadgetEmitter::enumDeclaration() const {
    const QString &name = m_type.cppName;
    const QString holder = enumHolder(name);
    QString out = QStringLiteral(
                      "// %1 holds the enum's meta-object: Q_ENUM, for QMetaEnum, QVariant and QML "
                      "(register it\n"
                      "// with qmlRegisterUncreatableMetaObject(%1::staticMetaObject, …)).\n")
                      .arg(holder);
    out += QStringLiteral("struct %1 {\n    Q_GADGET\n\npublic:\n").arg(holder);
    out += QStringLiteral("    enum class %1 : quint8 {\n").arg(name);
    for (const GenField &f : m_type.members)
        out += QStringLiteral("        %1,\n").arg(f.cppName);
    out += QStringLiteral("    };\n    Q_ENUM(%1)\n};\n").arg(name);
    out += QStringLiteral("using %1 = %2::%1;\n\n").arg(name, holder);
    out += QStringLiteral("// The variant's name as the module spells it.\n");
    out += QStringLiteral("QString toString(%1 value);\n").arg(name);
    return out;
}
