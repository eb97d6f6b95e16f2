import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { VaultError } from '../../shared/errors.js';
import { normalizeVaultPath } from '../vault-path.js';
import { assertKey } from './key-hierarchy.js';

/**
 * Deterministic path encryption (SIV-style over AES-256-GCM): the IV is a keyed hash of the path, so the
 * same path always gives the same stored name and a client can find an object without listing.
 * Trade-off: determinism reveals when two stored names are equal, but nodes already see that through
 * equal object ids, which the design accepts; different paths give unrelated ciphertexts. Names are
 * padded to 32-byte buckets, so nodes learn only a path's rough length. A 96-bit synthetic IV keeps
 * the chance of two different paths sharing an IV negligible (birthday bound ≈ 2^48 names).
 */

/** Length in bytes of an object id. */
export const OBJECT_ID_BYTES = 32;

/** Largest encrypted name in bytes (a 1024-byte path): 1 + 12 + 1024 + 16. */
export const MAX_SEALED_PATH_BYTES = 1053;

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PAD_BLOCK = 32;
const AAD = Buffer.from('dfs-vault name v1');
const MIN_SEALED_BYTES = 1 + IV_BYTES + PAD_BLOCK + TAG_BYTES;

/** The object id a node sees for a path: HMAC-SHA256 of the normalized path. */
export function objectIdFor(objectIdKey: Buffer, path: string): Buffer {
  assertKey(objectIdKey, 'compute an object id');
  return createHmac('sha256', objectIdKey).update(normalizeVaultPath(path, { allowRoot: true }), 'utf8').digest();
}

/** Encrypts a path deterministically: version(1) ‖ synthetic IV(12) ‖ padded ciphertext ‖ tag(16). */
export function encryptPath(nameKey: Buffer, path: string): Buffer {
  assertKey(nameKey, 'encrypt a name');
  const plain = Buffer.from(normalizeVaultPath(path, { allowRoot: true }), 'utf8');
  const { ivKey, encKey } = subkeys(nameKey);
  const iv = syntheticIv(ivKey, plain);
  const cipher = createCipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  // Paths never contain NUL (normalizeVaultPath refuses control characters), so zero padding is unambiguous.
  const padded = Buffer.alloc(paddedLength(plain.length));
  plain.copy(padded);
  return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.update(padded), cipher.final(), cipher.getAuthTag()]);
}

/** Decrypts a name sealed by encryptPath; any alteration, or another vault's key, is refused. */
export function decryptPath(nameKey: Buffer, sealed: Uint8Array): string {
  assertKey(nameKey, 'decrypt a name');
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < 1 || buf[0] !== FORMAT_VERSION) {
    throw new VaultError('UNSUPPORTED', 'A stored name uses an encryption format this DFS Vault does not know; update DFS Vault.');
  }
  const bodyBytes = buf.length - 1 - IV_BYTES - TAG_BYTES;
  if (buf.length < MIN_SEALED_BYTES || buf.length > MAX_SEALED_PATH_BYTES || bodyBytes % PAD_BLOCK !== 0) {
    throw damaged();
  }
  const { ivKey, encKey } = subkeys(nameKey);
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(AAD);
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  const padded = decipher.update(buf.subarray(1 + IV_BYTES, buf.length - TAG_BYTES));
  try {
    decipher.final();
  } catch (cause) {
    throw damaged(cause);
  }
  const end = padded.indexOf(0);
  const plain = end < 0 ? padded : padded.subarray(0, end);
  // Only the one canonical encoding of a path is accepted: its IV, its padding, a normalized path.
  const canonical =
    paddedLength(plain.length) === padded.length &&
    padded.subarray(plain.length).every((byte) => byte === 0) &&
    timingSafeEqual(syntheticIv(ivKey, plain), iv);
  const path = plain.toString('utf8');
  if (!canonical || !isNormalized(path)) throw damaged();
  return path;
}

function isNormalized(path: string): boolean {
  try {
    return Buffer.from(path, 'utf8').toString('utf8') === path && normalizeVaultPath(path, { allowRoot: true }) === path;
  } catch {
    return false;
  }
}

function damaged(cause?: unknown): VaultError {
  return new VaultError('PROTOCOL', 'A stored name failed its integrity check: it was altered or belongs to another vault. Run a check on the vault.', { cause });
}

function paddedLength(bytes: number): number {
  return Math.max(PAD_BLOCK, Math.ceil(bytes / PAD_BLOCK) * PAD_BLOCK);
}

function syntheticIv(ivKey: Buffer, plain: Buffer): Buffer {
  return createHmac('sha256', ivKey).update(plain).digest().subarray(0, IV_BYTES);
}

// Separate keys for the IV's HMAC and for AES, so one key never serves two primitives.
function subkeys(nameKey: Buffer): { ivKey: Buffer; encKey: Buffer } {
  const none = Buffer.alloc(0);
  return {
    ivKey: Buffer.from(hkdfSync('sha256', nameKey, none, 'dfs-vault v1 name iv', 32)),
    encKey: Buffer.from(hkdfSync('sha256', nameKey, none, 'dfs-vault v1 name enc', 32)),
  };
}
