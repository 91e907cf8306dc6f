// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/error.h"
#include "spacetime/schema/moduleschema.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

class SchemaLocator;

// What the generator emits for one module, with every C++ name decided: built from a parsed
// ModuleSchema, checked for what C++ cannot express (recursive types, anonymous sums, name
// clashes). The emitters only format this.
struct GenField {
    QString wireName; // as the schema spells it
    QString cppName;  // camelCase, keywords escaped
    QString pascalName;
    QString cppType;
    bool byValue = false;     // scalars: passed by value, need an initialiser
    QString initialiser;      // " = 0", " = false", " = Color::Red" or empty
    qsizetype fixedSize = -1; // BSATN size when every value has the same size
    bool isString = false;
    bool isUnit = false; // sum variant without payload
};

struct GenType {
    enum class Kind { Product, Sum, Enum };
    Kind kind = Kind::Product;
    QString cppName;
    QString schemaName; // the module's name for it ("User"); reducer args: the reducer name
    QString fileStem;
    QString path;                 // JSON path of its definition
    QList<GenField> members;      // product fields or sum/enum variants, in BSATN order
    QStringList dependencies;     // generated types it uses (cpp names), sorted
    bool isReducerArgs = false;   // the arguments of a reducer or procedure
    bool isProcedureArgs = false; // … of a procedure
};

struct GenIndex {
    int column = -1;
    bool unique = false;
    QString method; // "findByIdentity" / "filterBySender"
};

struct GenTable {
    QString wireName;
    QString cppClass; // "UserTable"
    QString accessor; // "user"
    QString fileStem;
    QString rowType; // cpp name of the row struct
    QString rowStem; // its file stem
    QString path;
    QList<GenField> columns;
    int primaryKey = -1;
    QList<GenIndex> lookups;    // unique finds (primary key first), then non-unique filters
    QStringList skippedIndexes; // index names we could not offer (multi-column)
    bool isEvent = false;
    bool isPublic = true;
    // A view: rows the server computes, subscribed to by name like a table's. Anonymous views
    // give every client the same rows; the others are evaluated per subscriber identity.
    bool isView = false;
    bool isAnonymousView = false;
    // A scheduled table: each row calls this reducer or procedure (wire name) at the time in
    // the ScheduleAt column `scheduledAtColumn` (wire name).
    QString scheduledReducer;
    bool scheduledIsProcedure = false;
    QString scheduledAtColumn;
};

struct GenReducer {
    QString wireName;
    QString method;   // "setName"
    QString argsType; // "SetNameArgs"
    QString argsStem;
    QString signal; // "setNameCompleted"
    QList<GenField> params;
    QString path;
    QString scheduledBy; // table whose schedule calls it, if any
};

struct GenProcedure {
    QString wireName;
    QString method;   // "returnPrimitive"
    QString argsType; // "ReturnPrimitiveArgs"
    QString argsStem;
    QString returnType;            // C++ type of the return value ("quint32", "stdb::Unit")
    QStringList returnTypeHeaders; // file stems of generated types it needs
    QList<GenField> params;
    QString path;
};

// A construct of the schema that the generator cannot express yet. The module is built
// without it; the caller refuses to write anything unless the user allowed that
// (--allow-unsupported), so nothing is ever left out silently.
struct GenUnsupported {
    QString path;    // JSON path of the construct
    QString message; // what it is and what is left out
};

struct GenModule {
    QString nameSpace;      // "quickstart_chat" or "a::b"
    QList<GenType> types;   // typespace order, then reducer args, then procedure args
    QList<GenTable> tables; // the tables, then the views
    QList<GenReducer> reducers;
    QList<GenProcedure> procedures;
    QList<GenUnsupported> unsupported; // tables, views, reducers, procedures, submodules

    const GenType *type(const QString &cppName) const;
};

struct ModelOptions {
    QString nameSpace;
    bool includePrivate = false;
};

class SchemaModel {
public:
    SchemaModel(const stdb::ModuleSchema &schema, const SchemaLocator &locator,
                ModelOptions options);

    // The first problem found is returned; errors read "json.path: message".
    stdb::Expected<GenModule> build();

private:
    bool ok() const { return !m_error.isError(); }
    void fail(const QString &path, const QString &message);

    void nameTypes();
    void buildType(qsizetype index); // index into m_module.types
    void checkRecursion();
    void buildTables();
    void buildReducers();
    void buildProcedures();
    // Views become GenTables (isView): their rows are cached and reported like a table's.
    void buildViews();
    void listUnsupported();
    // The arguments struct of a reducer or procedure (appended to m_module.types).
    GenType argsType(const QString &cppName, const QString &schemaName, const QString &path,
                     const QList<stdb::FieldDef> &params, const QString &paramsPath,
                     QList<GenField> *fields);
    void checkNames();
    void unsupported(const QString &path, const QString &message);
    QString columnNames(const GenTable &table, const QList<int> &columns) const;

    // The C++ type for a schema type. Records named types it uses in *deps.
    QString cppType(const stdb::AlgebraicType &type, const QString &path, QSet<QString> *deps);
    GenField field(const stdb::AlgebraicType &type, const std::optional<QString> &name, int index,
                   const QString &path, QSet<QString> *deps, const char *unnamedPrefix);
    // The named, generated type a Ref leads to, if any.
    const GenType *namedTarget(const stdb::AlgebraicType &type) const;
    // True for sums/products that map to SDK or std types wherever they appear.
    static bool isBuiltin(const stdb::AlgebraicType &type);

    const stdb::ModuleSchema &m_schema;
    const SchemaLocator &m_locator;
    ModelOptions m_options;
    stdb::Error m_error;
    GenModule m_module;
    QMap<quint32, qsizetype> m_typeOfRef; // typespace index -> index in m_module.types
};
