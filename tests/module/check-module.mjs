// SPDX-License-Identifier: Apache-2.0
//
// Derives the module definition of module/ (the quickstart-chat module on the official
// `spacetimedb` library) without a server, and checks it against the V9 schemas that the rest
// of the project relies on.
//
//   node check-module.mjs describe                       print the derived definition (JSON)
//   node check-module.mjs check [--schema-json FILE]... [--server URL --database NAME]...
//   node check-module.mjs behave                         run the reducers on an in-memory store
//
// How the definition is derived is how SpacetimeDB's JS host does it
// (crates/core/src/host/v8/syscall/v2.rs): the module is bundled as `spacetime build` bundles
// it, loaded with the host's `spacetime:sys@2.x` imports stubbed, its default export's
// moduleHooks function is called with the module's exports, and `__describe_module__()` returns
// the BSATN of a RawModuleDef, decoded here with the library's own RawModuleDef type. The V10
// definition is then reduced to what the server serves at /schema?version=9 (the naming rules
// of crates/schema/src/def/validate/{v9,v10}.rs and `From<ModuleDef> for RawModuleDefV9`),
// and every V9 schema given is reduced to the same shape: tables, columns (names, types,
// order), primary keys, indexes, constraints, sequences, schedules, table type and access,
// named types, reducers (params, lifecycle) and row-level security.
//
// Not compared: the order of reducers (clients call them by name, and a real server lists a
// TypeScript module's reducers in the order of its exports object, alphabetical, not in
// declaration order), and named types that no table uses as its row type: the TypeScript
// library also registers each reducer's parameters as a named product type (SetName, …), which
// a Rust module, and so schema.json, does not have. Those are reported as a "note" event.
//
// `behave` runs the module's reducers through the same hooks (`__call_reducer__`), with the
// syscalls they use answered by a small in-memory datastore instead of the failing stubs, and
// reports what each call did: the rows afterwards, the error text of a SenderError, the log
// lines. tst_module compares that with the development host's module (src/devhost/chatmodule.cpp).
//
// Output: one JSON object per line on stdout; exit 0 when everything agrees, 1 with one
// "MISMATCH …" line per difference on stderr, 2 when something could not be checked at all.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoaderError, describeModule as describeModule_, openLibrary } from '../interop/module-loader.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const moduleDir = process.env.STDB_MODULE_DIR ?? path.join(root, 'module');

function fail(code, message) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// Loading the module the way the host does (tests/interop/module-loader.mjs)

async function describeModule() {
  try {
    const library = openLibrary(path.join(moduleDir, 'node_modules', 'spacetimedb'));
    const { hooks, bytes, def } = await describeModule_({
      library,
      moduleDir,
      cacheDir: path.join(moduleDir, 'node_modules', '.cache', 'stdb-check-module'),
      buildOptions: { tsconfig: path.join(moduleDir, 'tsconfig.json') },
    });
    loadedHooks = hooks;
    return { libVersion: library.version, bytes: bytes.length, v10: def };
  } catch (e) {
    if (e instanceof LoaderError) fail(2, e.message);
    throw e;
  }
}

let loadedHooks = null;

// ---------------------------------------------------------------------------------------------
// Running the reducers on an in-memory datastore

