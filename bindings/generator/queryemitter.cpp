// SPDX-License-Identifier: Apache-2.0
#include "queryemitter.h"

#include "codeformat.h"

QueryEmitter::QueryEmitter(const GenModule &module, const GenTable &table)
    : m_module(module)
    , m_table(table) {}

QString QueryEmitter::columnType(const GenField &column) {
    // What crates/expr parse() reads a literal as, and op_supports_type() compares: bool,
    // integers, floats, strings, bytes, Identity, ConnectionId, Timestamp, Uuid. Not Option,
    // sums, products, other arrays, TimeDuration.
    if (!column.isOrderedScalar())
        return {};
    return QStringLiteral("Col<%1>").arg(column.cppType);
}

QString QueryEmitter::declarations() const {
    const GenTable &t = m_table;
    QString out = QStringLiteral(
        "    // Typed columns for stdb::query conditions: query().where(Cols::column > value).\n"
        "    // Columns of types SQL has no literal for are left out.\n");
    QString members;
    for (qsizetype i = 0; i < t.columns.size(); ++i) {
        const GenField &c = t.columns[i];
        QString type = columnType(c);
        // An indexed column can also be one side of a semijoin's ON.
        if (!type.isEmpty() && t.joinColumns.contains(int(i)))
            type.prepend(QStringLiteral("Indexed"));
        if (!type.isEmpty())
            members += QStringLiteral("        static constexpr %1 %2{%3};\n")
                           .arg(type, c.cppName, CodeFormat::cString(c.wireName));
    }
    if (members.isEmpty()) {
        out += QStringLiteral("    struct Cols {};\n");
    } else {
        out += QStringLiteral("    struct Cols {\n");
        out += QStringLiteral("        template <typename T>\n");
        out += QStringLiteral("        using Col = stdb::query::Col<%1, T>;\n").arg(t.cppClass);
        if (members.contains(u"IndexedCol<"))
            out += QStringLiteral("        template <typename T>\n"
                                  "        using IndexedCol = stdb::query::IndexedCol<%1, T>;\n")
                       .arg(t.cppClass);
        out += members + QStringLiteral("    };\n");
    }
    if (t.isEvent)
        out += QStringLiteral(
            "    // An event table: a semijoin reads it in FROM, never as the lookup table.\n"
            "    static constexpr stdb::query::SourceKind kSourceKind = "
            "stdb::query::SourceKind::EventTable;\n");
    else if (t.isView)
        out += QStringLiteral(
            "    // A view: its scan always has the server's filter on the view arguments.\n"
            "    static constexpr stdb::query::SourceKind kSourceKind = "
            "stdb::query::SourceKind::View;\n");
    out +=
        QStringLiteral("    // SELECT * FROM this table, for subscriptions and one-off queries.\n");
    out +=
        CodeFormat::call(4, QStringLiteral("static stdb::query::Query<%1> query").arg(t.cppClass),
                         {}, QStringLiteral(" { return {}; }")) +
        u'\n';
    Q_UNUSED(m_module);
    return out;
}
