#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Differential test corpus for tst_tsdiff: v2 protocol messages decoded by the official
// SpacetimeDB TypeScript SDK (npm `spacetimedb` 2.10.1), to be decoded again by our codec.
//
//   node diff-corpus.mjs generate --seed S --count N OUT.jsonl
//       N seeded cases (about half valid, half mutated), encoded with the SDK's serializers and
//       decoded with the SDK; one JSON object a line, the first line the header (schema).
//   node diff-corpus.mjs decode IN.jsonl OUT.jsonl
//       decodes cases someone else encoded (tst_tsdiff: our encoder) with the SDK.
//   node diff-corpus.mjs show server|client HEX
//       one case by hand: what the SDK made of it and what the strict walk found.
//
// A case: { id, dir: "server" | "client", kind, variant, compression, hex, ts } where hex is a
// whole server frame (compression tag byte + body) or a client message, and ts is what the SDK
// made of it:
//   { ok: false, error }                 the SDK threw (rejected)
//   { ok: true, lenient: [], value, raw } accepted; value is the canonical rendering (below),
//                                        raw the same with row lists as hint + data hex
//   { ok: true, lenient: [labels…] }     accepted, but only because the SDK is more lenient than
//                                        the Rust server's BSATN (crates/sats); labels say where
//                                        (with row-hint, raw is there too):
//     trailing  bytes left after the message (the SDK's v2 path never checks)
//     bool      a bool byte other than 0/1 (the SDK reads any non-zero byte as true)
//     utf8      a string that is not valid UTF-8 (TextDecoder substitutes U+FFFD)
//     sum-tag   a sum tag beyond the variants (the SDK's generated switch yields undefined)
//     flags     CallReducer/CallProcedure flags other than 0 (the SDK types them as plain u8)
//     row-hint  a row list whose size hint does not describe its data (the SDK ignores the hint
//               and reads rows back to back)
//     short     the strict reading ran out of input where the SDK did not
// The labels come from a strict walk of the bytes along the SDK's own message types; they only
// explain the SDK's acceptance, the decoded values always come from the SDK.
//
// Canonical rendering (both sides, tst_tsdiff.cpp has the C++ twin): integers of every width are
// decimal strings; bool is true/false; f32/f64 are "NaN" for any NaN, otherwise the IEEE-754 bits
// as big-endian hex of their width ("-0" and infinities are thus exact); strings are strings;
// Array<U8> is lowercase hex; other arrays are arrays; products (special ones too: Identity is
// [u256], Timestamp [i64], …) are arrays of their fields in order; sums (Option and Result too)
// are {t: tag, v: payload}, unit is []. A row list is {hint, rows: [row…]} with each row decoded
// with its table's row type, or {hint, data: hex} for a table not in the schema.

import { open, readFile } from 'node:fs/promises';
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';

import { encodeWith, loadSdk, SDK_VERSION, toHex, fromHex } from './sdk.mjs';
import { genFloat, genInt, makeRng, specialTypes } from './random-values.mjs';

const { stdb, api } = await loadSdk();
stdb.setGlobalLogLevel('error');
const { t } = stdb;

// Node 20's DecompressionStream has no 'brotli' (newer Node versions add it); the SDK's adapter
// asks for one. Give it Node's own brotli decoder behind the same web-stream interface, so the rest
// of the SDK's frame handling runs unchanged.
{
    const Native = globalThis.DecompressionStream;
    let native = true;
    try {
        new Native('brotli');
    } catch {
        native = false;
    }
    if (!native) {
        globalThis.DecompressionStream = class extends Native {
            constructor(format) {
                if (format !== 'brotli') {
                    super(format);
                    return;
                }
                super('gzip'); // replaced below; keeps `instanceof` intact
                const pair = Duplex.toWeb(zlib.createBrotliDecompress());
                Object.defineProperty(this, 'readable', { value: pair.readable });
                Object.defineProperty(this, 'writable', { value: pair.writable });
            }
        };
    }
}

// ---- the sdk-test-like schema ---------------------------------------------------------------

const Color = t.enum('Color', { Red: t.unit(), Green: t.unit(), Blue: t.unit() });
const Point = t.object('Point', { x: t.i32(), y: t.i32() });
const Rect = t.object('Rect', { w: t.u32(), h: t.u32() });
const Shape = t.enum('Shape', { Circle: t.f64(), Rect, Label: t.string(), Nothing: t.unit() });

