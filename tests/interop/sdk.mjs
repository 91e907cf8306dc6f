// SPDX-License-Identifier: Apache-2.0
// Loads the official SpacetimeDB TypeScript SDK (npm `spacetimedb`, pinned in package.json) for
// our interop tests, benchmarks and tools. No SDK code is copied here; we only import it.
//
//   const { stdb, api } = await loadSdk();
//
// * `stdb` is the package's public entry point (`import * as stdb from 'spacetimedb'`, i.e.
//   dist/index.mjs): BinaryWriter, BinaryReader, AlgebraicType, ProductType, SumType, `t` (type
//   builders), Identity, ConnectionId, Timestamp, TimeDuration, ScheduleAt, DbConnectionBuilder,
//   DbConnectionImpl, schema, table, reducers, reducerSchema, procedures, procedureSchema, …
// * `api` holds the SDK's own v2 WebSocket message types (ClientMessage, ServerMessage,
//   BsatnRowList, RowSizeHint, QueryRows, TransactionUpdate, ReducerOutcome, ProcedureStatus, …),
//   and the SDK's WebsocketDecompressAdapter (how it strips the compression tag of a frame).
//   They are exported by the package's generated module src/sdk/client_api/types.ts, which the
//   package ships as TypeScript source but does not expose through its `exports` map (the dist
//   bundles keep them private). We compile that shipped module with esbuild (output cached in
//   node_modules/.cache/stdb-interop/) and import the result, so we call exactly the SDK's
//   definitions: `api.ServerMessage.serialize(writer,
//   value)` / `api.ServerMessage.deserialize(reader)` are the SDK's own (de)serializers. Use
//   them with `api.BinaryWriter` / `api.BinaryReader` (compiled from the same sources), e.g.
//   `encodeWith(api, api.ServerMessage, value)`.
//
// The package's runtime DbConnection (dist) uses the same generated types; gen-vectors.mjs
// checks that by capturing what a real DbConnectionImpl sends (see fake-socket.mjs).

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const SDK_VERSION = '2.10.1';

function packageDir() {
    // package.json is not in the package's exports map; resolve the main entry and walk up.
    let dir = path.dirname(require.resolve('spacetimedb'));
    while (path.basename(dir) !== 'spacetimedb') {
        if (path.dirname(dir) === dir)
            throw new Error('cannot locate the spacetimedb package directory');
        dir = path.dirname(dir);
    }
    return dir;
}

let cached;

export async function loadSdk() {
    if (cached)
        return cached;
    const dir = packageDir();
    const pkg = JSON.parse(
        await (await import('node:fs/promises')).readFile(path.join(dir, 'package.json'), 'utf8'));
    if (pkg.version !== SDK_VERSION)
        throw new Error(`spacetimedb ${pkg.version} installed in ${dir}, expected ${SDK_VERSION}; ` +
                        'run scripts/npm-setup.sh');

    const stdb = await import('spacetimedb');

    const esbuild = await import('esbuild');
    const built = await esbuild.build({
        stdin: {
            // The reader/writer classes come along: the compiled serializers need their own
            // copies (BinaryReader keeps private fields, so dist readers are not accepted).
            contents: "export * from './src/sdk/client_api/types.ts';\n" +
                      "export { default as BinaryReader } from './src/lib/binary_reader.ts';\n" +
                      "export { default as BinaryWriter } from './src/lib/binary_writer.ts';\n" +
                      // The SDK's inbound frame handling (compression tag + decompression).
                      "export { WebsocketDecompressAdapter } from " +
                      "'./src/sdk/websocket_decompress_adapter.ts';\n",
            resolveDir: dir,
            loader: 'ts',
            sourcefile: 'stdb-interop-client-api.ts',
        },
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        write: false,
        logLevel: 'error',
    });
    // Written to a file (not a data: URL) so stack traces point at readable code.
    const fs = await import('node:fs/promises');
    const cacheDir = path.join(here, 'node_modules', '.cache', 'stdb-interop');
    await fs.mkdir(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `client_api-${SDK_VERSION}.mjs`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, built.outputFiles[0].text);
    await fs.rename(tmp, file);
    const api = await import(pathToFileURL(file).href);
    for (const name of ['ClientMessage', 'ServerMessage', 'BsatnRowList', 'RowSizeHint'])
        if (!api[name] || typeof api[name].serialize !== 'function')
            throw new Error(`spacetimedb client_api module has no ${name} type builder`);

    cached = { stdb, api, packageDir: dir, interopDir: here };
    return cached;
}

// Encodes `value` with a type builder (anything with `serialize(writer, value)`), returns bytes.
// `io` supplies the BinaryWriter/BinaryReader classes: `stdb` for builders made with the public
// `stdb.t`, `api` for the message types.
export function encodeWith(io, builder, value) {
    const w = new io.BinaryWriter(64);
    builder.serialize(w, value);
    return w.getBuffer().slice();
}

// Decodes one value with a type builder; throws unless the bytes are consumed exactly.
export function decodeWith(io, builder, bytes) {
    const r = new io.BinaryReader(bytes);
    const v = builder.deserialize(r);
    if (r.remaining !== 0)
        throw new Error(`${r.remaining} trailing byte(s) after decoding`);
    return v;
}

export function toHex(bytes) {
    return Buffer.from(bytes).toString('hex');
}

export function fromHex(hex) {
    return new Uint8Array(Buffer.from(hex, 'hex'));
}
