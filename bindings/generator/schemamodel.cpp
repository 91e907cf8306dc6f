// SPDX-License-Identifier: Apache-2.0
#include "schemamodel.h"

#include "naming.h"
#include "schemalocator.h"

#include "spacetime/schema/jsonpath.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>

using stdb::AlgebraicType;
using stdb::JsonPath;
using Kind = stdb::AlgebraicType::Kind;
using Special = stdb::AlgebraicType::Special;

namespace {

// Member functions of QObject (and of our own generated classes) that a reducer or table
// accessor must not hide.
bool clashesWithQObject(const QString &name) {
    static const QSet<QString> names = {
        QStringLiteral("blockSignals"),
        QStringLiteral("bindingStorage"),
        QStringLiteral("childEvent"),
        QStringLiteral("children"),
        QStringLiteral("connect"),
        QStringLiteral("connectNotify"),
        QStringLiteral("customEvent"),
        QStringLiteral("deleteLater"),
        QStringLiteral("destroyed"),
        QStringLiteral("disconnect"),
        QStringLiteral("disconnectNotify"),
        QStringLiteral("dumpObjectInfo"),
        QStringLiteral("dumpObjectTree"),
        QStringLiteral("dynamicPropertyNames"),
        QStringLiteral("event"),
        QStringLiteral("eventFilter"),
        QStringLiteral("findChild"),
        QStringLiteral("findChildren"),
        QStringLiteral("inherits"),
        QStringLiteral("installEventFilter"),
        QStringLiteral("isQuickItemType"),
        QStringLiteral("isSignalConnected"),
        QStringLiteral("isWidgetType"),
        QStringLiteral("isWindowType"),
        QStringLiteral("killTimer"),
        QStringLiteral("metaObject"),
        QStringLiteral("moveToThread"),
        QStringLiteral("objectName"),
        QStringLiteral("objectNameChanged"),
        QStringLiteral("parent"),
        QStringLiteral("property"),
        QStringLiteral("receivers"),
        QStringLiteral("removeEventFilter"),
        QStringLiteral("sender"),
        QStringLiteral("senderSignalIndex"),
        QStringLiteral("setObjectName"),
        QStringLiteral("setParent"),
        QStringLiteral("setProperty"),
        QStringLiteral("signalsBlocked"),
        QStringLiteral("startTimer"),
        QStringLiteral("staticMetaObject"),
        QStringLiteral("thread"),
        QStringLiteral("timerEvent"),
        QStringLiteral("tr"),
        QStringLiteral("qt_metacall"),
        QStringLiteral("qt_metacast"),
        // ours
        QStringLiteral("connection"),
        QStringLiteral("reducers"),
        QStringLiteral("subscribeToAllTables"),
        QStringLiteral("tableNames"),
        QStringLiteral("allTablesQueries"),
        QStringLiteral("onReducerCompleted"),
    };
    return names.contains(name);
}

QString primitiveCpp(Kind k) {
    switch (k) {
    case Kind::String:
        return QStringLiteral("QString");
    case Kind::Bool:
        return QStringLiteral("bool");
    case Kind::I8:
        return QStringLiteral("qint8");
    case Kind::U8:
        return QStringLiteral("quint8");
    case Kind::I16:
        return QStringLiteral("qint16");
    case Kind::U16:
        return QStringLiteral("quint16");
    case Kind::I32:
        return QStringLiteral("qint32");
    case Kind::U32:
        return QStringLiteral("quint32");
    case Kind::I64:
        return QStringLiteral("qint64");
    case Kind::U64:
        return QStringLiteral("quint64");
    case Kind::I128:
        return QStringLiteral("stdb::I128");
    case Kind::U128:
        return QStringLiteral("stdb::U128");
    case Kind::I256:
        return QStringLiteral("stdb::I256");
    case Kind::U256:
        return QStringLiteral("stdb::U256");
    case Kind::F32:
        return QStringLiteral("float");
    case Kind::F64:
        return QStringLiteral("double");
    default:
        return {};
    }
}

bool isScalarKind(Kind k) {
    return k == Kind::Bool || (k >= Kind::I8 && k <= Kind::U64) || k == Kind::F32 || k == Kind::F64;
}

} // namespace

bool GenField::isOrderedScalar() const {
    static const QStringList types{QStringLiteral("bool"),
                                   QStringLiteral("qint8"),
                                   QStringLiteral("quint8"),
                                   QStringLiteral("qint16"),
                                   QStringLiteral("quint16"),
                                   QStringLiteral("qint32"),
                                   QStringLiteral("quint32"),
                                   QStringLiteral("qint64"),
                                   QStringLiteral("quint64"),
                                   QStringLiteral("stdb::I128"),
                                   QStringLiteral("stdb::U128"),
                                   QStringLiteral("stdb::I256"),
                                   QStringLiteral("stdb::U256"),
                                   QStringLiteral("float"),
                                   QStringLiteral("double"),
                                   QStringLiteral("QString"),
                                   QStringLiteral("QByteArray"),
                                   QStringLiteral("stdb::Identity"),
                                   QStringLiteral("stdb::ConnectionId"),
                                   QStringLiteral("stdb::Timestamp"),
                                   QStringLiteral("stdb::Uuid")};
    return types.contains(cppType);
}