// The rows of both tables as BSATN, keyed by table id; only what the module's code calls.
class FakeDatastore {
  constructor(tables, indexes) {
    this.tables = tables;   // name -> id
    this.indexes = indexes; // name -> { table, keyBytes }
    this.rows = new Map([...tables.values()].map(id => [id, []]));
    this.iters = new Map();
    this.nextIter = 1;
    this.logs = [];
  }
  syscalls() {
    const self = this;
    const bytesOf = (buffer, len) => new Uint8Array(buffer, 0, len).slice();
    const sameKey = (row, key) => key.every((b, i) => row[i] === b);
    return {
      table_id_from_name(name) {
        if (!self.tables.has(name)) throw new Error(`no such table ${name}`);
        return self.tables.get(name);
      },
      index_id_from_name(name) {
        if (!self.indexes.has(name)) throw new Error(`no such index ${name}`);
        return self.indexes.get(name).id;
      },
      datastore_table_row_count(table) {
        return BigInt(self.rows.get(table).length);
      },
      datastore_table_scan_bsatn(table) {
        const id = self.nextIter++;
        self.iters.set(id, [...self.rows.get(table)]);
        return id;
      },
      // Point lookups on a one-column unique index over a leading fixed-size column (the
      // user table's identity): the point's bytes are the row's first bytes.
      datastore_index_scan_point_bsatn(indexId, buffer, len) {
        const index = [...self.indexes.values()].find(i => i.id === indexId);
        if (!index) throw new Error(`no such index id ${indexId}`);
        const key = bytesOf(buffer, len);
        const id = self.nextIter++;
        self.iters.set(id, self.rows.get(index.table).filter(r => sameKey(r, key)));
        return id;
      },
      row_iter_bsatn_advance(iter, buffer) {
        const rows = self.iters.get(iter);
        if (!rows) throw new Error(`no such iterator ${iter}`);
        const len = rows.reduce((n, r) => n + r.length, 0);
        if (len > buffer.byteLength) throw { __buffer_too_small__: len };
        let at = 0;
        for (const r of rows) {
          new Uint8Array(buffer, at, r.length).set(r);
          at += r.length;
        }
        self.iters.delete(iter);
        return -len; // everything at once: exhausted (0 when there was nothing)
      },
      row_iter_bsatn_close(iter) {
        self.iters.delete(iter);
      },
      datastore_insert_bsatn(table, buffer, len) {
        const row = bytesOf(buffer, len);
        for (const index of self.indexes.values())
          if (index.table === table && self.rows.get(table).some(r => sameKey(r, row.slice(0, index.keyBytes))))
            throw new Error('unique constraint violated');
        self.rows.get(table).push(row);
        return len;
      },
      datastore_update_bsatn(table, indexId, buffer, len) {
        const index = [...self.indexes.values()].find(i => i.id === indexId);
        const row = bytesOf(buffer, len);
        const rows = self.rows.get(table);
        const at = rows.findIndex(r => sameKey(r, row.slice(0, index.keyBytes)));
        if (at < 0) throw new Error('update of a row that does not exist');
        rows[at] = row;
        return len;
      },
      console_log(level, message) {
        // The levels of the library's src/server/console.ts.
        const names = ['error', 'warn', 'info', 'debug', 'trace'];
        self.logs.push({ level: names[level] ?? String(level), message });
      },
      identity() {
        return 0xc200n << 240n;
      },
    };
  }
}

function readString(bytes, at) {
  const len = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
  return [new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + len)), at + 4 + len];
}

const hex = bytes => Buffer.from(bytes).reverse().toString('hex'); // U256 is little-endian

function decodeUser(row) {
  let at = 32;
  const tag = row[at++];
  let name = null;
  if (tag === 0) [name, at] = readString(row, at);
  return { identity: hex(row.subarray(0, 32)), name, online: row[at] === 1 };
}

function decodeMessage(row) {
  const sent = new DataView(row.buffer, row.byteOffset + 32, 8).getBigInt64(0, true);
  const [text] = readString(row, 40);
  return { sender: hex(row.subarray(0, 32)), sent: sent.toString(), text };
}

