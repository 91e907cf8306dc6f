#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Produces BSATN / v2 protocol test vectors with the official SpacetimeDB TypeScript SDK
// (npm `spacetimedb` 2.10.1) for tests/interop/tst_tsvectors.cpp.
//
//   node gen-vectors.mjs [OUT.json]      (stdout without an argument)
//
// Output: { sdkVersion, clientMessageVariants, serverMessageVariants, …, vectors: [ … ] } where
// each vector is
//   { name, direction: "value" | "client" | "server", source, hex, … description … }
//   value:   type (e.g. "u64", "option<string>", "array<u16>"), value (see `describe`)
//   client:  value = the SDK's ClientMessage value, described
//   server:  value = the SDK's ServerMessage value (the body, without the compression tag byte)
//   source:  "sdk"          bytes from the SDK's serializers (api.X.serialize / t.x().serialize)
//            "sdk-runtime"  bytes a real DbConnectionImpl sent over an in-memory socket
//            "hand"         built by this script from the protocol spec (§1.4) because the SDK
//                           cannot encode the value (Result::Err); the SDK's *decoder* is checked
//                           to read them back as described.
//   specHex (optional): the bytes the protocol spec's worked examples (§1.7) give for the value.
//
// Description conventions (`describe`): bigint → decimal string; Uint8Array → lowercase hex;
// Identity / ConnectionId → their SDK hex string (big-endian); Uuid → the SDK's toString()
// (8-4-4-4-12); Timestamp / TimeDuration →
// microseconds as a decimal string; Option None (undefined) → null; sums → {tag, value}; unit →
// {}; Result → {ok: …} | {err: …}; floats → {value: "1.5" | "-0" | "NaN" | "Infinity" | …,
// bits: IEEE-754 bits as big-endian hex}. Every BsatnRowList also carries rowType ("user" |
// "message") and rowValues (the rows, described) so a consumer can rebuild the row bytes itself.
//
// Every vector is checked here before it is written: the SDK decodes the bytes back to the same
// description (and, except for hand-built ones, re-encodes them byte for byte).

import { writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';

import { chatRemoteModule, chatTypes } from './chat-module.mjs';
import { connectInMemory } from './fake-socket.mjs';
import { decodeWith, encodeWith, loadSdk, SDK_VERSION, toHex } from './sdk.mjs';

const { stdb, api } = await loadSdk();
stdb.setGlobalLogLevel('error');
const { t } = stdb;
const types = chatTypes(stdb);

const vectors = [];
const findings = [];
const runtime = {}; // what the SDK's DbConnectionImpl did, for spec §2.10 / §8 item 32

// ---- describing SDK values as JSON --------------------------------------------------------

const rowListInfo = new WeakMap();

function describe(v) {
    if (v === undefined || v === null)
        return null;
    if (typeof v === 'bigint')
        return v.toString();
    if (v instanceof Uint8Array)
        return toHex(v);
    if (Array.isArray(v))
        return v.map(describe);
    if (typeof v === 'object') {
        if ('__identity__' in v || '__connection_id__' in v)
            return v.toHexString();
        if ('__uuid__' in v)
            return v.toString();
        if ('__timestamp_micros_since_unix_epoch__' in v)
            return v.__timestamp_micros_since_unix_epoch__.toString();
        if ('__time_duration_micros__' in v)
            return v.__time_duration_micros__.toString();
        const out = {};
        for (const [k, x] of Object.entries(v))
            out[k] = describe(x);
        // A payload-less sum variant built by the SDK ({tag}) decodes as {tag, value: {}}.
        if (typeof v.tag === 'string' && Object.keys(v).length === 1)
            out.value = {};
        const info = rowListInfo.get(v);
        if (info)
            Object.assign(out, info);
        return out;
    }
    return v;
}

// Row annotations exist only on lists we built; drop them to compare with decoded SDK values.
function stripAnnotations(d) {
    if (Array.isArray(d))
        return d.map(stripAnnotations);
    if (d && typeof d === 'object') {
        const out = {};
        for (const [k, x] of Object.entries(d))
            if (k !== 'rowType' && k !== 'rowValues')
                out[k] = stripAnnotations(x);
        return out;
    }
    return d;
}

function floatText(x) {
    if (Number.isNaN(x))
        return 'NaN';
    if (Object.is(x, -0))
        return '-0';
    if (x === Infinity)
        return 'Infinity';
    if (x === -Infinity)
        return '-Infinity';
    return String(x);
}

function floatBits(x, width) {
    const dv = new DataView(new ArrayBuffer(width));
    if (width === 4)
        dv.setFloat32(0, x);
    else
        dv.setFloat64(0, x);
    return toHex(new Uint8Array(dv.buffer));
}

function check(name, cond, what) {
    if (!cond)
        throw new Error(`vector ${name}: ${what}`);
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

// ---- fixed values --------------------------------------------------------------------------

// Protocol spec §1.7 example 4.
const X = stdb.Identity.fromString('c2000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e');
const C = stdb.ConnectionId.fromString('00112233445566778899aabbccddeeff');
const identityHex = seed =>
    'c200' + Array.from({ length: 30 }, (_, i) => ((seed + i * 37) & 0xff).toString(16).padStart(2, '0')).join('');
const ALICE = stdb.Identity.fromString(identityHex(0x11));
const BOB = stdb.Identity.fromString(identityHex(0x5a));
const CAROL = stdb.Identity.fromString(identityHex(0xe3));
const T2024 = 1704067200000000n; // 2024-01-01T00:00:00Z in µs (spec §1.7 example 5)
const ts = us => new stdb.Timestamp(us);

const user = (identity, name, online) => ({ identity, name, online });
const message = (sender, sent, text) => ({ sender, sent: ts(sent), text });

// A BsatnRowList packed with the hint we ask for, rows encoded by the SDK's product serializer.
function rowList(rowType, rows, hint, fixedSizeForEmpty) {
    const builder = rowType === 'user' ? types.User : types.Message;
    const encoded = rows.map(r => encodeWith(stdb, builder, r));
    let sizeHint;
    if (hint === 'FixedSize') {
        const size = encoded.length ? encoded[0].length : fixedSizeForEmpty;
        if (!encoded.every(e => e.length === size))
            throw new Error(`rows of different sizes cannot use FixedSize`);
        sizeHint = api.RowSizeHint.FixedSize(size);
    } else {
        const offsets = [];
        let at = 0n;
        for (const e of encoded) {
            offsets.push(at);
            at += BigInt(e.length);
        }
        sizeHint = api.RowSizeHint.RowOffsets(offsets);
    }
    const list = { sizeHint, rowsData: concat(encoded) };
    rowListInfo.set(list, { rowType, rowValues: rows.map(describe) });
    return list;
}

// ---- value vectors -------------------------------------------------------------------------

function addValue(name, type, builder, value, extra = {}) {
    const bytes = encodeWith(stdb, builder, value);
    const back = decodeWith(stdb, builder, bytes);
    check(name, isDeepStrictEqual(describe(back), describe(value)),
          `SDK decodes ${JSON.stringify(describe(back))}, expected ${JSON.stringify(describe(value))}`);
    const vec = { name, direction: 'value', source: 'sdk', type, value: describe(value), hex: toHex(bytes), ...extra };
    if (vec.specHex)
        check(name, vec.specHex === vec.hex, `SDK bytes ${vec.hex} differ from the spec's ${vec.specHex}`);
    vectors.push(vec);
}

function addFloat(name, width, x, extra = {}) {
    const builder = width === 4 ? t.f32() : t.f64();
    const bytes = encodeWith(stdb, builder, x);
    const back = decodeWith(stdb, builder, bytes);
    const expect = width === 4 ? Math.fround(x) : x;
    check(name, Object.is(back, expect) || (Number.isNaN(back) && Number.isNaN(expect)), `SDK decodes ${back}`);
    const vec = {
        name, direction: 'value', source: 'sdk', type: width === 4 ? 'f32' : 'f64',
        value: { value: floatText(x), bits: floatBits(expect, width) }, hex: toHex(bytes), ...extra,
    };
    if (vec.specHex)
        check(name, vec.specHex === vec.hex, `SDK bytes ${vec.hex} differ from the spec's ${vec.specHex}`);
    vectors.push(vec);
}

const pow2 = n => 1n << BigInt(n);

addValue('bool/false', 'bool', t.bool(), false);
addValue('bool/true', 'bool', t.bool(), true);
for (const [ty, b, bits] of [['u8', t.u8(), 8], ['u16', t.u16(), 16], ['u32', t.u32(), 32]]) {
    addValue(`${ty}/zero`, ty, b, 0);
    addValue(`${ty}/max`, ty, b, Number(pow2(bits) - 1n));
}
addValue('u16/0x1234', 'u16', t.u16(), 0x1234);
addValue('u32/300', 'u32', t.u32(), 300, { specHex: '2c010000' });
for (const [ty, b, bits] of [['i8', t.i8(), 8], ['i16', t.i16(), 16], ['i32', t.i32(), 32]]) {
    addValue(`${ty}/min`, ty, b, -Number(pow2(bits - 1)));
    addValue(`${ty}/max`, ty, b, Number(pow2(bits - 1) - 1n));
    addValue(`${ty}/minus-one`, ty, b, -1);
}
addValue('i16/minus-two', 'i16', t.i16(), -2, { specHex: 'feff' });
addValue('i32/-123456789', 'i32', t.i32(), -123456789);
addValue('u64/zero', 'u64', t.u64(), 0n);
addValue('u64/max', 'u64', t.u64(), pow2(64) - 1n);
addValue('u64/2^53+1', 'u64', t.u64(), pow2(53) + 1n);
addValue('i64/min', 'i64', t.i64(), -pow2(63));
addValue('i64/max', 'i64', t.i64(), pow2(63) - 1n);
addValue('i64/minus-two', 'i64', t.i64(), -2n, { specHex: 'feffffffffffffff' });
addValue('u128/one', 'u128', t.u128(), 1n, { specHex: '01' + '00'.repeat(15) });
addValue('u128/max', 'u128', t.u128(), pow2(128) - 1n);
addValue('u128/2^64', 'u128', t.u128(), pow2(64));
addValue('i128/min', 'i128', t.i128(), -pow2(127));
addValue('i128/max', 'i128', t.i128(), pow2(127) - 1n);
addValue('i128/minus-one', 'i128', t.i128(), -1n);
addValue('i128/-2^64', 'i128', t.i128(), -pow2(64));
addValue('u256/0x0102', 'u256', t.u256(), 0x0102n, { specHex: '0201' + '00'.repeat(30) });
addValue('u256/max', 'u256', t.u256(), pow2(256) - 1n);
addValue('u256/mixed', 'u256', t.u256(), 0x0123456789abcdeffedcba9876543210_00112233445566778899aabbccddeeffn);
addValue('i256/min', 'i256', t.i256(), -pow2(255));
addValue('i256/max', 'i256', t.i256(), pow2(255) - 1n);
addValue('i256/minus-two', 'i256', t.i256(), -2n, { specHex: 'fe' + 'ff'.repeat(31) });
addValue('i256/-2^200-12345', 'i256', t.i256(), -pow2(200) - 12345n);

addFloat('f32/1.5', 4, 1.5, { specHex: '0000c03f' });
addFloat('f32/-0.1', 4, -0.1);
addFloat('f32/zero', 4, 0);
addFloat('f32/negative-zero', 4, -0);
addFloat('f32/max', 4, 3.4028234663852886e38);
addFloat('f32/min-subnormal', 4, 1.401298464324817e-45);
addFloat('f32/infinity', 4, Infinity);
addFloat('f32/-infinity', 4, -Infinity);
addFloat('f32/nan', 4, NaN);
addFloat('f64/-0.1', 8, -0.1, { specHex: '9a9999999999b9bf' });
addFloat('f64/pi', 8, Math.PI);
addFloat('f64/negative-zero', 8, -0);
addFloat('f64/max', 8, Number.MAX_VALUE);
addFloat('f64/min-subnormal', 8, 5e-324);
addFloat('f64/-infinity', 8, -Infinity);
addFloat('f64/nan', 8, NaN);

addValue('string/empty', 'string', t.string(), '');
addValue('string/Alice', 'string', t.string(), 'Alice', { specHex: '05000000416c696365' });
addValue('string/e-acute', 'string', t.string(), 'é', { specHex: '02000000c3a9' });
addValue('string/cjk', 'string', t.string(), '日本語');
addValue('string/emoji', 'string', t.string(), 'rocket 🚀!');
addValue('string/embedded-nul', 'string', t.string(), 'a\u0000b');
addValue('string/mixed-scripts', 'string', t.string(), 'Ωμέγα – Привет – مرحبا – 👩‍💻');
addValue('bytes/empty', 'bytes', t.byteArray(), new Uint8Array());
addValue('bytes/binary', 'bytes', t.byteArray(), Uint8Array.from([0x00, 0xff, 0x10, 0x80, 0x7f]));

addValue('option<string>/some', 'option<string>', t.option(t.string()), 'hi', { specHex: '00020000006869' });
addValue('option<string>/none', 'option<string>', t.option(t.string()), undefined, { specHex: '01' });
addValue('option<string>/some-empty', 'option<string>', t.option(t.string()), '');
addValue('option<u32>/some-zero', 'option<u32>', t.option(t.u32()), 0);
addValue('option<u32>/none', 'option<u32>', t.option(t.u32()), undefined);
addValue('option<identity>/some', 'option<identity>', t.option(t.identity()), X);

addValue('array<u16>/1-2-3', 'array<u16>', t.array(t.u16()), [1, 2, 3], { specHex: '03000000010002000300' });
addValue('array<i32>/empty', 'array<i32>', t.array(t.i32()), []);
addValue('array<string>/two', 'array<string>', t.array(t.string()), ['a', 'bé']);
addValue('array<option<bool>>', 'array<option<bool>>', t.array(t.option(t.bool())), [true, undefined, false]);
addValue('array<bytes>', 'array<bytes>', t.array(t.array(t.u8())), [Uint8Array.of(1, 2), Uint8Array.of(), Uint8Array.of(3)]);
addValue('array<u64>', 'array<u64>', t.array(t.u64()), [0n, pow2(64) - 1n]);

addValue('identity/spec-example', 'identity', t.identity(), X,
         { specHex: '1e1d1c1b1a191817161514131211100f0e0d0c0b0a0908070605040302' + '0100c2' });
addValue('identity/zero', 'identity', t.identity(), stdb.Identity.zero());
addValue('identity/alice', 'identity', t.identity(), ALICE);
addValue('connection-id/spec-example', 'connection_id', t.connectionId(), C,
         { specHex: 'ffeeddccbbaa99887766554433221100' });
addValue('connection-id/zero', 'connection_id', t.connectionId(), new stdb.ConnectionId(0n));
addValue('timestamp/2024', 'timestamp', t.timestamp(), ts(T2024), { specHex: '00202110d70d0600' });
addValue('timestamp/epoch', 'timestamp', t.timestamp(), ts(0n));
addValue('timestamp/before-epoch', 'timestamp', t.timestamp(), ts(-1234567n));
addValue('time-duration/5s', 'time_duration', t.timeDuration(), new stdb.TimeDuration(5000000n));
addValue('time-duration/negative', 'time_duration', t.timeDuration(), new stdb.TimeDuration(-1n));
addValue('schedule-at/interval-5s', 'schedule_at', t.scheduleAt(), stdb.ScheduleAt.interval(5000000n),
         { specHex: '00404b4c0000000000' });
addValue('schedule-at/time-2024', 'schedule_at', t.scheduleAt(), stdb.ScheduleAt.time(T2024),
         { specHex: '0100202110d70d0600' });
addValue('result<u32,string>/ok', 'result<u32,string>', t.result(t.u32(), t.string()), { ok: 5 },
         { specHex: '0005000000' });
// Uuid: the wire is the u128 little-endian, the text the SDK's toString(); v4 and v7 built by
// the SDK's own constructors (the v7 one is sats' documented example, 0000647e-5180-7000-…).
addValue('uuid/nil', 'uuid', t.uuid(), stdb.Uuid.NIL, { specHex: '00'.repeat(16) });
addValue('uuid/max', 'uuid', t.uuid(), stdb.Uuid.MAX);
addValue('uuid/bytes', 'uuid', t.uuid(), new stdb.Uuid(0x0123456789abcdef_fedcba9876543210n),
         { specHex: '1032547698badcfeefcdab8967452301' });
addValue('uuid/v4', 'uuid', t.uuid(),
         stdb.Uuid.fromRandomBytesV4(Uint8Array.from({ length: 16 }, (_, i) => 0xf0 ^ (i * 37))));
addValue('uuid/v7', 'uuid', t.uuid(),
         stdb.Uuid.fromCounterV7({ value: 1 }, new stdb.Timestamp(1_686_000_000_000n),
                                 new Uint8Array(4)));
addValue('option<uuid>/some', 'option<uuid>', t.option(t.uuid()), stdb.Uuid.MAX);
addValue('row/user-named', 'user_row', types.User, user(X, 'Bob', true));
addValue('row/user-unnamed', 'user_row', types.User, user(X, undefined, true));
addValue('row/message', 'message_row', types.Message, message(X, T2024, 'Hello, world'));

// Result::Err — the SDK 2.10.1 serializer uses the *ok* type for the err arm (SumType.
// makeSerializer in lib/algebraic_type.ts), so it cannot produce these bytes. Built by hand from
// spec §1.4 (tag 1 = Err, then the err payload); the SDK's decoder must read them back.
function sdkAttempt(io, builder, value) {
    try {
        return { hex: toHex(encodeWith(io, builder, value)) };
    } catch (e) {
        return { error: String(e && e.message ? e.message : e) };
    }
}
{
    const builder = t.result(t.u32(), t.string());
    const w = new stdb.BinaryWriter(16);
    w.writeU8(1);
    w.writeString('boom');
    const bytes = w.getBuffer().slice();
    const back = decodeWith(stdb, builder, bytes);
    check('result/err', isDeepStrictEqual(back, { err: 'boom' }), `SDK decodes ${JSON.stringify(back)}`);
    const attempt = sdkAttempt(stdb, builder, { err: 'boom' });
    vectors.push({
        name: 'result<u32,string>/err', direction: 'value', source: 'hand', type: 'result<u32,string>',
        value: { err: 'boom' }, hex: toHex(bytes), sdkEncodeAttempt: attempt,
    });
    if (attempt.hex !== toHex(bytes))
        findings.push(`SDK ${SDK_VERSION} encodes Result<u32,String>::Err("boom") as ` +
                      (attempt.hex !== undefined ? `${attempt.hex} (wrong: the err arm is written with the ok type)`
                                                 : `an exception: ${attempt.error}`) +
                      `; correct bytes ${toHex(bytes)} (hand-built, decoded correctly by the SDK)`);
}

// ---- client messages -----------------------------------------------------------------------

const CM = api.ClientMessage;

function addClient(name, value, extra = {}, source = 'sdk', bytes = undefined) {
    const encoded = encodeWith(api, CM, value);
    if (bytes)
        check(name, toHex(bytes) === toHex(encoded),
              `DbConnectionImpl sent ${toHex(bytes)} but ClientMessage.serialize gives ${toHex(encoded)}`);
    const back = decodeWith(api, CM, encoded);
    check(name, isDeepStrictEqual(describe(back), describe(value)), `SDK decodes ${JSON.stringify(describe(back))}`);
    const vec = { name, direction: 'client', source, value: describe(value), hex: toHex(encoded), ...extra };
    if (vec.specHex)
        check(name, vec.specHex === vec.hex, `SDK bytes ${vec.hex} differ from the spec's ${vec.specHex}`);
    vectors.push(vec);
}

// Reducer/procedure arguments: the SDK's product serializer over the declared params, exactly as
// DbConnectionImpl does. `params` describes them for consumers: [{name, type, value}].
function encodeArgs(params) {
    const obj = {};
    const elements = {};
    for (const p of params) {
        obj[p.name] = p.value;
        elements[p.name] = p.type === 'string' ? t.string() : p.type === 'u32' ? t.u32() : null;
        if (!elements[p.name])
            throw new Error(`unsupported param type ${p.type}`);
    }
    const paramsType = stdb.reducerSchema('args', elements).paramsSpacetimeType;
    const w = new stdb.BinaryWriter(64);
    stdb.ProductType.makeSerializer(paramsType)(w, obj);
    return w.getBuffer().slice();
}

addClient('client/Subscribe/spec-example',
          CM.Subscribe({ requestId: 1, querySetId: { id: 1 }, queryStrings: ['SELECT * FROM user'] }),
          { specHex: '00' + '01000000' + '01000000' + '01000000' + '12000000' +
                     toHex(Buffer.from('SELECT * FROM user')) });
addClient('client/Subscribe/two-queries-max-ids',
          CM.Subscribe({ requestId: 0xffffffff, querySetId: { id: 0xfffffffe },
                         queryStrings: ['SELECT * FROM "user"', 'SELECT * FROM "message" WHERE text = \'héllo 🚀\''] }));
addClient('client/Subscribe/no-queries', CM.Subscribe({ requestId: 5, querySetId: { id: 6 }, queryStrings: [] }));
addClient('client/Unsubscribe/Default',
          CM.Unsubscribe({ requestId: 2, querySetId: { id: 1 }, flags: api.UnsubscribeFlags.Default }));
addClient('client/Unsubscribe/SendDroppedRows',
          CM.Unsubscribe({ requestId: 2, querySetId: { id: 1 }, flags: api.UnsubscribeFlags.SendDroppedRows }),
          { specHex: '01' + '02000000' + '01000000' + '01' });
addClient('client/OneOffQuery/spec-example',
          CM.OneOffQuery({ requestId: 3, queryString: 'SELECT * FROM message' }),
          { specHex: '02' + '03000000' + '15000000' + toHex(Buffer.from('SELECT * FROM message')) });
addClient('client/OneOffQuery/unicode', CM.OneOffQuery({ requestId: 0, queryString: 'SELECT * FROM "ユーザー"' }));
for (const [name, requestId, reducer, params, specHex] of [
    ['client/CallReducer/set_name-spec-example', 7, 'set_name', [{ name: 'name', type: 'string', value: 'Bob' }],
     '03' + '07000000' + '00' + '08000000' + toHex(Buffer.from('set_name')) + '07000000' + '03000000' + '426f62'],
    ['client/CallReducer/set_name-unicode', 8, 'set_name', [{ name: 'name', type: 'string', value: 'Zoë 🦊' }]],
    ['client/CallReducer/send_message', 9, 'send_message',
     [{ name: 'text', type: 'string', value: 'Hello, 世界! 🚀' }]],
    ['client/CallReducer/no-args', 10, 'init_counter', []],
    ['client/CallReducer/two-args', 11, 'add', [{ name: 'a', type: 'u32', value: 40 }, { name: 'b', type: 'string', value: 'two' }]],
]) {
    const args = encodeArgs(params);
    addClient(name, CM.CallReducer({ requestId, flags: 0, reducer, args }), { args: params, specHex });
}
for (const [name, requestId, procedure, params] of [
    ['client/CallProcedure/echo', 12, 'echo', [{ name: 'text', type: 'string', value: 'ping' }]],
    ['client/CallProcedure/no-args', 13, 'now', []],
]) {
    const args = encodeArgs(params);
    addClient(name, CM.CallProcedure({ requestId, flags: 0, procedure, args }), { args: params });
}

// ---- server messages -----------------------------------------------------------------------

const SM = api.ServerMessage;

function addServer(name, value, extra = {}) {
    const bytes = encodeWith(api, SM, value);
    const back = decodeWith(api, SM, bytes);
    check(name, isDeepStrictEqual(describe(back), stripAnnotations(describe(value))),
          `SDK decodes ${JSON.stringify(describe(back))}`);
    check(name, toHex(encodeWith(api, SM, back)) === toHex(bytes), 'SDK re-encoding differs');
    const vec = { name, direction: 'server', source: 'sdk', value: describe(value), hex: toHex(bytes), ...extra };
    if (vec.specHex)
        check(name, vec.specHex === vec.hex, `SDK bytes ${vec.hex} differ from the spec's ${vec.specHex}`);
    vectors.push(vec);
    return bytes;
}

const xWire = toHex(encodeWith(stdb, t.identity(), X));
const cWire = toHex(encodeWith(stdb, t.connectionId(), C));
const tsWire = '00202110d70d0600';
const utf8Hex = s => toHex(Buffer.from(s, 'utf8'));
const strHex = s => toHex(encodeWith(stdb, t.string(), s));

addServer('server/InitialConnection/spec-example',
          SM.InitialConnection({ identity: X, connectionId: C, token: 'eyJ' }),
          { specHex: '00' + xWire + cWire + '03000000' + '65794a' });
addServer('server/InitialConnection/jwt',
          SM.InitialConnection({
              identity: ALICE, connectionId: new stdb.ConnectionId(0xfedcba9876543210_0123456789abcdefn),
              token: 'eyJhbGciOiJFUzI1NiJ9.' + 'eyJoZXhfaWRlbnRpdHkiOiJjMjAw'.repeat(12) + '.c2lnbmF0dXJl',
          }));

const usersSame = [user(ALICE, 'Ann', true), user(BOB, 'Bob', false), user(CAROL, 'Cyd', true)];
const usersMixed = [user(ALICE, 'Alice', true), user(BOB, undefined, true), user(CAROL, 'Carol 🐱', false)];
const messagesMixed = [
    message(ALICE, T2024, 'Hello!'),
    message(BOB, T2024 + 1500000n, 'Hi Alice 👋'),
    message(ALICE, T2024 + 61000000n, '日本語のメッセージ'),
];
const messagesSame = [message(ALICE, T2024, 'ping'), message(BOB, T2024 + 1n, 'pong')];

addServer('server/SubscribeApplied/user-FixedSize-message-RowOffsets',
          SM.SubscribeApplied({
              requestId: 1, querySetId: { id: 1 }, rows: {
                  tables: [
                      { table: 'user', rows: rowList('user', usersSame, 'FixedSize') },
                      { table: 'message', rows: rowList('message', messagesMixed, 'RowOffsets') },
                  ],
              },
          }));
addServer('server/SubscribeApplied/user-RowOffsets-message-FixedSize',
          SM.SubscribeApplied({
              requestId: 2, querySetId: { id: 2 }, rows: {
                  tables: [
                      { table: 'user', rows: rowList('user', usersMixed, 'RowOffsets') },
                      { table: 'message', rows: rowList('message', messagesSame, 'FixedSize') },
                      // the same table again (a second query of the set), and an empty list
                      { table: 'user', rows: rowList('user', usersSame, 'RowOffsets') },
                      { table: 'message', rows: rowList('message', [], 'RowOffsets') },
                  ],
              },
          }));
addServer('server/SubscribeApplied/no-tables',
          SM.SubscribeApplied({ requestId: 3, querySetId: { id: 3 }, rows: { tables: [] } }));
addServer('server/UnsubscribeApplied/some-rows',
          SM.UnsubscribeApplied({
              requestId: 4, querySetId: { id: 1 }, rows: {
                  tables: [
                      { table: 'user', rows: rowList('user', usersMixed, 'RowOffsets') },
                      { table: 'message', rows: rowList('message', messagesSame, 'FixedSize') },
                  ],
              },
          }));
addServer('server/UnsubscribeApplied/none',
          SM.UnsubscribeApplied({ requestId: 5, querySetId: { id: 1 }, rows: undefined }));
addServer('server/SubscriptionError/request-id-some',
          SM.SubscriptionError({ requestId: 6, querySetId: { id: 4 }, error: 'no such table: `usr`' }));
addServer('server/SubscriptionError/request-id-none-spec-example',
          SM.SubscriptionError({ requestId: undefined, querySetId: { id: 9 }, error: 'x' }),
          { specHex: '03' + '01' + '09000000' + '01000000' + '78' });

// Spec §1.7 example 7: user X renamed from None to Some("Bob").
const renameUpdate = () => ({
    querySets: [{
        querySetId: { id: 1 },
        tables: [{
            tableName: 'user',
            rows: [api.TableUpdateRows.PersistentTable({
                inserts: rowList('user', [user(X, 'Bob', true)], 'FixedSize'),
                deletes: rowList('user', [user(X, undefined, true)], 'FixedSize'),
            })],
        }],
    }],
});
addServer('server/TransactionUpdate/spec-example-rename', SM.TransactionUpdate(renameUpdate()), {
    specHex: '04' + '01000000' + '01000000' + '01000000' + '04000000' + utf8Hex('user') + '01000000' + '00' +
             '002900' + '29000000' + xWire + '00' + '03000000' + utf8Hex('Bob') + '01' +
             '002200' + '22000000' + xWire + '01' + '01',
});
addServer('server/TransactionUpdate/persistent-and-event-tables',
          SM.TransactionUpdate({
              querySets: [
                  {
                      querySetId: { id: 1 },
                      tables: [
                          {
                              tableName: 'message',
                              rows: [api.TableUpdateRows.PersistentTable({
                                  inserts: rowList('message', messagesMixed, 'RowOffsets'),
                                  deletes: rowList('message', [], 'RowOffsets'),
                              })],
                          },
                          {
                              tableName: 'user',
                              rows: [
                                  api.TableUpdateRows.PersistentTable({
                                      inserts: rowList('user', usersMixed.slice(0, 2), 'RowOffsets'),
                                      deletes: rowList('user', [user(ALICE, 'Al', true)], 'FixedSize'),
                                  }),
                                  // a second entry for the same table (another query of the set)
                                  api.TableUpdateRows.PersistentTable({
                                      inserts: rowList('user', [], 'FixedSize', 34),
                                      deletes: rowList('user', [user(CAROL, undefined, false)], 'RowOffsets'),
                                  }),
                              ],
                          },
                      ],
                  },
                  {
                      querySetId: { id: 7 },
                      tables: [{
                          tableName: 'message_event',
                          rows: [
                              api.TableUpdateRows.EventTable({ events: rowList('message', messagesSame, 'FixedSize') }),
                              api.TableUpdateRows.EventTable({ events: rowList('message', messagesMixed, 'RowOffsets') }),
                          ],
                      }],
                  },
              ],
          }));
addServer('server/TransactionUpdate/empty', SM.TransactionUpdate({ querySets: [] }));
addServer('server/OneOffQueryResult/ok',
          SM.OneOffQueryResult({
              requestId: 10,
              result: { ok: { tables: [{ table: 'message', rows: rowList('message', messagesMixed, 'RowOffsets') }] } },
          }));
addServer('server/OneOffQueryResult/ok-empty',
          SM.OneOffQueryResult({
              requestId: 11, result: { ok: { tables: [{ table: 'user', rows: rowList('user', [], 'RowOffsets') }] } },
          }));
addServer('server/ReducerResult/Ok-with-update',
          SM.ReducerResult({
              requestId: 7, timestamp: ts(T2024),
              result: api.ReducerOutcome.Ok({ retValue: new Uint8Array(), transactionUpdate: renameUpdate() }),
          }));
addServer('server/ReducerResult/Ok-empty-update-with-ret-value',
          SM.ReducerResult({
              requestId: 8, timestamp: ts(T2024 + 5n),
              result: api.ReducerOutcome.Ok({
                  retValue: encodeWith(stdb, t.u64(), 42n), transactionUpdate: { querySets: [] },
              }),
          }), { retValueDescription: { type: 'u64', value: '42' } });
addServer('server/ReducerResult/OkEmpty-spec-example',
          SM.ReducerResult({ requestId: 7, timestamp: ts(T2024), result: api.ReducerOutcome.OkEmpty }),
          { specHex: '06' + '07000000' + tsWire + '01' });
// ReducerOutcome is an ordinary 4-variant sum (not a Result), so the SDK encodes Err fine.
addServer('server/ReducerResult/Err-spec-example',
          SM.ReducerResult({
              requestId: 7, timestamp: ts(T2024),
              result: api.ReducerOutcome.Err(encodeWith(stdb, t.string(), 'Names must not be empty')),
          }), {
              errorMessage: 'Names must not be empty',
              specHex: '06' + '07000000' + tsWire + '02' + '1b000000' + strHex('Names must not be empty'),
          });
addServer('server/ReducerResult/InternalError',
          SM.ReducerResult({
              requestId: 9, timestamp: ts(-1n), result: api.ReducerOutcome.InternalError('no such reducer'),
          }));
addServer('server/ProcedureResult/Returned',
          SM.ProcedureResult({
              status: api.ProcedureStatus.Returned(encodeWith(stdb, t.string(), 'pong')),
              timestamp: ts(T2024 + 999n), totalHostExecutionDuration: new stdb.TimeDuration(1234n), requestId: 12,
          }), { returnedDescription: { type: 'string', value: 'pong' } });
addServer('server/ProcedureResult/InternalError',
          SM.ProcedureResult({
              status: api.ProcedureStatus.InternalError('no such procedure `ech`'),
              timestamp: ts(T2024), totalHostExecutionDuration: new stdb.TimeDuration(0n), requestId: 0xffffffff,
          }));

// OneOffQueryResult Err: Result<QueryRows, String>::Err, hand-built (see result<u32,string>/err).
{
    const serverTag = SM.algebraicType.value.variants.findIndex(v => v.name === 'OneOffQueryResult');
    const value = { tag: 'OneOffQueryResult', value: { requestId: 12, result: { err: 'syntax error near `FORM`' } } };
    const w = new api.BinaryWriter(64);
    w.writeU8(5); // ServerMessage tag 5 = OneOffQueryResult (spec §2.5)
    w.writeU32(12);
    w.writeU8(1); // Result tag 1 = Err (spec §1.4)
    w.writeString('syntax error near `FORM`');
    const bytes = w.getBuffer().slice();
    check('OneOffQueryResult/err', serverTag === 5, `SDK has OneOffQueryResult at tag ${serverTag}`);
    const back = decodeWith(api, SM, bytes);
    check('OneOffQueryResult/err', isDeepStrictEqual(describe(back), value), `SDK decodes ${JSON.stringify(describe(back))}`);
    const attempt = sdkAttempt(api, SM, value);
    vectors.push({
        name: 'server/OneOffQueryResult/err', direction: 'server', source: 'hand', value, hex: toHex(bytes),
        sdkEncodeAttempt: attempt,
    });
    if (attempt.hex !== toHex(bytes))
        findings.push(`SDK ${SDK_VERSION} cannot encode OneOffQueryResult { result: Err(String) }: ` +
                      (attempt.hex !== undefined ? `it writes ${attempt.hex}` : `it throws "${attempt.error}"`) +
                      `; hand-built ${toHex(bytes)} decodes correctly with the SDK`);
}

// ---- the SDK runtime: what a real DbConnectionImpl sends and how it reads our vectors -------

{
    const link = await connectInMemory(stdb, chatRemoteModule(stdb));
    const handle = link.conn.subscriptionBuilder().subscribe(['SELECT * FROM "user"', 'SELECT * FROM "message"']);
    const setName = link.conn.reducers.setName({ name: 'Bob' });
    const sendMessage = link.conn.reducers.sendMessage({ text: 'Hello from the SDK 🚀' });
    const echo = link.conn.procedures.echo({ text: 'ping' });
    await link.settle();
    check('runtime', link.sent.length === 4, `DbConnectionImpl sent ${link.sent.length} messages, expected 4`);
    const sent = link.sent.map(b => decodeWith(api, CM, b));
    const [sub, call1, call2, proc] = sent;
    check('runtime', sub.tag === 'Subscribe' && call1.tag === 'CallReducer' && call2.tag === 'CallReducer' &&
                         proc.tag === 'CallProcedure', `unexpected messages ${sent.map(m => m.tag)}`);
    runtime.offeredSubprotocols = link.offered;
    runtime.firstRequestId = sub.value.requestId;
    runtime.firstQuerySetId = sub.value.querySetId.id;
    runtime.requestIds = sent.map(m => m.value.requestId);
    addClient('client/runtime/Subscribe', sub, {}, 'sdk-runtime', link.sent[0]);
    addClient('client/runtime/CallReducer-set_name', call1,
              { args: [{ name: 'name', type: 'string', value: 'Bob' }] }, 'sdk-runtime', link.sent[1]);
    addClient('client/runtime/CallReducer-send_message', call2,
              { args: [{ name: 'text', type: 'string', value: 'Hello from the SDK 🚀' }] }, 'sdk-runtime', link.sent[2]);
    addClient('client/runtime/CallProcedure-echo', proc,
              { args: [{ name: 'text', type: 'string', value: 'ping' }] }, 'sdk-runtime', link.sent[3]);

    // Feed server messages built with api.ServerMessage to the runtime and watch it react.
    const feed = value => link.deliver(encodeWith(api, SM, value));
    feed(SM.InitialConnection({ identity: X, connectionId: C, token: 'eyJ' }));
    const who = await link.connected;
    check('runtime', who.identity.toHexString() === X.toHexString() && who.token === 'eyJ',
          'onConnect did not report the identity/token we sent');
    feed(SM.SubscribeApplied({
        requestId: sub.value.requestId, querySetId: sub.value.querySetId, rows: {
            tables: [
                { table: 'user', rows: rowList('user', usersMixed, 'RowOffsets') },
                { table: 'message', rows: rowList('message', messagesSame, 'FixedSize') },
            ],
        },
    }));
    check('runtime', Number(link.conn.db.user.count()) === usersMixed.length,
          `client cache has ${link.conn.db.user.count()} users after SubscribeApplied`);
    const names = [...link.conn.db.user.iter()].map(u => u.name ?? null).sort();
    check('runtime', isDeepStrictEqual(names, usersMixed.map(u => u.name ?? null).sort()), `cached names ${names}`);
    check('runtime', Number(link.conn.db.message.count()) === messagesSame.length, 'message rows not cached');

    feed(SM.ReducerResult({
        requestId: call1.value.requestId, timestamp: ts(T2024),
        result: api.ReducerOutcome.Err(encodeWith(stdb, t.string(), 'Names must not be empty')),
    }));
    const setNameOutcome = await setName.then(v => ({ ok: v }), e => ({ err: e }));
    check('runtime', setNameOutcome.err && String(setNameOutcome.err.message ?? setNameOutcome.err)
                                              .includes('Names must not be empty'),
          `set_name promise settled with ${JSON.stringify(setNameOutcome)}`);
    feed(SM.ReducerResult({ requestId: call2.value.requestId, timestamp: ts(T2024), result: api.ReducerOutcome.OkEmpty }));
    const sendOutcome = await sendMessage.then(v => ({ ok: v }), e => ({ err: String(e) }));
    check('runtime', 'ok' in sendOutcome, `send_message promise settled with ${JSON.stringify(sendOutcome)}`);
    feed(SM.ProcedureResult({
        status: api.ProcedureStatus.Returned(encodeWith(stdb, t.string(), 'pong')),
        timestamp: ts(T2024), totalHostExecutionDuration: new stdb.TimeDuration(10n), requestId: proc.value.requestId,
    }));
    check('runtime', (await echo) === 'pong', 'echo procedure did not return "pong"');

    // Unsubscribe (the SDK always asks for SendDroppedRows), then the matching reply.
    handle.unsubscribe();
    await link.settle();
    check('runtime', link.sent.length === 5, 'no Unsubscribe sent');
    const unsub = decodeWith(api, CM, link.sent[4]);
    addClient('client/runtime/Unsubscribe', unsub, {}, 'sdk-runtime', link.sent[4]);
    runtime.unsubscribeFlags = unsub.value.flags.tag;
    feed(SM.UnsubscribeApplied({
        requestId: unsub.value.requestId, querySetId: unsub.value.querySetId, rows: {
            tables: [
                { table: 'user', rows: rowList('user', usersMixed, 'RowOffsets') },
                { table: 'message', rows: rowList('message', messagesSame, 'FixedSize') },
            ],
        },
    }));
    check('runtime', Number(link.conn.db.user.count()) === 0, 'UnsubscribeApplied rows were not removed');
    link.close();
}

// ---- output --------------------------------------------------------------------------------

const names = new Set();
for (const v of vectors) {
    if (names.has(v.name))
        throw new Error(`duplicate vector name ${v.name}`);
    names.add(v.name);
}

const variantNames = b => b.algebraicType.value.variants.map(v => v.name);
const out = {
    generator: 'tests/interop/gen-vectors.mjs',
    sdkPackage: 'spacetimedb',
    sdkVersion: SDK_VERSION,
    clientMessageVariants: variantNames(CM),
    serverMessageVariants: variantNames(SM),
    reducerOutcomeVariants: variantNames(api.ReducerOutcome),
    procedureStatusVariants: variantNames(api.ProcedureStatus),
    rowSizeHintVariants: variantNames(api.RowSizeHint),
    tableUpdateRowsVariants: variantNames(api.TableUpdateRows),
    unsubscribeFlagsVariants: variantNames(api.UnsubscribeFlags),
    runtime,
    findings,
    vectors,
};
const text = JSON.stringify(out, null, 1) + '\n';
if (process.argv[2])
    await writeFile(process.argv[2], text);
else
    process.stdout.write(text);
const count = dir => vectors.filter(v => v.direction === dir).length;
process.stderr.write(`gen-vectors: ${vectors.length} vectors (${count('value')} value, ${count('client')} client, ` +
                     `${count('server')} server; ${vectors.filter(v => v.source === 'hand').length} hand-built)\n`);
for (const f of findings)
    process.stderr.write(`gen-vectors: finding: ${f}\n`);
// The SDK's connection keeps timers alive; we are done.
process.exit(0);