const GenType *GenModule::type(const QString &cppName) const {
    for (const GenType &t : types)
        if (t.cppName == cppName)
            return &t;
    return nullptr;
}

QString GenModule::qualified(const QString &cppType) const {
    // Whole (possibly scoped) names: `std::optional` or `stdb::Identity` are never ours.
    static const QRegularExpression word(
        QStringLiteral("(?<![A-Za-z0-9_:])[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*"));
    QString out;
    qsizetype at = 0;
    for (auto it = word.globalMatch(cppType); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += cppType.mid(at, m.capturedStart() - at);
        const QString w = m.captured();
        out += type(w) ? nameSpace + QStringLiteral("::") + w : w;
        at = m.capturedEnd();
    }
    return out + cppType.mid(at);
}

SchemaModel::SchemaModel(const stdb::ModuleSchema &schema, const SchemaLocator &locator,
                         ModelOptions options)
    : m_schema(schema)
    , m_locator(locator)
    , m_options(std::move(options)) {}

void SchemaModel::fail(const QString &path, const QString &message) {
    if (ok())
        m_error = JsonPath::error(path, message);
}

void SchemaModel::unsupported(const QString &path, const QString &message) {
    m_module.unsupported.append({path, message});
}

QString SchemaModel::columnNames(const GenTable &table, const QList<int> &columns) const {
    QStringList names;
    for (int c : columns)
        names << (c >= 0 && c < table.columns.size() && !table.columns[c].wireName.isEmpty()
                      ? table.columns[c].wireName
                      : QString::number(c));
    return names.join(QStringLiteral(", "));
}

bool SchemaModel::isBuiltin(const AlgebraicType &type) {
    switch (type.special()) {
    case Special::Option:
    case Special::Result:
    case Special::Identity:
    case Special::ConnectionId:
    case Special::Timestamp:
    case Special::TimeDuration:
    case Special::Uuid:
    case Special::ScheduleAt:
        return true;
    default:
        return false;
    }
}

stdb::Expected<GenModule> SchemaModel::build() {
    m_module = GenModule();
    m_module.nameSpace = m_options.nameSpace;
    const QStringList parts = m_options.nameSpace.split(QStringLiteral("::"));
    for (const QString &p : parts)
        if (!Naming::isIdentifierLike(p) || Naming::isReserved(p))
            return stdb::Error(stdb::Error::Kind::InvalidArgument,
                               QStringLiteral("--namespace: \"%1\" is not a usable C++ namespace")
                                   .arg(m_options.nameSpace));
    if (const stdb::Error e = m_schema.typespace().validate(m_locator.typespace()); e.isError())
        return e;

    nameTypes();
    for (qsizetype i = 0; i < m_module.types.size() && ok(); ++i)
        buildType(i);
    if (ok())
        checkRecursion();
    if (ok())
        buildTables();
    if (ok())
        buildViews();
    if (ok())
        buildReducers();
    if (ok())
        buildProcedures();
    if (ok())
        buildSubmodules();
    if (ok())
        checkNames();
    if (!ok())
        return m_error;
    return m_module;
}

