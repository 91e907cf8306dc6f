// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/schemaparser.h"

#include "spacetime/schema/jsonpath.h"

#include <cmath>

namespace stdb {

namespace {

using P = JsonPath;

// snake_case the way SpacetimeDB's default case-conversion policy names things it was not told
// an explicit name for ("SendMessage" -> "send_message", "HTTPServer" -> "http_server").
QString toSnakeCase(const QString &s) {
    QString out;
    out.reserve(s.size() + 4);
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isUpper()) {
            const bool prevLowerOrDigit = i > 0 && (s[i - 1].isLower() || s[i - 1].isDigit());
            const bool acronymEnd =
                i > 0 && s[i - 1].isUpper() && i + 1 < s.size() && s[i + 1].isLower();
            if ((prevLowerOrDigit || acronymEnd) && !out.endsWith(u'_'))
                out += u'_';
            out += c.toLower();
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

void SchemaParser::fail(const QString &path, const QString &message) {
    if (ok())
        m_error = P::error(path, message);
}

void SchemaParser::failExpected(const QString &path, const char *what, const QJsonValue &got) {
    if (ok())
        m_error = P::expected(path, what, got);
}

QJsonObject SchemaParser::object(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    if (!v.isObject()) {
        failExpected(path, "an object", v);
        return {};
    }
    return v.toObject();
}

QJsonArray SchemaParser::array(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    if (!v.isArray()) {
        failExpected(path, "an array", v);
        return {};
    }
    return v.toArray();
}

QJsonValue SchemaParser::required(const QJsonObject &o, const QString &path, QStringView key) {
    if (!ok())
        return {};
    const auto it = o.constFind(key);
    if (it == o.constEnd()) {
        fail(P::key(path, key), QStringLiteral("missing"));
        return {};
    }
    return it.value();
}

QString SchemaParser::string(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    if (!v.isString()) {
        failExpected(path, "a string", v);
        return {};
    }
    return v.toString();
}

qint64 SchemaParser::integer(const QJsonValue &v, const QString &path, qint64 min, qint64 max) {
    if (!ok())
        return 0;
    if (!v.isDouble()) {
        failExpected(path, "a number", v);
        return 0;
    }
    // Integers that fit a qint64 are stored exactly; a fraction or huge double is not an index.
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < double(min) || d > double(max)) {
        fail(path,
             QStringLiteral("expected an integer in [%1, %2], got %3").arg(min).arg(max).arg(d));
        return 0;
    }
    return v.toInteger();
}

bool SchemaParser::boolean(const QJsonValue &v, const QString &path) {
    if (!ok())
        return false;
    if (!v.isBool()) {
        failExpected(path, "a bool", v);
        return false;
    }
    return v.toBool();
}

I128 SchemaParser::i128(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != std::floor(d) || !std::isfinite(d)) {
            fail(path, QStringLiteral("expected an integer"));
            return {};
        }
        return I128::fromInt64(v.toInteger());
    }
    if (v.isString()) { // ExactJson turns huge literals into digit strings
        bool good = false;
        const I128 r = I128::fromDecimal(v.toString(), &good);
        if (good)
            return r;
    }
    failExpected(path, "an integer", v);
    return {};
}

QJsonValue SchemaParser::option(const QJsonValue &v, const QString &path) {
    if (!ok() || v.isUndefined() || v.isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.size() == 1 && o.contains(u"some"))
            return o.value(u"some");
        if (o.size() == 1 && o.contains(u"none"))
            return QJsonValue(QJsonValue::Undefined);
        fail(path, QStringLiteral("expected {\"some\": …} or {\"none\": []}"));
        return QJsonValue(QJsonValue::Undefined);
    }
    return v; // a bare value, as some tools write options
}

QString SchemaParser::optionalString(const QJsonValue &v, const QString &path) {
    const QJsonValue inner = option(v, path);
    if (inner.isUndefined())
        return {};
    return string(inner, v.isObject() ? P::key(path, u"some") : path);
}

QString SchemaParser::variant(const QJsonValue &v, const QString &path, QJsonValue *payload) {
    if (!ok())
        return {};
    if (v.isString()) { // tolerate the bare-name form of payload-less variants
        if (payload)
            *payload = QJsonArray();
        return v.toString();
    }
    if (!v.isObject() || v.toObject().size() != 1) {
        failExpected(path, "an enum object with exactly one key", v);
        return {};
    }
    const QJsonObject o = v.toObject();
    if (payload)
        *payload = o.begin().value();
    return o.begin().key();
}

