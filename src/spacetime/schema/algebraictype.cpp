// SPDX-License-Identifier: Apache-2.0
#include "spacetime/schema/algebraictype.h"

#include "spacetime/schema/jsonpath.h"

#include <QJsonArray>
#include <QJsonObject>

#include <array>

namespace stdb {

namespace {

const std::array<const char *, 20> kKindNames = {
    "Ref", "Sum", "Product", "Array", "String", "Bool", "I8",   "U8",   "I16", "U16",
    "I32", "U32", "I64",     "U64",   "I128",   "U128", "I256", "U256", "F32", "F64",
};

const AlgebraicType &unitType() {
    static const AlgebraicType unit;
    return unit;
}

const QList<TypeMember> &noMembers() {
    static const QList<TypeMember> none;
    return none;
}

bool hasSingleField(const AlgebraicType &t, QStringView name, AlgebraicType::Kind kind) {
    const QList<TypeMember> &m = t.members();
    return t.isProduct() && m.size() == 1 && m[0].name && *m[0].name == name &&
           m[0].type.kind() == kind;
}

bool hasTwoVariants(const AlgebraicType &t, QStringView first, QStringView second) {
    const QList<TypeMember> &m = t.members();
    return t.isSum() && m.size() == 2 && m[0].name && *m[0].name == first && m[1].name &&
           *m[1].name == second;
}

// Reads an Option<String> name in either SATS-JSON form ({"some": "x"} / {"none": []}) or the
// plainer forms some tools emit ("x" / null).
Expected<std::optional<QString>> optionalName(const QJsonValue &v, const QString &path) {
    if (v.isUndefined() || v.isNull())
        return std::optional<QString>();
    if (v.isString())
        return std::optional<QString>(v.toString());
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.size() == 1 && o.contains(u"some")) {
            const QJsonValue s = o.value(u"some");
            if (!s.isString())
                return JsonPath::expected(JsonPath::key(path, u"some"), "a string", s);
            return std::optional<QString>(s.toString());
        }
        if (o.size() == 1 && o.contains(u"none"))
            return std::optional<QString>();
    }
    return JsonPath::expected(path, "{\"some\": name} or {\"none\": []}", v);
}

Expected<QList<TypeMember>> membersFromJson(const QJsonValue &json, const char *listKey,
                                            const QString &path) {
    if (!json.isObject())
        return JsonPath::expected(path, "an object", json);
    const QString listPath = JsonPath::key(path, QLatin1String(listKey));
    const QJsonValue list = json.toObject().value(QLatin1String(listKey));
    if (!list.isArray())
        return JsonPath::expected(listPath, "an array", list);
    QList<TypeMember> members;
    const QJsonArray arr = list.toArray();
    members.reserve(arr.size());
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString ep = JsonPath::index(listPath, i);
        if (!arr[i].isObject())
            return JsonPath::expected(ep, "an object", arr[i]);
        const QJsonObject e = arr[i].toObject();
        Expected<std::optional<QString>> name =
            optionalName(e.value(u"name"), JsonPath::key(ep, u"name"));
        if (!name)
            return name.error();
        const QString tp = JsonPath::key(ep, u"algebraic_type");
        if (!e.contains(u"algebraic_type"))
            return JsonPath::error(tp, QStringLiteral("missing"));
        Expected<AlgebraicType> t = AlgebraicType::fromJson(e.value(u"algebraic_type"), tp);
        if (!t)
            return t.error();
        members.append(TypeMember(*name, *t));
    }
    return members;
}

QJsonValue membersToJson(const QList<TypeMember> &members, const char *listKey) {
    QJsonArray arr;
    for (const TypeMember &m : members) {
        QJsonObject e;
        QJsonObject name;
        if (m.name)
            name.insert(u"some", *m.name);
        else
            name.insert(u"none", QJsonArray());
        e.insert(u"name", name);
        e.insert(u"algebraic_type", m.type.toJson());
        arr.append(e);
    }
    QJsonObject o;
    o.insert(QLatin1String(listKey), arr);
    return o;
}

} // namespace

AlgebraicType::AlgebraicType() = default;

AlgebraicType::AlgebraicType(Kind kind)
    : m_kind(kind) {
    if (kind == Kind::Array)
        m_element = std::make_shared<const AlgebraicType>();
}

AlgebraicType AlgebraicType::ref(quint32 index) {
    AlgebraicType t(Kind::Ref);
    t.m_ref = index;
    return t;
}

AlgebraicType AlgebraicType::product(QList<TypeMember> elements) {
    AlgebraicType t(Kind::Product);
    if (!elements.isEmpty())
        t.m_members = std::make_shared<const QList<TypeMember>>(std::move(elements));
    return t;
}