void SchemaModel::nameTypes() {
    const stdb::Typespace &ts = m_schema.typespace();
    // Named entries of the typespace, in typespace order (a stable order that follows the
    // module's declarations).
    QMap<quint32, QString> named; // ref -> the module's name for it
    for (qsizetype k = 0; k < m_schema.types().size() && ok(); ++k) {
        const stdb::TypeDef &d = m_schema.types()[k];
        const QString path = m_locator.typeDef(k);
        const AlgebraicType *t = ts.at(d.ref);
        if (!t || t->isRef() || isBuiltin(*t) || named.contains(d.ref))
            continue; // aliases and special types map to what they stand for
        for (const QString &part : d.scope + QStringList{d.name}) {
            if (!Naming::isIdentifierLike(part)) {
                fail(JsonPath::key(path, u"name"),
                     QStringLiteral("type name \"%1\" cannot be turned into a C++ name").arg(part));
                return;
            }
        }
        if (t->special() == Special::Never) {
            fail(path, QStringLiteral("type \"%1\" is an empty sum (it has no values)")
                           .arg(d.qualifiedName()));
            return;
        }
        named.insert(d.ref, d.qualifiedName());
    }
    // Row types the module did not name are named after their table.
    for (qsizetype i = 0; i < m_schema.tables().size(); ++i) {
        const stdb::TableDef &t = m_schema.tables()[i];
        quint32 ref = t.productTypeRef;
        while (ts.at(ref) && ts.at(ref)->isRef() && !named.contains(ref))
            ref = ts.at(ref)->refIndex();
        if (!named.contains(ref) && ts.at(ref) && ts.at(ref)->isProduct())
            named.insert(ref, Naming::pascalCase(t.sourceName));
    }
    // … and those of views after their view.
    for (const stdb::ViewDef &v : m_schema.views()) {
        if (!v.productTypeRef)
            continue;
        quint32 ref = *v.productTypeRef;
        while (ts.at(ref) && ts.at(ref)->isRef() && !named.contains(ref))
            ref = ts.at(ref)->refIndex();
        if (!named.contains(ref) && ts.at(ref) && ts.at(ref)->isProduct() &&
            Naming::isIdentifierLike(v.sourceName))
            named.insert(ref, Naming::pascalCase(v.sourceName));
    }
    for (auto it = named.cbegin(); it != named.cend(); ++it) {
        GenType g;
        g.schemaName = it.value();
        g.cppName = classPrefix();
        for (const QString &part : g.schemaName.split(QStringLiteral("::")))
            g.cppName += Naming::pascalCase(part);
        g.fileStem = Naming::fileStem(g.cppName);
        g.path = m_locator.typespaceEntry(it.key());
        const AlgebraicType *t = ts.at(it.key());
        if (!t->isProduct() && !t->isSum())
            continue; // a named primitive or array: an alias, nothing to generate
        g.kind = t->isProduct()     ? GenType::Kind::Product
                 : t->isPlainEnum() ? GenType::Kind::Enum
                                    : GenType::Kind::Sum;
        m_typeOfRef.insert(it.key(), m_module.types.size());
        m_module.types.append(g);
    }
}

void SchemaModel::buildType(qsizetype index) {
    GenType &g = m_module.types[index];
    const quint32 ref = m_typeOfRef.key(index);
    const AlgebraicType &t = *m_schema.typespace().at(ref);
    const bool product = t.isProduct();
    const QString membersPath = JsonPath::key(JsonPath::key(g.path, product ? u"Product" : u"Sum"),
                                              product ? u"elements" : u"variants");
    QSet<QString> deps;
    QSet<QString> seen;
    for (qsizetype i = 0; i < t.members().size() && ok(); ++i) {
        const stdb::TypeMember &m = t.members()[i];
        const QString mp = JsonPath::index(membersPath, i);
        GenField f = field(m.type, m.name, int(i), mp, &deps, product ? "field" : "variant");
        if (!ok())
            return;
        if (g.kind == GenType::Kind::Enum) {
            f.cppName = f.pascalName;
        } else if (g.kind == GenType::Kind::Sum) {
            f.isUnit = m.type.isUnit();
            if (f.isUnit)
                f.cppType = QStringLiteral("stdb::Unit");
            // tag() is the sum class's own accessor
            if (f.cppName == u"tag")
                f.cppName += u'_';
        }
        if (seen.contains(f.cppName)) {
            fail(
                JsonPath::key(mp, u"name"),
                QStringLiteral("\"%1\" gives the C++ name \"%2\", which another member already has")
                    .arg(f.wireName, f.cppName));
            return;
        }
        seen.insert(f.cppName);
        g.members.append(f);
    }
    // A self-reference stays in the list: checkRecursion() reports it.
    g.dependencies = QStringList(deps.cbegin(), deps.cend());
    std::sort(g.dependencies.begin(), g.dependencies.end());
}

GenField SchemaModel::field(const AlgebraicType &type, const std::optional<QString> &name,
                            int index, const QString &path, QSet<QString> *deps,
                            const char *unnamedPrefix) {
    GenField f;
    if (name) {
        if (!Naming::isIdentifierLike(*name)) {
            fail(JsonPath::key(path, u"name"),
                 QStringLiteral("name \"%1\" cannot be turned into a C++ name").arg(*name));
            return f;
        }
        f.wireName = *name;
        f.cppName = Naming::escape(Naming::camelCase(*name));
        f.pascalName = Naming::pascalCase(*name);
        if (f.cppName.isEmpty() || f.pascalName.isEmpty()) {
            fail(JsonPath::key(path, u"name"),
                 QStringLiteral("name \"%1\" cannot be turned into a C++ name").arg(*name));
            return f;
        }
    } else {
        f.cppName = QLatin1String(unnamedPrefix) + QString::number(index);
        f.pascalName = Naming::pascalCase(f.cppName);
    }
    f.cppType = cppType(type, JsonPath::key(path, u"algebraic_type"), deps);
    const stdb::Typespace &ts = m_schema.typespace();
    const AlgebraicType *resolved = ts.resolve(type);
    if (resolved) {
        if (isScalarKind(resolved->kind())) {
            f.byValue = true;
            f.initialiser = resolved->kind() == Kind::Bool ? QStringLiteral(" = false")
                                                           : QStringLiteral(" = 0");
        } else if (const GenType *g = namedTarget(type); g && g->kind == GenType::Kind::Enum) {
            f.byValue = true;
            // Members are filled in typespace order, so the enum may not be built yet; its
            // first variant is read from the schema.
            const AlgebraicType &e = *resolved;
            const auto &v0 = e.members().front();
            f.initialiser = QStringLiteral(" = %1::%2")
                                .arg(g->cppName, v0.name ? Naming::pascalCase(*v0.name)
                                                         : QStringLiteral("Variant0"));
        }
        f.isString = resolved->kind() == Kind::String;
        if (const auto n = ts.fixedSize(*resolved))
            f.fixedSize = *n;
    }
    return f;
}

