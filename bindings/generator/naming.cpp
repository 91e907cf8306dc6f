// SPDX-License-Identifier: Apache-2.0
#include "naming.h"

#include <QSet>
#include <QStringList>

namespace {

// Splits a name into words at '_', '-', spaces, lower-to-upper changes and the end of an
// upper-case run ("HTTPRoute" -> "HTTP", "Route"). Digits stay with the word before them.
QStringList words(QStringView name) {
    QStringList out;
    QString cur;
    auto flush = [&] {
        if (!cur.isEmpty())
            out.append(cur);
        cur.clear();
    };
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        if (c == u'_' || c == u'-' || c == u' ' || c == u'.') {
            flush();
            continue;
        }
        if (c.isUpper() && !cur.isEmpty()) {
            const QChar prev = cur.back();
            const bool nextLower = i + 1 < name.size() && name[i + 1].isLower();
            if (prev.isLower() || prev.isDigit() || (prev.isUpper() && nextLower))
                flush();
        }
        cur.append(c);
    }
    flush();
    return out;
}

} // namespace

QString Naming::pascalCase(QStringView name) {
    QString out;
    for (const QString &w : words(name))
        out += w.front().toUpper() + w.mid(1);
    return out;
}

QString Naming::camelCase(QStringView name) {
    const QStringList ws = words(name);
    QString out;
    for (qsizetype i = 0; i < ws.size(); ++i) {
        const QString &w = ws[i];
        if (i == 0) {
            // A leading acronym is lowered as a whole ("HTTPRoute" -> "httpRoute").
            bool allUpper = true;
            for (QChar c : w)
                allUpper = allUpper && !c.isLower();
            out += allUpper ? w.toLower() : w.front().toLower() + w.mid(1);
        } else {
            out += w.front().toUpper() + w.mid(1);
        }
    }
    return out;
}

QString Naming::fileLocal(QStringView owner, QStringView name) {
    QString out = camelCase(owner);
    out += name.front().toUpper();
    out += name.mid(1);
    return out;
}

QString Naming::fileStem(QStringView cppName) {
    return cppName.toString().toLower();
}

bool Naming::isReserved(QStringView identifier) {
    static const QSet<QString> reserved = {
        // C++20 keywords and alternative tokens
        QStringLiteral("alignas"),
        QStringLiteral("alignof"),
        QStringLiteral("and"),
        QStringLiteral("and_eq"),
        QStringLiteral("asm"),
        QStringLiteral("auto"),
        QStringLiteral("bitand"),
        QStringLiteral("bitor"),
        QStringLiteral("bool"),
        QStringLiteral("break"),
        QStringLiteral("case"),
        QStringLiteral("catch"),
        QStringLiteral("char"),
        QStringLiteral("char8_t"),
        QStringLiteral("char16_t"),
        QStringLiteral("char32_t"),
        QStringLiteral("class"),
        QStringLiteral("compl"),
        QStringLiteral("concept"),
        QStringLiteral("const"),
        QStringLiteral("consteval"),
        QStringLiteral("constexpr"),
        QStringLiteral("constinit"),
        QStringLiteral("const_cast"),
        QStringLiteral("continue"),
        QStringLiteral("co_await"),
        QStringLiteral("co_return"),
        QStringLiteral("co_yield"),
        QStringLiteral("decltype"),
        QStringLiteral("default"),
        QStringLiteral("delete"),
        QStringLiteral("do"),
        QStringLiteral("double"),
        QStringLiteral("dynamic_cast"),
        QStringLiteral("else"),
        QStringLiteral("enum"),
        QStringLiteral("explicit"),
        QStringLiteral("export"),
        QStringLiteral("extern"),
        QStringLiteral("false"),
        QStringLiteral("float"),
        QStringLiteral("for"),
        QStringLiteral("friend"),
        QStringLiteral("goto"),
        QStringLiteral("if"),
        QStringLiteral("inline"),
        QStringLiteral("int"),
        QStringLiteral("long"),
        QStringLiteral("mutable"),
        QStringLiteral("namespace"),
        QStringLiteral("new"),
        QStringLiteral("noexcept"),
        QStringLiteral("not"),
        QStringLiteral("not_eq"),
        QStringLiteral("nullptr"),
        QStringLiteral("operator"),
        QStringLiteral("or"),
        QStringLiteral("or_eq"),
        QStringLiteral("private"),
        QStringLiteral("protected"),
        QStringLiteral("public"),
        QStringLiteral("register"),
        QStringLiteral("reinterpret_cast"),
        QStringLiteral("requires"),
        QStringLiteral("return"),
        QStringLiteral("short"),
        QStringLiteral("signed"),
        QStringLiteral("sizeof"),
        QStringLiteral("static"),
        QStringLiteral("static_assert"),
        QStringLiteral("static_cast"),
        QStringLiteral("struct"),
        QStringLiteral("switch"),
        QStringLiteral("template"),
        QStringLiteral("this"),
        QStringLiteral("thread_local"),
        QStringLiteral("throw"),
        QStringLiteral("true"),
        QStringLiteral("try"),
        QStringLiteral("typedef"),
        QStringLiteral("typeid"),
        QStringLiteral("typename"),
        QStringLiteral("union"),
        QStringLiteral("unsigned"),
        QStringLiteral("using"),
        QStringLiteral("virtual"),
        QStringLiteral("void"),
        QStringLiteral("volatile"),
        QStringLiteral("wchar_t"),
        QStringLiteral("while"),
        QStringLiteral("xor"),
        QStringLiteral("xor_eq"),
        QStringLiteral("final"),
        QStringLiteral("override"),
        QStringLiteral("import"),
        QStringLiteral("module"),
        // Qt keywords (macros) and names our generated code uses unqualified
        QStringLiteral("signals"),
        QStringLiteral("slots"),
        QStringLiteral("emit"),
        QStringLiteral("foreach"),
        QStringLiteral("forever"),
        QStringLiteral("stdb"),
        QStringLiteral("std"),
        QStringLiteral("qint8"),
        QStringLiteral("quint8"),
        QStringLiteral("qint16"),
        QStringLiteral("quint16"),
        QStringLiteral("qint32"),
        QStringLiteral("quint32"),
        QStringLiteral("qint64"),
        QStringLiteral("quint64"),
    };
    return reserved.contains(identifier.toString());
}

QString Naming::escape(const QString &identifier) {
    return isReserved(identifier) ? identifier + QLatin1Char('_') : identifier;
}

bool Naming::isIdentifierLike(QStringView name) {
    if (name.isEmpty() || name.front().isDigit())
        return false;
    for (QChar c : name)
        if (!(c.unicode() < 128 && (c.isLetterOrNumber() || c == u'_')))
            return false;
    return true;
}
