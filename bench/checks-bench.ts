/**
 * Measures the chunk checks of PUT on 2 + 2 stripes of 1 MiB: every chunk's CRC read, against parity 0's
 * derived from the data chunks' (a script, not a test: timings vary by machine).
 * Run: npm run build && node dist/bench/checks-bench.js (like seal-bench.js)
 */
import { randomBytes } from 'node:crypto';
import { median } from './bench-stats.js';
import { createErasureCodec } from '../src-main/vault/erasure/reed-solomon.js';
import { chunkCheck, stripeChecks } from '../src-main/vault/stripe-codec.js';
import { DEFAULT_STRIPE_BYTES, stripeLayout } from '../src-main/vault/stripe-layout.js';

const K = 2;
const STRIPES = 256;
const chunkBytes = stripeLayout(DEFAULT_STRIPE_BYTES, DEFAULT_STRIPE_BYTES, K).fullChunkBytes;
const data = Array.from({ length: K }, () => randomBytes(chunkBytes));
const chunks = [...data, ...createErasureCodec(K, 2).encode(data).map((parity) => Buffer.from(parity))];

const ways: Record<string, (stripe: number) => unknown> = {
  'every chunk read': (stripe) => chunks.map((chunk, piece) => chunkCheck(chunk, stripe, piece)),
  'parity 0 derived': (stripe) => stripeChecks(chunks, stripe, K),
};
const times: Record<string, number[]> = {};
// Alternating rounds, so a busy moment on a shared machine hits both ways alike.
for (let round = 0; round < 9; round++) {
  for (const [name, check] of Object.entries(ways)) {
    const start = process.hrtime.bigint();
    for (let stripe = 0; stripe < STRIPES; stripe++) check(stripe);
    (times[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const mib = (STRIPES * DEFAULT_STRIPE_BYTES) / 2 ** 20;
for (const [name, list] of Object.entries(times)) console.log(`${name.padEnd(18)} ${median(list).toFixed(0).padStart(5)} ms per ${mib} MiB of file (median of 9)`);
