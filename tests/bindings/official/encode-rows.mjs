#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Encodes seeded pseudo-random rows and call arguments for one module schema with the official
// SpacetimeDB TypeScript SDK (npm `spacetimedb`, pinned by tests/interop), for the smoke test of
// the generated bindings (tst_official_fixture.cpp, run by run_fixture.cmake).
//
//   node encode-rows.mjs SCHEMA.json OUT.json [--seed N] [--count N]
//
// SCHEMA is a V10 module definition in the server's SATS-JSON (GET /schema?version=10, as
// tests/bindings/fixtures/derive.mjs writes them). Every table's row type, every view's row type
// and every reducer's and procedure's parameter product is rebuilt as the SDK's own
// AlgebraicType (AlgebraicType.Product/Sum/Array/Ref over the schema's typespace), COUNT values
// are made for each and encoded with the SDK's serializer (AlgebraicType.makeSerializer). Value
// 0 has every Option set and every array non-empty, value 1 every Option empty and every array
// empty; the others are random. Output:
//
//   { sdkVersion, seed, count,
//     tables:     { SOURCE_NAME: [HEX, …] },   row BSATN
//     views:      { SOURCE_NAME: [HEX, …] },   BSATN of one element of the view's result
//     reducers:   { SOURCE_NAME: [HEX, …] },   BSATN of the argument product
//     procedures: { SOURCE_NAME: [HEX, …] } }
//
// Keys are the schema's source names (the consumer maps wire names to them with the schema); a
// V10 submodule's items (its own typespace) follow under their source names qualified with the
// namespace path, e.g. "lib.libInsert", "lib.inner.tally".
// Every value is checked here: the SDK decodes its bytes and encodes the result to the same
// bytes. Exit status 2 with a message on stderr when the schema cannot be used.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { loadSdk, toHex, SDK_VERSION } = await import(
    path.join(here, '..', '..', 'interop', 'sdk.mjs'));
const { genFloat, genInt, INT_BITS, makeRng, specialTypes } = await import(
    path.join(here, '..', '..', 'interop', 'random-values.mjs'));

function fail(message) {
    process.stderr.write(`encode-rows: ${message}\n`);
    process.exit(2);
}

// ---- arguments ------------------------------------------------------------------------------

let seed = 20261207;
let count = 4;
const files = [];
for (let i = 2; i < process.argv.length; ++i) {
    const a = process.argv[i];
    if (a === '--seed' || a === '--count') {
        const v = Number(process.argv[++i]);
        if (!Number.isInteger(v) || v < 0)
            fail(`${a} needs a non-negative integer`);
        if (a === '--seed')
            seed = v;
        else
            count = v;
    } else if (a.startsWith('-')) {
        fail(`unknown option ${a}`);
    } else {
        files.push(a);
    }
}
if (files.length !== 2)
    fail('usage: node encode-rows.mjs SCHEMA.json OUT.json [--seed N] [--count N]');
if (count < 2)
    fail('--count must be at least 2 (value 0 fills every Option, value 1 empties them)');
const [schemaPath, outPath] = files;

const { stdb } = await loadSdk();
const { AlgebraicType, BinaryWriter, BinaryReader } = stdb;

// ---- the schema as the SDK's types ------------------------------------------------------------

// The single key of a SATS-JSON sum value ({"Variant": payload}).
function variantOf(v, where) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length !== 1)
        fail(`${where}: expected a sum value {"Variant": payload}, got ${JSON.stringify(v)}`);
    const [tag] = Object.keys(v);
    return [tag, v[tag]];
}

function optionalName(n, where) {
    const [tag, payload] = variantOf(n, where);
    if (tag === 'some')
        return payload;
    if (tag === 'none')
        return undefined;
    fail(`${where}: expected an Option, got ${JSON.stringify(n)}`);
}

const PRIMITIVES = new Set(['String', 'Bool', 'I8', 'U8', 'I16', 'U16', 'I32', 'U32', 'I64',
                            'U64', 'I128', 'U128', 'I256', 'U256', 'F32', 'F64']);

// SATS-JSON AlgebraicType → the SDK's AlgebraicType value. Unnamed members get positional names:
// the SDK's serializers address members by name; the bytes do not contain names.
function toSdkType(j, where) {
    const [tag, payload] = variantOf(j, where);
    if (PRIMITIVES.has(tag))
        return AlgebraicType[tag];
    switch (tag) {
    case 'Ref':
        return AlgebraicType.Ref(payload);
    case 'Array':
        return AlgebraicType.Array(toSdkType(payload, `${where}.Array`));
    case 'Product':
        return AlgebraicType.Product(toSdkProduct(payload, `${where}.Product`));
    case 'Sum':
        return AlgebraicType.Sum({
            variants: payload.variants.map((v, i) => ({
                name: optionalName(v.name, `${where}.Sum.variants[${i}].name`) ?? `variant${i}`,
                algebraicType: toSdkType(v.algebraic_type, `${where}.Sum.variants[${i}]`),
            })),
        });
    default:
        fail(`${where}: type "${tag}" is not a V10 AlgebraicType`);
    }
}

