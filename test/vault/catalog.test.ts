import { describe, expect, it } from 'vitest';
import { buildCatalog, readableVersion } from '../../src-main/vault/catalog.js';
import { type ObjectMeta, nextVersion } from '../../src-main/vault/object-meta.js';
import { stripeLayout } from '../../src-main/vault/stripe-layout.js';
import { VaultCipher } from '../../src-main/vault/vault-cipher.js';

const key = Buffer.alloc(32, 7);
const cipher = new VaultCipher(Buffer.alloc(32, 9));
const base: ObjectMeta = { kind: 'file', path: 'a.txt', size: 10, modified: 1, stripeBytes: 1024, k: 2, m: 2, piece: 0 };
const size = stripeLayout(10, 1024, 2).pieceBytes;
const item = (version: string, piece: number, meta: Partial<ObjectMeta> = {}, bytes = size) => ({ key, version, meta: cipher.sealMeta(key, version, { ...base, ...meta, piece }), size: bytes });

describe('catalog', () => {
  it('reads the newest version that has k pieces, ignoring a newer one with fewer', () => {
    const catalog = buildCatalog([[item('02', 0), item('03', 0)], [item('02', 1)], [item('02', 2)], undefined], cipher);
    const state = catalog.get(key.toString('hex'))!;
    expect(state.versions.map((v) => v.version)).toEqual(['03', '02']);
    expect(readableVersion(state)?.version).toBe('02');
    expect(readableVersion(state)?.holders.map((h) => h.node)).toEqual([0, 1, 2]);
  });

  it('counts a piece of the wrong size, unreadable metadata or conflicting metadata as missing', () => {
    const catalog = buildCatalog([
      [item('05', 0)],
      [item('05', 1, {}, size - 1)],
      [{ key, version: '05', meta: Buffer.from('garbage'), size }],
      [item('05', 3, { size: 11 })],
    ], cipher);
    expect(catalog.get(key.toString('hex'))!.versions[0]!.holders).toHaveLength(1);
  });

  it('takes the metadata most pieces agree on, so one damaged header does not hide a sound file', () => {
    const catalog = buildCatalog([[item('07', 0, { modified: 999 })], [item('07', 1)], [item('07', 2)], [item('07', 3)]], cipher);
    const version = readableVersion(catalog.get(key.toString('hex'))!)!;
    expect(version.meta.modified).toBe(1);
    expect(version.holders.map((h) => h.node)).toEqual([1, 2, 3]);
  });

  it('lets a tombstone on any node hide older versions, while a lone newer file version does not', () => {
    const deleted = buildCatalog([[item('09', 0, { kind: 'tombstone', size: 0 }, 0), item('08', 0)], [item('08', 1)], undefined, undefined], cipher);
    expect(readableVersion(deleted.get(key.toString('hex'))!)?.meta.kind).toBe('tombstone');
    const failedPut = buildCatalog([[item('09', 0), item('08', 0)], [item('08', 1)], undefined, undefined], cipher);
    expect(readableVersion(failedPut.get(key.toString('hex'))!)?.version).toBe('08');
  });

  it('orders versions numerically whatever their width', () => {
    const state = buildCatalog([[item('ff', 0), item('100', 0)]], cipher).get(key.toString('hex'))!;
    expect(state.versions.map((v) => v.version)).toEqual(['100', 'ff']);
  });

  it('makes new versions sort after every existing one, even from a slow clock', () => {
    const ahead = nextVersion([], Date.now() + 3_600_000);
    const next = nextVersion([ahead]);
    expect(BigInt(`0x${next}`)).toBeGreaterThan(BigInt(`0x${ahead}`));
    expect(next).toMatch(/^[0-9a-f]{24}$/);
  });

  it('never gives two writers starting from the same state the same version', () => {
    const ahead = nextVersion([], Date.now() + 60_000);
    const ids = new Set(Array.from({ length: 1000 }, () => nextVersion([ahead])));
    expect(ids.size).toBe(1000);
  });
});