const GenType *SchemaModel::namedTarget(const AlgebraicType &type) const {
    const stdb::Typespace &ts = m_schema.typespace();
    AlgebraicType t = type;
    for (int guard = 0; t.isRef() && guard < 64; ++guard) {
        if (m_typeOfRef.contains(t.refIndex()))
            return &m_module.types[m_typeOfRef.value(t.refIndex())];
        const AlgebraicType *next = ts.at(t.refIndex());
        if (!next)
            return nullptr;
        t = *next;
    }
    return nullptr;
}

QString SchemaModel::cppType(const AlgebraicType &type, const QString &path, QSet<QString> *deps) {
    if (!ok())
        return {};
    if (path.size() > 4000) {
        fail(path.left(200) + QStringLiteral("…"), QStringLiteral("type nests too deeply"));
        return {};
    }
    const stdb::Typespace &ts = m_schema.typespace();
    switch (type.kind()) {
    case Kind::Ref: {
        if (const GenType *g = namedTarget(type)) {
            deps->insert(g->cppName);
            return g->cppName;
        }
        const AlgebraicType *target = ts.at(type.refIndex());
        if (!target) {
            fail(path, QStringLiteral("type ref %1 out of range").arg(type.refIndex()));
            return {};
        }
        // An unnamed entry: fine if it is something we map inline (Option, Identity, arrays …).
        return cppType(*target, m_locator.typespaceEntry(type.refIndex()), deps);
    }
    case Kind::Product:
        switch (type.special()) {
        case Special::Unit:
            return QStringLiteral("stdb::Unit");
        case Special::Identity:
            return QStringLiteral("stdb::Identity");
        case Special::ConnectionId:
            return QStringLiteral("stdb::ConnectionId");
        case Special::Timestamp:
            return QStringLiteral("stdb::Timestamp");
        case Special::TimeDuration:
            return QStringLiteral("stdb::TimeDuration");
        case Special::Uuid:
            return QStringLiteral("stdb::Uuid");
        default:
            fail(path, QStringLiteral("anonymous product type %1: only named types (listed in "
                                      "\"types\") can be generated")
                           .arg(type.toString()));
            return {};
        }
    case Kind::Sum:
        switch (type.special()) {
        case Special::Option: {
            const QString inner = cppType(
                type.optionType(),
                JsonPath::key(
                    JsonPath::index(JsonPath::key(JsonPath::key(path, u"Sum"), u"variants"), 0),
                    u"algebraic_type"),
                deps);
            return QStringLiteral("std::optional<%1>").arg(inner);
        }
        case Special::Result: {
            const QString variants = JsonPath::key(JsonPath::key(path, u"Sum"), u"variants");
            const QString okType =
                cppType(type.okType(),
                        JsonPath::key(JsonPath::index(variants, 0), u"algebraic_type"), deps);
            const QString errType =
                cppType(type.errType(),
                        JsonPath::key(JsonPath::index(variants, 1), u"algebraic_type"), deps);
            return QStringLiteral("stdb::SumResult<%1, %2>").arg(okType, errType);
        }
        case Special::ScheduleAt:
            return QStringLiteral("stdb::ScheduleAt");
        case Special::Never:
            fail(path, QStringLiteral("the empty sum type has no values and cannot be generated"));
            return {};
        default:
            fail(path, QStringLiteral("anonymous sum type %1: only named types (listed in "
                                      "\"types\") can be generated")
                           .arg(type.toString()));
            return {};
        }
    case Kind::Array:
        if (type.elementType().kind() == Kind::U8)
            return QStringLiteral("QByteArray");
        return QStringLiteral("QList<%1>")
            .arg(cppType(type.elementType(), JsonPath::key(path, u"Array"), deps));
    default:
        return primitiveCpp(type.kind());
    }
}

