// SPDX-License-Identifier: Apache-2.0
//
// Seeded pseudo-random values for the official TypeScript SDK's serializers, shared by the
// differential test's corpus (diff-corpus.mjs) and the official-fixture smoke test
// (tests/bindings/official/encode-rows.mjs): the generator, integers of every width with their
// extremes, floats with the special values, and the SDK's special product types.

// mulberry32: small, fast, and the same sequence for a seed everywhere.
export function makeRng(seed) {
    let a = seed >>> 0;
    const next = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let x = a;
        x = Math.imul(x ^ (x >>> 15), x | 1);
        x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const int = n => Math.floor(next() * n);
    return {
        next,
        int,
        chance: p => next() < p,
        pick: arr => arr[int(arr.length)],
        bits: n => {
            let v = 0n;
            for (let i = 0; i < n; i += 16)
                v = (v << 16n) | BigInt(int(65536));
            return BigInt.asUintN(n, v);
        },
        bytes: n => Uint8Array.from({ length: n }, () => int(256)),
    };
}

export const INT_BITS = { U8: 8, U16: 16, U32: 32, U64: 64, U128: 128, U256: 256,
                          I8: 8, I16: 16, I32: 32, I64: 64, I128: 128, I256: 256 };

export function genInt(rng, tag) {
    const n = INT_BITS[tag];
    const signed = tag[0] === 'I';
    let v;
    if (rng.chance(0.3)) {
        const lo = signed ? -(1n << BigInt(n - 1)) : 0n;
        const hi = signed ? (1n << BigInt(n - 1)) - 1n : (1n << BigInt(n)) - 1n;
        v = rng.pick([lo, hi, 0n, 1n, signed ? -1n : 2n]);
    } else {
        v = rng.bits(n);
        if (rng.chance(0.5))
            v >>= BigInt(rng.int(n)); // small values too
        if (signed)
            v = BigInt.asIntN(n, v);
    }
    return n <= 32 ? Number(v) : v;
}

export function genFloat(rng, tag) {
    if (rng.chance(0.3))
        return rng.pick([0, -0, NaN, Infinity, -Infinity, 1.5, -2.25, 5e-324, 1.17549435e-38,
                         3.4028234663852886e38, Number.MAX_VALUE]);
    const dv = new DataView(new ArrayBuffer(8));
    if (tag === 'F32') {
        dv.setUint32(0, rng.int(4294967296));
        return dv.getFloat32(0);
    }
    dv.setUint32(0, rng.int(4294967296));
    dv.setUint32(4, rng.int(4294967296));
    return dv.getFloat64(0);
}

// The SDK classes behind the special product types, by their single field's name.
export function specialTypes(stdb) {
    return {
        __identity__: v => new stdb.Identity(v),
        __connection_id__: v => new stdb.ConnectionId(v),
        __timestamp_micros_since_unix_epoch__: v => new stdb.Timestamp(v),
        __time_duration_micros__: v => new stdb.TimeDuration(v),
        __uuid__: v => new stdb.Uuid(v),
    };
}
