// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spacetime/schema/schemaglobal.h"

// Plain data describing one module (spec §4.5), filled by ModuleSchema. Names are the canonical
// (wire) names unless the field says otherwise; column indices are BSATN field positions.

#include "spacetime/bsatn/bigint.h"
#include "spacetime/schema/algebraictype.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace stdb {

enum class Lifecycle : quint8 { None, Init, OnConnect, OnDisconnect };
enum class TableAccess : quint8 { Public, Private };
enum class TableType : quint8 { User, System };
enum class IndexAlgorithm : quint8 { BTree, Hash, Direct };

// A named, typed slot: a table column, a reducer/procedure/view parameter. `type` is as written
// in the schema (it may be a Ref; resolve it through the module's Typespace).
struct STDB_SCHEMA_EXPORT FieldDef {
    QString name; // empty when the schema gives none
    AlgebraicType type;
    int index = 0; // position in the product
    bool operator==(const FieldDef &) const = default;
};

struct STDB_SCHEMA_EXPORT IndexDef {
    QString name;         // e.g. "user_identity_idx_btree"; may be empty
    QString accessorName; // the module-side accessor ("identity"); may be empty
    IndexAlgorithm algorithm = IndexAlgorithm::BTree;
    QList<int> columns; // Direct has exactly one
    bool operator==(const IndexDef &) const = default;
};

struct STDB_SCHEMA_EXPORT UniqueConstraintDef {
    QString name;
    QList<int> columns;
    bool operator==(const UniqueConstraintDef &) const = default;
};

struct STDB_SCHEMA_EXPORT SequenceDef {
    QString name;
    int column = 0;
    I128 increment = I128::fromInt64(1);
    std::optional<I128> start, minValue, maxValue;
    bool operator==(const SequenceDef &) const = default;
};

struct STDB_SCHEMA_EXPORT ScheduleDef {
    QString name;
    QString reducerName; // wire name of the scheduled reducer / procedure
    int scheduledAtColumn = 0;
    bool operator==(const ScheduleDef &) const = default;
};

struct STDB_SCHEMA_EXPORT TableDef {
    QString name;       // canonical: used on the wire, in SQL and as the row-list table name
    QString sourceName; // the module's accessor name (V10 source_name; equals name for V9)
    quint32 productTypeRef = 0;
    AlgebraicType rowType; // the resolved row Product
    QList<FieldDef> columns;
    QList<int> primaryKey; // empty: no primary key; at most one column today
    QList<UniqueConstraintDef> uniqueConstraints;
    QList<IndexDef> indexes;
    QList<SequenceDef> sequences;
    std::optional<ScheduleDef> schedule;
    TableType tableType = TableType::User;
    TableAccess access = TableAccess::Private;
    bool isEvent = false; // V10 only

    bool isPublic() const { return access == TableAccess::Public; }
    bool hasPrimaryKey() const { return !primaryKey.isEmpty(); }
    // The single primary-key column, or -1.
    int primaryKeyColumn() const { return primaryKey.size() == 1 ? primaryKey.front() : -1; }
    // Column by name, or nullptr.
    const FieldDef *column(QStringView columnName) const {
        for (const FieldDef &c : columns)
            if (c.name == columnName)
                return &c;
        return nullptr;
    }
    // True if the column alone is unique (primary key or single-column unique constraint).
    bool isUniqueColumn(int col) const {
        if (primaryKey == QList<int>{col})
            return true;
        for (const UniqueConstraintDef &u : uniqueConstraints)
            if (u.columns == QList<int>{col})
                return true;
        return false;
    }
    bool operator==(const TableDef &) const = default;
};

struct STDB_SCHEMA_EXPORT ReducerDef {
    QString name;         // canonical (what CallReducer.reducer carries)
    QString sourceName;   // module-side function name (V10); equals name for V9
    AlgebraicType params; // inline Product: the CallReducer args type
    QList<FieldDef> paramList;
    Lifecycle lifecycle = Lifecycle::None;
    // V10 visibility; V9 has none, so there it is "not a lifecycle reducer".
    bool clientCallable = true;
    std::optional<AlgebraicType> okReturnType; // V10 only
    std::optional<AlgebraicType> errReturnType;

    bool isLifecycle() const { return lifecycle != Lifecycle::None; }
    bool operator==(const ReducerDef &) const = default;
};

struct STDB_SCHEMA_EXPORT ProcedureDef {
    QString name;
    QString sourceName;
    AlgebraicType params;
    QList<FieldDef> paramList;
    AlgebraicType returnType;
    bool clientCallable = true;
    bool operator==(const ProcedureDef &) const = default;
};

struct STDB_SCHEMA_EXPORT ViewDef {
    QString name; // rows arrive under this name
    QString sourceName;
    quint32 index = 0;
    bool isPublic = true;
    bool isAnonymous = false;
    AlgebraicType params;
    QList<FieldDef> paramList;
    AlgebraicType returnType; // Option<T>, Array<T> or Query<T> (the product {__query__: T})
    // The typespace entry of T when the return type names it through a Ref (the server requires
    // that); the row product T (resolved) and its columns; rowType is unit if the return type
    // has no product inside.
    std::optional<quint32> productTypeRef;
    AlgebraicType rowType;
    QList<FieldDef> columns;
    QList<int> primaryKey; // V10 ViewPrimaryKeys
    bool operator==(const ViewDef &) const = default;
};

// A user-facing name for a typespace entry (a struct or enum to generate).
struct STDB_SCHEMA_EXPORT TypeDef {
    QStringList scope; // usually empty
    QString name;
    quint32 ref = 0;
    bool customOrdering = false;

    QString qualifiedName() const {
        return scope.isEmpty() ? name
                               : scope.join(QStringLiteral("::")) + QStringLiteral("::") + name;
    }
    bool operator==(const TypeDef &) const = default;
};

} // namespace stdb
