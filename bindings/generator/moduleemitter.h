// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QStringList>

// Writes the module-wide files: the Reducers class (typed reducer calls and result signals),
// the Module class (all table handles plus the reducers, bound to one connection) and
// sources.cmake (the list of generated sources for a build).
class ModuleEmitter {
public:
    explicit ModuleEmitter(const GenModule &module);

    QString reducersHeader() const;
    QString reducersSource() const;
    // Only when the module has procedures.
    QString proceduresHeader() const;
    QString proceduresSource() const;
    QString moduleHeader() const;
    QString moduleSource() const;
    // `files` are the generated file names, sorted.
    QString sourcesCmake(const QStringList &files) const;

private:
    static QStringList params(const QList<GenField> &fields);
    // stdb::ReducerCallback, or ReturnCallback<T> for a reducer that returns a T.
    static QString callbackType(const GenReducer &r);
    // A C++ type with the generated types in it namespace-qualified.
    QString qualified(const QString &cppType) const;

    const GenModule &m_module;
};
