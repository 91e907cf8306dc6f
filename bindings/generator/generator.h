// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "schemamodel.h"

#include <QByteArray>
#include <QMap>
#include <QString>

// Turns a checked GenModule into the generated files: file name -> contents. Pure and
// deterministic: the same module always gives the same bytes.
class Generator {
public:
    explicit Generator(const GenModule &module);
    QMap<QString, QByteArray> files() const;

private:
    const GenModule &m_module;
};
