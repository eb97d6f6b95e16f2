/**
 * Measures stripe seal/open throughput on 1 MiB stripes (a script, not a test: timings vary by machine).
 * Run: npm run build && node dist/bench/seal-bench.js (like erasure-bench.js)
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { contentKey, fileKey } from '../src-main/vault/crypto/key-hierarchy.js';
import { ENGINE_VARIABLE, type NativeAesGcm, loadNativeAesGcm } from '../src-main/vault/crypto/native-aes-gcm.js';
import { type StripeBinding, nativeSealer, openNatively, openStripe, openWithNodeCrypto, sealNatively, sealStripe, sealWithNodeCrypto, stripeSealing } from '../src-main/vault/crypto/stripe-seal.js';

const STRIPE = 1024 * 1024;
const ROUNDS = 512;
const objectId = randomBytes(32);
const version = '0000019a2b3c4d5e6f708192';
const key = fileKey(contentKey(randomBytes(32)), objectId, version);
/** Stripe `index` of the one file version measured. */
const at = (index: number): StripeBinding => ({ objectId, version, index, last: false });
const plaintext = randomBytes(STRIPE);
const sealed = Array.from({ length: 8 }, (_, index) => sealStripe(key, at(index), plaintext));

function measure(label: string, run: (i: number) => void): void {
  for (let i = 0; i < 16; i++) run(i % 8); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) run(i % 8);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(48)} ${((ROUNDS * STRIPE) / 1e6 / seconds).toFixed(0).padStart(6)} MB/s`);
}

const addon = nativeSealer();
console.log(`stripes are sealed and opened with ${stripeSealing()}`);
// Where the addon runs its VAES code, the same addon again with OpenSSL's, to compare the two engines.
const openSsl = addon?.engine === 'vaes-avx512' ? openSslEngine() : undefined;

/** The addon loaded once more with ENGINE_VARIABLE=openssl, which it reads when it loads (native/aes-gcm/aes_gcm.c). */
function openSslEngine(): NativeAesGcm | undefined {
  process.env[ENGINE_VARIABLE] = 'openssl';
  try {
    return loadNativeAesGcm().addon;
  } finally {
    delete process.env[ENGINE_VARIABLE];
  }
}

// Two passes: the first also pays for the allocator growing its heap (fresh pages fault in, costly in a VM).
for (const pass of [1, 2]) {
  console.log(`pass ${pass}`);
  measure('raw GCM, one 1 MiB update (ref.)', () => {
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    c.update(plaintext);
    c.final();
  });
  measure('sealStripe 1 MiB', (i) => sealStripe(key, at(i), plaintext));
  // What a PUT does: each stripe sealed where it was read, in a ring of stripe buffers.
  const ring = Array.from({ length: 3 }, () => Buffer.concat([randomBytes(STRIPE), Buffer.alloc(16)]));
  measure('seal in place, node:crypto', (i) => sealWithNodeCrypto(key, at(i), ring[i % 3]!.subarray(0, STRIPE), ring[i % 3]!));
  if (addon) {
    measure(`seal in place, native (${addon.engine ?? 'openssl'})`, (i) => sealNatively(addon, key, at(i), ring[i % 3]!.subarray(0, STRIPE), ring[i % 3]!));
  }
  if (openSsl) {
    measure('seal in place, native (openssl)', (i) => sealNatively(openSsl, key, at(i), ring[i % 3]!.subarray(0, STRIPE), ring[i % 3]!));
  }
  // What a GET does: each stripe opened from the 64 KiB slices it arrived in.
  const slices = sealed.map((stripe) => Array.from({ length: Math.ceil(stripe.length / 65536) }, (_, i) => stripe.subarray(i * 65536, (i + 1) * 65536)));
  measure('open from 64 KiB slices, node:crypto', (i) => openWithNodeCrypto(key, at(i), slices[i]!));
  if (addon) {
    measure(`open from 64 KiB slices, native (${addon.engine ?? 'openssl'})`, (i) => openNatively(addon, key, at(i), slices[i]!));
  }
  if (openSsl) {
    measure('open from 64 KiB slices, native (openssl)', (i) => openNatively(openSsl, key, at(i), slices[i]!));
  }
  measure('openStripe 1 MiB', (i) => openStripe(key, at(i), sealed[i]!));
  measure('memcpy 1 MiB (Buffer.from)', () => Buffer.from(plaintext));
}
