// The benchmark's stand-in for encryption: the same stripe layout as AES-GCM (a 16-byte tag, here
// zeros), with the plaintext left as it is. The bench runs the vault client with it beside the real
// one, so "what encryption costs" is measured in the same run. Only bench/ code imports this module;
// a test checks that nothing under src-main or servers does.
import { SEAL_OVERHEAD_BYTES, type StripeBinding, type StripeSealer } from '../src-main/vault/crypto/stripe-seal.js';

function seal(_key: Buffer, _binding: StripeBinding, plaintext: Uint8Array, out?: Buffer): Buffer {
  const sealed = out ? out.subarray(0, plaintext.length + SEAL_OVERHEAD_BYTES) : Buffer.allocUnsafe(plaintext.length + SEAL_OVERHEAD_BYTES);
  // Sealing in place (the vault's PUT does) leaves the bytes where they are, as AES-GCM would overwrite them.
  if (sealed.buffer !== plaintext.buffer || sealed.byteOffset !== plaintext.byteOffset) sealed.set(plaintext);
  sealed.fill(0, plaintext.length);
  return sealed;
}

function openParts(_key: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[]): Buffer[] {
  let body = sealed.reduce((sum, part) => sum + part.length, 0) - SEAL_OVERHEAD_BYTES;
  if (body < 0) throw new Error(`Stripe ${binding.index} is shorter than its tag.`);
  const out: Buffer[] = [];
  for (const part of sealed) {
    const take = Math.min(body, part.length);
    if (take > 0) out.push(Buffer.from(part.buffer, part.byteOffset, take));
    body -= take;
  }
  return out;
}

/**
 * Stripes stored in clear with a zero tag: the bench's "without encryption" run, never the vault's. It
 * does not authenticate, so readers check every chunk's CRC first, as a vault without encryption must to
 * keep damaged pieces out of the output: the checks the seal makes redundant count as saved by encryption.
 */
export const PLAINTEXT_STRIPES: StripeSealer = { authenticates: false, seal, openParts };