AlgebraicType AlgebraicType::sum(QList<TypeMember> variants) {
    AlgebraicType t(Kind::Sum);
    if (!variants.isEmpty())
        t.m_members = std::make_shared<const QList<TypeMember>>(std::move(variants));
    return t;
}

AlgebraicType AlgebraicType::array(const AlgebraicType &element) {
    AlgebraicType t;
    t.m_kind = Kind::Array;
    t.m_element = std::make_shared<const AlgebraicType>(element);
    return t;
}

AlgebraicType AlgebraicType::option(const AlgebraicType &some) {
    return sum({{"some", some}, {"none", unit()}});
}

AlgebraicType AlgebraicType::result(const AlgebraicType &ok, const AlgebraicType &err) {
    return sum({{"ok", ok}, {"err", err}});
}

AlgebraicType AlgebraicType::identity() {
    return product({{"__identity__", Kind::U256}});
}

AlgebraicType AlgebraicType::connectionId() {
    return product({{"__connection_id__", Kind::U128}});
}

AlgebraicType AlgebraicType::timestamp() {
    return product({{"__timestamp_micros_since_unix_epoch__", Kind::I64}});
}

AlgebraicType AlgebraicType::timeDuration() {
    return product({{"__time_duration_micros__", Kind::I64}});
}

AlgebraicType AlgebraicType::uuid() {
    return product({{"__uuid__", Kind::U128}});
}

AlgebraicType AlgebraicType::scheduleAt() {
    return sum({{"Interval", timeDuration()}, {"Time", timestamp()}});
}

int AlgebraicType::primitiveSize() const {
    switch (m_kind) {
    case Kind::Bool:
    case Kind::I8:
    case Kind::U8:
        return 1;
    case Kind::I16:
    case Kind::U16:
        return 2;
    case Kind::I32:
    case Kind::U32:
    case Kind::F32:
        return 4;
    case Kind::I64:
    case Kind::U64:
    case Kind::F64:
        return 8;
    case Kind::I128:
    case Kind::U128:
        return 16;
    case Kind::I256:
    case Kind::U256:
        return 32;
    default:
        return 0;
    }
}

const AlgebraicType &AlgebraicType::elementType() const {
    return m_element ? *m_element : unitType();
}

const QList<TypeMember> &AlgebraicType::members() const {
    return m_members ? *m_members : noMembers();
}

AlgebraicType::Special AlgebraicType::special() const {
    if (m_kind == Kind::Product) {
        const QList<TypeMember> &m = members();
        if (m.isEmpty())
            return Special::Unit;
        if (m.size() != 1 || !m[0].name)
            return Special::None;
        if (hasSingleField(*this, u"__identity__", Kind::U256))
            return Special::Identity;
        if (hasSingleField(*this, u"__connection_id__", Kind::U128))
            return Special::ConnectionId;
        if (hasSingleField(*this, u"__timestamp_micros_since_unix_epoch__", Kind::I64))
            return Special::Timestamp;
        if (hasSingleField(*this, u"__time_duration_micros__", Kind::I64))
            return Special::TimeDuration;
        if (hasSingleField(*this, u"__uuid__", Kind::U128))
            return Special::Uuid;
        return Special::None;
    }
    if (m_kind == Kind::Sum) {
        const QList<TypeMember> &m = members();
        if (m.isEmpty())
            return Special::Never;
        if (hasTwoVariants(*this, u"some", u"none") && m[1].type.isUnit())
            return Special::Option;
        if (hasTwoVariants(*this, u"ok", u"err"))
            return Special::Result;
        if (hasTwoVariants(*this, u"Interval", u"Time") &&
            m[0].type.special() == Special::TimeDuration &&
            m[1].type.special() == Special::Timestamp)
            return Special::ScheduleAt;
    }
    return Special::None;
}

bool AlgebraicType::isPlainEnum() const {
    if (m_kind != Kind::Sum || members().isEmpty() || special() == Special::Option)
        return false;
    for (const TypeMember &v : members())
        if (!v.type.isUnit())
            return false;
    return true;
}

const AlgebraicType &AlgebraicType::optionType() const {
    const QList<TypeMember> &m = members();
    return m_kind == Kind::Sum && !m.isEmpty() ? m[0].type : unitType();
}

const AlgebraicType &AlgebraicType::errType() const {
    const QList<TypeMember> &m = members();
    return m_kind == Kind::Sum && m.size() > 1 ? m[1].type : unitType();
}

QString AlgebraicType::kindName(Kind kind) {
    const auto i = size_t(kind);
    return i < kKindNames.size() ? QLatin1String(kKindNames[i]) : QStringLiteral("?");
}

std::optional<AlgebraicType::Kind> AlgebraicType::kindFromName(QStringView name) {
    for (size_t i = 0; i < kKindNames.size(); ++i)
        if (name == QLatin1String(kKindNames[i]))
            return Kind(i);
    return std::nullopt;
}

