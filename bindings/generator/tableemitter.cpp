// SPDX-License-Identifier: Apache-2.0
#include "tableemitter.h"

#include "codeformat.h"
#include "indexemitter.h"
#include "modelemitter.h"
#include "naming.h"
#include "queryemitter.h"

TableEmitter::TableEmitter(const GenModule &module, const GenTable &table)
    : m_module(module)
    , m_table(table) {}

QString TableEmitter::keyFunction(int column) const {
    return Naming::fileLocal(m_table.cppClass,
                             m_table.columns[column].cppName + QStringLiteral("Key"));
}

QString TableEmitter::classComment() const {
    const GenTable &t = m_table;
    QStringList lines;
    lines << QStringLiteral(
                 "// The `%1` %2: its cached rows as %3 values, decoded when read, and typed")
                 .arg(t.wireName, t.isView ? QStringLiteral("view") : QStringLiteral("table"),
                      t.rowType)
          << QStringLiteral("// signals for every change the server reports.");
    if (t.isView && t.isAnonymousView)
        lines << QStringLiteral("// A view: subscribed to by name like a table. Anonymous: every "
                                "subscriber gets the same rows.");
    else if (t.isView)
        lines << QStringLiteral("// A view: subscribed to by name like a table. Per subscriber: "
                                "the server computes its")
              << QStringLiteral("// rows for this connection's identity.");
    if (t.primaryKey >= 0)
        lines << QStringLiteral("// Primary key `%1`: a row replaced by one with the same key "
                                "arrives as rowUpdated.")
                     .arg(t.columns[t.primaryKey].wireName);
    else
        lines << QStringLiteral(
            "// No primary key: a changed row arrives as rowDeleted + rowInserted.");
    if (!t.scheduledReducer.isEmpty())
        lines << QStringLiteral("// Scheduled: each row calls %1 `%2` at the time in column `%3`.")
                     .arg(t.scheduledIsProcedure ? QStringLiteral("procedure")
                                                 : QStringLiteral("reducer"),
                          t.scheduledReducer, t.scheduledAtColumn);
    if (!t.isPublic)
        lines << QStringLiteral("// Private: only the database owner can subscribe to it.");
    for (const QString &skipped : t.skippedIndexes)
        lines
            << QStringLiteral(
                   "// Multi-column index or constraint `%1` has no lookup here (filter yourself).")
                   .arg(skipped);
    QString out;
    for (const QString &l : lines)
        out += l + u'\n';
    return out;
}

QString TableEmitter::scheduleConstants() const {
    const GenTable &t = m_table;
    if (t.scheduledReducer.isEmpty())
        return {};
    const QString kind =
        t.scheduledIsProcedure ? QStringLiteral("Procedure") : QStringLiteral("Reducer");
    QString out =
        QStringLiteral("    // The %1 each row schedules (wire name; clients normally do not "
                       "call it) and the\n"
                       "    // ScheduleAt column that says when.\n")
            .arg(kind.toLower());
    out += QStringLiteral("    static constexpr char kScheduled%1[] = %2;\n")
               .arg(kind, CodeFormat::cString(t.scheduledReducer));
    out += QStringLiteral("    static constexpr char kScheduledAtColumn[] = %1;\n\n")
               .arg(CodeFormat::cString(t.scheduledAtColumn));
    return out;
}

QString TableEmitter::lookupDeclaration(const GenIndex &x) const {
    const GenField &c = m_table.columns[x.column];
    const QString param = c.byValue ? c.cppType + u' ' + c.cppName
                                    : QStringLiteral("const %1 &%2").arg(c.cppType, c.cppName);
    QString out;
    if (x.unique) {
        out += QStringLiteral("    // The row whose `%1` is `%2`, if it is cached.\n")
                   .arg(c.wireName, c.cppName);
        out += CodeFormat::call(
            4, QStringLiteral("std::optional<%1> %2").arg(m_table.rowType, x.method), {param},
            QStringLiteral(" const;"));
    } else {
        out += QStringLiteral("    // The cached rows whose `%1` is `%2`.\n")
                   .arg(c.wireName, c.cppName);
        out += CodeFormat::call(4, QStringLiteral("QList<%1> %2").arg(m_table.rowType, x.method),
                                {param}, QStringLiteral(" const;"));
    }
    return out + u'\n';
}

