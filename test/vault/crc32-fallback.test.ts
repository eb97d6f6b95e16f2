import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';

// As on a machine where `npm run build` could not build the addon.
vi.mock('../../src-main/vault/native-addon.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src-main/vault/native-addon.js')>()),
  loadAddon: (path: string) => ({ addon: undefined, path, reason: 'not built here' }),
}));
const { crc32, crc32Implementation } = await import('../../src-main/vault/crc32.js');
const { chunkCheck } = await import('../../src-main/vault/stripe-codec.js');

describe('CRC-32 without the native addon', () => {
  it('says zlib computes the checks, and why, and gives zlib\'s values (an empty chunk included)', () => {
    expect(crc32Implementation()).toBe('zlib (the native addon is not loaded: not built here)');
    const data = randomBytes(100_000);
    expect(crc32(data, 5)).toBe(zlibCrc32(data, 5));
    expect(crc32(new Uint8Array(0), 5)).toBe(5);
    expect(chunkCheck([data.subarray(0, 10), data.subarray(10)], 3, 1)).toEqual(chunkCheck(data, 3, 1));
  });
});
