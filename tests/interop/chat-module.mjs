// SPDX-License-Identifier: Apache-2.0
// The quickstart-chat module as the TypeScript SDK sees it (protocol spec §6), declared with the
// SDK's public builders the same way `spacetime generate` output does (schema/table/reducers/
// reducerSchema/procedures/procedureSchema, then a RemoteModule object). Our own declaration;
// nothing here is generated or copied.
//
// Also used by the interop chat client and benchmarks: `chatRemoteModule(stdb)` can be handed
// to `new stdb.DbConnectionBuilder(module, cfg => new stdb.DbConnectionImpl(cfg))`.

export function chatTypes(stdb) {
    const { t } = stdb;
    const userRow = {
        identity: t.identity().primaryKey(),
        name: t.option(t.string()),
        online: t.bool(),
    };
    const messageRow = {
        sender: t.identity(),
        sent: t.timestamp(),
        text: t.string(),
    };
    return {
        userRow,
        messageRow,
        // Plain product builders for encoding single rows (column order = BSATN order).
        User: t.object('User', {
            identity: t.identity(),
            name: t.option(t.string()),
            online: t.bool(),
        }),
        Message: t.object('Message', messageRow),
    };
}

export function chatRemoteModule(stdb) {
    const { t } = stdb;
    const types = chatTypes(stdb);
    const tables = stdb.schema({
        user: stdb.table({ name: 'user', public: true }, types.userRow),
        message: stdb.table({ name: 'message', public: true }, types.messageRow),
    });
    const reducers = stdb.reducers(
        stdb.reducerSchema('set_name', { name: t.string() }),
        stdb.reducerSchema('send_message', { text: t.string() }));
    // quickstart-chat has no procedures; this one exists to exercise CallProcedure.
    const procedures = stdb.procedures(
        stdb.procedureSchema('echo', { text: t.string() }, t.string()));
    return {
        versionInfo: { cliVersion: '2.0.0' },
        tables: tables.schemaType.tables,
        reducers: reducers.reducersType.reducers,
        ...procedures,
    };
}
