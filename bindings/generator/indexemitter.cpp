// SPDX-License-Identifier: Apache-2.0
#include "indexemitter.h"

#include "codeformat.h"
#include "naming.h"

IndexEmitter::IndexEmitter(const GenModule &module, const GenTable &table)
    : m_module(module)
    , m_table(table) {}

bool IndexEmitter::isOrdered(const GenField &c) const {
    // TimeDuration has an order too, but no SQL literal (so no query builder column).
    if (c.isOrderedScalar() || c.cppType == QLatin1String("stdb::TimeDuration"))
        return true;
    const GenType *g = m_module.type(c.cppType);
    return g && g->kind == GenType::Kind::Enum;
}

QString IndexEmitter::keyFunction(const GenOrderedIndex &index) const {
    return Naming::fileLocal(m_table.cppClass,
                             Naming::pascalCase(index.name) + QStringLiteral("OrderKey"));
}

QString IndexEmitter::appendColumn(int column, const QString &value) const {
    if (isOrdered(m_table.columns[column]))
        return QStringLiteral("    stdb::orderkey::append(key, %1);\n").arg(value);
    return QStringLiteral("    key += stdb::toBsatn(%1);\n").arg(value);
}

QList<IndexEmitter::Lookup> IndexEmitter::lookups() const {
    QList<Lookup> out;
    for (const GenOrderedIndex &x : m_table.orderedIndexes) {
        const int n = int(x.columns.size());
        if (x.unique)
            out.append({Lookup::Kind::Find, &x, n});
        if (!x.btree) {
            out.append({Lookup::Kind::Equal, &x, n});
            continue;
        }
        // A single column's equality is the hash lookup (findBy/filterBy) generated already.
        for (int k = n == 1 ? 2 : 1; k <= n; ++k)
            out.append({Lookup::Kind::Equal, &x, k});
        for (int k = 0; k < n; ++k)
            if (isOrdered(m_table.columns[x.columns[k]]))
                out.append({Lookup::Kind::Range, &x, k});
    }
    return out;
}

QString IndexEmitter::signature(const Lookup &l, const QString &qualifier) const {
    QStringList ps;
    for (int k = 0; k < l.prefix; ++k) {
        const GenField &c = m_table.columns[l.index->columns[k]];
        ps << (c.byValue ? c.cppType + u' ' + c.cppName
                         : QStringLiteral("const %1 &%2").arg(c.cppType, c.cppName));
    }
    QString ret = QStringLiteral("QList<%1>").arg(m_table.rowType);
    QString name = QStringLiteral("filterBy");
    if (l.kind == Lookup::Kind::Range) {
        const GenField &c = m_table.columns[l.index->columns[l.prefix]];
        ps << QStringLiteral("const stdb::Bound<%1> &from").arg(c.cppType)
           << QStringLiteral("const stdb::Bound<%1> &to").arg(c.cppType);
    } else if (l.kind == Lookup::Kind::Find) {
        ret = QStringLiteral("std::optional<%1>").arg(m_table.rowType);
        name = QStringLiteral("findBy");
    }
    return CodeFormat::call(
        qualifier.isEmpty() ? 4 : 0,
        QStringLiteral("%1 %2%3%4").arg(ret, qualifier, name, l.index->method), ps,
        qualifier.isEmpty() ? QStringLiteral(" const;") : QStringLiteral(" const {"));
}

QString IndexEmitter::params(const Lookup &l) const {
    QStringList names;
    for (int k = 0; k < l.prefix; ++k)
        names << m_table.columns[l.index->columns[k]].wireName;
    return QStringLiteral("`") + names.join(QStringLiteral("`, `")) + u'`';
}

QString IndexEmitter::declarations() const {
    QString out;
    for (const Lookup &l : lookups()) {
        const GenOrderedIndex &x = *l.index;
        QString comment;
        switch (l.kind) {
        case Lookup::Kind::Find:
            comment = QStringLiteral("the row with the given %1 (unique), if it is cached.")
                          .arg(params(l));
            break;
        case Lookup::Kind::Equal:
            comment =
                QStringLiteral("the cached rows with the given %1, in index order.").arg(params(l));
            break;
        case Lookup::Kind::Range:
            comment =
                QStringLiteral("the cached rows %1whose `%2` is within [from, to] (each end "
                               "included, excluded or open), in index order.")
                    .arg(l.prefix ? QStringLiteral("with the given %1 ").arg(params(l)) : QString(),
                         m_table.columns[x.columns[l.prefix]].wireName);
            break;
        }
        comment = QStringLiteral("Index `%1`: ").arg(x.name) + comment;
        // Wrapped at the column limit, as clang-format would leave a comment.
        QString line = QStringLiteral("    //");
        for (const QString &word : comment.split(u' ')) {
            if (line.size() + 1 + word.size() > CodeFormat::kColumnLimit) {
                out += line + u'\n';
                line = QStringLiteral("    //");
            }
            line += u' ' + word;
        }
        out += line + u'\n' + signature(l, QString()) + u'\n';
    }
    return out;
}

QString IndexEmitter::privateDeclarations() const {
    return CodeFormat::call(4, QStringLiteral("QList<%1> rowsInRange").arg(m_table.rowType),
                            {QStringLiteral("const char *index"),
                             QStringLiteral("const QByteArray &from"),
                             QStringLiteral("const QByteArray &to")},
                            QStringLiteral(" const;")) +
           u'\n';
}