QList<int> SchemaParser::colList(const QJsonValue &v, const QString &path) {
    QList<int> cols;
    const QJsonArray a = array(v, path);
    for (qsizetype i = 0; i < a.size() && ok(); ++i)
        cols.append(index(a[i], P::index(path, i)));
    return cols;
}

AlgebraicType SchemaParser::type(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    Expected<AlgebraicType> t = AlgebraicType::fromJson(v, path);
    if (!t) {
        if (ok())
            m_error = t.error();
        return {};
    }
    Error e = m_schema.m_typespace.validateType(*t, path);
    if (e) {
        if (ok())
            m_error = e;
        return {};
    }
    return *t;
}

// Reducer/procedure params are a bare ProductType: {"elements": [...]}.
AlgebraicType SchemaParser::productType(const QJsonValue &v, const QString &path) {
    if (!ok())
        return {};
    QJsonObject wrapped;
    wrapped.insert(u"Product", v);
    Expected<AlgebraicType> t = AlgebraicType::fromJson(wrapped, path);
    if (!t) {
        // Report the path without the synthetic "Product" step.
        QString msg = t.error().message();
        msg.replace(path + QStringLiteral(".Product"), path);
        if (ok())
            m_error = Error(Error::Kind::InvalidArgument, msg);
        return {};
    }
    const QList<TypeMember> &m = t->members();
    for (qsizetype i = 0; i < m.size() && ok(); ++i) {
        Error e = m_schema.m_typespace.validateType(
            m[i].type, P::key(P::index(P::key(path, u"elements"), i), u"algebraic_type"));
        if (e)
            m_error = e;
    }
    return *t;
}

QList<FieldDef> SchemaParser::fields(const AlgebraicType &product) const {
    QList<FieldDef> out;
    const QList<TypeMember> &m = product.members();
    for (qsizetype i = 0; i < m.size(); ++i)
        out.append(FieldDef{m[i].name.value_or(QString()), m[i].type, int(i)});
    return out;
}

IndexDef SchemaParser::indexDef(const QJsonObject &o, const QString &path, const char *nameKey) {
    IndexDef idx;
    idx.name =
        optionalString(o.value(QLatin1String(nameKey)), P::key(path, QLatin1String(nameKey)));
    idx.accessorName = optionalString(o.value(u"accessor_name"), P::key(path, u"accessor_name"));
    const QString ap = P::key(path, u"algorithm");
    QJsonValue payload;
    const QString algo = variant(required(o, path, u"algorithm"), ap, &payload);
    if (!ok())
        return idx;
    const QString pp = P::key(ap, algo);
    if (algo == u"BTree" || algo == u"Hash") {
        idx.algorithm = algo == u"BTree" ? IndexAlgorithm::BTree : IndexAlgorithm::Hash;
        // {"columns": [..]} in current servers; a bare column list in older ones.
        if (payload.isArray())
            idx.columns = colList(payload, pp);
        else
            idx.columns =
                colList(required(object(payload, pp), pp, u"columns"), P::key(pp, u"columns"));
    } else if (algo == u"Direct") {
        idx.algorithm = IndexAlgorithm::Direct;
        if (payload.isDouble())
            idx.columns = {index(payload, pp)};
        else
            idx.columns = {
                index(required(object(payload, pp), pp, u"column"), P::key(pp, u"column"))};
    } else {
        fail(ap, QStringLiteral("unknown index algorithm \"%1\"").arg(algo));
    }
    return idx;
}

QList<UniqueConstraintDef> SchemaParser::constraints(const QJsonValue &v, const QString &path,
                                                     const char *nameKey) {
    QList<UniqueConstraintDef> out;
    if (v.isUndefined())
        return out;
    const QJsonArray a = array(v, path);
    for (qsizetype i = 0; i < a.size() && ok(); ++i) {
        const QString cp = P::index(path, i);
        const QJsonObject c = object(a[i], cp);
        UniqueConstraintDef u;
        u.name =
            optionalString(c.value(QLatin1String(nameKey)), P::key(cp, QLatin1String(nameKey)));
        const QString dp = P::key(cp, u"data");
        QJsonValue payload;
        const QString kind = variant(required(c, cp, u"data"), dp, &payload);
        if (!ok())
            break;
        if (kind != u"Unique")
            continue; // other constraint kinds (none today) carry nothing a client needs
        const QString up = P::key(dp, u"Unique");
        u.columns = colList(required(object(payload, up), up, u"columns"), P::key(up, u"columns"));
        out.append(u);
    }
    return out;
}