const prims = {
    u8: t.u8(), u16: t.u16(), u32: t.u32(), u64: t.u64(), u128: t.u128(), u256: t.u256(),
    i8: t.i8(), i16: t.i16(), i32: t.i32(), i64: t.i64(), i128: t.i128(), i256: t.i256(),
    b: t.bool(), f32: t.f32(), f64: t.f64(),
};
const tableBuilders = {
    // All fixed-size primitives: the SDK decodes such rows with generated DataView code.
    fixed_prims: t.object('FixedPrims', prims),
    prims: t.object('Prims', { ...prims, s: t.string(), bytes: t.byteArray() }),
    specials: t.object('Specials', {
        identity: t.identity(), connection_id: t.connectionId(), timestamp: t.timestamp(),
        duration: t.timeDuration(), uuid: t.uuid(), schedule: t.scheduleAt(), point: Point,
        unit: t.unit(),
    }),
    collections: t.object('Collections', {
        ints: t.array(t.i32()), strings: t.array(t.string()), blobs: t.array(t.byteArray()),
        grid: t.array(t.array(t.u16())), opts: t.array(t.option(t.i64())), colors: t.array(Color),
        shapes: t.array(Shape), maybe: t.option(t.string()), ids: t.option(t.array(t.identity())),
        points: t.array(Point), wide: t.array(t.i128()), floats: t.array(t.f32()),
        doubles: t.array(t.f64()), bools: t.array(t.bool()),
    }),
    sums: t.object('Sums', {
        color: Color, shape: Shape, result: t.result(t.u32(), t.string()),
        nested: t.object('Nested', { p: Point, s: Shape, o: t.option(Point) }),
        big: t.option(t.u256()), when: t.option(t.timestamp()),
    }),
};
const tables = Object.fromEntries(Object.entries(tableBuilders).map(([n, b]) => [n, b.algebraicType]));
const rowDeserializers = Object.fromEntries(
    Object.entries(tables).map(([n, ty]) => [n, stdb.AlgebraicType.makeDeserializer(ty)]));
const rowSerializers = Object.fromEntries(
    Object.entries(tables).map(([n, ty]) => [n, stdb.AlgebraicType.makeSerializer(ty)]));
const FIXED_SIZE = { fixed_prims: 1 + 2 + 4 + 8 + 16 + 32 + 1 + 2 + 4 + 8 + 16 + 32 + 1 + 4 + 8 };

// SATS-JSON (the module schema's form, which our AlgebraicType::fromJson reads).
function satsJson(ty) {
    switch (ty.tag) {
    case 'Product':
    case 'Sum': {
        const key = ty.tag === 'Product' ? 'elements' : 'variants';
        return {
            [ty.tag]: {
                [key]: ty.value[key].map(m => ({
                    name: m.name === undefined ? { none: [] } : { some: m.name },
                    algebraic_type: satsJson(m.algebraicType),
                })),
            },
        };
    }
    case 'Array':
        return { Array: satsJson(ty.value) };
    case 'Ref':
        throw new Error('no refs in the differential schema');
    default:
        return { [ty.tag]: [] };
    }
}

// ---- seeded randomness --------------------------------------------------------------------

const STRINGS = ['', 'a', 'hello', 'Grüße', 'ß', '漢字', '🙂 emoji', 'tab\tnl\n', 'quote"back\\',
                 'SELECT * FROM user', 'x'.repeat(40), '\u0000nul', 'é' + 'e\u0301'];
const SPECIAL = specialTypes(stdb);

function isOption(ty) {
    const v = ty.value.variants;
    return v.length === 2 && v[0].name === 'some' && v[1].name === 'none';
}
function isResult(ty) {
    const v = ty.value.variants;
    return v.length === 2 && v[0].name === 'ok' && v[1].name === 'err';
}

function genValue(rng, ty, depth = 0) {
    switch (ty.tag) {
    case 'Bool':
        return rng.chance(0.5);
    case 'F32':
    case 'F64':
        return genFloat(rng, ty.tag);
    case 'String':
        return rng.pick(STRINGS);
    case 'Array': {
        const n = depth > 3 ? 0 : rng.int(5);
        if (ty.value.tag === 'U8')
            return rng.bytes(rng.int(9));
        return Array.from({ length: n }, () => genValue(rng, ty.value, depth + 1));
    }
    case 'Product': {
        const els = ty.value.elements;
        if (els.length === 1 && SPECIAL[els[0].name])
            return SPECIAL[els[0].name](BigInt(genInt(rng, els[0].algebraicType.tag)));
        const out = {};
        for (const e of els)
            out[e.name] = genValue(rng, e.algebraicType, depth + 1);
        return out;
    }
    case 'Sum': {
        const vs = ty.value.variants;
        if (isOption(ty))
            return rng.chance(0.5) ? genValue(rng, vs[0].algebraicType, depth + 1) : undefined;
        if (isResult(ty))
            return rng.chance(0.5) ? { ok: genValue(rng, vs[0].algebraicType, depth + 1) }
                                   : { err: genValue(rng, vs[1].algebraicType, depth + 1) };
        const v = rng.pick(vs);
        return { tag: v.name, value: genValue(rng, v.algebraicType, depth + 1) };
    }
    default:
        return genInt(rng, ty.tag);
    }
}

