// SPDX-License-Identifier: Apache-2.0
// The TypeScript side of `spacetime-bench apply`: the official SDK (npm `spacetimedb`, the
// version pinned in tests/interop) decodes and applies exactly the bytes our bench applies. Its
// real DbConnectionImpl runs over the in-memory socket of tests/interop/fake-socket.mjs, so the
// SDK's own message handling, table cache and row callbacks do the work.
//
//   node --expose-gc bench/decode/ts-apply.mjs FRAMES_FILE [--runs N]
//
// FRAMES_FILE: a sequence of [u32 little-endian length][server frame] records, as written by
// spacetime-bench apply: first a SubscribeApplied (query set 1, request 1), then optionally
// TransactionUpdates. Each frame starts with the compression tag byte (must be 0 = none); the
// SDK's socket adapter strips that byte before its message handler, so we do too.
//
// Prints one JSON object: times in ms (the first run is cold, the rest warm), rows the
// callbacks saw, and memory (RSS and JS heap retained by the cache after the snapshot).

import { readFile } from 'node:fs/promises';

import { chatRemoteModule } from '../../tests/interop/chat-module.mjs';
import { connectInMemory } from '../../tests/interop/fake-socket.mjs';
import { decodeWith, encodeWith, loadSdk } from '../../tests/interop/sdk.mjs';

const args = process.argv.slice(2);
if (args.length < 1) {
    console.error('usage: ts-apply.mjs FRAMES_FILE [--runs N]');
    process.exit(2);
}
const file = args[0];
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : 1;

const { stdb, api } = await loadSdk();
stdb.setGlobalLogLevel('error');

const data = await readFile(file);
const frames = [];
for (let at = 0; at < data.length;) {
    const len = data.readUInt32LE(at);
    at += 4;
    const frame = data.subarray(at, at + len);
    at += len;
    if (frame[0] !== 0)
        throw new Error('ts-apply: only uncompressed frames (tag 0) are supported');
    frames.push(frame.subarray(1));
}
if (frames.length === 0)
    throw new Error('ts-apply: no frames');

const gc = globalThis.gc ?? (() => {});
const mb = n => n / (1024 * 1024);

const initial = encodeWith(api, api.ServerMessage, api.ServerMessage.InitialConnection({
    identity: stdb.Identity.fromString('c200' + '11'.repeat(30)),
    connectionId: new stdb.ConnectionId(0x0123456789abcdefn),
    token: 'bench-token',
}));

// SubscribeApplied v2 layout: tag u8, request_id u32, query_set_id u32, rows…; the ids the SDK
// allocated are written over ours so it recognises the query set.
function patchIds(body, requestId, querySetId) {
    const copy = Uint8Array.from(body);
    const view = new DataView(copy.buffer);
    view.setUint32(1, requestId, true);
    view.setUint32(5, querySetId, true);
    return copy;
}

async function oneRun() {
    const link = await connectInMemory(stdb, chatRemoteModule(stdb));
    link.deliver(initial);
    await link.connected;
    let rows = 0;
    link.conn.db.message.onInsert(() => { ++rows; });
    link.conn.db.user.onInsert(() => { ++rows; });
    let applied = false;
    link.conn.subscriptionBuilder()
        .onApplied(() => { applied = true; })
        .subscribe(['SELECT * FROM message', 'SELECT * FROM user']);
    await link.settle();
    const sub = decodeWith(api, api.ClientMessage, link.sent[link.sent.length - 1]);
    if (sub.tag !== 'Subscribe')
        throw new Error(`ts-apply: expected a Subscribe, the SDK sent ${sub.tag}`);
    const snapshot = patchIds(frames[0], sub.value.requestId, sub.value.querySetId.id);

    gc();
    const before = process.memoryUsage();
    // deliver() copies the bytes (as a socket would hand over a fresh buffer); timed apart.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    link.deliver(snapshot);
    const t1 = performance.now();
    const cpu1 = process.cpuUsage(cpu0); // user + system µs of every thread (GC helpers too)
    if (!applied)
        throw new Error('ts-apply: the SDK did not apply the snapshot');
    const snapshotRows = rows;
    const t2 = performance.now();
    for (let i = 1; i < frames.length; ++i)
        link.deliver(frames[i]);
    const t3 = performance.now();
    gc();
    const after = process.memoryUsage();
    const copyStart = performance.now();
    Uint8Array.from(snapshot);
    const copyMs = performance.now() - copyStart;
    const cached = link.conn.db.message.count() + link.conn.db.user.count();
    link.close();
    return {
        snapshotMs: t1 - t0,
        snapshotCpuMs: (cpu1.user + cpu1.system) / 1000,
        txMs: t3 - t2,
        copyMs,
        snapshotRows,
        txRows: rows - snapshotRows,
        cached: Number(cached),
        rssDelta: after.rss - before.rss,
        heapDelta: after.heapUsed + after.external + after.arrayBuffers -
                   (before.heapUsed + before.external + before.arrayBuffers),
    };
}

const results = [];
for (let i = 0; i < runs; ++i) {
    results.push(await oneRun());
    gc();
}
const warm = results.slice(1);
const best = key => warm.length ? Math.min(...warm.map(r => r[key])) : null;
const first = results[0];
console.log(JSON.stringify({
    sdk: 'spacetimedb (TypeScript) ' + (await import('../../tests/interop/sdk.mjs')).SDK_VERSION,
    node: process.version,
    snapshot_bytes: frames[0].length + 1,
    tx_frames: frames.length - 1,
    snapshot_rows: first.snapshotRows,
    tx_rows: first.txRows,
    cached_rows: first.cached,
    cold_ms: first.snapshotMs,
    warm_ms: best('snapshotMs'),
    // Process CPU time of the snapshot's deliver (all threads), cold and the least warm.
    proc_cpu_cold_ms: first.snapshotCpuMs,
    proc_cpu_warm_ms: best('snapshotCpuMs'),
    tx_cold_ms: first.txMs,
    tx_warm_ms: best('txMs'),
    deliver_copy_ms: first.copyMs,
    rss_retained_mb: mb(first.rssDelta),
    heap_retained_mb: mb(first.heapDelta),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
