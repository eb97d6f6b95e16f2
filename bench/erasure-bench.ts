// Throughput of the k=2, m=2 erasure code on 1 MiB stripes; run with `npx tsx bench/erasure-bench.ts`.
// MB/s counts data bytes (the 1 MiB stripe), not parity, for both encode and decode. encode allocates its
// parity shards; encodeInto, the path of a PUT, writes into buffers it is given, so it shows the coding alone.
import { randomBytes } from 'node:crypto';
import { createErasureCodec } from '../src-main/vault/erasure/reed-solomon.js';

const K = 2;
const M = 2;
const STRIPE = 1024 * 1024;
const SECONDS = 2;

const codec = createErasureCodec(K, M);
const stripe = randomBytes(STRIPE);
const shardLen = STRIPE / K;
const data = Array.from({ length: K }, (_, i) => stripe.subarray(i * shardLen, (i + 1) * shardLen));
const parity = codec.encode(data);
// Both data shards lost: the worst case for k=2, decoding from the two parity shards alone.
const degraded = [null, null, ...parity];
const parityOut = parity.map((shard) => new Uint8Array(shard.length));

/** Runs fn repeatedly for about SECONDS after a warm-up and returns data MB/s. */
function measure(fn: () => void): number {
  for (let i = 0; i < 50; i++) fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < SECONDS * 1e9) {
    for (let i = 0; i < 20; i++) fn();
    iterations += 20;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return (iterations * STRIPE) / (elapsed / 1e9) / 1e6;
}

const check = codec.reconstructData(degraded);
if (!check.every((shard, i) => Buffer.compare(shard, data[i]!) === 0)) throw new Error('decode mismatch');

const encodeRate = measure(() => codec.encode(data));
const encodeIntoRate = measure(() => codec.encodeInto(data, parityOut));
const decodeRate = measure(() => codec.reconstructData(degraded));
console.log(`k=${K} m=${M}, ${STRIPE / 1024} KiB stripes (${shardLen / 1024} KiB shards)`);
console.log(`encode:                      ${encodeRate.toFixed(0)} MB/s of data`);
console.log(`encodeInto:                  ${encodeIntoRate.toFixed(0)} MB/s of data`);
console.log(`decode, 2 data shards lost:  ${decodeRate.toFixed(0)} MB/s of data`);