QList<SequenceDef> SchemaParser::sequences(const QJsonValue &v, const QString &path,
                                           const char *nameKey) {
    QList<SequenceDef> out;
    if (v.isUndefined())
        return out;
    const QJsonArray a = array(v, path);
    for (qsizetype i = 0; i < a.size() && ok(); ++i) {
        const QString sp = P::index(path, i);
        const QJsonObject s = object(a[i], sp);
        SequenceDef d;
        d.name =
            optionalString(s.value(QLatin1String(nameKey)), P::key(sp, QLatin1String(nameKey)));
        d.column = index(required(s, sp, u"column"), P::key(sp, u"column"));
        if (s.contains(u"increment"))
            d.increment = i128(s.value(u"increment"), P::key(sp, u"increment"));
        auto opt = [&](QStringView key, std::optional<I128> &dst) {
            const QString kp = P::key(sp, key);
            const QJsonValue inner = option(s.value(key), kp);
            if (!inner.isUndefined())
                dst = i128(inner, s.value(key).isObject() ? P::key(kp, u"some") : kp);
        };
        opt(u"start", d.start);
        opt(u"min_value", d.minValue);
        opt(u"max_value", d.maxValue);
        out.append(d);
    }
    return out;
}

TableType SchemaParser::tableType(const QJsonValue &v, const QString &path) {
    if (v.isUndefined())
        return TableType::User;
    const QString t = variant(v, path);
    if (t == u"System")
        return TableType::System;
    if (t != u"User" && ok())
        fail(path, QStringLiteral("unknown table type \"%1\"").arg(t));
    return TableType::User;
}

TableAccess SchemaParser::tableAccess(const QJsonValue &v, const QString &path) {
    if (v.isUndefined())
        return TableAccess::Private;
    const QString a = variant(v, path);
    if (a == u"Public")
        return TableAccess::Public;
    if (a != u"Private" && ok())
        fail(path, QStringLiteral("unknown table access \"%1\"").arg(a));
    return TableAccess::Private;
}

Lifecycle SchemaParser::lifecycle(const QJsonValue &v, const QString &path) {
    if (!ok())
        return Lifecycle::None;
    const QString l = variant(v, path);
    if (l == u"Init")
        return Lifecycle::Init;
    if (l == u"OnConnect")
        return Lifecycle::OnConnect;
    if (l == u"OnDisconnect")
        return Lifecycle::OnDisconnect;
    if (ok())
        fail(path, QStringLiteral("unknown lifecycle \"%1\"").arg(l));
    return Lifecycle::None;
}

void SchemaParser::finishTable(TableDef &t, const QString &path) {
    if (!ok())
        return;
    const QString refPath = P::key(path, u"product_type_ref");
    const AlgebraicType *row = m_schema.m_typespace.at(t.productTypeRef);
    if (!row) {
        fail(refPath, QStringLiteral("type ref %1 out of range (typespace has %2 types)")
                          .arg(t.productTypeRef)
                          .arg(m_schema.m_typespace.size()));
        return;
    }
    row = m_schema.m_typespace.resolve(*row);
    if (!row || !row->isProduct()) {
        fail(refPath, QStringLiteral("type ref %1 is not a product type").arg(t.productTypeRef));
        return;
    }
    t.rowType = *row;
    t.columns = fields(*row);
    const qsizetype n = t.columns.size();
    auto checkCols = [&](const QList<int> &cols, const QString &p) {
        for (qsizetype i = 0; i < cols.size() && ok(); ++i)
            if (cols[i] >= n)
                fail(P::index(p, i), QStringLiteral("column %1 out of range (table has %2 columns)")
                                         .arg(cols[i])
                                         .arg(n));
    };
    checkCols(t.primaryKey, P::key(path, u"primary_key"));
    for (qsizetype i = 0; i < t.indexes.size(); ++i)
        checkCols(t.indexes[i].columns,
                  P::key(P::index(P::key(path, u"indexes"), i), u"algorithm"));
    for (qsizetype i = 0; i < t.uniqueConstraints.size(); ++i)
        checkCols(t.uniqueConstraints[i].columns,
                  P::key(P::index(P::key(path, u"constraints"), i), u"data"));
    for (qsizetype i = 0; i < t.sequences.size(); ++i)
        checkCols({t.sequences[i].column}, P::index(P::key(path, u"sequences"), i));
    if (t.schedule)
        checkCols({t.schedule->scheduledAtColumn}, P::key(path, u"schedule"));
}