void SchemaModel::checkRecursion() {
    // Depth-first search over "uses by value" edges; C++ value types cannot contain
    // themselves (not even through std::optional), so any cycle is refused.
    QMap<QString, int> state; // 0 unvisited, 1 on stack, 2 done
    QStringList stack;
    std::function<bool(const QString &)> visit = [&](const QString &name) {
        state[name] = 1;
        stack.append(name);
        const GenType *g = m_module.type(name);
        for (const QString &d : g ? g->dependencies : QStringList()) {
            if (state.value(d) == 1) {
                const QStringList cycle = stack.mid(stack.indexOf(d)) + QStringList{d};
                const GenType *first = m_module.type(d);
                fail(first ? first->path : QString(),
                     QStringLiteral("recursive type %1 cannot be generated (C++ value types "
                                    "cannot contain themselves)")
                         .arg(cycle.join(QStringLiteral(" -> "))));
                return false;
            }
            if (state.value(d) == 0 && !visit(d))
                return false;
        }
        stack.removeLast();
        state[name] = 2;
        return true;
    };
    for (const GenType &g : m_module.types)
        if (state.value(g.cppName) == 0 && !visit(g.cppName))
            return;
}

void SchemaModel::buildTables() {
    for (qsizetype i = 0; i < m_schema.tables().size() && ok(); ++i) {
        const stdb::TableDef &t = m_schema.tables()[i];
        if (!t.isPublic() && !m_options.includePrivate)
            continue;
        const QString path = m_locator.table(i);
        if (!Naming::isIdentifierLike(t.sourceName)) {
            fail(path, QStringLiteral("table name \"%1\" cannot be turned into a C++ name")
                           .arg(t.sourceName));
            return;
        }
        GenTable g;
        g.wireName = wireName(t.name);
        g.path = path;
        g.cppClass = classPrefix() + Naming::pascalCase(t.sourceName) + QStringLiteral("Table");
        g.accessor = Naming::escape(methodPrefix() + Naming::camelCase(t.sourceName));
        if (clashesWithQObject(g.accessor))
            g.accessor += u'_';
        g.fileStem = Naming::fileStem(g.cppClass);
        g.isEvent = t.isEvent;
        g.isPublic = t.isPublic();
        const GenType *row = namedTarget(AlgebraicType::ref(t.productTypeRef));
        if (!row || row->kind != GenType::Kind::Product) {
            fail(JsonPath::key(path, u"product_type_ref"),
                 QStringLiteral("the row type is not a named product type"));
            return;
        }
        g.rowType = row->cppName;
        g.rowStem = row->fileStem;
        g.columns = row->members;
        if (t.schedule) {
            g.scheduledReducer = wireName(t.schedule->reducerName);
            g.scheduledIsProcedure = m_schema.procedure(t.schedule->reducerName) != nullptr;
            const int col = t.schedule->scheduledAtColumn;
            if (col >= 0 && col < g.columns.size())
                g.scheduledAtColumn = g.columns[col].wireName;
        }

        if (t.primaryKey.size() > 1)
            unsupported(JsonPath::key(path, u"primary_key"),
                        QStringLiteral("table \"%1\": a primary key of more than one column (%2) "
                                       "is refused by the server itself when the module is "
                                       "published (schema validate_primary_key: "
                                       "RepeatedPrimaryKey); without it, a changed row arrives "
                                       "as rowDeleted + rowInserted and there is no find")
                            .arg(t.name, columnNames(g, t.primaryKey)));
        QSet<int> covered;
        auto lookup = [&](int col, bool unique) {
            if (col < 0 || col >= g.columns.size() || covered.contains(col))
                return;
            covered.insert(col);
            GenIndex x;
            x.column = col;
            x.unique = unique;
            x.method = (unique ? QStringLiteral("findBy") : QStringLiteral("filterBy")) +
                       g.columns[col].pascalName;
            g.lookups.append(x);
        };
        // Event tables too: one can be the FROM side of a semijoin (stdb::query::Semijoin puts
        // it there); the official builders likewise give event tables their indexed columns.
        for (const stdb::IndexDef &x : t.indexes) {
            const int c = x.columns.size() == 1 ? x.columns.front() : -1;
            if (c >= 0 && c < g.columns.size() && !g.joinColumns.contains(c))
                g.joinColumns.append(c);
        }
        std::sort(g.joinColumns.begin(), g.joinColumns.end());
        if (!g.isEvent) {
            g.primaryKey = t.primaryKeyColumn();
            lookup(g.primaryKey, true);
            for (const stdb::UniqueConstraintDef &u : t.uniqueConstraints)
                if (u.columns.size() == 1)
                    lookup(u.columns.front(), true);
            for (const stdb::IndexDef &x : t.indexes)
                if (x.columns.size() == 1)
                    lookup(x.columns.front(), t.isUniqueColumn(x.columns.front()));
            QStringList methods;
            for (const GenIndex &x : std::as_const(g.lookups))
                methods << x.method.mid(x.method.startsWith(u"findBy") ? 6 : 8);
            for (qsizetype k = 0; k < t.indexes.size(); ++k) {
                const stdb::IndexDef &x = t.indexes[k];
                const bool btree = x.algorithm == stdb::IndexAlgorithm::BTree;
                if (x.columns.isEmpty() || (x.columns.size() == 1 && !btree))
                    continue;
                bool valid = true;
                for (int c : x.columns)
                    valid = valid && c >= 0 && c < g.columns.size();
                GenOrderedIndex *same = nullptr;
                for (GenOrderedIndex &o : g.orderedIndexes)
                    if (o.columns == x.columns)
                        same = &o;
                if (same) // one set of lookups per column list; a btree one offers more
                    same->btree = same->btree || btree;
                if (!valid || same)
                    continue;
                GenOrderedIndex o;
                o.name = x.name.isEmpty() ? QStringLiteral("index%1").arg(k) : x.name;
                o.columns = x.columns;
                o.btree = btree;
                for (int c : x.columns)
                    o.method += g.columns[c].pascalName;
                // A single-column range shares the equality lookup's name (other arguments);
                // a multi-column name that another lookup has is made unique by the index name.
                if (x.columns.size() > 1 && methods.contains(o.method))
                    o.method += Naming::pascalCase(o.name);
                methods << o.method;
                g.orderedIndexes.append(o);
            }
            for (qsizetype k = 0; k < t.uniqueConstraints.size(); ++k) {
                const stdb::UniqueConstraintDef &u = t.uniqueConstraints[k];
                if (u.columns.size() == 1)
                    continue;
                bool served = false;
                for (GenOrderedIndex &o : g.orderedIndexes)
                    if (o.columns == u.columns && !served)
                        served = o.unique = true;
                if (served)
                    continue;
                const QString name = u.name.isEmpty() ? QStringLiteral("(unnamed)") : u.name;
                g.skippedIndexes.append(name);
                unsupported(JsonPath::index(JsonPath::key(path, u"constraints"), k),
                            QStringLiteral("table \"%1\": unique constraint %2 on more than one "
                                           "column (%3) without an index on those columns: no "
                                           "lookup is generated for it")
                                .arg(t.name, name, columnNames(g, u.columns)));
            }
        }
        m_module.tables.append(g);
    }
}

