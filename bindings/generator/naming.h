// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringView>

// How schema names become C++ names: types PascalCase, functions and fields camelCase, files
// lower case. Wire names are never changed; these are only the identifiers around them.
class Naming {
public:
    // "set_name" -> "SetName", "user" -> "User", "HTTPRoute" -> "HTTPRoute".
    static QString pascalCase(QStringView name);
    // "set_name" -> "setName", "User" -> "user", "HTTPRoute" -> "httpRoute".
    static QString camelCase(QStringView name);
    // ("ItemTable", "idKey") -> "itemTableIdKey": a helper local to the owner's generated .cpp.
    // Named after the owner (one per file), so that no two files of a module define the same
    // internal name and the bindings can be compiled as a unity build (CMAKE_UNITY_BUILD).
    static QString fileLocal(QStringView owner, QStringView name);
    // "SetNameArgs" -> "setnameargs" (the file name stem, Qt style).
    static QString fileStem(QStringView cppName);
    // True for C++ keywords and the Qt macros that break code when used as names
    // (signals, slots, emit, …).
    static bool isReserved(QStringView identifier);
    // Appends '_' to reserved identifiers.
    static QString escape(const QString &identifier);
    // ASCII letters, digits and '_' not starting with a digit: what we can turn into C++.
    static bool isIdentifierLike(QStringView name);
};