void SchemaParser::finishView(ViewDef &v) {
    // The return type is Option<T>, Array<T> or, for a query-builder view, Query<T>, written as
    // the product {__query__: T}; T is a product, named through a Ref (lib/src/db/view.rs).
    // A bare product T is taken as the row too.
    const AlgebraicType *t = m_schema.m_typespace.resolve(v.returnType);
    const AlgebraicType *inner = nullptr;
    if (t && t->isProduct() && t->members().size() == 1 &&
        t->members().front().name == QStringLiteral("__query__"))
        inner = &t->members().front().type;
    else if (t && (t->isArray() || t->isOption()))
        inner = t->isArray() ? &t->elementType() : &t->optionType();
    if (inner) {
        if (inner->isRef())
            v.productTypeRef = inner->refIndex();
        t = m_schema.m_typespace.resolve(*inner);
    }
    if (t && t->isProduct()) {
        v.rowType = *t;
        v.columns = fields(*t);
    }
}

void SchemaParser::parseTypespace(const QJsonValue &v, const QString &path) {
    const QJsonObject ts = object(v, path);
    const QString tp = P::key(path, u"types");
    const QJsonArray types = array(required(ts, path, u"types"), tp);
    QList<AlgebraicType> list;
    list.reserve(types.size());
    for (qsizetype i = 0; i < types.size() && ok(); ++i) {
        Expected<AlgebraicType> t = AlgebraicType::fromJson(types[i], P::index(tp, i));
        if (!t) {
            if (ok())
                m_error = t.error();
            return;
        }
        list.append(*t);
    }
    if (!ok())
        return;
    m_schema.m_typespace = Typespace(std::move(list));
    Error e = m_schema.m_typespace.validate(tp);
    if (e && ok())
        m_error = e;
}

