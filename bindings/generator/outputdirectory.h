// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/error.h"

#include <QByteArray>
#include <QMap>
#include <QString>

// Replaces the generated files in a directory all at once. Everything is written to a fresh
// sibling directory first; files in the target that the generator did not write (no generated
// marker on their first line: schema.json, a CMakeLists.txt, a README) are carried over; then
// the directories are swapped by two renames. Until the first rename the target is untouched;
// a failure at any step removes the temporary directory and leaves the target as it was.
// Generated files of tables or types that no longer exist disappear with the old directory.
class OutputDirectory {
public:
    explicit OutputDirectory(QString path);

    stdb::Error write(const QMap<QString, QByteArray> &files);

    // True if the file starts with the generated marker (as either comment style).
    static bool isGenerated(const QString &filePath);

private:
    QString m_path;
};