void SchemaModel::buildReducers() {
    for (qsizetype j = 0; j < m_schema.reducers().size() && ok(); ++j) {
        const stdb::ReducerDef &r = m_schema.reducers()[j];
        if (r.isLifecycle())
            continue; // the server calls these; clients cannot
        if (!r.clientCallable && !m_options.includePrivate)
            continue;
        const QString path = m_locator.reducer(j);
        if (!Naming::isIdentifierLike(r.sourceName)) {
            fail(path, QStringLiteral("reducer name \"%1\" cannot be turned into a C++ name")
                           .arg(r.sourceName));
            return;
        }
        GenReducer g;
        g.wireName = wireName(r.name);
        g.path = path;
        g.method = Naming::escape(methodPrefix() + Naming::camelCase(r.sourceName));
        if (clashesWithQObject(g.method))
            g.method += u'_';
        g.argsType = classPrefix() + Naming::pascalCase(r.sourceName) + QStringLiteral("Args");
        g.argsStem = Naming::fileStem(g.argsType);
        g.signal = methodPrefix() + Naming::camelCase(r.sourceName) + QStringLiteral("Completed");
        for (const stdb::TableDef &t : m_schema.tables())
            if (t.schedule && t.schedule->reducerName == r.name)
                g.scheduledBy = wireName(t.name);

        GenType args =
            argsType(g.argsType, g.wireName, path, r.paramList,
                     JsonPath::key(JsonPath::key(path, u"params"), u"elements"), &g.params);
        if (!ok())
            return;
        if (r.okReturnType && !r.okReturnType->isUnit()) {
            QSet<QString> deps;
            g.returnType = cppType(*r.okReturnType, JsonPath::key(path, u"ok_return_type"), &deps);
            if (!ok())
                return;
            for (const QString &d : deps)
                if (const GenType *t = m_module.type(d))
                    g.returnTypeHeaders << t->fileStem;
            g.returnTypeHeaders.sort();
        }
        m_module.reducers.append(g);
        m_module.types.append(args);
    }
}

void SchemaModel::buildProcedures() {
    for (qsizetype j = 0; j < m_schema.procedures().size() && ok(); ++j) {
        const stdb::ProcedureDef &pr = m_schema.procedures()[j];
        if (!pr.clientCallable && !m_options.includePrivate)
            continue; // like a private reducer
        const QString path = m_locator.procedure(j);
        if (!Naming::isIdentifierLike(pr.sourceName)) {
            fail(path, QStringLiteral("procedure name \"%1\" cannot be turned into a C++ name")
                           .arg(pr.sourceName));
            return;
        }
        GenProcedure g;
        g.wireName = wireName(pr.name);
        g.path = path;
        g.method = Naming::escape(methodPrefix() + Naming::camelCase(pr.sourceName));
        if (clashesWithQObject(g.method) || g.method == u"procedures")
            g.method += u'_';
        g.argsType = classPrefix() + Naming::pascalCase(pr.sourceName) + QStringLiteral("Args");
        g.argsStem = Naming::fileStem(g.argsType);
        QSet<QString> deps;
        g.returnType = cppType(pr.returnType, JsonPath::key(path, u"return_type"), &deps);
        if (!ok())
            return;
        for (const QString &d : deps)
            if (const GenType *t = m_module.type(d))
                g.returnTypeHeaders << t->fileStem;
        g.returnTypeHeaders.sort();
        GenType args =
            argsType(g.argsType, g.wireName, path, pr.paramList,
                     JsonPath::key(JsonPath::key(path, u"params"), u"elements"), &g.params);
        if (!ok())
            return;
        args.isProcedureArgs = true;
        m_module.procedures.append(g);
        m_module.types.append(args);
    }
}