function stringArgs(...values) {
  const parts = values.map(v => {
    const utf8 = new TextEncoder().encode(v);
    const b = new Uint8Array(4 + utf8.length);
    new DataView(b.buffer).setUint32(0, utf8.length, true);
    b.set(utf8, 4);
    return b;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return new DataView(out.buffer);
}

async function behave(v10) {
  const hooks = loadedHooks;
  const reducers = v10.sections.find(s => s.tag === 'Reducers')?.value ?? [];
  const idOf = name => {
    const id = reducers.findIndex(r => r.sourceName === name);
    if (id < 0) throw new Error(`the module has no reducer ${name}`);
    return id;
  };
  const store = new FakeDatastore(
    new Map([['user', 1], ['message', 2]]),
    new Map([['user_identity_idx_btree', { id: 10, table: 1, keyBytes: 32 }]])
  );
  globalThis.__stdbFakeSys = store.syscalls();
  const alice = (0xc200n << 240n) | 0xa11cen;
  const bob = (0xc200n << 240n) | 0xb0bn;
  let clock = 1_700_000_000_000_000n;
  const steps = [];
  const call = (label, reducer, sender, args = new DataView(new ArrayBuffer(0))) => {
    const timestamp = ++clock;
    const logsBefore = store.logs.length;
    let outcome = 'ok';
    let error = null;
    try {
      hooks.__call_reducer__(idOf(reducer), sender, 1n, timestamp, args);
    } catch (e) {
      outcome = e instanceof hooks.__sender_error_class__ ? 'sender_error' : 'panic';
      error = String(e?.message ?? e);
    }
    steps.push({
      step: label, reducer, outcome, error, timestamp: timestamp.toString(),
      users: store.rows.get(1).map(decodeUser),
      messages: store.rows.get(2).map(decodeMessage),
      logs: store.logs.slice(logsBefore),
    });
  };
  call('init', 'init', 0n);
  call('alice connects', 'identity_connected', alice);
  call('empty name', 'set_name', alice, stringArgs(''));
  call('unknown user names itself', 'set_name', bob, stringArgs('bob'));
  call('alice names herself', 'set_name', alice, stringArgs('alice'));
  call('empty message', 'send_message', alice, stringArgs(''));
  call('alice says hi', 'send_message', alice, stringArgs('hi'));
  call('alice connects again', 'identity_connected', alice);
  call('alice disconnects', 'identity_disconnected', alice);
  call('unknown user disconnects', 'identity_disconnected', bob);
  delete globalThis.__stdbFakeSys;
  return { alice: alice.toString(16).padStart(64, '0'), bob: bob.toString(16).padStart(64, '0'), steps };
}

// ---------------------------------------------------------------------------------------------
// One shape for both sides

// Types: { k: 'Product', elements: [{ name, t }] } | { k: 'Sum', variants: [...] } |
// { k: 'Array', elem } | { k: 'Ref', ref } | { k: 'String' | 'Bool' | 'U8' | … }.

function typeFromLib(ty) {
  switch (ty.tag) {
    case 'Product':
      return { k: 'Product', elements: ty.value.elements.map(e => ({ name: e.name ?? null, t: typeFromLib(e.algebraicType) })) };
    case 'Sum':
      return { k: 'Sum', elements: ty.value.variants.map(v => ({ name: v.name ?? null, t: typeFromLib(v.algebraicType) })) };
    case 'Array':
      return { k: 'Array', elem: typeFromLib(ty.value) };
    case 'Ref':
      return { k: 'Ref', ref: ty.value };
    default:
      return { k: ty.tag };
  }
}

function optFromJson(o, where) {
  if (o && typeof o === 'object' && 'some' in o) return o.some;
  if (o && typeof o === 'object' && 'none' in o) return null;
  throw new Error(`${where}: expected {"some": …} or {"none": []}, got ${JSON.stringify(o)}`);
}

function tagOf(o, where) {
  const keys = o && typeof o === 'object' ? Object.keys(o) : [];
  if (keys.length !== 1) throw new Error(`${where}: expected a one-key sum value, got ${JSON.stringify(o)}`);
  return [keys[0], o[keys[0]]];
}

function typeFromJson(ty, where) {
  const [tag, v] = tagOf(ty, where);
  switch (tag) {
    case 'Product':
      return { k: 'Product', elements: v.elements.map((e, i) => ({ name: optFromJson(e.name, `${where}.elements[${i}].name`), t: typeFromJson(e.algebraic_type, `${where}.elements[${i}]`) })) };
    case 'Sum':
      return { k: 'Sum', elements: v.variants.map((e, i) => ({ name: optFromJson(e.name, `${where}.variants[${i}].name`), t: typeFromJson(e.algebraic_type, `${where}.variants[${i}]`) })) };
    case 'Array':
      return { k: 'Array', elem: typeFromJson(v, `${where}.Array`) };
    case 'Ref':
      return { k: 'Ref', ref: v };
    default:
      return { k: tag };
  }
}

// Text for a type with its references resolved, e.g. "(identity: (__identity__: U256), …)".
function typeText(t, typespace, depth = 0) {
  if (depth > 32) return '…';
  switch (t.k) {
    case 'Product':
      return `(${t.elements.map(e => `${e.name ?? '_'}: ${typeText(e.t, typespace, depth + 1)}`).join(', ')})`;
    case 'Sum':
      return `{${t.elements.map(e => `${e.name ?? '_'}: ${typeText(e.t, typespace, depth + 1)}`).join(' | ')}}`;
    case 'Array':
      return `[${typeText(t.elem, typespace, depth + 1)}]`;
    case 'Ref':
      return t.ref < typespace.length ? `&${t.ref}=${typeText(typespace[t.ref], typespace, depth + 1)}` : `&${t.ref}(dangling)`;
    default:
      return t.k;
  }
}

function columnsOf(typespace, ref, where) {
  const row = typespace[ref];
  if (!row || row.k !== 'Product') throw new Error(`${where}: product_type_ref ${ref} is not a product type`);
  return row.elements.map(e => ({ name: e.name, type: typeText(e.t, typespace) }));
}

function algorithmText(tag, v) {
  const cols = Array.isArray(v) ? v : v && Array.isArray(v.columns) ? v.columns : v && 'column' in v ? [v.column] : [v];
  return `${tag}(${cols.join(',')})`;
}

const byName = (a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0);
const num = v => (v === null || v === undefined ? null : String(v));

// Named types of table rows only (see the top of this file); the others are returned apart.
function splitTypes(types, tables) {
  const rows = new Set(tables.map(t => t.row_type));
  return { types: types.filter(t => rows.has(t.ty)), other: types.filter(t => !rows.has(t.ty)) };
}

function normalizeV9Json(j, label) {
  const typespace = j.typespace.types.map((t, i) => typeFromJson(t, `${label}.typespace[${i}]`));
  const tables = j.tables.map((t, ti) => {
    const w = `${label}.tables[${ti}]`;
    const sched = optFromJson(t.schedule, `${w}.schedule`);
    return {
      name: t.name,
      row_type: t.product_type_ref,
      columns: columnsOf(typespace, t.product_type_ref, w),
      primary_key: t.primary_key,
      indexes: t.indexes.map((x, i) => {
        const [tag, v] = tagOf(x.algorithm, `${w}.indexes[${i}].algorithm`);
        return { name: optFromJson(x.name, `${w}.indexes[${i}].name`), accessor: optFromJson(x.accessor_name, `${w}.indexes[${i}].accessor_name`), algorithm: algorithmText(tag, v) };
      }).sort(byName),
      constraints: t.constraints.map((c, i) => {
        const [tag, v] = tagOf(c.data, `${w}.constraints[${i}].data`);
        return { name: optFromJson(c.name, `${w}.constraints[${i}].name`), data: `${tag}(${v.columns.join(',')})` };
      }).sort(byName),
      sequences: t.sequences.map((s, i) => ({
        name: optFromJson(s.name, `${w}.sequences[${i}].name`), column: s.column,
        start: num(optFromJson(s.start, 'start')), min_value: num(optFromJson(s.min_value, 'min_value')),
        max_value: num(optFromJson(s.max_value, 'max_value')), increment: num(s.increment),
      })).sort(byName),
      schedule: sched && { name: optFromJson(sched.name, `${w}.schedule.name`), function: sched.reducer_name, column: sched.scheduled_at_column },
      table_type: tagOf(t.table_type, `${w}.table_type`)[0],
      table_access: tagOf(t.table_access, `${w}.table_access`)[0],
    };
  });
  const reducers = j.reducers.map((r, i) => {
    const params = typeFromJson({ Product: r.params }, `${label}.reducers[${i}].params`);
    const lc = optFromJson(r.lifecycle, `${label}.reducers[${i}].lifecycle`);
    return {
      name: r.name,
      params: params.elements.map(e => ({ name: e.name, type: typeText(e.t, typespace) })),
      lifecycle: lc === null ? null : tagOf(lc, `${label}.reducers[${i}].lifecycle`)[0],
    };
  }).sort(byName);
  const { types, other } = splitTypes(j.types.map(t => ({ name: [...t.name.scope, t.name.name].join('::'), ty: t.ty, custom_ordering: t.custom_ordering })), tables);
  const misc = j.misc_exports.map(m => tagOf(m, `${label}.misc_exports`)[0]);
  Object.defineProperty(tables, 'otherTypes', { value: other });
  return { tables, types, reducers, misc_exports: misc, row_level_security: j.row_level_security.map(r => r.sql) };
}

// The server's canonical names for a V10 module under its case conversion policy.
function namer(sections) {
  const explicit = { Table: new Map(), Function: new Map(), Index: new Map() };
  for (const e of sections.ExplicitNames?.entries ?? []) explicit[e.tag].set(e.value.sourceName, e.value.canonicalName);
  const policy = sections.CaseConversionPolicy?.tag ?? 'SnakeCase';
  const convert = (name, what) => {
    if (policy === 'None') return name;
    // The server converts with convert_case's Case::Snake; for a name that is already
    // snake_case that is the name itself. Anything else is outside what this checker models.
    if (policy === 'SnakeCase' && /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) return name;
    throw new Error(`${what} '${name}' is not snake_case: the server would rename it (${policy}); name it in snake_case`);
  };
  return {
    table: n => explicit.Table.get(n) ?? convert(n, 'table'),
    fn: n => explicit.Function.get(n) ?? convert(n, 'reducer'),
    column: n => convert(n, 'column'),
    index: n => explicit.Index.get(n),
  };
}

function normalizeV10(def) {
  const sections = {};
  for (const s of def.sections) {
    if (s.tag in sections) throw new Error(`the module definition has two ${s.tag} sections`);
    sections[s.tag] = s.value;
  }
  const supported = new Set(['Typespace', 'Types', 'Tables', 'Reducers', 'LifeCycleReducers', 'ExplicitNames', 'CaseConversionPolicy', 'RowLevelSecurity', 'Schedules', 'Procedures', 'Views', 'ViewPrimaryKeys', 'HttpHandlers', 'HttpRoutes', 'Submodules']);
  for (const tag of Object.keys(sections))
    if (!supported.has(tag)) throw new Error(`unknown section ${tag} in the module definition`);
  const names = namer(sections);
  // Column names are converted in the typespace the server keeps (typespace_case_conversion);
  // special types (Identity, Timestamp, …) keep theirs.
  const special = t => t.k === 'Product' && t.elements.length === 1 && /^__.*__$/.test(t.elements[0].name ?? '');
  const convertType = t => {
    if (special(t)) return t;
    if (t.k === 'Product') return { k: 'Product', elements: t.elements.map(e => ({ name: e.name === null ? null : names.column(e.name), t: convertType(e.t) })) };
    if (t.k === 'Sum') return { k: 'Sum', elements: t.elements.map(e => ({ name: e.name, t: convertType(e.t) })) };
    if (t.k === 'Array') return { k: 'Array', elem: convertType(t.elem) };
    return t;
  };
  const typespace = (sections.Typespace?.types ?? []).map(t => convertType(typeFromLib(t)));
  const schedules = sections.Schedules ?? [];
  const tables = (sections.Tables ?? []).map(t => {
    const name = names.table(t.sourceName);
    const columns = columnsOf(typespace, t.productTypeRef, `table ${t.sourceName}`);
    const colNames = cols => cols.map(c => columns[c]?.name ?? `?${c}`).join('_');
    const colsOf = a => (a.tag === 'Direct' ? [a.value] : a.value);
    const sched = schedules.find(s => s.tableName === t.sourceName);
    return {
      name,
      row_type: t.productTypeRef,
      columns,
      primary_key: [...t.primaryKey],
      // validate_index_def_v10 / generate_index_name
      indexes: t.indexes.map(x => ({
        name: names.index(x.sourceName) ?? `${name}_${colNames(colsOf(x.algorithm))}_idx_${x.algorithm.tag.toLowerCase()}`,
        accessor: x.accessorName ?? null,
        algorithm: algorithmText(x.algorithm.tag, colsOf(x.algorithm)),
      })).sort(byName),
      // generate_unique_constraint_name
      constraints: t.constraints.map(c => ({
        name: `${name}_${colNames(c.data.value.columns)}_key`,
        data: `${c.data.tag}(${c.data.value.columns.join(',')})`,
      })).sort(byName),
      // generate_sequence_name
      sequences: t.sequences.map(s => ({
        name: `${name}_${colNames([s.column])}_seq`, column: s.column,
        start: num(s.start), min_value: num(s.minValue), max_value: num(s.maxValue), increment: num(s.increment),
      })).sort(byName),
      schedule: sched ? { name: `${name}_sched`, function: names.fn(sched.functionName), column: sched.scheduleAtCol } : null,
      table_type: t.tableType.tag,
      table_access: t.tableAccess.tag,
    };
  });
  const lifecycles = new Map((sections.LifeCycleReducers ?? []).map(l => [l.functionName, l.lifecycleSpec.tag]));
  const reducers = (sections.Reducers ?? []).map(r => {
    const params = typeFromLib({ tag: 'Product', value: r.params });
    if (typeText(typeFromLib(r.okReturnType), typespace) !== '()' || typeFromLib(r.errReturnType).k !== 'String')
      throw new Error(`reducer ${r.sourceName}: the server only accepts reducers returning Result<(), String>`);
    return {
      name: names.fn(r.sourceName),
      params: params.elements.map(e => ({ name: e.name, type: typeText(e.t, typespace) })),
      lifecycle: lifecycles.get(r.sourceName) ?? null,
    };
  }).sort(byName);
  for (const fn of lifecycles.keys())
    if (!(sections.Reducers ?? []).some(r => r.sourceName === fn)) throw new Error(`lifecycle reducer ${fn} is not a reducer`);
  const { types, other } = splitTypes((sections.Types ?? []).map(t => ({ name: [...t.sourceName.scope, t.sourceName.sourceName].join('::'), ty: t.ty, custom_ordering: t.customOrdering })), tables);
  Object.defineProperty(tables, 'otherTypes', { value: other });
  const misc = [
    ...(sections.Procedures ?? []).map(() => 'Procedure'),
    ...(sections.Views ?? []).map(() => 'View'),
  ];
  const defaults = (sections.Tables ?? []).flatMap(t => t.defaultValues.map(() => 'ColumnDefaultValue'));
  return {
    tables,
    types,
    reducers,
    misc_exports: [...defaults, ...misc],
    row_level_security: (sections.RowLevelSecurity ?? []).map(r => r.sql),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison

function diff(a, b, at, out) {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push({ at: `${at}.length`, a: a.length, b: b.length });
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const key = a[i] && typeof a[i] === 'object' && 'name' in a[i] ? `[${i}:${a[i].name}]` : `[${i}]`;
      diff(a[i], b[i], `${at}${key}`, out);
    }
    for (let i = b.length; i < a.length; i++) out.push({ at: `${at}[${i}]`, a: a[i], b: undefined });
    for (let i = a.length; i < b.length; i++) out.push({ at: `${at}[${i}]`, a: undefined, b: b[i] });
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${at}.${k}`, out);
    return out;
  }
  if (a !== b) out.push({ at, a, b });
  return out;
}

function emit(o) {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd !== 'describe' && cmd !== 'check' && cmd !== 'behave')
    fail(2, 'usage: check-module.mjs describe | behave | check [--schema-json FILE]... [--server URL --database NAME]...');

  const described = await describeModule();
  let moduleDef;
  try {
    moduleDef = normalizeV10(described.v10);
  } catch (e) {
    fail(1, `MISMATCH module: ${e.message}`);
  }
  emit({ event: 'described', library: described.libVersion, bytes: described.bytes, tables: moduleDef.tables.length, reducers: moduleDef.reducers.length });
  emit({ event: 'note', what: 'named types not used as a table row (not compared)', module: moduleDef.tables.otherTypes.map(t => t.name) });
  if (cmd === 'describe') {
    emit({ event: 'definition', definition: moduleDef });
    return;
  }
  if (cmd === 'behave') {
    emit({ event: 'behaviour', ...(await behave(described.v10)) });
    return;
  }

  const targets = [];
  for (let i = 0; i < rest.length; i++) {
    const opt = rest[i];
    const value = rest[++i];
    if (value === undefined) fail(2, `${opt} needs a value`);
    if (opt === '--schema-json') targets.push({ label: `schema.json (${value})`, load: async () => JSON.parse(fs.readFileSync(value, 'utf8')) });
    else if (opt === '--server') targets.push({ label: `server ${value}`, server: value });
    else if (opt === '--database') {
      const t = targets.at(-1);
      if (!t?.server) fail(2, '--database must follow --server');
      t.database = value;
      t.label += ` database ${value}`;
      const url = `${t.server.replace(/\/$/, '')}/v1/database/${encodeURIComponent(value)}/schema?version=9`;
      t.load = async () => {
        const r = await fetch(url, { signal: AbortSignal.timeout(15000) });
        if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
        return r.json();
      };
    } else fail(2, `unknown option ${opt}`);
  }
  if (targets.length === 0) fail(2, 'check: nothing to compare with (--schema-json or --server/--database)');

  let mismatches = 0;
  for (const t of targets) {
    if (!t.load) fail(2, `${t.label}: --server needs --database`);
    let normalized;
    try {
      normalized = normalizeV9Json(await t.load(), t.label);
    } catch (e) {
      fail(2, `${t.label}: ${e.message}`);
    }
    const found = diff(moduleDef, normalized, 'definition', []);
    for (const d of found)
      process.stderr.write(`MISMATCH ${d.at}: module=${JSON.stringify(d.a)} ${t.label}=${JSON.stringify(d.b)}\n`);
    mismatches += found.length;
    emit({ event: 'compared', with: t.label, mismatches: found.length, other_types: normalized.tables.otherTypes.map(x => x.name) });
  }
  emit({ event: 'done', mismatches });
  process.exit(mismatches === 0 ? 0 : 1);
}

main().catch(e => fail(2, `check-module: ${e.stack ?? e}`));
