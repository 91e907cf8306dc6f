// SPDX-License-Identifier: Apache-2.0
#include "eventtableemitter.h"

#include "codeformat.h"
#include "queryemitter.h"
#include "tableemitter.h"

EventTableEmitter::EventTableEmitter(const GenModule &module, const GenTable &table)
    : m_module(module)
    , m_table(table) {}

QString EventTableEmitter::header() const {
    const GenTable &t = m_table;
    const QString &row = t.rowType;
    const QString ns = m_module.nameSpace;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(t.rowStem);
    out += QStringLiteral("#include \"spacetime/connection/tablehandle.h\"\n");
    out += QStringLiteral("#include \"spacetime/query/statement.h\"\n\n");
    out += CodeFormat::includeBlock({QStringLiteral("QByteArrayView")}, true) + u'\n';
    out += CodeFormat::includeBlock({QStringLiteral("optional")}, true) + u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(ns);
    out += QStringLiteral("// The `%1` event table: its rows are events, never kept in the cache. "
                          "Each one arrives\n"
                          "// once, as rowInserted with the event that produced it (a reducer "
                          "call, a transaction);\n"
                          "// count() stays 0 and there are no rows to read or find.\n")
               .arg(t.wireName);
    if (!t.isPublic)
        out += QStringLiteral("// Private: only the database owner can subscribe to it.\n");
    out += QStringLiteral("class %1 : public stdb::TableHandle {\n    Q_OBJECT\npublic:\n")
               .arg(t.cppClass);
    out += QStringLiteral("    using Row = %1;\n\n").arg(row);
    out += QStringLiteral("    // The wire name: what the server calls the table.\n");
    out += QStringLiteral("    static constexpr char kTableName[] = %1;\n\n")
               .arg(CodeFormat::cString(t.wireName));
    out += QStringLiteral("    // Registers the table with `connection` and becomes its child. "
                          "Construct it before the\n"
                          "    // event loop runs after build(), so that no rows arrive before the "
                          "table is known.\n");
    out += QStringLiteral("    explicit %1(stdb::DbConnection *connection);\n\n").arg(t.cppClass);
    out += QStringLiteral("    // Marks the table as an event table on a cache (the constructor "
                          "does this for its own);\n"
                          "    // for tools and tests that use a bare stdb::ClientCache.\n");
    out += QStringLiteral("    static void configureCache(stdb::TableCache *cache);\n");
    out += TableEmitter::decodeRowDeclarations(t) + u'\n';
    // The server filters event rows by a subscription's WHERE like table rows (the same
    // subscription plans run on the transaction's inserts, crates/subscription).
    out += QueryEmitter(m_module, t).declarations() + u'\n';
    out += QStringLiteral("Q_SIGNALS:\n");
    out += QStringLiteral("    // Once per event row, in the order the server sent them, after "
                          "the whole message is\n"
                          "    // in the cache.\n");
    out += CodeFormat::call(4, QStringLiteral("void rowInserted"),
                            {QStringLiteral("const %1::%2 &row").arg(ns, row),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(";")) +
           u'\n';
    out += QStringLiteral("\nprotected:\n");
    out += CodeFormat::call(4, QStringLiteral("void dispatch"),
                            {QStringLiteral("const stdb::TableDelta &delta"),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(" override;")) +
           u'\n';
    out += QStringLiteral("};\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(ns);
    return out;
}

QString EventTableEmitter::source() const {
    const GenTable &t = m_table;
    const QString &row = t.rowType;
    const QString &cls = t.cppClass;
    const QString wire = CodeFormat::cString(t.wireName).mid(1).chopped(1);
    QString out = CodeFormat::marker() + QStringLiteral("\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(t.fileStem);
    out += CodeFormat::includeBlock(
               {QStringLiteral("QLoggingCategory"), QStringLiteral("QMetaMethod")}, true) +
           u'\n';
    out += QStringLiteral("#include <utility>\n\n");
    out += QStringLiteral("namespace %1 {\n\nnamespace {\n\n").arg(m_module.nameSpace);
    out += QStringLiteral("Q_LOGGING_CATEGORY(lc%1, \"stdb.bindings\")\n\n").arg(cls);
    out += QStringLiteral("} // namespace\n\n");

    out += QStringLiteral("%1::%1(stdb::DbConnection *connection)\n").arg(cls);
    out += QStringLiteral("    : stdb::TableHandle(connection, QString::fromUtf8(kTableName)) {\n");
    out += QStringLiteral("    if (cache())\n        configureCache(cache());\n}\n\n");

    out += QStringLiteral("void %1::configureCache(stdb::TableCache *cache) {\n").arg(cls);
    out += QStringLiteral("    cache->setEventTable(true);\n}\n\n");

    out += TableEmitter::decodeRowDefinitions(t);

    out += CodeFormat::call(0, QStringLiteral("void %1::dispatch").arg(cls),
                            {QStringLiteral("const stdb::TableDelta &delta"),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(" {")) +
           u'\n';
    out += QStringLiteral(
        "    stdb::TableHandle::dispatch(delta, ctx); // the raw signals, for tools\n");
    out += QStringLiteral(
        "    // Nobody listening: nothing is decoded. The events are all there is: an event "
        "table's\n"
        "    // cache stores nothing, so delta.inserted is empty.\n");
    out += QStringLiteral("    static const QMetaMethod inserted = "
                          "QMetaMethod::fromSignal(&%1::rowInserted);\n")
               .arg(cls);
    out += QStringLiteral("    if (!isSignalConnected(inserted))\n        return;\n");
    out += QStringLiteral("    %1 row; // one value for all events: its buffers are reused\n")
               .arg(row);
    out += QStringLiteral("    for (QByteArrayView bytes : delta.events)\n");
    out += QStringLiteral("        if (decodeRow(bytes, row))\n");
    out += QStringLiteral("            Q_EMIT rowInserted(row, ctx);\n}\n");
    out += QStringLiteral("\n} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}