function concat(chunks) {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
        out.set(c, at);
        at += c.length;
    }
    return out;
}

// ---- valid messages, built with the SDK's value shapes ---------------------------------------

const TABLE_NAMES = Object.keys(tables);
const UNKNOWN_TABLE = 'not_in_schema';

function genRowList(rng, table) {
    if (table === UNKNOWN_TABLE) {
        const data = rng.bytes(rng.int(12));
        if (rng.chance(0.5) && data.length > 0 && data.length % 3 === 0)
            return { sizeHint: { tag: 'FixedSize', value: 3 }, rowsData: data };
        const offsets = [];
        for (let at = 0; at < data.length; at += 1 + rng.int(4))
            offsets.push(BigInt(at));
        return { sizeHint: { tag: 'RowOffsets', value: offsets }, rowsData: data };
    }
    const rows = Array.from({ length: rng.int(4) }, () => {
        const w = new stdb.BinaryWriter(64);
        rowSerializers[table](w, genValue(rng, tables[table]));
        return w.getBuffer().slice();
    });
    const data = concat(rows);
    if (FIXED_SIZE[table] && rng.chance(0.8))
        return { sizeHint: { tag: 'FixedSize', value: FIXED_SIZE[table] }, rowsData: data };
    const offsets = [];
    let at = 0;
    for (const r of rows) {
        offsets.push(BigInt(at));
        at += r.length;
    }
    return { sizeHint: { tag: 'RowOffsets', value: offsets }, rowsData: data };
}

const pickTable = rng => (rng.chance(0.1) ? UNKNOWN_TABLE : rng.pick(TABLE_NAMES));
const u32 = rng => (rng.chance(0.2) ? rng.pick([0, 1, 0xffffffff]) : rng.int(100000));
const identity = rng => new stdb.Identity(rng.bits(256));
const connectionId = rng => new stdb.ConnectionId(rng.bits(128));
const timestamp = rng => new stdb.Timestamp(BigInt.asIntN(64, rng.bits(64)));
const duration = rng => new stdb.TimeDuration(BigInt.asIntN(64, rng.bits(rng.int(64) + 1)));

function genQueryRows(rng) {
    return {
        tables: Array.from({ length: rng.int(4) }, () => {
            const table = pickTable(rng);
            return { table, rows: genRowList(rng, table) };
        }),
    };
}

function genTransactionUpdate(rng) {
    return {
        querySets: Array.from({ length: rng.int(3) }, () => ({
            querySetId: { id: u32(rng) },
            tables: Array.from({ length: rng.int(3) }, () => {
                const tableName = pickTable(rng);
                return {
                    tableName,
                    rows: Array.from({ length: 1 + rng.int(2) }, () =>
                        rng.chance(0.7)
                            ? api.TableUpdateRows.PersistentTable({
                                  inserts: genRowList(rng, tableName),
                                  deletes: genRowList(rng, tableName) })
                            : api.TableUpdateRows.EventTable({ events: genRowList(rng, tableName) })),
                };
            }),
        })),
    };
}

// Each returns { variant, bytes, source }.
const SERVER_GENERATORS = [
    rng => ({ variant: 'InitialConnection', value: api.ServerMessage.InitialConnection({
        identity: identity(rng), connectionId: connectionId(rng), token: rng.pick(STRINGS) }) }),
    rng => ({ variant: 'SubscribeApplied', value: api.ServerMessage.SubscribeApplied({
        requestId: u32(rng), querySetId: { id: u32(rng) }, rows: genQueryRows(rng) }) }),
    rng => ({ variant: 'UnsubscribeApplied', value: api.ServerMessage.UnsubscribeApplied({
        requestId: u32(rng), querySetId: { id: u32(rng) },
        rows: rng.chance(0.5) ? genQueryRows(rng) : undefined }) }),
    rng => ({ variant: 'SubscriptionError', value: api.ServerMessage.SubscriptionError({
        requestId: rng.chance(0.5) ? u32(rng) : undefined, querySetId: { id: u32(rng) },
        error: rng.pick(STRINGS) }) }),
    rng => ({ variant: 'TransactionUpdate',
              value: api.ServerMessage.TransactionUpdate(genTransactionUpdate(rng)) }),
    rng => ({ variant: 'OneOffQueryResult', value: api.ServerMessage.OneOffQueryResult({
        requestId: u32(rng), result: { ok: genQueryRows(rng) } }) }),
    rng => {
        // The SDK cannot encode Result::Err (its serializer writes the err arm with the ok
        // type; README.md), so this one is built by hand from the protocol spec; the SDK's
        // decoder still has to read it.
        const w = new api.BinaryWriter(64);
        w.writeU8(5);
        w.writeU32(u32(rng));
        w.writeU8(1);
        w.writeString(rng.pick(STRINGS));
        return { variant: 'OneOffQueryResult', bytes: w.getBuffer().slice(), source: 'hand' };
    },
    rng => {
        const outcome = rng.pick([
            () => api.ReducerOutcome.Ok({ retValue: rng.bytes(rng.int(6)),
                                         transactionUpdate: genTransactionUpdate(rng) }),
            () => api.ReducerOutcome.OkEmpty,
            () => api.ReducerOutcome.Err(rng.bytes(rng.int(10))),
            () => api.ReducerOutcome.InternalError(rng.pick(STRINGS)),
        ])();
        return { variant: 'ReducerResult', value: api.ServerMessage.ReducerResult({
            requestId: u32(rng), timestamp: timestamp(rng), result: outcome }) };
    },
    rng => ({ variant: 'ProcedureResult', value: api.ServerMessage.ProcedureResult({
        status: rng.chance(0.5) ? api.ProcedureStatus.Returned(rng.bytes(rng.int(10)))
                                : api.ProcedureStatus.InternalError(rng.pick(STRINGS)),
        timestamp: timestamp(rng), totalHostExecutionDuration: duration(rng),
        requestId: u32(rng) }) }),
];

