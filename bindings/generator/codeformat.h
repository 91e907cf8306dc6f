// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

// Small text helpers that make the generated code look the way clang-format would lay it out
// with the repository's .clang-format (LLVM base, 4 spaces, 100 columns), so that the output is
// tidy and byte-for-byte deterministic without running any tool.
class CodeFormat {
public:
    static constexpr int kColumnLimit = 100;
    // The first line of every generated file; also how the generator recognises its own files.
    static QString marker(const QString &commentLeader = QStringLiteral("//"));

    // head(params)tail on one line, or broken after commas with continuation lines aligned to
    // the opening parenthesis, or (when that does not fit either) continued on the next lines
    // indented by 4. `indent` is the column the first line starts at.
    static QString call(int indent, const QString &head, const QStringList &params,
                        const QString &tail, QChar open = u'(', QChar close = u')');
    // A C string literal ("user", with \" and \\ escaped and non-ASCII as \x escapes split so
    // they do not swallow following hex digits).
    static QString cString(const QString &text);
    // QStringLiteral("…") for the text.
    static QString qstring(const QString &text);
    // An include block: sorted, one per line, each `#include <x>` or `#include "x"`.
    static QString includeBlock(const QStringList &includes, bool angled);
    // The standard and Qt headers a type expression needs ("QList<QString>" -> QList, QString).
    static void headersFor(const QString &cppType, QSet<QString> *qt, QSet<QString> *std);
};
