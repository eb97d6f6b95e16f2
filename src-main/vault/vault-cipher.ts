import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveVaultKeys, fileKey, metaKey } from './crypto/key-hierarchy.js';
import { objectIdFor } from './crypto/path-cipher.js';
import { AES_GCM_STRIPES, type StripeSealer } from './crypto/stripe-seal.js';
import { type ObjectMeta, decodeMeta, encodeMeta } from './object-meta.js';

const META_FORMAT = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const META_AAD_TAG = Buffer.from('dfs-vault meta v1\0');
// Metadata is padded to this many bytes, so its size tells a node only a path's rough length.
const META_PAD_BYTES = 64;

/**
 * What this vault's keys do for the client: map paths to the object ids nodes see, seal and open the
 * metadata stored beside each piece, and give each object version its content key. Built once per
 * login from the master key; nothing here ever reaches a node in clear.
 */
export class VaultCipher {
  private readonly contentKey: Buffer;
  private readonly objectIdKey: Buffer;
  private readonly metaKey: Buffer;

  /** Seals and opens file contents, stripe by stripe, under a fileKey. */
  readonly stripes: StripeSealer;

  constructor(masterKey: Buffer, stripes: StripeSealer = AES_GCM_STRIPES) {
    this.stripes = stripes;
    const keys = deriveVaultKeys(masterKey);
    this.contentKey = keys.contentKey;
    this.objectIdKey = keys.objectIdKey;
    this.metaKey = metaKey(masterKey);
  }

  /** The object id nodes store `path` under: a keyed hash, so nodes cannot test guesses of names. */
  objectId(path: string): Buffer {
    return objectIdFor(this.objectIdKey, path);
  }

  /** The key that seals the stripes of one object version. */
  fileKey(objectId: Buffer, version: string): Buffer {
    return fileKey(this.contentKey, objectId, version);
  }

  /** Seals one piece's metadata with AES-256-GCM, bound to its object id and version: format(1) ‖ nonce(12) ‖ ciphertext ‖ tag(16). */
  sealMeta(objectId: Buffer, version: string, meta: ObjectMeta): Buffer {
    const plain = encodeMeta(meta);
    // JSON ignores trailing spaces, so padding needs no length field.
    const padded = Buffer.alloc(Math.ceil(plain.length / META_PAD_BYTES) * META_PAD_BYTES, ' ');
    plain.copy(padded);
    // Random nonces: a version's key seals only its few pieces' blobs (and those of repairs), far below GCM's random-nonce limit.
    const nonce = randomBytes(NONCE_BYTES);
    const key = fileKey(this.metaKey, objectId, version);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(metaAad(objectId, version));
    const sealed = Buffer.concat([Buffer.of(META_FORMAT), nonce, cipher.update(padded), cipher.final(), cipher.getAuthTag()]);
    key.fill(0);
    return sealed;
  }

  /** Opens a piece's metadata; undefined when it was altered, moved from another object or version, or is not this vault's. */
  openMeta(objectId: Buffer, version: string, blob: Buffer): ObjectMeta | undefined {
    if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== META_FORMAT || objectId.length === 0 || objectId.length > 255) return undefined;
    const key = fileKey(this.metaKey, objectId, version);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(metaAad(objectId, version));
      decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(blob.subarray(1 + NONCE_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
      return decodeMeta(plain);
    } catch {
      return undefined;
    } finally {
      key.fill(0);
    }
  }
}

function metaAad(objectId: Buffer, version: string): Buffer {
  const versionBytes = Buffer.from(version, 'utf8');
  return Buffer.concat([META_AAD_TAG, Buffer.of(objectId.length), objectId, Buffer.of(versionBytes.length), versionBytes]);
}