const CLIENT_GENERATORS = [
    rng => api.ClientMessage.Subscribe({ requestId: u32(rng), querySetId: { id: u32(rng) },
        queryStrings: Array.from({ length: rng.int(4) }, () => rng.pick(STRINGS)) }),
    rng => api.ClientMessage.Unsubscribe({ requestId: u32(rng), querySetId: { id: u32(rng) },
        flags: rng.chance(0.5) ? api.UnsubscribeFlags.Default
                               : api.UnsubscribeFlags.SendDroppedRows }),
    rng => api.ClientMessage.OneOffQuery({ requestId: u32(rng), queryString: rng.pick(STRINGS) }),
    rng => api.ClientMessage.CallReducer({ requestId: u32(rng), flags: 0,
        reducer: rng.pick(STRINGS), args: rng.bytes(rng.int(12)) }),
    rng => api.ClientMessage.CallProcedure({ requestId: u32(rng), flags: 0,
        procedure: rng.pick(STRINGS), args: rng.bytes(rng.int(12)) }),
];

function genServer(rng) {
    const g = rng.pick(SERVER_GENERATORS)(rng);
    const bytes = g.bytes ?? encodeWith(api, api.ServerMessage, g.value);
    return { variant: g.variant, body: bytes, source: g.source ?? 'sdk' };
}

function genClient(rng) {
    const v = rng.pick(CLIENT_GENERATORS)(rng);
    return { variant: v.tag, body: encodeWith(api, api.ClientMessage, v), source: 'sdk' };
}

// ---- the strict walk (labels the SDK's leniency, finds mutation targets) -----------------------

class Short extends Error {}

function isRowListType(ty) {
    const e = ty.value.elements;
    return e.length === 2 && e[0].name === 'sizeHint' && e[1].name === 'rowsData';
}

