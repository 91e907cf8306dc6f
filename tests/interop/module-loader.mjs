// SPDX-License-Identifier: Apache-2.0
//
// Loads a SpacetimeDB TypeScript module the way SpacetimeDB's JavaScript host does
// (crates/core/src/host/v8/syscall/v2.rs), without a server, and returns its module definition.
// Shared by tests/module/check-module.mjs (our module/) and tests/bindings/fixtures/derive.mjs
// (the official repository's modules/*-ts).
//
// The module is bundled with esbuild as `spacetime build` bundles it
// (crates/cli/src/tasks/javascript.rs), with the host's `spacetime:sys@X` imports replaced by
// stubs built from the library's own declarations (src/server/sys.d.ts). Its default export's
// moduleHooks function is called with the module's exports, and `__describe_module__()` returns
// the BSATN of a RawModuleDef, decoded with the library's RawModuleDef type.
//
// A stubbed syscall is answered by `globalThis.__stdbFakeSys[name]` when a caller installed one
// (check-module.mjs `behave` does, with an in-memory datastore), and otherwise throws: describing
// a module must not need any.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const interopDir = path.dirname(fileURLToPath(import.meta.url));

// Thrown for anything that stops a module from being described at all (missing npm packages, a
// library without the expected declarations, a module without hooks).
export class LoaderError extends Error {}

// SpacetimeDB's V8 has explicit resource management and the ES2025 Set methods; Node before 22
// lacks the Set methods (the library's index code uses isSubsetOf), and Node 18 before 18.18 the
// `Symbol.dispose` that esbuild's lowering of `using` looks for.
export function installHostBuiltins() {
  if (typeof Symbol.dispose !== 'symbol')
    Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('Symbol.dispose') });
  if (typeof Set.prototype.isSubsetOf !== 'function') {
    Object.defineProperty(Set.prototype, 'isSubsetOf', {
      value(other) {
        for (const v of this) if (!other.has(v)) return false;
        return true;
      },
      configurable: true,
      writable: true,
    });
  }
}

// The library at `libDir` (a node_modules/spacetimedb): its version and the stub source of each
// spacetime:sys module it declares.
export function openLibrary(libDir) {
  if (!fs.existsSync(path.join(libDir, 'package.json')))
    throw new LoaderError(`${libDir} is missing: run scripts/npm-setup.sh first`);
  const version = JSON.parse(fs.readFileSync(path.join(libDir, 'package.json'), 'utf8')).version;
  const sysDecl = fs.readFileSync(path.join(libDir, 'src', 'server', 'sys.d.ts'), 'utf8');
  const sysModules = new Map();
  for (const m of sysDecl.matchAll(/declare module '(spacetime:sys@[0-9.]+)' \{([\s\S]*?)\n\}/g)) {
    let src = '';
    if (/export const moduleHooks/.test(m[2]))
      src += `export const moduleHooks = Symbol.for('SpacetimeDB.moduleHooks.v2');\n`;
    for (const f of m[2].matchAll(/export function (\w+)/g))
      src += `export function ${f[1]}(...args) { const f = globalThis.__stdbFakeSys?.${f[1]}; if (!f) throw new Error('${m[1]}: ${f[1]}() called without a datastore'); return f(...args); }\n`;
    sysModules.set(m[1], src);
  }
  if (!sysModules.has('spacetime:sys@2.0'))
    throw new LoaderError(`${libDir}/src/server/sys.d.ts declares no spacetime:sys@2.0 module`);
  return { dir: libDir, version, sysModules };
}

function loadEsbuild() {
  try {
    return createRequire(path.join(interopDir, 'package.json'))('esbuild');
  } catch (e) {
    throw new LoaderError(`esbuild (tests/interop) is missing: run scripts/npm-setup.sh first (${e.message})`);
  }
}

// Bundles and loads the module in `moduleDir` (its src/index.ts) against `library`
// (openLibrary's result). `buildOptions` are merged into esbuild's options (tsconfig, nodePaths);
// the bundle is written under `cacheDir` only for as long as it takes to import it.
// Returns { hooks, bytes, def } with def the decoded RawModuleDef::V10 value, and the library's
// RawModuleDef type for callers that walk the definition by its type.
export async function describeModule({ library, moduleDir, cacheDir, buildOptions = {} }) {
  installHostBuiltins();
  const esbuild = loadEsbuild();
  const lib = library.dir;
  const entry = [
    `import * as moduleExports from ${JSON.stringify(path.join(moduleDir, 'src', 'index.ts'))};`,
    `export { moduleExports };`,
    `export { RawModuleDef } from ${JSON.stringify(path.join(lib, 'src', 'lib', 'autogen', 'types.ts'))};`,
    `export { default as BinaryReader } from ${JSON.stringify(path.join(lib, 'src', 'lib', 'binary_reader.ts'))};`,
  ].join('\n');
  const sysPlugin = {
    name: 'spacetime-sys-stub',
    setup(build) {
      build.onResolve({ filter: /^spacetime:sys@/ }, args =>
        library.sysModules.has(args.path)
          ? { path: args.path, namespace: 'spacetime-sys' }
          : { errors: [{ text: `the module imports ${args.path}, which the library does not declare` }] });
      build.onLoad({ filter: /.*/, namespace: 'spacetime-sys' }, args => ({
        contents: library.sysModules.get(args.path),
        loader: 'js',
      }));
    },
  };
  const built = await esbuild.build({
    stdin: { contents: entry, resolveDir: moduleDir, sourcefile: 'describe-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    // The library uses `using` declarations (V8 in the host has them, Node 20 does not).
    target: 'es2022',
    conditions: ['production', 'import', 'default'],
    mainFields: ['module', 'main'],
    resolveExtensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [sysPlugin],
    logLevel: 'silent',
    ...buildOptions,
  });
  fs.mkdirSync(cacheDir, { recursive: true });
  const bundle = path.join(cacheDir, `describe-${process.pid}-${path.basename(moduleDir)}.mjs`);
  fs.writeFileSync(bundle, built.outputFiles[0].contents);
  let loaded;
  try {
    loaded = await import(pathToFileURL(bundle).href);
  } finally {
    fs.rmSync(bundle, { force: true });
  }
  const { moduleExports, RawModuleDef, BinaryReader } = loaded;
  const hooksFn = moduleExports.default?.[Symbol.for('SpacetimeDB.moduleHooks.v2')];
  if (typeof hooksFn !== 'function')
    throw new LoaderError('the module has no default export with a moduleHooks function (export default schema(...))');
  const hooks = hooksFn.call(moduleExports.default, moduleExports);
  const bytes = hooks.__describe_module__();
  const reader = new BinaryReader(bytes);
  const def = RawModuleDef.deserialize(reader);
  if (reader.remaining !== 0)
    throw new LoaderError(`__describe_module__: ${reader.remaining} trailing byte(s) after the RawModuleDef`);
  if (def.tag !== 'V10')
    throw new LoaderError(`__describe_module__ returned RawModuleDef::${def.tag}; this reads V10`);
  return { hooks, bytes, def: def.value, RawModuleDef };
}