function toSdkProduct(p, where) {
    if (!p || !Array.isArray(p.elements))
        fail(`${where}: expected a product type {"elements": [...]}`);
    return {
        elements: p.elements.map((e, i) => ({
            name: optionalName(e.name, `${where}.elements[${i}].name`) ?? `field${i}`,
            algebraicType: toSdkType(e.algebraic_type, `${where}.elements[${i}]`),
        })),
    };
}

const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
if (!Array.isArray(schema.sections))
    fail(`${schemaPath}: not a V10 module definition (no "sections")`);
const sectionOf = (def, name) => {
    const s = def.sections.find(x => Object.keys(x)[0] === name);
    return s ? s[name] : undefined;
};
// The typespace of the module being encoded: the root's, or a submodule's own while its items
// are encoded (encodeModule).
let typespace;
const resolve = ty => {
    while (ty.tag === 'Ref') {
        if (ty.value >= typespace.types.length)
            fail(`type reference ${ty.value} is outside the typespace`);
        ty = typespace.types[ty.value];
    }
    return ty;
};

// ---- seeded values --------------------------------------------------------------------------

// Non-ASCII in two, three and four UTF-8 bytes, combining marks, control characters, NUL.
const STRINGS = ['', 'a', 'hello', 'Grüße', 'ß', '漢字', '🙂 emoji', 'tab\tnl\n', 'quote"back\\',
                 '\u0000nul', 'é' + 'e\u0301', 'x'.repeat(300), 'Ωμέγα', 'עברית'];
const SPECIAL = specialTypes(stdb);

const isOption = s =>
    s.variants.length === 2 && s.variants[0].name === 'some' && s.variants[1].name === 'none';
const isResult = s =>
    s.variants.length === 2 && s.variants[0].name === 'ok' && s.variants[1].name === 'err';
const sameType = (a, b) => JSON.stringify(resolve(a)) === JSON.stringify(resolve(b));

// mode: 'full' (every Option set, arrays non-empty), 'empty' (Options empty, arrays empty) or
// 'random'. Past depth 4 everything is as small as possible, so recursive types end.
function genValue(rng, ty, mode, depth = 0) {
    ty = resolve(ty);
    const deep = depth > 4;
    switch (ty.tag) {
    case 'Bool':
        return rng.chance(0.5);
    case 'F32':
    case 'F64':
        return genFloat(rng, ty.tag);
    case 'String':
        return rng.pick(STRINGS);
    case 'Array': {
        const n = deep || mode === 'empty' ? 0 : mode === 'full' ? 1 + rng.int(3) : rng.int(4);
        if (resolve(ty.value).tag === 'U8')
            return rng.bytes(n === 0 ? 0 : n + rng.int(8));
        return Array.from({ length: n }, () => genValue(rng, ty.value, mode, depth + 1));
    }
    case 'Product': {
        const els = ty.value.elements;
        if (els.length === 1 && Object.hasOwn(SPECIAL, els[0].name))
            return SPECIAL[els[0].name](BigInt(genInt(rng, resolve(els[0].algebraicType).tag)));
        const out = {};
        for (const e of els)
            out[e.name] = genValue(rng, e.algebraicType, mode, depth + 1);
        return out;
    }
    case 'Sum': {
        const s = ty.value;
        if (isOption(s)) {
            const some = deep || mode === 'empty' ? false : mode === 'full' ? true : rng.chance(0.5);
            return some ? genValue(rng, s.variants[0].algebraicType, mode, depth + 1) : undefined;
        }
        // The SDK (2.10.1) writes Result::Err with the ok type's serializer (tests/interop
        // README): only an Err whose type equals the ok type encodes correctly.
        if (isResult(s)) {
            const err = sameType(s.variants[0].algebraicType, s.variants[1].algebraicType) &&
                        rng.chance(0.5);
            return err ? { err: genValue(rng, s.variants[1].algebraicType, mode, depth + 1) }
                       : { ok: genValue(rng, s.variants[0].algebraicType, mode, depth + 1) };
        }
        let candidates = s.variants;
        if (deep) {
            const unit = s.variants.filter(v => {
                const t = resolve(v.algebraicType);
                return t.tag === 'Product' && t.value.elements.length === 0;
            });
            if (unit.length)
                candidates = unit;
        }
        const v = rng.pick(candidates);
        return { tag: v.name, value: genValue(rng, v.algebraicType, mode, depth + 1) };
    }
    default:
        if (!(ty.tag in INT_BITS))
            fail(`cannot make a value of type ${ty.tag}`);
        return genInt(rng, ty.tag);
    }
}