GenType SchemaModel::argsType(const QString &cppName, const QString &schemaName,
                              const QString &path, const QList<stdb::FieldDef> &params,
                              const QString &paramsPath, QList<GenField> *fields) {
    GenType args;
    args.kind = GenType::Kind::Product;
    args.cppName = cppName;
    args.schemaName = schemaName;
    args.fileStem = Naming::fileStem(cppName);
    args.path = path;
    args.isReducerArgs = true;
    QSet<QString> deps, seen;
    for (qsizetype k = 0; k < params.size() && ok(); ++k) {
        const stdb::FieldDef &p = params[k];
        const QString pp = JsonPath::index(paramsPath, k);
        GenField f = field(p.type, p.name.isEmpty() ? std::nullopt : std::optional(p.name), int(k),
                           pp, &deps, "arg");
        // The call methods take these two after the arguments.
        if (f.cppName == u"callback" || f.cppName == u"context")
            f.cppName += u'_';
        if (ok() && seen.contains(f.cppName))
            fail(JsonPath::key(pp, u"name"),
                 QStringLiteral("\"%1\" gives the C++ name \"%2\", which another parameter "
                                "already has")
                     .arg(f.wireName, f.cppName));
        seen.insert(f.cppName);
        fields->append(f);
    }
    args.members = *fields;
    args.dependencies = QStringList(deps.cbegin(), deps.cend());
    std::sort(args.dependencies.begin(), args.dependencies.end());
    return args;
}

void SchemaModel::buildViews() {
    for (qsizetype i = 0; i < m_schema.views().size() && ok(); ++i) {
        const stdb::ViewDef &v = m_schema.views()[i];
        if (!v.isPublic && !m_options.includePrivate)
            continue; // like a private table
        const QString path = m_locator.view(i);
        if (!v.paramList.isEmpty()) {
            // A subscription query names a view but cannot pass it arguments.
            unsupported(JsonPath::key(path, u"params"),
                        QStringLiteral("view \"%1\" takes parameters: it is not generated "
                                       "(the server cannot serve it to clients: a subscription "
                                       "has no way to pass view arguments, and it materializes "
                                       "views for subscribers without arguments)")
                            .arg(v.name));
            continue;
        }
        if (!Naming::isIdentifierLike(v.sourceName)) {
            fail(path, QStringLiteral("view name \"%1\" cannot be turned into a C++ name")
                           .arg(v.sourceName));
            return;
        }
        const GenType *row =
            v.productTypeRef ? namedTarget(AlgebraicType::ref(*v.productTypeRef)) : nullptr;
        if (!row || row->kind != GenType::Kind::Product) {
            fail(JsonPath::key(path, u"return_type"),
                 QStringLiteral("view \"%1\" returns %2: not Option, Array or Query of a named "
                                "product type")
                     .arg(v.name, v.returnType.toString()));
            return;
        }
        GenTable g;
        g.wireName = wireName(v.name);
        g.path = path;
        g.isView = true;
        g.isAnonymousView = v.isAnonymous;
        g.isPublic = v.isPublic;
        g.cppClass = classPrefix() + Naming::pascalCase(v.sourceName) + QStringLiteral("View");
        g.accessor = Naming::escape(methodPrefix() + Naming::camelCase(v.sourceName));
        if (clashesWithQObject(g.accessor))
            g.accessor += u'_';
        g.fileStem = Naming::fileStem(g.cppClass);
        g.rowType = row->cppName;
        g.rowStem = row->fileStem;
        g.columns = row->members;
        if (v.primaryKey.size() == 1 && v.primaryKey.front() >= 0 &&
            v.primaryKey.front() < g.columns.size()) {
            // Like a table's: updates are paired by it, and it has a find.
            g.primaryKey = v.primaryKey.front();
            GenIndex x;
            x.column = g.primaryKey;
            x.unique = true;
            x.method = QStringLiteral("findBy") + g.columns[g.primaryKey].pascalName;
            g.lookups.append(x);
            // The server indexes a view's backing table on (arg_hash, primary key) and fixes
            // arg_hash by the view's own filter, so a subscription join can look rows up by
            // the primary key (crates/schema from_view_def_for_datastore, crates/physical-plan
            // expand_views and ix_join_candidate). Its other columns have no index.
            g.joinColumns.append(g.primaryKey);
        } else if (!v.primaryKey.isEmpty()) {
            unsupported(path, QStringLiteral("view \"%1\": a primary key of more than one column "
                                             "(%2) cannot be generated; without it, a changed row "
                                             "arrives as rowDeleted + rowInserted and there is no "
                                             "find")
                                  .arg(v.name, columnNames(g, v.primaryKey)));
        }
        m_module.tables.append(g);
    }
}