// Walks `bytes` along `ty` the way the Rust server's BSATN reads them. Records the first strictness
// label, every sum tag ({at, n}), every u32 length prefix, and every row list.
function strictWalk(bytes, ty, rowTypes) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // label: the message itself; rowLabel: the rows inside its row lists.
    const st = { at: 0, label: null, rowLabel: null, tags: [], lengths: [], rowLists: [],
                 bools: [], strings: [], flags: [] };
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    const need = n => {
        if (st.at + n > bytes.length)
            throw new Short();
    };
    const flag = l => {
        if (!st.label)
            st.label = l;
    };
    const sizes = { Bool: 1, U8: 1, I8: 1, U16: 2, I16: 2, U32: 4, I32: 4, U64: 8, I64: 8,
                    U128: 16, I128: 16, U256: 32, I256: 32, F32: 4, F64: 8 };
    const walk = (ty, ctx, name) => {
        switch (ty.tag) {
        case 'Bool':
            need(1);
            st.bools.push(st.at);
            if (bytes[st.at] > 1)
                flag('bool');
            st.at += 1;
            return undefined;
        case 'U8':
            need(1);
            if (name === 'flags') {
                st.flags.push(st.at);
                if (bytes[st.at] !== 0)
                    flag('flags');
            }
            st.at += 1;
            return undefined;
        case 'String': {
            need(4);
            st.lengths.push(st.at);
            const n = dv.getUint32(st.at, true);
            st.at += 4;
            need(n);
            if (n > 0)
                st.strings.push({ at: st.at, n });
            let s;
            try {
                s = utf8.decode(bytes.subarray(st.at, st.at + n));
            } catch {
                flag('utf8');
            }
            st.at += n;
            return s;
        }
        case 'Array': {
            need(4);
            st.lengths.push(st.at);
            const n = dv.getUint32(st.at, true);
            st.at += 4;
            if (ty.value.tag === 'U8') {
                need(n);
                st.at += n;
                return undefined;
            }
            for (let i = 0; i < n; ++i) {
                if (st.at >= bytes.length && !(ty.value.tag === 'Product' &&
                                               ty.value.value.elements.length === 0))
                    throw new Short();
                walk(ty.value, ctx);
            }
            return undefined;
        }
        case 'Product': {
            if (isRowListType(ty)) {
                const hintAt = st.at;
                walk(ty.value.elements[0].algebraicType, ctx);
                const dataLenAt = st.at;
                walk(ty.value.elements[1].algebraicType, ctx);
                st.rowLists.push({ table: ctx, hintAt, dataAt: dataLenAt + 4, dataEnd: st.at });
                return undefined;
            }
            let table = ctx;
            for (const e of ty.value.elements) {
                const v = walk(e.algebraicType, table, e.name);
                if ((e.name === 'table' || e.name === 'tableName') && e.algebraicType.tag === 'String')
                    table = v;
            }
            return undefined;
        }
        case 'Sum': {
            need(1);
            const tag = bytes[st.at];
            const vs = ty.value.variants;
            st.tags.push({ at: st.at, n: vs.length });
            st.at += 1;
            if (tag >= vs.length) {
                flag('sum-tag');
                throw new Short(); // the rest cannot be read
            }
            walk(vs[tag].algebraicType, ctx);
            return undefined;
        }
        default:
            need(sizes[ty.tag]);
            st.at += sizes[ty.tag];
            return undefined;
        }
    };
    try {
        walk(ty, undefined);
    } catch (e) {
        if (!(e instanceof Short))
            throw e;
        flag('short');
        return st;
    }
    if (st.at !== bytes.length)
        flag('trailing');
    // Row lists: rows back to back (what the SDK reads) must be what the hint describes.
    for (const rl of st.rowLists) {
        const hint = readHint(dv, rl.hintAt);
        const len = rl.dataEnd - rl.dataAt;
        let starts = null; // the hint's row starts, null when it cannot describe the data
        if (hint.fixed !== undefined) {
            if (hint.fixed === 0 ? len === 0 : len % hint.fixed === 0)
                starts = Array.from({ length: hint.fixed ? len / hint.fixed : 0 },
                                    (_, i) => i * hint.fixed);
        } else {
            let prev = 0;
            starts = hint.offsets;
            for (const o of hint.offsets) {
                if (o < prev || o > len)
                    starts = null;
                prev = o;
            }
        }
        const rowType = rowTypes?.[rl.table];
        if (starts && rowType) {
            const rowBytes = bytes.subarray(rl.dataAt, rl.dataEnd);
            const seen = [];
            let at = 0;
            while (at < rowBytes.length) {
                seen.push(at);
                const sub = strictWalk(rowBytes.subarray(at), rowType, null);
                for (const x of sub.tags)
                    st.tags.push({ at: rl.dataAt + at + x.at, n: x.n });
                for (const x of sub.lengths)
                    st.lengths.push(rl.dataAt + at + x);
                for (const x of sub.bools)
                    st.bools.push(rl.dataAt + at + x);
                for (const x of sub.strings)
                    st.strings.push({ at: rl.dataAt + at + x.at, n: x.n });
                if (sub.label && sub.label !== 'trailing') {
                    st.rowLabel ??= sub.label;
                    break;
                }
                at += sub.at;
            }
            if (seen.length !== starts.length || seen.some((s, i) => s !== starts[i]))
                starts = null;
        }
        if (!starts)
            st.rowLabel ??= 'row-hint';
    }
    return st;
}

function readHint(dv, at) {
    if (dv.getUint8(at) === 0)
        return { fixed: dv.getUint16(at + 1, true) };
    const n = dv.getUint32(at + 1, true);
    return { offsets: Array.from({ length: n }, (_, i) => Number(dv.getBigUint64(at + 5 + 8 * i, true))) };
}

// ---- canonical rendering of what the SDK decoded ------------------------------------------------

function floatCanon(x, tag) {
    if (Number.isNaN(x))
        return 'NaN';
    const width = tag === 'F32' ? 4 : 8;
    const dv = new DataView(new ArrayBuffer(width));
    if (width === 4)
        dv.setFloat32(0, x);
    else
        dv.setFloat64(0, x);
    return toHex(new Uint8Array(dv.buffer));
}