QString IndexEmitter::keyFunctions() const {
    const GenTable &t = m_table;
    QString out;
    for (const GenOrderedIndex &x : t.orderedIndexes) {
        out += QStringLiteral(
                   "// The order key of index `%1` for a row (spacetime/cache/orderkey.h).\n")
                   .arg(x.name);
        out += CodeFormat::call(0, QStringLiteral("QByteArray ") + keyFunction(x),
                                {QStringLiteral("QByteArrayView row")}, QStringLiteral(" {")) +
               u'\n';
        out += QStringLiteral("    stdb::BsatnReader r(row);\n");
        int last = 0;
        for (int c : x.columns)
            last = qMax(last, c);
        for (int i = 0; i <= last; ++i) {
            const GenField &c = t.columns[i];
            const bool wanted = x.columns.contains(i);
            if (wanted && isOrdered(c)) {
                out += QStringLiteral("    %1 column%2%3;\n    stdb::bsatnRead(r, column%2);\n")
                           .arg(c.cppType)
                           .arg(i)
                           .arg(c.byValue ? QStringLiteral("{}") : QString());
                continue;
            }
            if (wanted)
                out += QStringLiteral("    const qsizetype start%1 = r.localPosition();\n").arg(i);
            if (c.fixedSize >= 0)
                out += QStringLiteral("    r.readRaw(%1);\n").arg(c.fixedSize);
            else if (c.isString || c.cppType == u"QByteArray")
                out += QStringLiteral("    r.readBytesView();\n");
            else
                out += QStringLiteral("    %1 skipped%2%3;\n    stdb::bsatnRead(r, skipped%2);\n")
                           .arg(c.cppType)
                           .arg(i)
                           .arg(c.byValue ? QStringLiteral("{}") : QString());
            if (wanted)
                out += QStringLiteral("    const qsizetype end%1 = r.localPosition();\n").arg(i);
        }
        out += QStringLiteral("    if (!r.ok())\n        return QByteArray();\n");
        out += QStringLiteral("    QByteArray key;\n");
        for (int c : x.columns) {
            if (isOrdered(t.columns[c]))
                out += QStringLiteral("    stdb::orderkey::append(key, column%1);\n").arg(c);
            else
                out += QStringLiteral("    key += row.sliced(start%1, end%1 - start%1);\n").arg(c);
        }
        out += QStringLiteral("    return key;\n}\n\n");
    }
    return out;
}

QString IndexEmitter::configuration() const {
    QString out;
    for (const GenOrderedIndex &x : m_table.orderedIndexes)
        out +=
            CodeFormat::call(4, QStringLiteral("cache->addOrderedIndex"),
                             {CodeFormat::qstring(x.name), keyFunction(x)}, QStringLiteral(";")) +
            u'\n';
    return out;
}

QString IndexEmitter::definitions() const {
    const GenTable &t = m_table;
    QString out;
    for (const Lookup &l : lookups()) {
        const GenOrderedIndex &x = *l.index;
        out += signature(l, t.cppClass + QStringLiteral("::")) + u'\n';
        out += QStringLiteral("    QByteArray key;\n");
        for (int k = 0; k < l.prefix; ++k)
            out += appendColumn(x.columns[k], t.columns[x.columns[k]].cppName);
        const QString name = CodeFormat::cString(x.name);
        switch (l.kind) {
        case Lookup::Kind::Find:
            out +=
                CodeFormat::call(
                    4, QStringLiteral("const QList<%1> rows = rowsInRange").arg(t.rowType),
                    {name, QStringLiteral("key"), QStringLiteral("stdb::orderkey::successor(key)")},
                    QStringLiteral(";")) +
                u'\n';
            out += QStringLiteral("    if (rows.isEmpty())\n        return std::nullopt;\n");
            out += QStringLiteral("    return rows.front();\n}\n\n");
            break;
        case Lookup::Kind::Equal:
            out += CodeFormat::call(4, QStringLiteral("return rowsInRange"),
                                    {name, QStringLiteral("key"),
                                     QStringLiteral("stdb::orderkey::successor(key)")},
                                    QStringLiteral(";")) +
                   u'\n' + QStringLiteral("}\n\n");
            break;
        case Lookup::Kind::Range: {
            out += QStringLiteral("    const auto span = stdb::orderkey::span(key, from, to);\n");
            out += QStringLiteral("    if (!span)\n        return {};\n");
            out += CodeFormat::call(
                       4, QStringLiteral("return rowsInRange"),
                       {name, QStringLiteral("span->first"), QStringLiteral("span->second")},
                       QStringLiteral(";")) +
                   u'\n' + QStringLiteral("}\n\n");
            break;
        }
        }
    }
    out += CodeFormat::call(
               0, QStringLiteral("QList<%1> %2::rowsInRange").arg(t.rowType, t.cppClass),
               {QStringLiteral("const char *index"), QStringLiteral("const QByteArray &from"),
                QStringLiteral("const QByteArray &to")},
               QStringLiteral(" const {")) +
           u'\n';
    out += QStringLiteral("    QList<%1> out;\n").arg(t.rowType);
    out += QStringLiteral("    if (!cache())\n        return out;\n");
    out += QStringLiteral("    const QList<const stdb::RowEntry *> entries =\n"
                          "        cache()->range(QString::fromUtf8(index), from, to);\n");
    out += QStringLiteral("    out.reserve(entries.size());\n");
    out += QStringLiteral("    for (const stdb::RowEntry *entry : entries)\n");
    out += QStringLiteral("        if (std::optional<%1> row = decodeRow(entry->bytes()))\n")
               .arg(t.rowType);
    out += QStringLiteral("            out.append(std::move(*row));\n");
    out += QStringLiteral("    return out;\n}\n\n");
    return out;
}