QString SchemaModel::wireName(const QString &name) const {
    if (m_options.submodulePath.isEmpty())
        return name;
    return m_options.submodulePath.join(u'.') + u'.' + name;
}

QString SchemaModel::classPrefix() const {
    QString out;
    for (const QString &n : m_options.submodulePath)
        out += Naming::pascalCase(n) + u'_';
    return out;
}

QString SchemaModel::methodPrefix() const {
    QString out;
    for (const QString &n : m_options.submodulePath)
        out += Naming::camelCase(n) + u'_';
    return out;
}

void SchemaModel::buildSubmodules() {
    for (const SchemaLocator::Submodule &m : m_locator.submodules()) {
        // The server takes the namespace as an identifier (validate_submodules) and puts it
        // verbatim in front of the submodule's names.
        const QString nsPath = JsonPath::key(m.path, u"namespace");
        if (!Naming::isIdentifierLike(m.nameSpace) || Naming::pascalCase(m.nameSpace).isEmpty()) {
            fail(nsPath, QStringLiteral("submodule namespace \"%1\" cannot be turned into a C++ "
                                        "name")
                             .arg(m.nameSpace));
            return;
        }
        const QString modulePath = JsonPath::key(m.path, u"module");
        const stdb::Expected<stdb::ModuleSchema> schema =
            stdb::ModuleSchema::fromJsonValue(QJsonValue(m.module));
        if (!schema) {
            fail(modulePath, schema.error().message());
            return;
        }
        const SchemaLocator locator(m.module, modulePath);
        ModelOptions options = m_options;
        options.submodulePath.append(m.nameSpace);
        stdb::Expected<GenModule> sub = SchemaModel(schema.value(), locator, options).build();
        if (!sub) {
            if (ok())
                m_error = sub.error();
            return;
        }
        m_module.types += sub->types;
        m_module.tables += sub->tables;
        m_module.reducers += sub->reducers;
        m_module.procedures += sub->procedures;
        m_module.unsupported += sub->unsupported;
    }
}

void SchemaModel::checkNames() {
    QMap<QString, QString> classes; // name -> path
    QMap<QString, QString> methods;
    auto claim = [&](QMap<QString, QString> &names, const QString &name, const QString &path,
                     const char *what) {
        if (!ok())
            return;
        const auto it = names.constFind(name.toLower());
        if (it != names.constEnd()) {
            fail(path, QStringLiteral("the generated %1 \"%2\" clashes with what %3 generates "
                                      "(names and file names must differ in more than case)")
                           .arg(QLatin1String(what), name,
                                it.value().isEmpty() ? QStringLiteral("the generator itself")
                                                     : it.value()));
            return;
        }
        names.insert(name.toLower(), path);
    };
    claim(classes, QStringLiteral("Module"), QString(), "class");
    claim(classes, QStringLiteral("Reducers"), QString(), "class");
    if (!m_module.procedures.isEmpty())
        claim(classes, QStringLiteral("Procedures"), QString(), "class");
    for (const GenType &t : m_module.types)
        claim(classes, t.cppName, t.path, "type");
    for (const GenTable &t : m_module.tables)
        claim(classes, t.cppClass, t.path, "table class");
    // What the Qt meta-object parts add (gadgetemitter.h, modelemitter.h).
    for (const GenType &t : m_module.types)
        if (t.kind == GenType::Kind::Enum)
            claim(classes, t.cppName + QStringLiteral("Meta"), t.path, "enum meta-object holder");
    for (const GenTable &t : m_module.tables)
        if (!t.isEvent)
            claim(classes, t.cppClass + QStringLiteral("Model"), t.path, "table model class");
    for (const GenTable &t : m_module.tables)
        claim(methods, t.accessor, t.path, "table accessor");
    QMap<QString, QString> reducerMethods;
    for (const GenReducer &r : m_module.reducers) {
        claim(reducerMethods, r.method, r.path, "reducer method");
        claim(reducerMethods, r.signal, r.path, "reducer signal");
    }
    QMap<QString, QString> procedureMethods;
    claim(procedureMethods, QStringLiteral("Callback"), QString(), "type alias");
    for (const GenProcedure &p : m_module.procedures)
        claim(procedureMethods, p.method, p.path, "procedure method");
}