// raw: row lists as hint + data hex; otherwise rows are read the SDK's way (DbConnectionImpl
// #parseRowList: the table's row deserializer, back to back until the data is used up).
function canon(ty, v, ctx, raw) {
    switch (ty.tag) {
    case 'Bool':
        return v;
    case 'F32':
    case 'F64':
        return floatCanon(v, ty.tag);
    case 'String':
        return v;
    case 'Array':
        if (ty.value.tag === 'U8')
            return toHex(v);
        return v.map(e => canon(ty.value, e, ctx, raw));
    case 'Product': {
        if (isRowListType(ty)) {
            const hint = canon(ty.value.elements[0].algebraicType, v.sizeHint, ctx, raw);
            const rowType = raw ? undefined : tables[ctx];
            if (!rowType)
                return { hint, data: toHex(v.rowsData) };
            const reader = new stdb.BinaryReader(v.rowsData);
            const rows = [];
            while (reader.remaining > 0)
                rows.push(canon(rowType, rowDeserializers[ctx](reader), undefined, raw));
            return { hint, rows };
        }
        let table = ctx;
        return ty.value.elements.map(e => {
            const r = canon(e.algebraicType, v[e.name], table, raw);
            if ((e.name === 'table' || e.name === 'tableName') && e.algebraicType.tag === 'String')
                table = v[e.name];
            return r;
        });
    }
    case 'Sum': {
        const vs = ty.value.variants;
        if (isOption(ty))
            return v === undefined ? { t: 1, v: [] } : { t: 0, v: canon(vs[0].algebraicType, v, ctx, raw) };
        if (isResult(ty))
            return 'ok' in v ? { t: 0, v: canon(vs[0].algebraicType, v.ok, ctx, raw) }
                             : { t: 1, v: canon(vs[1].algebraicType, v.err, ctx, raw) };
        const i = vs.findIndex(x => x.name === v.tag);
        if (i < 0)
            throw new Error(`no variant ${v.tag}`);
        return { t: i, v: canon(vs[i].algebraicType, v.value ?? {}, ctx, raw) };
    }
    default:
        return typeof v === 'bigint' ? v.toString() : String(v);
    }
}

// ---- decoding with the SDK ------------------------------------------------------------------

// The SDK's inbound frame path: WebsocketDecompressAdapter strips the compression tag and
// decompresses (on failure it logs and closes the socket instead of delivering).
async function sdkUnwrapFrame(frame) {
    let delivered = null;
    let closed = false;
    const socket = { close() { closed = true; } };
    const adapter = new api.WebsocketDecompressAdapter(socket);
    adapter.onmessage = msg => { delivered = msg.data; };
    const saved = console.error;
    console.error = () => {};
    try {
        await socket.onmessage({ data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length) });
    } finally {
        console.error = saved;
    }
    if (closed || delivered === null)
        throw new Error('the SDK dropped the frame (decompression failed or unknown tag)');
    return delivered;
}

async function sdkDecode(dir, bytes) {
    try {
        const type = dir === 'server' ? api.ServerMessage : api.ClientMessage;
        const body = dir === 'server' ? new Uint8Array(await sdkUnwrapFrame(bytes)) : bytes;
        // What the SDK does with a v2 message (DbConnectionImpl #processV2Message): one
        // deserialize, nothing checks what is left.
        const reader = new api.BinaryReader(body);
        const value = type.deserialize(reader);
        const st = strictWalk(body, type.algebraicType, tables);
        // A message the strict reading rejects: the SDK accepted it, we must not. (What the SDK
        // decoded is then not worth rendering: a bad sum tag leaves holes in it.)
        if (st.label)
            return { ok: true, lenient: [st.label] };
        const raw = canon(type.algebraicType, value, undefined, true);
        // The rows, read the SDK's way; if that throws, the SDK rejects the message.
        const full = canon(type.algebraicType, value, undefined, false);
        if (st.rowLabel)
            return { ok: true, lenient: [st.rowLabel], raw };
        return { ok: true, lenient: [], value: full, raw };
    } catch (e) {
        return { ok: false, error: String(e?.message ?? e) };
    }
}

// ---- mutations ------------------------------------------------------------------------------

const COMPRESSIONS = ['none', 'gzip', 'brotli'];
const TAG = { none: 0, brotli: 1, gzip: 2 };

function compressBody(body, compression) {
    if (compression === 'gzip')
        return new Uint8Array(zlib.gzipSync(body, { level: 1 }));
    if (compression === 'brotli')
        return new Uint8Array(zlib.brotliCompressSync(body, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }));
    return body;
}

function frame(body, compression) {
    return concat([Uint8Array.of(TAG[compression]), compressBody(body, compression)]);
}

function flipBits(rng, bytes, from = 0) {
    const out = bytes.slice();
    if (out.length <= from)
        return out;
    for (let i = 1 + rng.int(3); i > 0; --i) {
        const at = from + rng.int(out.length - from);
        out[at] ^= 1 << rng.int(8);
    }
    return out;
}

