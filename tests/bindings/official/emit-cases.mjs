#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Writes the per-fixture part of the smoke test (tst_official_fixture.cpp): which table
// handles, reducer calls and procedure calls the generator produced for one module, as C++ that
// the generic test code visits. Read from the generated headers themselves, so the C++ names are
// exactly the generator's:
//
//   * a table handle: a header with `class X : public stdb::…`, `static constexpr char
//     kTableName[]`, `using Row = …` and `decodeRow(` (the test reads the rest through X);
//   * an argument struct: `// The arguments of reducer|procedure `WIRE`, in wire order.`
//     followed by `struct T {`;
//   * a call: in reducers.h `// Calls reducer `WIRE`.`, in procedures.h `// Calls procedure
//     `WIRE`; …`, each followed (after more comment lines) by the declaration
//     `stdb::Expected<quint32> method(PARAMS, <callback> = {});`, whose parameter names are the
//     argument struct's fields in wire order (the generator builds the call from them).
//
//   node emit-cases.mjs GENERATED_DIR NAMESPACE OUT.inc
//
// GENERATED_DIR/NAMESPACE holds the generator's output. OUT.inc is rewritten only when its
// content changes (no rebuild otherwise). Exit status 2 with a message when a header does not
// have the expected shape: the scanner and the generator disagree, which must not pass silently.

import fs from 'node:fs';
import path from 'node:path';

function fail(message) {
    process.stderr.write(`emit-cases: ${message}\n`);
    process.exit(2);
}

if (process.argv.length !== 5)
    fail('usage: node emit-cases.mjs GENERATED_DIR NAMESPACE OUT.inc');
const [, , generatedDir, ns, outPath] = process.argv;
const dir = path.join(generatedDir, ns);
if (!fs.existsSync(dir))
    fail(`${dir} does not exist (run the generator first)`);

const headers = fs.readdirSync(dir).filter(f => f.endsWith('.h')).sort();
const read = f => fs.readFileSync(path.join(dir, f), 'utf8');

// ---- table handles --------------------------------------------------------------------------

const tables = [];
for (const f of headers) {
    const text = read(f);
    if (!text.includes('static constexpr char kTableName[]'))
        continue;
    const cls = /^class (\w+) : public stdb::\w+ \{/m.exec(text);
    if (!cls || !/^\s+using Row = /m.test(text) || !/\bdecodeRow\(/.test(text))
        fail(`${f}: has kTableName but not the class / using Row / decodeRow of a table handle`);
    tables.push(cls[1]);
}

// ---- argument structs -------------------------------------------------------------------------

const argsTypes = { reducer: new Map(), procedure: new Map() };
for (const f of headers) {
    const text = read(f);
    const re = /^\/\/ The arguments of (reducer|procedure) `([^`]+)`, in wire order\.\n(?:\/\/.*\n)*struct (\w+) \{/gm;
    for (const m of text.matchAll(re))
        argsTypes[m[1]].set(m[2], m[3]);
}

// ---- calls ----------------------------------------------------------------------------------

// Splits a parameter list at the commas outside <>, () and {}.
function splitParams(text) {
    const out = [];
    let depth = 0;
    let cur = '';
    for (const c of text) {
        if ('<({'.includes(c))
            ++depth;
        else if ('>)}'.includes(c))
            --depth;
        if (c === ',' && depth === 0) {
            out.push(cur);
            cur = '';
        } else {
            cur += c;
        }
    }
    if (cur.trim())
        out.push(cur);
    return out.map(p => p.replace(/\s+/g, ' ').trim());
}

function calls(file, kind) {
    if (!headers.includes(file))
        return [];
    const text = read(file);
    const out = [];
    const re = kind === 'reducer' ? /^ {4}\/\/ Calls reducer `([^`]+)`\.\n/gm
                                  : /^ {4}\/\/ Calls procedure `([^`]+)`; it returns .*\n/gm;
    for (const m of text.matchAll(re)) {
        const rest = text.slice(m.index + m[0].length);
        const decl = /^(?: {4}\/\/.*\n)*\s*stdb::Expected<quint32> (\w+)\(([^;]*)\);/.exec(rest);
        if (!decl)
            fail(`${file}: no call declaration after the comment of ${kind} ${m[1]}`);
        const params = splitParams(decl[2]);
        const last = params.pop() ?? '';
        if (!/\bcallback = \{\}$/.test(last))
            fail(`${file}: the first ${decl[1]} declaration does not end in "callback = {}"`);
        const names = params.map(p => {
            const n = /(\w+)$/.exec(p);
            if (!n)
                fail(`${file}: cannot read the parameter name of "${p}" (${decl[1]})`);
            return n[1];
        });
        const args = argsTypes[kind].get(m[1]);
        if (!args)
            fail(`no argument struct for ${kind} ${m[1]} (no "The arguments of ${kind}" comment)`);
        out.push({ wire: m[1], method: decl[1], args, names });
    }
    return out;
}

const reducers = calls('reducers.h', 'reducer');
const procedures = calls('procedures.h', 'procedure');

// ---- output ---------------------------------------------------------------------------------

const q = s => JSON.stringify(s); // wire names are identifiers: a JSON string is a C++ literal
const lines = [
    `// Written by emit-cases.mjs from the bindings generated for namespace ${ns}. Do not edit.`,
    '',
    '#pragma once',
    '',
    ...(procedures.length ? [`#include "${ns}/procedures.h"`] : []),
    `#include "${ns}/module.h"`,
    `#include "${ns}/reducers.h"`,
    '',
    '// v.template table<Handle>() per table handle.',
    'template <typename V>',
    'void visitGeneratedTables([[maybe_unused]] V &v) {',
    ...tables.map(t => `    v.template table<${ns}::${t}>();`),
    '}',
    '',
    '// v.template call<Args>(kind, wire name, call) per reducer and procedure; the call takes',
    '// the module and the arguments and returns the typed method\'s request id.',
    'template <typename V>',
    'void visitGeneratedCalls([[maybe_unused]] V &v) {',
];
for (const [kind, list, accessor] of [['Reducer', reducers, 'reducers'],
                                      ['Procedure', procedures, 'procedures']])
    for (const c of list) {
        const a = c.names.map(n => `a.${n}`).join(', ');
        lines.push(`    v.template call<${ns}::${c.args}>(`,
                   `        CallKind::${kind}, ${q(c.wire)},`,
                   `        [](${ns}::Module *m, [[maybe_unused]] const ${ns}::${c.args} &a) {`,
                   `            return m->${accessor}()->${c.method}(${a});`,
                   '        });');
    }
lines.push('}', '');
const text = lines.join('\n');

if (!fs.existsSync(outPath) || fs.readFileSync(outPath, 'utf8') !== text) {
    fs.mkdirSync(path.dirname(outPath), { recursive: true });
    fs.writeFileSync(outPath, text);
}
process.stdout.write(`emit-cases: ${tables.length} table(s), ${reducers.length} reducer(s), ` +
                     `${procedures.length} procedure(s)\n`);
