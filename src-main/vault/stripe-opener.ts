import type { VersionState } from './catalog.js';
import { layoutOf } from './catalog.js';
import { createErasureCodec } from './erasure/reed-solomon.js';
import { BufferPool } from '../../servers/protocol/buffer-pool.js';
import type { Shards, StripeOpener } from './stripe-reader.js';
import { joinChunk, sealedStripe } from './stripe-codec.js';
import type { VaultCipher } from './vault-cipher.js';

/**
 * Opens one version's stripes from any k of their chunks: decodes the data chunks when a parity chunk
 * stands in for one, then opens the seal, which throws unless every byte is the version's own at that
 * place. Returns the plaintext as slices; data chunks as received are neither decoded nor copied. A seal
 * opened into new memory takes it from `buffers` when given.
 */
export function stripeOpener(cipher: VaultCipher, key: Buffer, version: VersionState, buffers?: BufferPool): StripeOpener<Buffer[]> {
  const { meta } = version;
  const layout = layoutOf(meta);
  const fileKey = cipher.fileKey(key, version.version);
  const codec = createErasureCodec(meta.k, meta.m);
  return (shards: Shards, index: number): Buffer[] => {
    const direct = shards.slice(0, meta.k);
    const data = direct.every((s) => s !== null) ? (direct as Buffer[][]) : codec.reconstructData(shards.map((s) => s && joinChunk(s)));
    const binding = { objectId: key, version: version.version, index, last: index === layout.stripeCount - 1 };
    return cipher.stripes.openParts(fileKey, binding, sealedStripe(data, layout, index), buffers);
  };
}

/**
 * Buffers to open `version`'s stripes into, `keep` of them reused: two for a download (one stripe opened while the
 * one before is written), one where the plaintext is dropped at once (check, repair).
 */
export function plaintextBuffers(version: VersionState, keep: number): BufferPool {
  return new BufferPool(Math.min(layoutOf(version.meta).stripeBytes, version.meta.size), keep);
}
