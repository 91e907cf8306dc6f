// SPDX-License-Identifier: Apache-2.0
#include "chatmodule.h"

#include "hostlog.h"

namespace host {

QString lifecycleName(Lifecycle l) {
    switch (l) {
    case Lifecycle::Init:
        return QStringLiteral("Init");
    case Lifecycle::OnConnect:
        return QStringLiteral("OnConnect");
    case Lifecycle::OnDisconnect:
        return QStringLiteral("OnDisconnect");
    case Lifecycle::None:
        break;
    }
    return QStringLiteral("None");
}

ChatModule::ChatModule() {
    m_reducers = {
        {QStringLiteral("set_name"),
         {{QStringLiteral("name"), ColumnType::String}},
         Lifecycle::None},
        {QStringLiteral("send_message"),
         {{QStringLiteral("text"), ColumnType::String}},
         Lifecycle::None},
        {QStringLiteral("init"), {}, Lifecycle::Init},
        {QStringLiteral("identity_connected"), {}, Lifecycle::OnConnect},
        {QStringLiteral("identity_disconnected"), {}, Lifecycle::OnDisconnect},
    };
}

QList<TableSchema> ChatModule::catalog() {
    TableSchema user;
    user.name = QStringLiteral("user");
    user.columns = {
        {QStringLiteral("identity"), ColumnType::Identity},
        {QStringLiteral("name"), ColumnType::String, true},
        {QStringLiteral("online"), ColumnType::Bool},
    };
    user.primaryKey = 0;

    TableSchema message;
    message.name = QStringLiteral("message");
    message.columns = {
        {QStringLiteral("sender"), ColumnType::Identity},
        {QStringLiteral("sent"), ColumnType::Timestamp},
        {QStringLiteral("text"), ColumnType::String},
    };
    return {user, message};
}

const ReducerDef *ChatModule::findReducer(QStringView name) const {
    for (const ReducerDef &r : m_reducers)
        if (r.name == name)
            return &r;
    return nullptr;
}

const ReducerDef *ChatModule::lifecycleReducer(Lifecycle l) const {
    for (const ReducerDef &r : m_reducers)
        if (r.lifecycle == l)
            return &r;
    return nullptr;
}

namespace {

constexpr int kIdentity = 0, kName = 1, kOnline = 2;

ModuleOutcome ok() {
    return {};
}
ModuleOutcome userError(const QString &message) {
    return {ModuleOutcome::Kind::UserError, message};
}

// Module code that tried something the database refused behaves like a panicking reducer.
ModuleOutcome checked(const stdb::Expected<bool> &r) {
    if (!r)
        return {ModuleOutcome::Kind::Panic, r.error().message()};
    return ok();
}

ModuleOutcome setName(ReducerContext &ctx, const QString &name) {
    if (name.isEmpty())
        return userError(QStringLiteral("Names must not be empty"));
    auto user = ctx.tx.findByKey(ChatModule::kUserTable, ctx.sender);
    if (!user)
        return userError(QStringLiteral("Cannot set name for unknown user"));
    (*user)[kName] = name;
    ctx.tx.updateByKey(ChatModule::kUserTable, *user);
    return ok();
}

ModuleOutcome sendMessage(ReducerContext &ctx, const QString &text) {
    if (text.isEmpty())
        return userError(QStringLiteral("Messages must not be empty"));
    qCInfo(lcModule).noquote() << text;
    return checked(ctx.tx.insert(ChatModule::kMessageTable, {ctx.sender, ctx.timestamp, text}));
}

ModuleOutcome clientConnected(ReducerContext &ctx) {
    if (auto user = ctx.tx.findByKey(ChatModule::kUserTable, ctx.sender)) {
        // Same identity, new value: subscribers see an update, not delete + insert.
        (*user)[kOnline] = true;
        ctx.tx.updateByKey(ChatModule::kUserTable, *user);
        return ok();
    }
    return checked(
        ctx.tx.insert(ChatModule::kUserTable, {ctx.sender, Value(std::monostate{}), true}));
}

ModuleOutcome clientDisconnected(ReducerContext &ctx) {
    if (auto user = ctx.tx.findByKey(ChatModule::kUserTable, ctx.sender)) {
        (*user)[kOnline] = false;
        ctx.tx.updateByKey(ChatModule::kUserTable, *user);
    } else {
        qCWarning(lcModule).noquote()
            << "Disconnect event for unknown user with identity" << ctx.sender.toHex();
    }
    return ok();
}

} // namespace

ModuleOutcome ChatModule::run(const ReducerDef &reducer, ReducerContext &ctx,
                              const Row &args) const {
    auto stringArg = [&]() -> QString {
        const Value v = args.value(0);
        return std::holds_alternative<QString>(v) ? std::get<QString>(v) : QString();
    };
    if (reducer.name == u"set_name")
        return setName(ctx, stringArg());
    if (reducer.name == u"send_message")
        return sendMessage(ctx, stringArg());
    if (reducer.name == u"identity_connected")
        return clientConnected(ctx);
    if (reducer.name == u"identity_disconnected")
        return clientDisconnected(ctx);
    if (reducer.name == u"init")
        return ok(); // the module's init does nothing
    return {ModuleOutcome::Kind::Panic, QStringLiteral("no such reducer")};
}

} // namespace host
