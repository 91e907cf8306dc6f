// SPDX-License-Identifier: Apache-2.0
// Runs the SDK's real DbConnectionImpl (public API, dist build) over an in-memory WebSocket:
// everything the SDK sends is captured as raw bytes, and server message bodies can be fed to it.
// Uses only DbConnectionBuilder#withWSFn, the SDK's documented hook for custom sockets.
//
//   const link = await connectInMemory(stdb, remoteModule);
//   link.conn.reducers.setName({ name: 'Bob' });   // → link.sent[...] holds the CallReducer bytes
//   link.deliver(serverMessageBody);                // no compression tag byte: the SDK's own
//                                                   // socket adapter strips it before this point

export async function connectInMemory(stdb, remoteModule, { protocol = 'v2.bsatn.spacetimedb' } = {}) {
    const sent = [];
    const offered = [];
    const handlers = {};
    const socket = {
        protocol,
        readyState: 1,
        send(bytes) {
            sent.push(Uint8Array.from(bytes));
        },
        close() {
            this.readyState = 3;
            handlers.close?.({ code: 1000, reason: 'closed by test', wasClean: true });
        },
        set onclose(h) { handlers.close = h; },
        set onopen(h) { handlers.open = h; },
        set onmessage(h) { handlers.message = h; },
        set onerror(h) { handlers.error = h; },
    };

    let connected;
    const connectedPromise = new Promise(resolve => { connected = resolve; });
    const conn = new stdb.DbConnectionBuilder(remoteModule, cfg => new stdb.DbConnectionImpl(cfg))
        .withUri('ws://127.0.0.1:1')
        .withDatabaseName('quickstart-chat')
        .withCompression('none')
        .withWSFn(async args => {
            offered.push(...args.wsProtocol);
            return socket;
        })
        .onConnect((_conn, identity, token) => connected({ identity, token }))
        .build();

    // Let the factory promise settle so the SDK installs its handlers, then open the socket.
    for (let i = 0; i < 10 && !handlers.open; ++i)
        await new Promise(r => setTimeout(r, 0));
    if (!handlers.open)
        throw new Error('the SDK never installed its WebSocket handlers');
    handlers.open();

    return {
        conn,
        sent,
        offered,
        connected: connectedPromise,
        deliver(body) {
            handlers.message({ data: Uint8Array.from(body) });
        },
        // Lets queued sends (v3 microbatching) and promise callbacks run.
        async settle() {
            for (let i = 0; i < 3; ++i)
                await new Promise(r => setTimeout(r, 0));
        },
        close() {
            socket.close();
        },
    };
}
