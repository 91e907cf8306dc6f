// SPDX-License-Identifier: Apache-2.0
#include "moduleemitter.h"

#include "codeformat.h"

#include <QSet>

ModuleEmitter::ModuleEmitter(const GenModule &module)
    : m_module(module) {}

QStringList ModuleEmitter::params(const QList<GenField> &fields) {
    QStringList out;
    for (const GenField &f : fields)
        out << (f.byValue ? f.cppType + u' ' + f.cppName
                          : QStringLiteral("const %1 &%2").arg(f.cppType, f.cppName));
    return out;
}

QString ModuleEmitter::callbackType(const GenReducer &r) {
    return r.returnType.isEmpty() ? QStringLiteral("stdb::ReducerCallback")
                                  : QStringLiteral("ReturnCallback<%1>").arg(r.returnType);
}

QString ModuleEmitter::qualified(const QString &cppType) const {
    return m_module.qualified(cppType);
}

QString ModuleEmitter::reducersHeader() const {
    const QString ns = m_module.nameSpace;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    QSet<QString> own;
    QSet<QString> qt{QStringLiteral("QObject"), QStringLiteral("QPointer")};
    QSet<QString> std;
    bool returns = false; // a reducer with a typed return value
    for (const GenReducer &r : m_module.reducers) {
        own.insert(r.argsStem + QStringLiteral(".h"));
        if (r.returnType.isEmpty())
            continue;
        returns = true;
        for (const QString &stem : r.returnTypeHeaders)
            own.insert(stem + QStringLiteral(".h"));
        CodeFormat::headersFor(r.returnType, &qt, &std);
    }
    if (returns)
        std.insert(QStringLiteral("functional"));
    if (!own.isEmpty())
        out += CodeFormat::includeBlock(QStringList(own.cbegin(), own.cend()), false) + u'\n';
    QStringList sdk{QStringLiteral("spacetime/connection/dbconnection.h")};
    if (returns)
        sdk.prepend(QStringLiteral("spacetime/bsatn/codec.h"));
    out += CodeFormat::includeBlock(sdk, false) + u'\n';
    out += CodeFormat::includeBlock(QStringList(qt.cbegin(), qt.cend()), true) + u'\n';
    if (!std.isEmpty())
        out += CodeFormat::includeBlock(QStringList(std.cbegin(), std.cend()), true) + u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(ns);
    out += QStringLiteral(
        "// The module's reducers as typed calls (lifecycle reducers are left out: only the "
        "server\n"
        "// calls them). A call returns its request id, or an error when it cannot be made; then "
        "the\n"
        "// callback is never called. Otherwise the callback gets the outcome exactly once, and "
        "the\n"
        "// matching *Completed signal reports it too (for our own calls only: the protocol tells\n"
        "// nobody about other clients' calls).\n");
    out += QStringLiteral("class Reducers : public QObject {\n    Q_OBJECT\npublic:\n");
    if (returns)
        out += QStringLiteral(
            "    // For reducers that return a value (V10 ok_return_type): the value of a "
            "committed "
            "call,\n"
            "    // decoded, or the error (the outcome's, or the decode error when the value does "
            "not match:\n"
            "    // bindings older than the module; outcome.returnValue keeps the bytes).\n"
            "    template <typename T>\n"
            "    using ReturnCallback =\n"
            "        std::function<void(const stdb::Expected<T> &returned, const "
            "stdb::ReducerOutcome &outcome)>;\n\n");
    out += QStringLiteral(
        "    explicit Reducers(stdb::DbConnection *connection, QObject *parent = nullptr);\n\n");
    out += QStringLiteral("    stdb::DbConnection *connection() const { return m_connection; }\n");
    for (const GenReducer &r : m_module.reducers) {
        out += u'\n';
        if (r.returnType.isEmpty())
            out += QStringLiteral("    // Calls reducer `%1`.\n").arg(r.wireName);
        else
            out += QStringLiteral("    // Calls reducer `%1`; when it commits, it returns %2.\n")
                       .arg(r.wireName, r.returnType);
        if (!r.scheduledBy.isEmpty())
            out += QStringLiteral(
                       "    // Scheduled by table `%1`: normally only the server calls it.\n")
                       .arg(r.scheduledBy);
        QStringList p = params(r.params);
        const QString cb = callbackType(r) + QStringLiteral(" callback");
        out +=
            CodeFormat::call(4, QStringLiteral("stdb::Expected<quint32> %1").arg(r.method),
                             p + QStringList{cb + QStringLiteral(" = {}")}, QStringLiteral(";")) +
            u'\n';
        out += QStringLiteral(
            "    // The same; the callback is skipped once `context` is destroyed.\n");
        out += CodeFormat::call(4, QStringLiteral("stdb::Expected<quint32> %1").arg(r.method),
                                p + QStringList{QStringLiteral("QObject *context"), cb},
                                QStringLiteral(";")) +
               u'\n';
    }
    if (!m_module.reducers.isEmpty()) {
        out += QStringLiteral("\nQ_SIGNALS:\n");
        out += returns
                   ? QStringLiteral("    // The outcome of one of our own calls, after its rows "
                                    "and its callback (and the return\n"
                                    "    // value as the callback gets it, for reducers that "
                                    "return one).\n")
                   : QStringLiteral("    // The outcome of one of our own calls, after its rows "
                                    "and its callback.\n");
        for (const GenReducer &r : m_module.reducers) {
            QStringList ps{QStringLiteral("const %1::%2 &args").arg(ns, r.argsType),
                           QStringLiteral("const stdb::ReducerOutcome &outcome")};
            if (!r.returnType.isEmpty())
                ps << QStringLiteral("const stdb::Expected<%1> &returned")
                          .arg(qualified(r.returnType));
            out += CodeFormat::call(4, QStringLiteral("void %1").arg(r.signal), ps,
                                    QStringLiteral(";")) +
                   u'\n';
        }
    }
    out += QStringLiteral("\nprivate:\n");
    if (!m_module.reducers.isEmpty())
        out +=
            QStringLiteral("    void onReducerCompleted(const stdb::ReducerOutcome &outcome);\n\n");
    out += QStringLiteral("    QPointer<stdb::DbConnection> m_connection;\n};\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(ns);
    return out;
}

QString ModuleEmitter::reducersSource() const {
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#include \"reducers.h\"\n\n");
    if (!m_module.reducers.isEmpty())
        out += QStringLiteral("#include <utility>\n\n");
    out += QStringLiteral("namespace %1 {\n\n").arg(m_module.nameSpace);
    if (!m_module.reducers.isEmpty()) {
        out += QStringLiteral("namespace {\n\nstdb::Error reducersNoConnection() {\n");
        out += QStringLiteral(
            "    return stdb::Error(stdb::Error::Kind::Disconnected,\n"
            "                       QStringLiteral(\"the connection no longer exists\"));\n");
        out += QStringLiteral("}\n\n");
        bool returns = false;
        for (const GenReducer &r : m_module.reducers)
            returns = returns || !r.returnType.isEmpty();
        if (returns)
            out += QStringLiteral(
                "// The return value of a committed call, decoded (bounds-checked, all bytes "
                "used), or the\n"
                "// outcome's error.\n"
                "template <typename T>\n"
                "stdb::Expected<T> reducerReturnValue(const stdb::ReducerOutcome &outcome) {\n"
                "    if (!outcome.isCommitted())\n"
                "        return outcome.error();\n"
                "    return stdb::fromBsatn<T>(outcome.returnValue, \"reducer return value\");\n"
                "}\n\n"
                "// The SDK's untyped callback for a typed one.\n"
                "template <typename T>\n"
                "stdb::ReducerCallback typedReducerCallback(Reducers::ReturnCallback<T> callback) "
                "{\n"
                "    return [callback = std::move(callback)](const stdb::ReducerOutcome &outcome) "
                "{\n"
                "        if (callback)\n"
                "            callback(reducerReturnValue<T>(outcome), outcome);\n"
                "    };\n"
                "}\n\n");
        out += QStringLiteral("} // namespace\n\n");
    }
    out += QStringLiteral("Reducers::Reducers(stdb::DbConnection *connection, QObject *parent)\n"
                          "    : QObject(parent)\n"
                          "    , m_connection(connection) {\n");
    if (!m_module.reducers.isEmpty())
        out += QStringLiteral(
            "    if (connection)\n"
            "        QObject::connect(connection, &stdb::DbConnection::reducerCompleted, this,\n"
            "                         &Reducers::onReducerCompleted);\n");
    out += QStringLiteral("}\n");
    for (const GenReducer &r : m_module.reducers) {
        QStringList names;
        for (const GenField &f : r.params)
            names << f.cppName;
        const QString args = QStringLiteral("stdb::toBsatn(%1{%2})")
                                 .arg(r.argsType, names.join(QStringLiteral(", ")));
        const QString wire = CodeFormat::qstring(r.wireName);
        for (bool withContext : {false, true}) {
            QStringList p = params(r.params);
            if (withContext)
                p << QStringLiteral("QObject *context");
            p << callbackType(r) + QStringLiteral(" callback");
            out += u'\n';
            out += CodeFormat::call(
                       0, QStringLiteral("stdb::Expected<quint32> Reducers::%1").arg(r.method), p,
                       QStringLiteral(" {")) +
                   u'\n';
            out +=
                QStringLiteral("    if (!m_connection)\n        return reducersNoConnection();\n");
            QStringList callArgs{wire, args};
            if (withContext)
                callArgs << QStringLiteral("context");
            callArgs << (r.returnType.isEmpty()
                             ? QStringLiteral("std::move(callback)")
                             : QStringLiteral("typedReducerCallback<%1>(std::move(callback))")
                                   .arg(r.returnType));
            out += CodeFormat::call(4, QStringLiteral("return m_connection->callReducer"), callArgs,
                                    QStringLiteral(";")) +
                   u'\n';
            out += QStringLiteral("}\n");
        }
    }
    if (!m_module.reducers.isEmpty()) {
        out += QStringLiteral(
            "\nvoid Reducers::onReducerCompleted(const stdb::ReducerOutcome &outcome) {\n");
        for (const GenReducer &r : m_module.reducers) {
            out += QStringLiteral("    if (outcome.reducer == %1) {\n")
                       .arg(CodeFormat::qstring(r.wireName));
            out += QStringLiteral("        const auto args = stdb::fromBsatn<%1>(outcome.args);\n")
                       .arg(r.argsType);
            if (r.returnType.isEmpty())
                out += QStringLiteral(
                           "        if (args)\n            Q_EMIT %1(args.value(), outcome);\n")
                           .arg(r.signal);
            else
                out += QStringLiteral("        if (args)\n") +
                       CodeFormat::call(
                           12, QStringLiteral("Q_EMIT %1").arg(r.signal),
                           {QStringLiteral("args.value()"), QStringLiteral("outcome"),
                            QStringLiteral("reducerReturnValue<%1>(outcome)").arg(r.returnType)},
                           QStringLiteral(";")) +
                       u'\n';
            out += QStringLiteral("        return;\n    }\n");
        }
        out += QStringLiteral("}\n");
    }
    out += QStringLiteral("\n} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}

QString ModuleEmitter::proceduresHeader() const {
    const QString ns = m_module.nameSpace;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    QSet<QString> ownSet;
    QSet<QString> qt{QStringLiteral("QObject"), QStringLiteral("QPointer")};
    QSet<QString> std{QStringLiteral("functional")};
    for (const GenProcedure &p : m_module.procedures) {
        ownSet.insert(p.argsStem + QStringLiteral(".h"));
        for (const QString &stem : p.returnTypeHeaders)
            ownSet.insert(stem + QStringLiteral(".h"));
        CodeFormat::headersFor(p.returnType, &qt, &std);
    }
    out += CodeFormat::includeBlock(QStringList(ownSet.cbegin(), ownSet.cend()), false) + u'\n';
    out += CodeFormat::includeBlock({QStringLiteral("spacetime/bsatn/codec.h"),
                                     QStringLiteral("spacetime/connection/dbconnection.h")},
                                    false) +
           u'\n';
    out += CodeFormat::includeBlock(QStringList(qt.cbegin(), qt.cend()), true) + u'\n';
    out += CodeFormat::includeBlock(QStringList(std.cbegin(), std.cend()), true) + u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(ns);
    out += QStringLiteral(
        "// The module's procedures as typed calls. A call returns its request id, or an error "
        "when it\n"
        "// cannot be made; then the callback is never called. Otherwise the callback gets, "
        "exactly once,\n"
        "// the decoded return value or an error (the procedure failed, the connection ended, or "
        "the\n"
        "// value did not decode: bindings older than the module), and the raw outcome.\n");
    out += QStringLiteral("class Procedures : public QObject {\n    Q_OBJECT\npublic:\n");
    out += QStringLiteral("    template <typename T>\n"
                          "    using Callback =\n"
                          "        std::function<void(const stdb::Expected<T> &result, const "
                          "stdb::ProcedureOutcome &outcome)>;\n\n");
    out += QStringLiteral(
        "    explicit Procedures(stdb::DbConnection *connection, QObject *parent = nullptr);\n\n");
    out += QStringLiteral("    stdb::DbConnection *connection() const { return m_connection; }\n");
    for (const GenProcedure &p : m_module.procedures) {
        out += u'\n';
        out += QStringLiteral("    // Calls procedure `%1`; it returns %2.\n")
                   .arg(p.wireName, p.returnType);
        const QStringList ps = params(p.params);
        const QString cb = QStringLiteral("Callback<%1> callback").arg(p.returnType);
        out +=
            CodeFormat::call(4, QStringLiteral("stdb::Expected<quint32> %1").arg(p.method),
                             ps + QStringList{cb + QStringLiteral(" = {}")}, QStringLiteral(";")) +
            u'\n';
        out += QStringLiteral(
            "    // The same; the callback is skipped once `context` is destroyed.\n");
        out += CodeFormat::call(4, QStringLiteral("stdb::Expected<quint32> %1").arg(p.method),
                                ps + QStringList{QStringLiteral("QObject *context"), cb},
                                QStringLiteral(";")) +
               u'\n';
    }
    out += QStringLiteral("\nprivate:\n");
    out += QStringLiteral("    QPointer<stdb::DbConnection> m_connection;\n};\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(ns);
    return out;
}

QString ModuleEmitter::proceduresSource() const {
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#include \"procedures.h\"\n\n");
    out += QStringLiteral("#include <utility>\n\n");
    out += QStringLiteral("namespace %1 {\n\n").arg(m_module.nameSpace);
    out += QStringLiteral("namespace {\n\nstdb::Error proceduresNoConnection() {\n");
    out += QStringLiteral(
        "    return stdb::Error(stdb::Error::Kind::Disconnected,\n"
        "                       QStringLiteral(\"the connection no longer exists\"));\n");
    out += QStringLiteral("}\n\n");
    out += QStringLiteral(
        "// The SDK's untyped callback for a typed one: decodes the return value.\n"
        "template <typename T>\n"
        "stdb::ProcedureCallback proceduresTyped(Procedures::Callback<T> callback) {\n"
        "    return [callback = std::move(callback)](const stdb::ProcedureOutcome &outcome) {\n"
        "        if (!callback)\n"
        "            return;\n"
        "        if (!outcome.isReturned()) {\n"
        "            callback(stdb::Expected<T>(outcome.error()), outcome);\n"
        "            return;\n"
        "        }\n"
        "        callback(stdb::fromBsatn<T>(outcome.value, \"procedure return value\"), "
        "outcome);\n"
        "    };\n"
        "}\n\n} // namespace\n\n");
    out +=
        QStringLiteral("Procedures::Procedures(stdb::DbConnection *connection, QObject *parent)\n"
                       "    : QObject(parent)\n"
                       "    , m_connection(connection) {}\n");
    for (const GenProcedure &p : m_module.procedures) {
        QStringList names;
        for (const GenField &f : p.params)
            names << f.cppName;
        const QString args = QStringLiteral("stdb::toBsatn(%1{%2})")
                                 .arg(p.argsType, names.join(QStringLiteral(", ")));
        const QString wire = CodeFormat::qstring(p.wireName);
        for (bool withContext : {false, true}) {
            QStringList ps = params(p.params);
            if (withContext)
                ps << QStringLiteral("QObject *context");
            ps << QStringLiteral("Callback<%1> callback").arg(p.returnType);
            out += u'\n';
            out += CodeFormat::call(
                       0, QStringLiteral("stdb::Expected<quint32> Procedures::%1").arg(p.method),
                       ps, QStringLiteral(" {")) +
                   u'\n';
            out += QStringLiteral(
                "    if (!m_connection)\n        return proceduresNoConnection();\n");
            QStringList callArgs{wire, args};
            if (withContext)
                callArgs << QStringLiteral("context");
            callArgs
                << QStringLiteral("proceduresTyped<%1>(std::move(callback))").arg(p.returnType);
            out += CodeFormat::call(4, QStringLiteral("return m_connection->callProcedure"),
                                    callArgs, QStringLiteral(";")) +
                   u'\n';
            out += QStringLiteral("}\n");
        }
    }
    out += QStringLiteral("\n} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}

QString ModuleEmitter::moduleHeader() const {
    const QString ns = m_module.nameSpace;
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#pragma once\n\n");
    QStringList own{QStringLiteral("reducers.h")};
    if (!m_module.procedures.isEmpty())
        own << QStringLiteral("procedures.h");
    for (const GenTable &t : m_module.tables)
        own << t.fileStem + QStringLiteral(".h");
    out += CodeFormat::includeBlock(own, false) + u'\n';
    out +=
        CodeFormat::includeBlock({QStringLiteral("spacetime/connection/dbconnection.h")}, false) +
        u'\n';
    out +=
        CodeFormat::includeBlock({QStringLiteral("QObject"), QStringLiteral("QStringList")}, true) +
        u'\n';
    out += QStringLiteral("namespace %1 {\n\n").arg(ns);
    out += QStringLiteral(
               "// Everything the bindings know about the module, bound to one connection: a typed "
               "handle\n"
               "// per table and view, and the reducers.\n"
               "//\n"
               "//   auto conn = "
               "stdb::DbConnectionBuilder().withUri(uri).withDatabaseName(db).build(this);\n"
               "//   auto *module = new %1::Module(conn.value());\n"
               "//   module->subscribeToAllTables();\n")
               .arg(ns);
    out += QStringLiteral("class Module : public QObject {\n    Q_OBJECT\npublic:\n");
    out += QStringLiteral("    // Registers every table with `connection` and becomes its child; "
                          "the table handles are\n"
                          "    // the module's children. Construct it right after build(), before "
                          "the event loop runs, so\n"
                          "    // that no rows arrive before their table is known.\n");
    out += QStringLiteral("    explicit Module(stdb::DbConnection *connection);\n\n");
    out += QStringLiteral("    stdb::DbConnection *connection() const { return m_connection; }\n");
    for (const GenTable &t : m_module.tables)
        out += QStringLiteral("    %1 *%2() const { return m_%2; }\n").arg(t.cppClass, t.accessor);
    out += QStringLiteral("    Reducers *reducers() const { return m_reducers; }\n");
    if (!m_module.procedures.isEmpty())
        out += QStringLiteral("    Procedures *procedures() const { return m_procedures; }\n");
    out += u'\n';
    out += QStringLiteral("    // One subscription (one query set) with SELECT * FROM \"t\" for "
                          "every table and view here.\n");
    out += QStringLiteral("    stdb::SubscriptionHandle subscribeToAllTables();\n");
    out += QStringLiteral(
        "    // The same, configured by `builder` (onApplied, onError, withContext).\n");
    out += QStringLiteral("    stdb::SubscriptionHandle "
                          "subscribeToAllTables(stdb::SubscriptionBuilder builder);\n\n");
    out += QStringLiteral("    // The wire names of the tables and views, in registration order "
                          "(which is signal order).\n");
    out += QStringLiteral("    static QStringList tableNames();\n");
    out += QStringLiteral("    // SELECT * FROM \"t\" for each of them.\n");
    out += QStringLiteral("    static QStringList allTablesQueries();\n\n");
    out += QStringLiteral("private:\n    stdb::DbConnection *m_connection = nullptr;\n");
    for (const GenTable &t : m_module.tables)
        out += QStringLiteral("    %1 *m_%2 = nullptr;\n").arg(t.cppClass, t.accessor);
    out += QStringLiteral("    Reducers *m_reducers = nullptr;\n");
    if (!m_module.procedures.isEmpty())
        out += QStringLiteral("    Procedures *m_procedures = nullptr;\n");
    out += QStringLiteral("};\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(ns);
    return out;
}

QString ModuleEmitter::moduleSource() const {
    QString out = CodeFormat::marker() + QStringLiteral("\n\n#include \"module.h\"\n\n");
    out += QStringLiteral("namespace %1 {\n\n").arg(m_module.nameSpace);
    out += QStringLiteral("Module::Module(stdb::DbConnection *connection)\n"
                          "    : QObject(connection)\n"
                          "    , m_connection(connection) {\n");
    for (const GenTable &t : m_module.tables) {
        out += QStringLiteral("    m_%1 = new %2(connection);\n").arg(t.accessor, t.cppClass);
        out += QStringLiteral("    m_%1->setParent(this);\n").arg(t.accessor);
    }
    out += QStringLiteral("    m_reducers = new Reducers(connection, this);\n");
    if (!m_module.procedures.isEmpty())
        out += QStringLiteral("    m_procedures = new Procedures(connection, this);\n");
    out += QStringLiteral("}\n\n");
    out += QStringLiteral("stdb::SubscriptionHandle Module::subscribeToAllTables() {\n");
    out += QStringLiteral(
        "    return subscribeToAllTables(m_connection->subscriptionBuilder());\n}\n\n");
    out += QStringLiteral("stdb::SubscriptionHandle "
                          "Module::subscribeToAllTables(stdb::SubscriptionBuilder builder) {\n");
    out += QStringLiteral("    return builder.subscribe(allTablesQueries());\n}\n\n");
    out += QStringLiteral("QStringList Module::tableNames() {\n    return {\n");
    for (const GenTable &t : m_module.tables)
        out += QStringLiteral("        %1,\n").arg(CodeFormat::qstring(t.wireName));
    out += QStringLiteral("    };\n}\n\n");
    out += QStringLiteral("QStringList Module::allTablesQueries() {\n    return {\n");
    for (const GenTable &t : m_module.tables) {
        // Each dot-separated part quoted: a submodule's "lib.fruit" is "lib"."fruit", as
        // stdb::query::quoteTableName writes it.
        QStringList parts = t.wireName.split(u'.');
        for (QString &p : parts)
            p = u'"' + p.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + u'"';
        out += QStringLiteral("        %1,\n")
                   .arg(CodeFormat::qstring(QStringLiteral("SELECT * FROM ") + parts.join(u'.')));
    }
    out += QStringLiteral("    };\n}\n\n");
    out += QStringLiteral("} // namespace %1\n").arg(m_module.nameSpace);
    return out;
}

QString ModuleEmitter::sourcesCmake(const QStringList &files) const {
    QString var = m_module.nameSpace.toUpper();
    var.replace(QStringLiteral("::"), QStringLiteral("_"));
    QString out = CodeFormat::marker(QStringLiteral("#")) + u'\n';
    out += QStringLiteral("# The generated files, for qt_add_library() / target_sources().\n");
    out += QStringLiteral("set(%1_BINDINGS_SOURCES\n").arg(var);
    for (const QString &f : files)
        if (f != u"sources.cmake")
            out += QStringLiteral("    ${CMAKE_CURRENT_LIST_DIR}/%1\n").arg(f);
    out += QStringLiteral(")\n");
    return out;
}