// ---- encoding -------------------------------------------------------------------------------

function encodeAll(what, name, ty) {
    const serialize = AlgebraicType.makeSerializer(ty, typespace);
    const deserialize = AlgebraicType.makeDeserializer(ty, typespace);
    // One generator per item: adding a table does not change the values of the others.
    let h = seed >>> 0;
    for (const c of `${what}/${name}`)
        h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
    const rng = makeRng(h);
    const out = [];
    for (let i = 0; i < count; ++i) {
        const mode = i === 0 ? 'full' : i === 1 ? 'empty' : 'random';
        const value = genValue(rng, ty, mode);
        const w = new BinaryWriter(64);
        serialize(w, value);
        const bytes = w.getBuffer().slice();
        // The SDK must read its own bytes back exactly and write the same again.
        const r = new BinaryReader(bytes);
        const back = deserialize(r);
        if (r.remaining !== 0)
            fail(`${what} ${name} value ${i}: the SDK left ${r.remaining} byte(s) unread`);
        const w2 = new BinaryWriter(64);
        serialize(w2, back);
        const again = toHex(w2.getBuffer().slice());
        if (again !== toHex(bytes))
            fail(`${what} ${name} value ${i}: the SDK re-encodes its own bytes differently ` +
                 `(${toHex(bytes)} → ${again})`);
        out.push(toHex(bytes));
    }
    return out;
}

const result = { sdkVersion: SDK_VERSION, seed, count, tables: {}, views: {}, reducers: {},
                 procedures: {} };

// One module definition: `prefix` is "" for the root and the namespace path with a trailing dot
// for a submodule ("lib.", "lib.inner."), which qualifies its items' keys; `where` is the JSON
// path for messages. A submodule has its own typespace; its own submodules follow it.
function encodeModule(def, prefix, where) {
    if (!def || !Array.isArray(def.sections))
        fail(`${where}: not a V10 module definition (no "sections")`);
    const section = name => sectionOf(def, name);
    const typespaceJson = section('Typespace');
    if (!typespaceJson || !Array.isArray(typespaceJson.types))
        fail(`${where}: no Typespace section`);
    typespace = {
        types: typespaceJson.types.map((t, i) => toSdkType(t, `${where}.Typespace.types[${i}]`)),
    };

    for (const [i, t] of (section('Tables') ?? []).entries()) {
        const at = `${where}.Tables[${i}]`;
        if (typeof t.source_name !== 'string' || !Number.isInteger(t.product_type_ref))
            fail(`${at}: no source_name or product_type_ref`);
        if (t.product_type_ref >= typespace.types.length)
            fail(`${at} (${t.source_name}): product_type_ref ${t.product_type_ref} is outside ` +
                 'the typespace');
        const key = prefix + t.source_name;
        result.tables[key] = encodeAll('table', key, AlgebraicType.Ref(t.product_type_ref));
    }

    for (const [i, v] of (section('Views') ?? []).entries()) {
        // A view returns Array<Row>, Option<Row> or Query<Row> (the product {__query__: Row});
        // its handle's rows are the Rows.
        let ty = resolve(toSdkType(v.return_type, `${where}.Views[${i}].return_type`));
        if (ty.tag === 'Array')
            ty = ty.value;
        else if (ty.tag === 'Sum' && isOption(ty.value))
            ty = ty.value.variants[0].algebraicType;
        else if (ty.tag === 'Product' && ty.value.elements.length === 1 &&
                 ty.value.elements[0].name === '__query__')
            ty = ty.value.elements[0].algebraicType;
        const key = prefix + v.source_name;
        result.views[key] = encodeAll('view', key, ty);
    }

    for (const [kind, key] of [['Reducers', 'reducers'], ['Procedures', 'procedures']])
        for (const [i, f] of (section(kind) ?? []).entries()) {
            const name = prefix + f.source_name;
            result[key][name] = encodeAll(
                key, name,
                AlgebraicType.Product(toSdkProduct(f.params, `${where}.${kind}[${i}].params`)));
        }

    for (const [i, m] of (section('Submodules') ?? []).entries()) {
        const at = `${where}.Submodules[${i}]`;
        if (!m || typeof m.namespace !== 'string' || m.namespace === '')
            fail(`${at}: no namespace`);
        encodeModule(m.module, `${prefix}${m.namespace}.`, `${at}.module`);
    }
}

encodeModule(schema, '', schemaPath);

await writeFile(outPath, JSON.stringify(result, null, 1) + '\n');