QString TableEmitter::header() const {
    const GenTable &t = m_table;
    const QString &row = t.rowType;
    const QString ns = m_module.nameSpace;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(t.rowStem);
    if (!IndexEmitter(m_module, t).isEmpty())
        out += QStringLiteral("#include \"spacetime/cache/orderkey.h\"\n");
    out += QStringLiteral("#include \"spacetime/connection/tablehandle.h\"\n");
    out += QStringLiteral("#include \"spacetime/query/statement.h\"\n\n");
    out += CodeFormat::includeBlock({QStringLiteral("QByteArrayView"), QStringLiteral("QList")},
                                    true) +
           u'\n';
    // utility: std::as_const in forEach, std::pair in Changes.
    const QStringList std{QStringLiteral("optional"), QStringLiteral("utility")};
    out += CodeFormat::includeBlock(std, true) + u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(ns);
    if (ModelEmitter::hasModel(t))
        out += QStringLiteral("class %1;\n\n").arg(ModelEmitter::className(t));
    out += classComment();
    out += QStringLiteral("class %1 : public stdb::TableHandle {\n    Q_OBJECT\npublic:\n")
               .arg(t.cppClass);
    out += QStringLiteral("    using Row = %1;\n").arg(row);
    out += QStringLiteral(
        "    // Everything one server message changed in this table, each row decoded once.\n");
    out += QStringLiteral("    struct Changes {\n");
    out += QStringLiteral("        QList<%1> deleted;\n").arg(row);
    if (hasUpdates())
        out += QStringLiteral("        QList<std::pair<%1, %1>> updated; // (old row, new row)\n")
                   .arg(row);
    out += QStringLiteral("        QList<%1> inserted;\n    };\n\n").arg(row);
    out += t.isView ? QStringLiteral("    // The wire name: what the server calls the view (its "
                                     "rows arrive under it).\n")
                    : QStringLiteral("    // The wire name: what the server calls the table.\n");
    out += QStringLiteral("    static constexpr char kTableName[] = %1;\n\n")
               .arg(CodeFormat::cString(t.wireName));
    out += scheduleConstants();
    out += QStringLiteral("    // Registers the table with `connection` and becomes its child. "
                          "Construct it before the\n"
                          "    // event loop runs after build(), so that no rows arrive before the "
                          "table is known.\n");
    out += QStringLiteral("    explicit %1(stdb::DbConnection *connection);\n\n").arg(t.cppClass);
    out +=
        QStringLiteral("    // Sets up the keys and indexes of this table on a cache (the "
                       "constructor does this for\n"
                       "    // its own); for tools and tests that use a bare stdb::ClientCache.\n");
    out += QStringLiteral("    static void configureCache(stdb::TableCache *cache);\n");
    out += decodeRowDeclarations(t) + u'\n';
    out += QStringLiteral("    // Calls f(const %1 &) for every cached row, decoding one row at a "
                          "time (nothing is\n"
                          "    // copied up front). The order is unspecified.\n")
               .arg(row);
    out += QStringLiteral("    template <typename F>\n    void forEach(F &&f) const;\n");
    out += QStringLiteral("    // A copy of every cached row, in no particular order.\n");
    out += QStringLiteral("    QList<%1> rows() const;\n").arg(row);
    if (ModelEmitter::hasModel(t))
        out += ModelEmitter::handleDeclaration(t);
    for (const GenIndex &x : t.lookups)
        out += lookupDeclaration(x).prepend(u'\n').chopped(1) + u'\n';
    const IndexEmitter indexes(m_module, t);
    if (!indexes.isEmpty())
        out += u'\n' + indexes.declarations();
    out += u'\n' + QueryEmitter(m_module, t).declarations();
    out += QStringLiteral("\nQ_SIGNALS:\n");
    out += QStringLiteral("    // Per row, after the cache holds the whole message; per message "
                          "the order is deletes,\n"
                          "    // %1inserts, then rowsChanged with all of them.\n")
               .arg(hasUpdates() ? QStringLiteral("updates, ") : QString());
    const QString q = ns + QStringLiteral("::") + row;
    out += CodeFormat::call(4, QStringLiteral("void rowDeleted"),
                            {QStringLiteral("const %1 &row").arg(q),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(";")) +
           u'\n';
    if (hasUpdates())
        out += CodeFormat::call(4, QStringLiteral("void rowUpdated"),
                                {QStringLiteral("const %1 &oldRow").arg(q),
                                 QStringLiteral("const %1 &newRow").arg(q),
                                 QStringLiteral("const stdb::EventContext &ctx")},
                                QStringLiteral(";")) +
               u'\n';
    out += CodeFormat::call(4, QStringLiteral("void rowInserted"),
                            {QStringLiteral("const %1 &row").arg(q),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(";")) +
           u'\n';
    out += QStringLiteral(
        "    // The same changes in one batch, for models that update once per message.\n");
    out += CodeFormat::call(4, QStringLiteral("void rowsChanged"),
                            {QStringLiteral("const %1::%2::Changes &changes").arg(ns, t.cppClass),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(";")) +
           u'\n';
    out += QStringLiteral("\nprotected:\n");
    out += CodeFormat::call(4, QStringLiteral("void dispatch"),
                            {QStringLiteral("const stdb::TableDelta &delta"),
                             QStringLiteral("const stdb::EventContext &ctx")},
                            QStringLiteral(" override;")) +
           u'\n';
    out += QStringLiteral("\nprivate:\n");
    out += QStringLiteral(
        "    // Every row `delta` changed, decoded once: what rowsChanged carries.\n");
    out += QStringLiteral("    static Changes decodeChanges(const stdb::TableDelta &delta);\n");
    if (!indexes.isEmpty())
        out +=
            QStringLiteral("    // The rows of an ordered index whose keys are in [from, to).\n") +
            indexes.privateDeclarations();
    out += QStringLiteral("};\n\n");
    out +=
        QStringLiteral("template <typename F>\nvoid %1::forEach(F &&f) const {\n").arg(t.cppClass);
    out += QStringLiteral("    if (!cache())\n        return;\n");
    out +=
        QStringLiteral("    %1 row; // one value for all rows: its buffers are reused\n").arg(row);
    out += QStringLiteral("    cache()->forEach([&f, &row](const stdb::RowEntry &entry) {\n");
    out += QStringLiteral("        if (decodeRow(entry.bytes(), row))\n");
    out += QStringLiteral("            f(std::as_const(row));\n    });\n}\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(ns);
    return out;
}

QString TableEmitter::keyExtractor(int column) const {
    const GenTable &t = m_table;
    QString out =
        QStringLiteral("// The BSATN of column `%1` inside a row: the key the cache indexes.\n")
            .arg(t.columns[column].wireName);
    out += CodeFormat::call(0, QStringLiteral("QByteArrayView ") + keyFunction(column),
                            {QStringLiteral("QByteArrayView row")}, QStringLiteral(" {")) +
           u'\n';
    out += QStringLiteral("    stdb::BsatnReader r(row);\n");
    auto skip = [&](const GenField &c, int i) {
        if (c.fixedSize >= 0)
            return QStringLiteral("    r.readRaw(%1);\n").arg(c.fixedSize);
        if (c.isString || c.cppType == u"QByteArray")
            return QStringLiteral("    r.readBytesView();\n");
        return QStringLiteral("    %1 column%2%3;\n    stdb::bsatnRead(r, column%2);\n")
            .arg(c.cppType)
            .arg(i)
            .arg(c.byValue ? QStringLiteral("{}") : QString());
    };
    for (int i = 0; i < column; ++i)
        out += skip(t.columns[i], i);
    out += QStringLiteral("    const qsizetype start = r.localPosition();\n");
    out += skip(t.columns[column], column);
    out += QStringLiteral("    return r.ok() ? row.sliced(start, r.localPosition() - start) : "
                          "QByteArrayView();\n}\n\n");
    return out;
}

QString TableEmitter::lookupDefinition(const GenIndex &x) const {
    const GenTable &t = m_table;
    const GenField &c = t.columns[x.column];
    const QString param = c.byValue ? c.cppType + u' ' + c.cppName
                                    : QStringLiteral("const %1 &%2").arg(c.cppType, c.cppName);
    QString out;
    if (x.unique) {
        out +=
            CodeFormat::call(
                0, QStringLiteral("std::optional<%1> %2::%3").arg(t.rowType, t.cppClass, x.method),
                {param}, QStringLiteral(" const {")) +
            u'\n';
        out += QStringLiteral("    if (!cache())\n        return std::nullopt;\n");
        out += QStringLiteral("    const QByteArray key = stdb::toBsatn(%1);\n").arg(c.cppName);
        out += CodeFormat::call(
                   4, QStringLiteral("const stdb::RowEntry *entry = cache()->findUnique"),
                   {CodeFormat::qstring(c.wireName), QStringLiteral("key")}, QStringLiteral(";")) +
               u'\n';
        out += QStringLiteral("    if (!entry)\n        return std::nullopt;\n");
        out += QStringLiteral("    return decodeRow(entry->bytes());\n}\n\n");
    } else {
        out += CodeFormat::call(
                   0, QStringLiteral("QList<%1> %2::%3").arg(t.rowType, t.cppClass, x.method),
                   {param}, QStringLiteral(" const {")) +
               u'\n';
        out += QStringLiteral("    QList<%1> out;\n").arg(t.rowType);
        out += QStringLiteral("    if (!cache())\n        return out;\n");
        out += QStringLiteral("    const QByteArray key = stdb::toBsatn(%1);\n").arg(c.cppName);
        out +=
            CodeFormat::call(
                4, QStringLiteral("const QList<const stdb::RowEntry *> entries = cache()->filter"),
                {CodeFormat::qstring(c.wireName), QStringLiteral("key")}, QStringLiteral(";")) +
            u'\n';
        out += QStringLiteral("    out.reserve(entries.size());\n");
        out += QStringLiteral("    for (const stdb::RowEntry *entry : entries)\n");
        out += QStringLiteral("        if (!decodeRow(entry->bytes(), out.emplace_back()))\n");
        out += QStringLiteral("            out.removeLast();\n");
        out += QStringLiteral("    return out;\n}\n\n");
    }
    return out;
}

QString TableEmitter::decodeChangesDefinition() const {
    const GenTable &t = m_table;
    QString out =
        CodeFormat::call(0, QStringLiteral("%1::Changes %1::decodeChanges").arg(t.cppClass),
                         {QStringLiteral("const stdb::TableDelta &delta")}, QStringLiteral(" {")) +
        u'\n';
    out += QStringLiteral("    // Each row decoded in its place in the lists; one that does not "
                          "decode is taken out\n"
                          "    // again.\n");
    out += QStringLiteral("    Changes changes;\n");
    out += QStringLiteral("    changes.deleted.reserve(delta.deleted.size());\n");
    out += QStringLiteral("    for (const stdb::RowEntry *entry : delta.deleted)\n");
    out +=
        QStringLiteral("        if (!decodeRow(entry->bytes(), changes.deleted.emplace_back()))\n");
    out += QStringLiteral("            changes.deleted.removeLast();\n");
    if (hasUpdates()) {
        out += QStringLiteral("    changes.updated.reserve(delta.updated.size());\n");
        out += QStringLiteral("    for (const auto &[oldEntry, newEntry] : delta.updated) {\n");
        out += QStringLiteral("        auto &[oldRow, newRow] = changes.updated.emplace_back();\n");
        out += QStringLiteral("        const bool oldOk = decodeRow(oldEntry->bytes(), oldRow);\n");
        out += QStringLiteral("        const bool newOk = decodeRow(newEntry->bytes(), newRow);\n");
        out += QStringLiteral("        if (!oldOk || !newOk)\n");
        out += QStringLiteral("            changes.updated.removeLast();\n    }\n");
    }
    out += QStringLiteral(
        "    changes.inserted.reserve(delta.inserted.size() + delta.events.size());\n");
    out += QStringLiteral("    for (const stdb::RowEntry *entry : delta.inserted)\n");
    out += QStringLiteral(
        "        if (!decodeRow(entry->bytes(), changes.inserted.emplace_back()))\n");
    out += QStringLiteral("            changes.inserted.removeLast();\n");
    out += QStringLiteral("    for (QByteArrayView bytes : delta.events)\n");
    out += QStringLiteral("        if (!decodeRow(bytes, changes.inserted.emplace_back()))\n");
    out += QStringLiteral("            changes.inserted.removeLast();\n");
    out += QStringLiteral("    return changes;\n}\n\n");
    return out;
}

QString TableEmitter::dispatchDefinition() const {
    const GenTable &t = m_table;
    const QString &row = t.rowType;
    const QString &cls = t.cppClass;
    QString out = CodeFormat::call(0, QStringLiteral("void %1::dispatch").arg(cls),
                                   {QStringLiteral("const stdb::TableDelta &delta"),
                                    QStringLiteral("const stdb::EventContext &ctx")},
                                   QStringLiteral(" {")) +
                  u'\n';
    out += QStringLiteral(
        "    stdb::TableHandle::dispatch(delta, ctx); // the raw signals, for tools\n");
    QStringList signalNames{QStringLiteral("rowDeleted")};
    QStringList enumerators{QStringLiteral("Deleted")};
    if (hasUpdates()) {
        signalNames << QStringLiteral("rowUpdated");
        enumerators << QStringLiteral("Updated");
    }
    signalNames << QStringLiteral("rowInserted") << QStringLiteral("rowsChanged");
    enumerators << QStringLiteral("Inserted") << QStringLiteral("Batch");
    out += QStringLiteral("    static const QMetaMethod signal[] = {\n");
    for (const QString &s : signalNames)
        out += QStringLiteral("        QMetaMethod::fromSignal(&%1::%2),\n").arg(cls, s);
    out += QStringLiteral("    };\n");
    out += QStringLiteral("    enum { %1 };\n").arg(enumerators.join(QStringLiteral(", ")));
    out += QStringLiteral("    if (isSignalConnected(signal[Batch])) {\n");
    out += QStringLiteral("        const Changes changes = decodeChanges(delta);\n");
    out += QStringLiteral("        for (const %1 &row : changes.deleted)\n").arg(row);
    out += QStringLiteral("            Q_EMIT rowDeleted(row, ctx);\n");
    if (hasUpdates()) {
        out += QStringLiteral("        for (const auto &[oldRow, newRow] : changes.updated)\n");
        out += QStringLiteral("            Q_EMIT rowUpdated(oldRow, newRow, ctx);\n");
    }
    out += QStringLiteral("        for (const %1 &row : changes.inserted)\n").arg(row);
    out += QStringLiteral("            Q_EMIT rowInserted(row, ctx);\n");
    out += QStringLiteral("        Q_EMIT rowsChanged(changes, ctx);\n");
    out += QStringLiteral("        return;\n    }\n");
    out += QStringLiteral(
        "    // Per-row listeners only: each row is decoded right before its signal instead of\n"
        "    // holding every decoded row of the message at once (for a million-row snapshot, a\n"
        "    // few hundred MB of short-lived strings), and into one value for all rows, so its\n"
        "    // strings reuse their buffers unless a slot kept a copy. Decoding is the expensive\n"
        "    // part, so rows of a kind nobody listens to are not decoded at all.\n");
    out += QStringLiteral("    %1 row;\n").arg(row);
    out += QStringLiteral("    if (isSignalConnected(signal[Deleted]))\n");
    out += QStringLiteral("        for (const stdb::RowEntry *entry : delta.deleted)\n");
    out += QStringLiteral("            if (decodeRow(entry->bytes(), row))\n");
    out += QStringLiteral("                Q_EMIT rowDeleted(row, ctx);\n");
    if (hasUpdates()) {
        out += QStringLiteral("    if (isSignalConnected(signal[Updated])) {\n");
        out += QStringLiteral("        %1 newRow;\n").arg(row);
        out += QStringLiteral("        for (const auto &[oldEntry, newEntry] : delta.updated) {\n");
        out +=
            QStringLiteral("            const bool oldOk = decodeRow(oldEntry->bytes(), row);\n");
        out += QStringLiteral(
            "            const bool newOk = decodeRow(newEntry->bytes(), newRow);\n");
        out += QStringLiteral("            if (oldOk && newOk)\n");
        out += QStringLiteral("                Q_EMIT rowUpdated(row, newRow, ctx);\n");
        out += QStringLiteral("        }\n    }\n");
    }
    out += QStringLiteral("    if (isSignalConnected(signal[Inserted])) {\n");
    out += QStringLiteral("        for (const stdb::RowEntry *entry : delta.inserted)\n");
    out += QStringLiteral("            if (decodeRow(entry->bytes(), row))\n");
    out += QStringLiteral("                Q_EMIT rowInserted(row, ctx);\n");
    out += QStringLiteral("        for (QByteArrayView bytes : delta.events)\n");
    out += QStringLiteral("            if (decodeRow(bytes, row))\n");
    out += QStringLiteral("                Q_EMIT rowInserted(row, ctx);\n    }\n");
    out += QStringLiteral(
        "    // A row slot may have connected rowsChanged meanwhile: it still gets the batch.\n");
    out += QStringLiteral("    if (isSignalConnected(signal[Batch]))\n");
    out += QStringLiteral("        Q_EMIT rowsChanged(decodeChanges(delta), ctx);\n}\n");
    return out;
}

QString TableEmitter::decodeRowDeclarations(const GenTable &t) {
    QString out = QStringLiteral(
        "    // One row from its BSATN; nullopt (and a warning) when the bytes do not decode.\n");
    out += QStringLiteral("    static std::optional<%1> decodeRow(QByteArrayView bytes);\n")
               .arg(t.rowType);
    out += QStringLiteral("    // The same into `row`, reusing its strings' and lists' buffers "
                          "(decoding row after row\n"
                          "    // into one value allocates little); false (and a warning) when "
                          "the bytes do not decode,\n"
                          "    // `row` then holds no meaningful value.\n");
    out += QStringLiteral("    static bool decodeRow(QByteArrayView bytes, %1 &row);\n")
               .arg(t.rowType);
    return out;
}

QString TableEmitter::decodeRowDefinitions(const GenTable &t) {
    const QString &row = t.rowType;
    const QString &cls = t.cppClass;
    const QString wire = CodeFormat::cString(t.wireName).mid(1).chopped(1);
    QString out =
        QStringLiteral("std::optional<%1> %2::decodeRow(QByteArrayView bytes) {\n").arg(row, cls);
    out += QStringLiteral("    std::optional<%1> row(std::in_place);\n").arg(row);
    out += QStringLiteral("    if (!decodeRow(bytes, *row))\n        return std::nullopt;\n");
    out += QStringLiteral("    return row;\n}\n\n");
    out += QStringLiteral("bool %1::decodeRow(QByteArrayView bytes, %2 &row) {\n").arg(cls, row);
    out += QStringLiteral("    stdb::BsatnReader r(bytes);\n");
    out += QStringLiteral("    stdb::bsatnRead(r, row);\n");
    out += QStringLiteral("    if (r.expectEnd(\"%1 row\"))\n        return true;\n").arg(wire);
    out += QStringLiteral("    qCWarning(lc%1).noquote()\n").arg(cls);
    out += QStringLiteral("        << \"cannot decode a row of table %1 (are the bindings out of "
                          "date?):\"\n")
               .arg(wire);
    out += QStringLiteral("        << r.error().toString();\n");
    out += QStringLiteral("    return false;\n}\n\n");
    return out;
}

QString TableEmitter::source() const {
    const GenTable &t = m_table;
    const QString &row = t.rowType;
    const QString &cls = t.cppClass;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n");
    out += QStringLiteral("#include \"%1.h\"\n\n").arg(t.fileStem);
    out += CodeFormat::includeBlock(
               {QStringLiteral("QLoggingCategory"), QStringLiteral("QMetaMethod")}, true) +
           u'\n';
    out += QStringLiteral("#include <utility>\n\n");
    out += QStringLiteral("namespace %1 {\n\nnamespace {\n\n").arg(m_module.nameSpace);
    out += QStringLiteral("Q_LOGGING_CATEGORY(lc%1, \"stdb.bindings\")\n\n").arg(cls);
    QList<int> keyColumns;
    if (t.primaryKey >= 0)
        keyColumns << t.primaryKey;
    for (const GenIndex &x : t.lookups)
        if (!keyColumns.contains(x.column))
            keyColumns << x.column;
    for (int c : keyColumns)
        out += keyExtractor(c);
    const IndexEmitter indexes(m_module, t);
    out += indexes.keyFunctions();
    out += QStringLiteral("} // namespace\n\n");

    out += QStringLiteral("%1::%1(stdb::DbConnection *connection)\n").arg(cls);
    out += QStringLiteral("    : stdb::TableHandle(connection, QString::fromUtf8(kTableName)) {\n");
    out += QStringLiteral("    if (cache())\n        configureCache(cache());\n}\n\n");

    const bool configures = !keyColumns.isEmpty() || !indexes.isEmpty();
    out += QStringLiteral("void %1::configureCache(stdb::TableCache *%2) {")
               .arg(cls, configures ? QStringLiteral("cache") : QString());
    out += configures ? QStringLiteral("\n") : QString();
    if (t.primaryKey >= 0)
        out += CodeFormat::call(4, QStringLiteral("cache->setPrimaryKey"),
                                {CodeFormat::qstring(t.columns[t.primaryKey].wireName),
                                 keyFunction(t.primaryKey)},
                                QStringLiteral(";")) +
               u'\n';
    for (const GenIndex &x : t.lookups) {
        if (x.column == t.primaryKey)
            continue;
        out += CodeFormat::call(4, QStringLiteral("cache->addIndex"),
                                {CodeFormat::qstring(t.columns[x.column].wireName),
                                 keyFunction(x.column),
                                 x.unique ? QStringLiteral("true") : QStringLiteral("false")},
                                QStringLiteral(";")) +
               u'\n';
    }
    out += indexes.configuration();
    out += QStringLiteral("}\n\n");

    out += decodeRowDefinitions(t);

    out += QStringLiteral("QList<%1> %2::rows() const {\n").arg(row, cls);
    out += QStringLiteral("    QList<%1> out;\n").arg(row);
    out += QStringLiteral("    if (!cache())\n        return out;\n");
    out += QStringLiteral("    out.reserve(count());\n");
    out += QStringLiteral("    cache()->forEach([&out](const stdb::RowEntry &entry) {\n");
    out += QStringLiteral("        if (!decodeRow(entry.bytes(), out.emplace_back()))\n");
    out += QStringLiteral("            out.removeLast();\n    });\n");
    out += QStringLiteral("    return out;\n}\n\n");
    for (const GenIndex &x : t.lookups)
        out += lookupDefinition(x);
    if (!indexes.isEmpty())
        out += indexes.definitions();
    out += decodeChangesDefinition();
    out += dispatchDefinition();
    out += QStringLiteral("\n} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}