void SchemaParser::parseV9(const QJsonObject &root, const QString &path) {
    m_schema.m_version = 9;
    parseTypespace(required(root, path, u"typespace"), P::key(path, u"typespace"));

    const QString tsPath = P::key(path, u"tables");
    const QJsonArray tables =
        root.contains(u"tables") ? array(root.value(u"tables"), tsPath) : QJsonArray();
    for (qsizetype i = 0; i < tables.size() && ok(); ++i) {
        const QString tp = P::index(tsPath, i);
        const QJsonObject o = object(tables[i], tp);
        TableDef t;
        t.name = string(required(o, tp, u"name"), P::key(tp, u"name"));
        t.sourceName = t.name;
        t.productTypeRef = quint32(integer(required(o, tp, u"product_type_ref"),
                                           P::key(tp, u"product_type_ref"), 0, 0xffffffffLL));
        if (o.contains(u"primary_key"))
            t.primaryKey = colList(o.value(u"primary_key"), P::key(tp, u"primary_key"));
        if (o.contains(u"indexes")) {
            const QString ip = P::key(tp, u"indexes");
            const QJsonArray idx = array(o.value(u"indexes"), ip);
            for (qsizetype k = 0; k < idx.size() && ok(); ++k)
                t.indexes.append(
                    indexDef(object(idx[k], P::index(ip, k)), P::index(ip, k), "name"));
        }
        t.uniqueConstraints =
            constraints(o.value(u"constraints"), P::key(tp, u"constraints"), "name");
        t.sequences = sequences(o.value(u"sequences"), P::key(tp, u"sequences"), "name");
        const QString sp = P::key(tp, u"schedule");
        const QJsonValue sched = option(o.value(u"schedule"), sp);
        if (!sched.isUndefined() && ok()) {
            const QString ip = o.value(u"schedule").isObject() ? P::key(sp, u"some") : sp;
            const QJsonObject so = object(sched, ip);
            ScheduleDef s;
            s.name = optionalString(so.value(u"name"), P::key(ip, u"name"));
            s.reducerName = string(required(so, ip, u"reducer_name"), P::key(ip, u"reducer_name"));
            s.scheduledAtColumn =
                index(required(so, ip, u"scheduled_at_column"), P::key(ip, u"scheduled_at_column"));
            t.schedule = s;
        }
        t.tableType = tableType(o.value(u"table_type"), P::key(tp, u"table_type"));
        t.access = tableAccess(o.value(u"table_access"), P::key(tp, u"table_access"));
        finishTable(t, tp);
        m_schema.m_tables.append(t);
    }

    const QString rsPath = P::key(path, u"reducers");
    const QJsonArray reducers =
        root.contains(u"reducers") ? array(root.value(u"reducers"), rsPath) : QJsonArray();
    for (qsizetype i = 0; i < reducers.size() && ok(); ++i) {
        const QString rp = P::index(rsPath, i);
        const QJsonObject o = object(reducers[i], rp);
        ReducerDef r;
        r.name = string(required(o, rp, u"name"), P::key(rp, u"name"));
        r.sourceName = r.name;
        r.params = productType(required(o, rp, u"params"), P::key(rp, u"params"));
        r.paramList = fields(r.params);
        const QString lp = P::key(rp, u"lifecycle");
        const QJsonValue lc = option(o.value(u"lifecycle"), lp);
        if (!lc.isUndefined())
            r.lifecycle =
                lifecycle(lc, o.value(u"lifecycle").isObject() ? P::key(lp, u"some") : lp);
        r.clientCallable = r.lifecycle == Lifecycle::None;
        m_schema.m_reducers.append(r);
    }

    const QString tyPath = P::key(path, u"types");
    const QJsonArray types =
        root.contains(u"types") ? array(root.value(u"types"), tyPath) : QJsonArray();
    for (qsizetype i = 0; i < types.size() && ok(); ++i) {
        const QString tp = P::index(tyPath, i);
        const QJsonObject o = object(types[i], tp);
        const QString np = P::key(tp, u"name");
        const QJsonObject n = object(required(o, tp, u"name"), np);
        TypeDef d;
        d.name = string(required(n, np, u"name"), P::key(np, u"name"));
        const QJsonArray scope =
            n.contains(u"scope") ? array(n.value(u"scope"), P::key(np, u"scope")) : QJsonArray();
        for (qsizetype k = 0; k < scope.size() && ok(); ++k)
            d.scope << string(scope[k], P::index(P::key(np, u"scope"), k));
        d.ref = quint32(integer(required(o, tp, u"ty"), P::key(tp, u"ty"), 0, 0xffffffffLL));
        if (ok() && !m_schema.m_typespace.at(d.ref))
            fail(P::key(tp, u"ty"),
                 QStringLiteral("type ref %1 out of range (typespace has %2 types)")
                     .arg(d.ref)
                     .arg(m_schema.m_typespace.size()));
        if (o.contains(u"custom_ordering"))
            d.customOrdering = boolean(o.value(u"custom_ordering"), P::key(tp, u"custom_ordering"));
        m_schema.m_types.append(d);
    }

    const QString mPath = P::key(path, u"misc_exports");
    const QJsonArray misc =
        root.contains(u"misc_exports") ? array(root.value(u"misc_exports"), mPath) : QJsonArray();
    for (qsizetype i = 0; i < misc.size() && ok(); ++i) {
        const QString mp = P::index(mPath, i);
        QJsonValue payload;
        const QString kind = variant(misc[i], mp, &payload);
        const QString pp = P::key(mp, kind);
        if (kind == u"Procedure") {
            const QJsonObject o = object(payload, pp);
            ProcedureDef p;
            p.name = string(required(o, pp, u"name"), P::key(pp, u"name"));
            p.sourceName = p.name;
            p.params = productType(required(o, pp, u"params"), P::key(pp, u"params"));
            p.paramList = fields(p.params);
            p.returnType = type(required(o, pp, u"return_type"), P::key(pp, u"return_type"));
            m_schema.m_procedures.append(p);
        } else if (kind == u"View") {
            const QJsonObject o = object(payload, pp);
            ViewDef v;
            v.name = string(required(o, pp, u"name"), P::key(pp, u"name"));
            v.sourceName = v.name;
            v.index =
                quint32(integer(o.value(u"index").isUndefined() ? QJsonValue(0) : o.value(u"index"),
                                P::key(pp, u"index"), 0, 0xffffffffLL));
            if (o.contains(u"is_public"))
                v.isPublic = boolean(o.value(u"is_public"), P::key(pp, u"is_public"));
            if (o.contains(u"is_anonymous"))
                v.isAnonymous = boolean(o.value(u"is_anonymous"), P::key(pp, u"is_anonymous"));
            v.params = productType(required(o, pp, u"params"), P::key(pp, u"params"));
            v.paramList = fields(v.params);
            v.returnType = type(required(o, pp, u"return_type"), P::key(pp, u"return_type"));
            finishView(v);
            m_schema.m_views.append(v);
        }
        // ColumnDefaultValue and future exports carry nothing a client decodes.
    }

    const QString rlsPath = P::key(path, u"row_level_security");
    const QJsonArray rls = root.contains(u"row_level_security")
                               ? array(root.value(u"row_level_security"), rlsPath)
                               : QJsonArray();
    for (qsizetype i = 0; i < rls.size() && ok(); ++i) {
        const QString rp = P::index(rlsPath, i);
        m_schema.m_rowLevelSecurity
            << string(required(object(rls[i], rp), rp, u"sql"), P::key(rp, u"sql"));
    }
}

