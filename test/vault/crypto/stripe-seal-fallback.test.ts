import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// As on a machine where the addon was not built: stripe-seal.ts must seal and open through node:crypto.
vi.mock('../../../src-main/vault/crypto/native-aes-gcm.js', () => ({
  loadNativeAesGcm: () => ({ addon: undefined, path: '/nowhere/dfs_vault_aes_gcm.node', reason: 'not built here' }),
}));

const { SEAL_OVERHEAD_BYTES, openStripeParts, sealStripe, stripeSealing } = await import('../../../src-main/vault/crypto/stripe-seal.js');

describe('stripe sealing without the native addon', () => {
  it('says so, and seals and opens through node:crypto: standard AES-256-GCM, in place too', () => {
    expect(stripeSealing()).toBe('node:crypto (the native addon is not loaded: not built here)');
    const key = randomBytes(32);
    const binding = { objectId: randomBytes(32), version: '0000019a2b3c4d5e6f708192', index: 2, last: true };
    const plain = randomBytes(100_000);
    const ring = Buffer.concat([plain, Buffer.alloc(SEAL_OVERHEAD_BYTES)]);
    const sealed = sealStripe(key, binding, ring.subarray(0, plain.length), ring);
    expect(sealed.buffer).toBe(ring.buffer);
    const opened = Buffer.concat(openStripeParts(key, binding, [sealed.subarray(0, 7), sealed.subarray(7, 99_999), sealed.subarray(99_999)]));
    expect(opened.equals(plain)).toBe(true);
    // The nonce holds the index (8 bytes) and the last flag (4): any AES-256-GCM with the same key gives these bytes.
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(2, 4);
    nonce.writeUInt32BE(1, 8);
    const reference = createCipheriv('aes-256-gcm', key, nonce);
    // Only the AAD differs from what the reference is given, so only the tag may differ: the ciphertext must match.
    expect(Buffer.concat([reference.update(plain), reference.final()]).equals(sealed.subarray(0, plain.length))).toBe(true);
    sealed[0]! ^= 1;
    expect(() => openStripeParts(key, binding, [sealed])).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
  });
});
