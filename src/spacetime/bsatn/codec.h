// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/global.h"

#include "spacetime/bsatn/bsatnreader.h"
#include "spacetime/bsatn/bsatnwriter.h"
#include "spacetime/bsatn/scheduleat.h"
#include "spacetime/expected.h"

#include <QList>

#include <optional>
#include <variant>
#include <vector>

namespace stdb {

// Generic BSATN for typed values. Specialise BsatnCodec<T> (generated bindings do) with
//   static void write(BsatnWriter &, const T &);
//   static void read(BsatnReader &, T &);
// and every container of T works too.
template <typename T, typename Enable = void>
struct BsatnCodec;

template <typename T>
void bsatnWrite(BsatnWriter &w, const T &v) {
    BsatnCodec<T>::write(w, v);
}
template <typename T>
void bsatnRead(BsatnReader &r, T &v) {
    BsatnCodec<T>::read(r, v);
}

// Whole-buffer helpers: encode to bytes; decode requiring the input to be consumed exactly.
template <typename T>
QByteArray toBsatn(const T &v) {
    BsatnWriter w;
    bsatnWrite(w, v);
    return w.take();
}
template <typename T>
Expected<T> fromBsatn(QByteArrayView bytes, const char *what = "value") {
    BsatnReader r(bytes);
    T v{};
    bsatnRead(r, v);
    r.expectEnd(what);
    if (!r.ok())
        return r.error();
    return v;
}

#define STDB_PRIMITIVE_CODEC(Type, Write, Read)                                                    \
    template <>                                                                                    \
    struct BsatnCodec<Type> {                                                                      \
        static void write(BsatnWriter &w, const Type &v) { w.Write(v); }                           \
        static void read(BsatnReader &r, Type &v) { v = r.Read(); }                                \
    };

STDB_PRIMITIVE_CODEC(bool, writeBool, readBool)
STDB_PRIMITIVE_CODEC(quint8, writeU8, readU8)
STDB_PRIMITIVE_CODEC(qint8, writeI8, readI8)
STDB_PRIMITIVE_CODEC(quint16, writeU16, readU16)
STDB_PRIMITIVE_CODEC(qint16, writeI16, readI16)
STDB_PRIMITIVE_CODEC(quint32, writeU32, readU32)
STDB_PRIMITIVE_CODEC(qint32, writeI32, readI32)
STDB_PRIMITIVE_CODEC(quint64, writeU64, readU64)
STDB_PRIMITIVE_CODEC(qint64, writeI64, readI64)
STDB_PRIMITIVE_CODEC(float, writeF32, readF32)
STDB_PRIMITIVE_CODEC(double, writeF64, readF64)
STDB_PRIMITIVE_CODEC(QByteArray, writeBytes, readBytes)
STDB_PRIMITIVE_CODEC(Identity, writeIdentity, readIdentity)
STDB_PRIMITIVE_CODEC(ConnectionId, writeConnectionId, readConnectionId)
STDB_PRIMITIVE_CODEC(Timestamp, writeTimestamp, readTimestamp)
STDB_PRIMITIVE_CODEC(TimeDuration, writeTimeDuration, readTimeDuration)
STDB_PRIMITIVE_CODEC(Uuid, writeUuid, readUuid)
#undef STDB_PRIMITIVE_CODEC

// Read into the existing string: a value decoded again and again (a row reused per row) keeps
// its buffer.
template <>
struct BsatnCodec<QString> {
    static void write(BsatnWriter &w, const QString &v) { w.writeString(v); }
    static void read(BsatnReader &r, QString &v) { r.readStringInto(v); }
};

template <int Bytes, bool Signed>
struct BsatnCodec<BigInt<Bytes, Signed>> {
    static void write(BsatnWriter &w, const BigInt<Bytes, Signed> &v) { w.writeBigInt(v); }
    static void read(BsatnReader &r, BigInt<Bytes, Signed> &v) {
        v = r.readBigInt<Bytes, Signed>();
    }
};

// The unit type (empty product): zero bytes.
struct STDB_EXPORT Unit {
    bool operator==(const Unit &) const = default;
};
template <>
struct BsatnCodec<Unit> {
    static void write(BsatnWriter &, const Unit &) {}
    static void read(BsatnReader &, Unit &) {}
};

template <>
struct BsatnCodec<ScheduleAt> {
    static void write(BsatnWriter &w, const ScheduleAt &v) {
        if (v.isInterval()) {
            w.writeTag(0);
            w.writeTimeDuration(v.interval());
        } else {
            w.writeTag(1);
            w.writeTimestamp(v.time());
        }
    }
    static void read(BsatnReader &r, ScheduleAt &v) {
        const quint8 tag = r.readTag(2, "ScheduleAt");
        if (tag == 0)
            v = ScheduleAt(r.readTimeDuration());
        else
            v = ScheduleAt(r.readTimestamp());
    }
};

// Option<T>: Some = tag 0, None = tag 1.
template <typename T>
struct BsatnCodec<std::optional<T>> {
    static void write(BsatnWriter &w, const std::optional<T> &v) {
        if (v) {
            w.writeTag(0);
            bsatnWrite(w, *v);
        } else {
            w.writeTag(1);
        }
    }
    static void read(BsatnReader &r, std::optional<T> &v) {
        if (r.readOptionTag()) {
            // Into the value already held, if any: every codec assigns all of its value, and
            // a reused value keeps its buffers.
            if (v) {
                bsatnRead(r, *v);
            } else {
                T inner{};
                bsatnRead(r, inner);
                v = std::move(inner);
            }
        } else {
            v.reset();
        }
    }
};

// Result<T, E>: Ok = tag 0, Err = tag 1.
template <typename T, typename E>
struct SumResult {
    std::variant<T, E> value;
    bool isOk() const { return value.index() == 0; }
    bool operator==(const SumResult &) const = default;
};
template <typename T, typename E>
struct BsatnCodec<SumResult<T, E>> {
    static void write(BsatnWriter &w, const SumResult<T, E> &v) {
        w.writeTag(quint8(v.value.index()));
        if (v.isOk())
            bsatnWrite(w, std::get<0>(v.value));
        else
            bsatnWrite(w, std::get<1>(v.value));
    }
    static void read(BsatnReader &r, SumResult<T, E> &v) {
        if (r.readTag(2, "Result") == 0) {
            T ok{};
            bsatnRead(r, ok);
            v.value = std::move(ok);
        } else {
            E err{};
            bsatnRead(r, err);
            v.value = std::move(err);
        }
    }
};

namespace detail {
template <typename C>
void writeSequence(BsatnWriter &w, const C &c) {
    w.writeArrayLength(quint32(c.size()));
    for (const auto &e : c)
        bsatnWrite(w, e);
}
template <typename C>
void readSequence(BsatnReader &r, C &c) {
    // Every element takes at least one byte except zero-sized ones (unit); the length check
    // still bounds allocation because we reserve at most what is left in the input.
    const quint32 n = r.readArrayLength(0);
    if (n == 0) {
        // Not clear(): an empty list decoded into a reused row then has no allocation, like a
        // new one. Qt 6.4 compares empty lists of plain types with memcmp of their data, which
        // UBSan refuses when one side is null and the other is not.
        c = C();
        return;
    }
    c.clear();
    c.reserve(qMin<qsizetype>(n, r.remaining()));
    for (quint32 i = 0; i < n && r.ok(); ++i) {
        typename C::value_type e{};
        bsatnRead(r, e);
        c.push_back(std::move(e));
    }
}
} // namespace detail

template <typename T>
struct BsatnCodec<QList<T>> {
    static void write(BsatnWriter &w, const QList<T> &v) { detail::writeSequence(w, v); }
    static void read(BsatnReader &r, QList<T> &v) { detail::readSequence(r, v); }
};
template <typename T>
struct BsatnCodec<std::vector<T>> {
    static void write(BsatnWriter &w, const std::vector<T> &v) { detail::writeSequence(w, v); }
    static void read(BsatnReader &r, std::vector<T> &v) { detail::readSequence(r, v); }
};

} // namespace stdb