// Body-level mutations (the BSATN is wrong, the compression around it is fine).
function mutateBody(rng, body, walk) {
    const kinds = ['truncate', 'bitflip', 'trailing', 'byte-set'];
    if (walk.tags.length)
        kinds.push('bad-tag', 'variant-swap');
    if (walk.lengths.length)
        kinds.push('bad-length');
    // Aimed at the places where the SDK is lenient (its labels), so even a short run has them.
    if (walk.bools.length)
        kinds.push('bad-bool');
    if (walk.strings.length)
        kinds.push('bad-utf8');
    if (walk.flags.length)
        kinds.push('bad-flags');
    if (walk.rowLists.length)
        kinds.push('bad-hint');
    const kind = rng.pick(kinds);
    const out = body.slice();
    switch (kind) {
    case 'truncate':
        return { kind, body: body.subarray(0, rng.int(body.length)) };
    case 'bitflip':
        return { kind, body: flipBits(rng, body) };
    case 'trailing':
        return { kind, body: concat([body, rng.bytes(1 + rng.int(8))]) };
    case 'byte-set':
        out[rng.int(out.length)] = rng.int(256);
        return { kind, body: out };
    case 'bad-tag': {
        const tag = rng.pick(walk.tags);
        out[tag.at] = tag.n + rng.int(256 - tag.n);
        return { kind, body: out };
    }
    case 'variant-swap': {
        const tag = rng.pick(walk.tags);
        out[tag.at] = rng.int(tag.n);
        return { kind, body: out };
    }
    case 'bad-bool':
        out[rng.pick(walk.bools)] = 2 + rng.int(254);
        return { kind, body: out };
    case 'bad-utf8': {
        // A lone continuation byte, a truncated sequence, an overlong form or a surrogate.
        const s = rng.pick(walk.strings);
        const bad = rng.pick([[0x80], [0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80]]);
        const at = s.at + rng.int(s.n);
        for (let i = 0; i < bad.length && at + i < s.at + s.n; ++i)
            out[at + i] = bad[i];
        return { kind, body: out };
    }
    case 'bad-flags':
        out[rng.pick(walk.flags)] = 1 + rng.int(255);
        return { kind, body: out };
    case 'bad-hint': {
        // The size hint no longer describes the data: FixedSize off by one, or one offset moved.
        const rl = rng.pick(walk.rowLists);
        const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
        if (out[rl.hintAt] === 0) {
            dv.setUint16(rl.hintAt + 1, (dv.getUint16(rl.hintAt + 1, true) + rng.pick([1, 0xffff])) & 0xffff, true);
        } else {
            const n = dv.getUint32(rl.hintAt + 1, true);
            if (n === 0) {
                out[rl.hintAt] = 0; // RowOffsets([]) → FixedSize(…) over the data bytes
            } else {
                const at = rl.hintAt + 5 + 8 * rng.int(n);
                dv.setBigUint64(at, dv.getBigUint64(at, true) + BigInt(rng.pick([1, 3, 1000])), true);
            }
        }
        return { kind, body: out };
    }
    default: { // bad-length
        const at = rng.pick(walk.lengths);
        const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
        const old = dv.getUint32(at, true);
        dv.setUint32(at, rng.pick([old + 1, old - 1, old + 1 + rng.int(64), 0xffffffff, 0x7fffffff,
                                   0x10000, old * 2 + 1]) >>> 0, true);
        return { kind, body: out };
    }
    }
}

// Frame-level mutations of a server message (the compression layer is wrong).
function mutateFrame(rng, body, compression) {
    const good = frame(body, compression);
    const kinds = ['bad-compression-tag', 'compression-mismatch', 'empty-frame'];
    if (compression !== 'none')
        kinds.push(`corrupt-${compression}`, `corrupt-${compression}`, 'truncate-compressed',
                   'compressed-trailing');
    const kind = rng.pick(kinds);
    switch (kind) {
    case 'bad-compression-tag':
        return { kind, frame: concat([Uint8Array.of(3 + rng.int(253)), good.subarray(1)]) };
    case 'compression-mismatch': {
        const other = rng.pick(COMPRESSIONS.filter(c => c !== compression));
        return { kind, frame: concat([Uint8Array.of(TAG[other]), good.subarray(1)]) };
    }
    case 'empty-frame':
        return { kind, frame: new Uint8Array(0) };
    case 'truncate-compressed':
        return { kind, frame: good.subarray(0, 1 + rng.int(good.length - 1)) };
    case 'compressed-trailing': {
        // Sometimes zero-led: Node's gunzip takes that for padding and ignores it.
        const extra = rng.bytes(1 + rng.int(6));
        if (rng.chance(0.3))
            extra[0] = 0;
        return { kind, frame: concat([good, extra]) };
    }
    default: // corrupt-gzip / corrupt-brotli: bits flipped anywhere after the tag
        return { kind, frame: flipBits(rng, good, 1) };
    }
}