QString SchemaParser::canonical(const QHash<QString, QString> &names, const QString &source) const {
    const auto it = names.constFind(source);
    if (it != names.constEnd())
        return it.value();
    return m_snakeCase ? toSnakeCase(source) : source;
}

void SchemaParser::parseV10(const QJsonObject &root, const QString &path) {
    m_schema.m_version = 10;
    const QString secPath = P::key(path, u"sections");
    const QJsonArray sections = array(required(root, path, u"sections"), secPath);

    // Pass 1: what the other sections depend on (types, names, policy).
    QHash<QString, QString> tableNames, functionNames, indexNames;
    bool haveTypespace = false;
    for (qsizetype i = 0; i < sections.size() && ok(); ++i) {
        const QString sp = P::index(secPath, i);
        QJsonValue payload;
        const QString kind = variant(sections[i], sp, &payload);
        const QString pp = P::key(sp, kind);
        if (kind == u"Typespace") {
            parseTypespace(payload, pp);
            haveTypespace = true;
        } else if (kind == u"CaseConversionPolicy") {
            m_snakeCase = variant(payload, pp) != u"None";
        } else if (kind == u"ExplicitNames") {
            const QString ep = P::key(pp, u"entries");
            const QJsonArray entries = array(required(object(payload, pp), pp, u"entries"), ep);
            for (qsizetype k = 0; k < entries.size() && ok(); ++k) {
                const QString xp = P::index(ep, k);
                QJsonValue mapping;
                const QString which = variant(entries[k], xp, &mapping);
                const QString mp = P::key(xp, which);
                const QJsonObject m = object(mapping, mp);
                const QString src =
                    string(required(m, mp, u"source_name"), P::key(mp, u"source_name"));
                const QString canon =
                    string(required(m, mp, u"canonical_name"), P::key(mp, u"canonical_name"));
                if (which == u"Table")
                    tableNames.insert(src, canon);
                else if (which == u"Function")
                    functionNames.insert(src, canon);
                else if (which == u"Index")
                    indexNames.insert(src, canon);
            }
        }
    }
    if (!ok())
        return;
    if (!haveTypespace)
        m_schema.m_typespace = Typespace();

    // Pass 2: definitions. Lifecycle, schedules and view keys refer to source names; apply them
    // after all sections were read, since sections come in any order.
    struct Pending {
        QString sourceTable, function, name;
        int column = 0;
    };
    QList<Pending> schedules;
    QHash<QString, Lifecycle> lifecycles;
    QHash<QString, QStringList> viewKeys;
    for (qsizetype i = 0; i < sections.size() && ok(); ++i) {
        const QString sp = P::index(secPath, i);
        QJsonValue payload;
        const QString kind = variant(sections[i], sp, &payload);
        const QString pp = P::key(sp, kind);
        if (kind == u"Tables") {
            const QJsonArray tables = array(payload, pp);
            for (qsizetype k = 0; k < tables.size() && ok(); ++k) {
                const QString tp = P::index(pp, k);
                const QJsonObject o = object(tables[k], tp);
                TableDef t;
                t.sourceName = string(required(o, tp, u"source_name"), P::key(tp, u"source_name"));
                t.name = canonical(tableNames, t.sourceName);
                t.productTypeRef =
                    quint32(integer(required(o, tp, u"product_type_ref"),
                                    P::key(tp, u"product_type_ref"), 0, 0xffffffffLL));
                if (o.contains(u"primary_key"))
                    t.primaryKey = colList(o.value(u"primary_key"), P::key(tp, u"primary_key"));
                if (o.contains(u"indexes")) {
                    const QString ip = P::key(tp, u"indexes");
                    const QJsonArray idx = array(o.value(u"indexes"), ip);
                    for (qsizetype j = 0; j < idx.size() && ok(); ++j) {
                        IndexDef d = indexDef(object(idx[j], P::index(ip, j)), P::index(ip, j),
                                              "source_name");
                        d.name = indexNames.value(d.name, d.name);
                        t.indexes.append(d);
                    }
                }
                t.uniqueConstraints =
                    constraints(o.value(u"constraints"), P::key(tp, u"constraints"), "source_name");
                t.sequences =
                    sequences(o.value(u"sequences"), P::key(tp, u"sequences"), "source_name");
                t.tableType = tableType(o.value(u"table_type"), P::key(tp, u"table_type"));
                t.access = tableAccess(o.value(u"table_access"), P::key(tp, u"table_access"));
                if (o.contains(u"is_event"))
                    t.isEvent = boolean(o.value(u"is_event"), P::key(tp, u"is_event"));
                finishTable(t, tp);
                m_schema.m_tables.append(t);
            }
        } else if (kind == u"Reducers") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString rp = P::index(pp, k);
                const QJsonObject o = object(list[k], rp);
                ReducerDef r;
                r.sourceName = string(required(o, rp, u"source_name"), P::key(rp, u"source_name"));
                r.name = canonical(functionNames, r.sourceName);
                r.params = productType(required(o, rp, u"params"), P::key(rp, u"params"));
                r.paramList = fields(r.params);
                if (o.contains(u"visibility"))
                    r.clientCallable = variant(o.value(u"visibility"), P::key(rp, u"visibility")) ==
                                       u"ClientCallable";
                if (o.contains(u"ok_return_type"))
                    r.okReturnType =
                        type(o.value(u"ok_return_type"), P::key(rp, u"ok_return_type"));
                if (o.contains(u"err_return_type"))
                    r.errReturnType =
                        type(o.value(u"err_return_type"), P::key(rp, u"err_return_type"));
                m_schema.m_reducers.append(r);
            }
        } else if (kind == u"Procedures") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString rp = P::index(pp, k);
                const QJsonObject o = object(list[k], rp);
                ProcedureDef p;
                p.sourceName = string(required(o, rp, u"source_name"), P::key(rp, u"source_name"));
                p.name = canonical(functionNames, p.sourceName);
                p.params = productType(required(o, rp, u"params"), P::key(rp, u"params"));
                p.paramList = fields(p.params);
                p.returnType = type(required(o, rp, u"return_type"), P::key(rp, u"return_type"));
                if (o.contains(u"visibility"))
                    p.clientCallable = variant(o.value(u"visibility"), P::key(rp, u"visibility")) ==
                                       u"ClientCallable";
                m_schema.m_procedures.append(p);
            }
        } else if (kind == u"Views") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString vp = P::index(pp, k);
                const QJsonObject o = object(list[k], vp);
                ViewDef v;
                v.sourceName = string(required(o, vp, u"source_name"), P::key(vp, u"source_name"));
                v.name = canonical(functionNames, v.sourceName);
                if (o.contains(u"index"))
                    v.index =
                        quint32(integer(o.value(u"index"), P::key(vp, u"index"), 0, 0xffffffffLL));
                if (o.contains(u"is_public"))
                    v.isPublic = boolean(o.value(u"is_public"), P::key(vp, u"is_public"));
                if (o.contains(u"is_anonymous"))
                    v.isAnonymous = boolean(o.value(u"is_anonymous"), P::key(vp, u"is_anonymous"));
                v.params = productType(required(o, vp, u"params"), P::key(vp, u"params"));
                v.paramList = fields(v.params);
                v.returnType = type(required(o, vp, u"return_type"), P::key(vp, u"return_type"));
                finishView(v);
                m_schema.m_views.append(v);
            }
        } else if (kind == u"Types") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString tp = P::index(pp, k);
                const QJsonObject o = object(list[k], tp);
                const QString np = P::key(tp, u"source_name");
                const QJsonObject n = object(required(o, tp, u"source_name"), np);
                TypeDef d;
                d.name = string(required(n, np, u"source_name"), P::key(np, u"source_name"));
                const QJsonArray scope = n.contains(u"scope")
                                             ? array(n.value(u"scope"), P::key(np, u"scope"))
                                             : QJsonArray();
                for (qsizetype j = 0; j < scope.size() && ok(); ++j)
                    d.scope << string(scope[j], P::index(P::key(np, u"scope"), j));
                d.ref =
                    quint32(integer(required(o, tp, u"ty"), P::key(tp, u"ty"), 0, 0xffffffffLL));
                if (ok() && !m_schema.m_typespace.at(d.ref))
                    fail(P::key(tp, u"ty"),
                         QStringLiteral("type ref %1 out of range (typespace has %2 types)")
                             .arg(d.ref)
                             .arg(m_schema.m_typespace.size()));
                if (o.contains(u"custom_ordering"))
                    d.customOrdering =
                        boolean(o.value(u"custom_ordering"), P::key(tp, u"custom_ordering"));
                m_schema.m_types.append(d);
            }
        } else if (kind == u"Schedules") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString xp = P::index(pp, k);
                const QJsonObject o = object(list[k], xp);
                Pending s;
                s.name = optionalString(o.value(u"source_name"), P::key(xp, u"source_name"));
                s.sourceTable = string(required(o, xp, u"table_name"), P::key(xp, u"table_name"));
                s.column =
                    index(required(o, xp, u"schedule_at_col"), P::key(xp, u"schedule_at_col"));
                s.function =
                    string(required(o, xp, u"function_name"), P::key(xp, u"function_name"));
                schedules.append(s);
            }
        } else if (kind == u"LifeCycleReducers") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString xp = P::index(pp, k);
                const QJsonObject o = object(list[k], xp);
                const Lifecycle l =
                    lifecycle(required(o, xp, u"lifecycle_spec"), P::key(xp, u"lifecycle_spec"));
                lifecycles.insert(
                    string(required(o, xp, u"function_name"), P::key(xp, u"function_name")), l);
            }
        } else if (kind == u"RowLevelSecurity") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString xp = P::index(pp, k);
                m_schema.m_rowLevelSecurity
                    << string(required(object(list[k], xp), xp, u"sql"), P::key(xp, u"sql"));
            }
        } else if (kind == u"ViewPrimaryKeys") {
            const QJsonArray list = array(payload, pp);
            for (qsizetype k = 0; k < list.size() && ok(); ++k) {
                const QString xp = P::index(pp, k);
                const QJsonObject o = object(list[k], xp);
                const QString view =
                    string(required(o, xp, u"view_source_name"), P::key(xp, u"view_source_name"));
                const QJsonArray cols = array(required(o, xp, u"columns"), P::key(xp, u"columns"));
                for (qsizetype j = 0; j < cols.size() && ok(); ++j)
                    viewKeys[view] << string(cols[j], P::index(P::key(xp, u"columns"), j));
            }
        }
        // Other sections (HTTP handlers, submodules, …) do not concern a client.
    }
    if (!ok())
        return;

    for (ReducerDef &r : m_schema.m_reducers) {
        r.lifecycle = lifecycles.value(r.sourceName, Lifecycle::None);
        if (r.isLifecycle())
            r.clientCallable = false;
    }
    for (const Pending &s : schedules) {
        for (TableDef &t : m_schema.m_tables) {
            if (t.sourceName != s.sourceTable)
                continue;
            if (s.column >= t.columns.size()) {
                fail(secPath, QStringLiteral("schedule for table \"%1\": column %2 out of range")
                                  .arg(s.sourceTable)
                                  .arg(s.column));
                return;
            }
            t.schedule = ScheduleDef{s.name, canonical(functionNames, s.function), s.column};
        }
        // Like the server's validation (schema/src/def/validate/v10.rs): a scheduled reducer
        // or procedure is private whatever the module declared; only the schedule calls it.
        const QString function = canonical(functionNames, s.function);
        for (ReducerDef &r : m_schema.m_reducers)
            if (r.name == function)
                r.clientCallable = false;
        for (ProcedureDef &p : m_schema.m_procedures)
            if (p.name == function)
                p.clientCallable = false;
    }
    for (ViewDef &v : m_schema.m_views)
        for (const QString &col : viewKeys.value(v.sourceName))
            for (const FieldDef &f : v.columns)
                if (f.name == col)
                    v.primaryKey << f.index;
}

Expected<ModuleSchema> SchemaParser::parse(const QJsonValue &root) {
    m_schema = ModuleSchema();
    m_error = {};
    const QJsonObject o = object(root, QString());
    if (!ok())
        return m_error;
    if (o.size() == 1 && o.contains(u"V9"))
        parseV9(object(o.value(u"V9"), QStringLiteral("V9")), QStringLiteral("V9"));
    else if (o.size() == 1 && o.contains(u"V10"))
        parseV10(object(o.value(u"V10"), QStringLiteral("V10")), QStringLiteral("V10"));
    else if (o.size() == 1 && o.begin().key().startsWith(u'V'))
        fail(QString(), QStringLiteral("unsupported module definition version \"%1\" (only V9 and "
                                       "V10 are supported)")
                            .arg(o.begin().key()));
    else if (o.contains(u"sections"))
        parseV10(o, QString());
    else if (o.contains(u"typespace"))
        parseV9(o, QString());
    else
        fail(QString(), QStringLiteral("not a module schema: expected \"typespace\" (V9), "
                                       "\"sections\" (V10) or a {\"V9\"/\"V10\": …} wrapper"));
    if (!ok())
        return m_error;
    return m_schema;
}

} // namespace stdb
