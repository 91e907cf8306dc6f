// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/bsatn/bigint.h"
#include "spacetime/bsatn/codec.h"
#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/scheduleat.h"
#include "spacetime/bsatn/timestamp.h"
#include "spacetime/bsatn/uuid.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>
#include <QVariantList>
#include <QVariantMap>

#include <optional>

namespace stdb {

// How a column value looks to QML and to item views: the type of a generated row's
// Q_PROPERTY and of a table model's column role (docs/bindings.md, "Rows, enums and models in
// Qt"). Qt's own value types, generated gadgets and Q_ENUMs stay as they are; SDK types become
// what QML can show and compare:
//   8/16-bit integers      int (QML has no smaller number type)
//   Identity, ConnectionId QString, hex
//   Uuid                   QString, 8-4-4-4-12 lower-case hex
//   Timestamp              QDateTime, UTC, millisecond precision
//   TimeDuration           qint64 microseconds
//   128/256-bit integers   QString, decimal (a JS number would round them)
//   std::optional<T>       the value, or an invalid QVariant (undefined in QML) when empty
//   QList<T>               QVariantList of converted elements
//   SumResult<T, E>        QVariantMap {"ok": value} or {"err": error}
//   ScheduleAt             QVariantMap {"interval": microseconds} or {"time": QDateTime}
//   Unit                   an invalid QVariant
// 64-bit integers stay qint64/quint64: exact in C++ and item views, but a JS number in QML
// (exact up to 2^53).
template <typename T, typename Enable = void>
struct QmlValue {
    using Type = T;
    static const T &convert(const T &v) { return v; }
};

// The converted value (what a generated row's Q_PROPERTY returns).
template <typename T>
typename QmlValue<T>::Type toQml(const T &v) {
    return QmlValue<T>::convert(v);
}
// The converted value in a QVariant (what a model role returns).
template <typename T>
QVariant toQmlVariant(const T &v) {
    return QVariant::fromValue(QmlValue<T>::convert(v));
}

template <typename T>
struct QmlValue<
    T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> && (sizeof(T) < 4)>> {
    using Type = int;
    static int convert(T v) { return int(v); }
};

template <>
struct QmlValue<Identity> {
    using Type = QString;
    static QString convert(const Identity &v) { return v.toHex(); }
};

template <>
struct QmlValue<ConnectionId> {
    using Type = QString;
    static QString convert(const ConnectionId &v) { return v.toHex(); }
};

template <>
struct QmlValue<Uuid> {
    using Type = QString;
    static QString convert(const Uuid &v) { return v.toString(); }
};

template <>
struct QmlValue<Timestamp> {
    using Type = QDateTime;
    static QDateTime convert(const Timestamp &v) { return v.toDateTime(); }
};

template <>
struct QmlValue<TimeDuration> {
    using Type = qint64;
    static qint64 convert(const TimeDuration &v) { return v.micros(); }
};

template <int Bytes, bool Signed>
struct QmlValue<BigInt<Bytes, Signed>> {
    using Type = QString;
    static QString convert(const BigInt<Bytes, Signed> &v) { return v.toDecimal(); }
};

template <>
struct QmlValue<Unit> {
    using Type = QVariant;
    static QVariant convert(const Unit &) { return {}; }
};

template <typename T>
struct QmlValue<std::optional<T>> {
    using Type = QVariant;
    static QVariant convert(const std::optional<T> &v) { return v ? toQmlVariant(*v) : QVariant(); }
};

template <typename T>
struct QmlValue<QList<T>> {
    using Type = QVariantList;
    static QVariantList convert(const QList<T> &v) {
        QVariantList out;
        out.reserve(v.size());
        for (const T &e : v)
            out.append(toQmlVariant(e));
        return out;
    }
};

template <typename T, typename E>
struct QmlValue<SumResult<T, E>> {
    using Type = QVariantMap;
    static QVariantMap convert(const SumResult<T, E> &v) {
        if (v.isOk())
            return {{QStringLiteral("ok"), toQmlVariant(std::get<0>(v.value))}};
        return {{QStringLiteral("err"), toQmlVariant(std::get<1>(v.value))}};
    }
};

template <>
struct QmlValue<ScheduleAt> {
    using Type = QVariantMap;
    static QVariantMap convert(const ScheduleAt &v) {
        if (v.isInterval())
            return {{QStringLiteral("interval"), v.interval().micros()}};
        return {{QStringLiteral("time"), v.time().toDateTime()}};
    }
};

} // namespace stdb