// ---- main -----------------------------------------------------------------------------------

function usage() {
    console.error('usage: diff-corpus.mjs generate --seed S --count N OUT.jsonl\n' +
                  '       diff-corpus.mjs decode IN.jsonl OUT.jsonl\n' +
                  '       diff-corpus.mjs show server|client HEX');
    process.exit(2);
}

async function generate(seed, count, outPath) {
    const rng = makeRng(seed);
    // Written in batches: a long run's file is far larger than one JS string may be.
    const out = await open(outPath, 'w');
    let lines = [JSON.stringify({
        sdkVersion: SDK_VERSION, seed, count,
        tables: Object.fromEntries(Object.entries(tables).map(([n, ty]) => [n, satsJson(ty)])),
    })];
    const stats = {};
    for (let id = 0; id < count; ++id) {
        const dir = rng.chance(0.7) ? 'server' : 'client';
        const msg = dir === 'server' ? genServer(rng) : genClient(rng);
        const compression = dir === 'server' ? rng.pick(COMPRESSIONS) : 'none';
        const type = dir === 'server' ? api.ServerMessage : api.ClientMessage;
        // Every valid message must be valid by the strict reading too (checks the generator).
        const walk = strictWalk(msg.body, type.algebraicType, tables);
        if (walk.label || walk.rowLabel)
            throw new Error(`generated ${msg.variant} is not strictly valid ` +
                            `(${walk.label ?? walk.rowLabel}): ${toHex(msg.body)}`);
        let kind = 'valid';
        let bytes;
        if (rng.chance(0.5)) {
            bytes = dir === 'server' ? frame(msg.body, compression) : msg.body;
        } else if (dir === 'server' && rng.chance(0.3)) {
            const m = mutateFrame(rng, msg.body, compression);
            kind = m.kind;
            bytes = m.frame;
        } else {
            const m = mutateBody(rng, msg.body, walk);
            kind = m.kind;
            bytes = dir === 'server' ? frame(m.body, compression) : m.body;
        }
        const ts = await sdkDecode(dir, bytes);
        if (kind === 'valid' && !(ts.ok && ts.lenient.length === 0))
            throw new Error(`the SDK did not decode its own valid ${msg.variant}: ${JSON.stringify(ts)}`);
        const key = `${dir}/${kind}/${ts.ok ? (ts.lenient.length ? 'lenient' : 'accept') : 'reject'}`;
        stats[key] = (stats[key] ?? 0) + 1;
        lines.push(JSON.stringify({ id, dir, kind, variant: msg.variant, compression,
                                    source: msg.source, hex: toHex(bytes), ts }));
        if (lines.length >= 1000) {
            await out.write(lines.join('\n') + '\n');
            lines = [];
        }
    }
    await out.write(lines.join('\n') + '\n');
    await out.close();
    console.error(`diff-corpus: ${count} cases, seed ${seed}: ${JSON.stringify(stats)}`);
}

async function decode(inPath, outPath) {
    const text = await readFile(inPath, 'utf8');
    const out = [JSON.stringify({ sdkVersion: SDK_VERSION })];
    for (const line of text.split('\n')) {
        if (!line.trim())
            continue;
        const c = JSON.parse(line);
        if (c.hex === undefined)
            continue; // header
        out.push(JSON.stringify({ ...c, ts: await sdkDecode(c.dir, fromHex(c.hex)) }));
    }
    const file = await open(outPath, 'w');
    await file.write(out.join('\n') + '\n');
    await file.close();
}

const args = process.argv.slice(2);
if (args[0] === 'generate') {
    let seed = 1;
    let count = 1000;
    let outPath;
    for (let i = 1; i < args.length; ++i) {
        if (args[i] === '--seed')
            seed = Number(args[++i]);
        else if (args[i] === '--count')
            count = Number(args[++i]);
        else
            outPath = args[i];
    }
    if (!outPath || !Number.isInteger(seed) || !Number.isInteger(count) || count < 1)
        usage();
    await generate(seed, count, outPath);
} else if (args[0] === 'show' && args.length === 3) {
    // Investigating one case: what the SDK made of it, and the strict walk's findings.
    const bytes = fromHex(args[2]);
    console.log(JSON.stringify(await sdkDecode(args[1], bytes), null, 1));
    if (args[1] === 'server') {
        const body = new Uint8Array(await sdkUnwrapFrame(bytes));
        const st = strictWalk(body, api.ServerMessage.algebraicType, tables);
        console.log(`body ${toHex(body)}\nstrict walk: label ${st.label} at byte ${st.at}, ` +
                    `rows ${st.rowLabel}`);
    }
} else if (args[0] === 'decode' && args.length === 3) {
    await decode(args[1], args[2]);
} else {
    usage();
}
