// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "database.h"
#include "value.h"

#include "spacetime/bsatn/connectionid.h"
#include "spacetime/bsatn/identity.h"
#include "spacetime/bsatn/timestamp.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace host {

enum class Lifecycle { None, Init, OnConnect, OnDisconnect };
// "Init", "OnConnect", "OnDisconnect" (the server's spelling in error messages).
QString lifecycleName(Lifecycle l);

struct ReducerDef {
    QString name;
    QList<ColumnDef> params;
    Lifecycle lifecycle = Lifecycle::None;
};

struct ReducerContext {
    stdb::Identity sender;
    stdb::ConnectionId connectionId;
    stdb::Timestamp timestamp;
    Transaction &tx;
};

// A reducer's verdict: Ok commits; UserError is the module returning Err(String) (the
// transaction is dropped); Panic is a failure inside the module (also dropped).
struct ModuleOutcome {
    enum class Kind { Ok, UserError, Panic };
    Kind kind = Kind::Ok;
    QString message;
};

// The logic of the official quickstart-chat module (tables `user` and `message`, reducers
// set_name, send_message and the lifecycle reducers), re-implemented from its documented
// behaviour.
class ChatModule {
public:
    static constexpr int kUserTable = 0;
    static constexpr int kMessageTable = 1;

    ChatModule();

    static QList<TableSchema> catalog();
    const QList<ReducerDef> &reducers() const { return m_reducers; }
    const ReducerDef *findReducer(QStringView name) const;
    const ReducerDef *lifecycleReducer(Lifecycle l) const;

    ModuleOutcome run(const ReducerDef &reducer, ReducerContext &ctx, const Row &args) const;

    // The module schema as GET /schema returns it: version 9 or 10; empty for other versions.
    static QByteArray schemaJson(int version);

private:
    QList<ReducerDef> m_reducers;
};

} // namespace host