QString AlgebraicType::toString() const {
    switch (special()) {
    case Special::Unit:
        return QStringLiteral("()");
    case Special::Never:
        return QStringLiteral("!");
    case Special::Option:
        return QStringLiteral("Option<%1>").arg(optionType().toString());
    case Special::Result:
        return QStringLiteral("Result<%1, %2>").arg(okType().toString(), errType().toString());
    case Special::Identity:
        return QStringLiteral("Identity");
    case Special::ConnectionId:
        return QStringLiteral("ConnectionId");
    case Special::Timestamp:
        return QStringLiteral("Timestamp");
    case Special::TimeDuration:
        return QStringLiteral("TimeDuration");
    case Special::Uuid:
        return QStringLiteral("Uuid");
    case Special::ScheduleAt:
        return QStringLiteral("ScheduleAt");
    case Special::None:
        break;
    }
    switch (m_kind) {
    case Kind::Ref:
        return QStringLiteral("Ref(%1)").arg(m_ref);
    case Kind::Array:
        return QStringLiteral("Array<%1>").arg(elementType().toString());
    case Kind::Product: {
        QStringList parts;
        for (const TypeMember &m : members())
            parts << (m.name ? *m.name + QStringLiteral(": ") : QString()) + m.type.toString();
        return u'{' + parts.join(QStringLiteral(", ")) + u'}';
    }
    case Kind::Sum: {
        QStringList parts;
        for (const TypeMember &m : members()) {
            const QString n = m.name ? *m.name : QStringLiteral("_");
            parts << (m.type.isUnit() ? n : n + u'(' + m.type.toString() + u')');
        }
        return u'(' + parts.join(QStringLiteral(" | ")) + u')';
    }
    default:
        return kindName(m_kind);
    }
}

QJsonValue AlgebraicType::toJson() const {
    QJsonObject o;
    const QString name = kindName(m_kind);
    switch (m_kind) {
    case Kind::Ref:
        o.insert(name, qint64(m_ref));
        break;
    case Kind::Sum:
        o.insert(name, membersToJson(members(), "variants"));
        break;
    case Kind::Product:
        o.insert(name, membersToJson(members(), "elements"));
        break;
    case Kind::Array:
        o.insert(name, elementType().toJson());
        break;
    default:
        o.insert(name, QJsonArray());
        break;
    }
    return o;
}

Expected<AlgebraicType> AlgebraicType::fromJson(const QJsonValue &json, const QString &path) {
    if (!json.isObject())
        return JsonPath::expected(path, "an AlgebraicType object", json);
    const QJsonObject o = json.toObject();
    if (o.size() != 1)
        return JsonPath::error(path, QStringLiteral("expected an AlgebraicType object with exactly "
                                                    "one key, got %1 keys")
                                         .arg(o.size()));
    const QString key = o.begin().key();
    const QJsonValue payload = o.begin().value();
    const QString inner = JsonPath::key(path, key);
    const std::optional<Kind> kind = kindFromName(key);
    if (!kind)
        return JsonPath::error(path, QStringLiteral("unknown AlgebraicType kind \"%1\"").arg(key));
    switch (*kind) {
    case Kind::Ref: {
        // Refs are small indices; QJsonValue keeps them exact (§8 item 37 is about u64+).
        const double d = payload.toDouble(-1);
        if (!payload.isDouble() || d < 0 || d > 4294967295.0 || d != qint64(d))
            return JsonPath::expected(inner, "a type index (a non-negative integer)", payload);
        return ref(quint32(payload.toInteger()));
    }
    case Kind::Sum: {
        Expected<QList<TypeMember>> m = membersFromJson(payload, "variants", inner);
        if (!m)
            return m.error();
        if (m->size() > 256)
            return JsonPath::error(inner, QStringLiteral("a sum type has at most 256 variants"));
        return sum(std::move(*m));
    }
    case Kind::Product: {
        Expected<QList<TypeMember>> m = membersFromJson(payload, "elements", inner);
        if (!m)
            return m.error();
        return product(std::move(*m));
    }
    case Kind::Array: {
        Expected<AlgebraicType> e = fromJson(payload, inner);
        if (!e)
            return e.error();
        return array(*e);
    }
    default:
        return AlgebraicType(*kind);
    }
}

bool AlgebraicType::operator==(const AlgebraicType &o) const {
    if (m_kind != o.m_kind)
        return false;
    switch (m_kind) {
    case Kind::Ref:
        return m_ref == o.m_ref;
    case Kind::Array:
        return elementType() == o.elementType();
    case Kind::Product:
    case Kind::Sum:
        return m_members == o.m_members || members() == o.members();
    default:
        return true;
    }
}

} // namespace stdb
