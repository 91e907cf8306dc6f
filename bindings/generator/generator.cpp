// SPDX-License-Identifier: Apache-2.0
#include "generator.h"

#include "eventtableemitter.h"
#include "modelemitter.h"
#include "moduleemitter.h"
#include "tableemitter.h"
#include "typeemitter.h"

Generator::Generator(const GenModule &module)
    : m_module(module) {}

QMap<QString, QByteArray> Generator::files() const {
    QMap<QString, QByteArray> out;
    auto add = [&out](const QString &name, const QString &text) {
        out.insert(name, text.toUtf8());
    };
    for (const GenType &t : m_module.types) {
        const TypeEmitter e(m_module, t);
        add(t.fileStem + QStringLiteral(".h"), e.header());
        add(t.fileStem + QStringLiteral(".cpp"), e.source());
    }
    for (const GenTable &t : m_module.tables) {
        if (t.isEvent) {
            const EventTableEmitter e(m_module, t);
            add(t.fileStem + QStringLiteral(".h"), e.header());
            add(t.fileStem + QStringLiteral(".cpp"), e.source());
            continue;
        }
        const TableEmitter e(m_module, t);
        add(t.fileStem + QStringLiteral(".h"), e.header());
        add(t.fileStem + QStringLiteral(".cpp"), e.source());
        if (ModelEmitter::hasModel(t)) {
            const ModelEmitter model(m_module, t);
            add(ModelEmitter::fileStem(t) + QStringLiteral(".h"), model.header());
            add(ModelEmitter::fileStem(t) + QStringLiteral(".cpp"), model.source());
        }
    }
    const ModuleEmitter m(m_module);
    add(QStringLiteral("reducers.h"), m.reducersHeader());
    add(QStringLiteral("reducers.cpp"), m.reducersSource());
    if (!m_module.procedures.isEmpty()) {
        add(QStringLiteral("procedures.h"), m.proceduresHeader());
        add(QStringLiteral("procedures.cpp"), m.proceduresSource());
    }
    add(QStringLiteral("module.h"), m.moduleHeader());
    add(QStringLiteral("module.cpp"), m.moduleSource());
    QStringList names = out.keys(); // QMap: already sorted
    names.append(QStringLiteral("sources.cmake"));
    add(QStringLiteral("sources.cmake"), m.sourcesCmake(names));
    return out;
}
