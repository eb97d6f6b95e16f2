import { hkdfSync } from 'node:crypto';
import { VaultError } from '../../shared/errors.js';

/** Length in bytes of the master key and of every key derived from it. */
export const KEY_BYTES = 32;

/** Length in bytes of a key check value. */
export const KEY_CHECK_BYTES = 16;

const MAX_VERSION_BYTES = 255;
const MAX_OBJECT_ID_BYTES = 255;

/** The master key's purpose-bound subkeys; each is used for one job only. */
export interface VaultKeys {
  contentKey: Buffer;
  objectIdKey: Buffer;
}

// HKDF-SHA256 without salt is sound here: the input key is already 256 uniformly random bits (RFC 5869 §3.1).
function derive(key: Buffer, info: Buffer | string, bytes = KEY_BYTES): Buffer {
  assertKey(key, 'derive a subkey');
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, bytes));
}

/** Throws unless `key` is a 32-byte key; `purpose` names what the caller was doing. */
export function assertKey(key: Uint8Array, purpose: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new VaultError('INVALID_REQUEST', `Cannot ${purpose}: a ${KEY_BYTES}-byte key is required.`);
  }
}

/** The key that seals file contents (parent of every per-file key). */
export function contentKey(masterKey: Buffer): Buffer {
  return derive(masterKey, 'dfs-vault v1 content key');
}

/** The key that turns a path into the object id a node sees. */
export function objectIdKey(masterKey: Buffer): Buffer {
  return derive(masterKey, 'dfs-vault v1 object id key');
}

/** The key that seals each object version's metadata (parent of the per-version metadata keys). */
export function metaKey(masterKey: Buffer): Buffer {
  return derive(masterKey, 'dfs-vault v1 meta key');
}

/** The content and object-id subkeys of a master key at once. */
export function deriveVaultKeys(masterKey: Buffer): VaultKeys {
  return { contentKey: contentKey(masterKey), objectIdKey: objectIdKey(masterKey) };
}

/** A public fingerprint of the master key, so a recovery key can be checked against the vault before it replaces anything. */
export function keyCheckValue(masterKey: Buffer): Buffer {
  return derive(masterKey, 'dfs-vault v1 key check', KEY_CHECK_BYTES);
}

/**
 * The key that seals one version of one file. Unique per (object id, version), so stripe nonces
 * only need to be unique within a file version; a version id must never be reused for other content.
 */
export function fileKey(contentKey: Buffer, objectId: Buffer, version: string): Buffer {
  if (objectId.length === 0 || objectId.length > MAX_OBJECT_ID_BYTES) {
    throw new VaultError('INVALID_REQUEST', `Cannot derive a file key: the object id must be 1 to ${MAX_OBJECT_ID_BYTES} bytes.`);
  }
  const versionBytes = Buffer.from(version, 'utf8');
  if (versionBytes.length === 0 || versionBytes.length > MAX_VERSION_BYTES) {
    throw new VaultError('INVALID_REQUEST', `Cannot derive a file key: the version must be 1 to ${MAX_VERSION_BYTES} bytes.`);
  }
  // Length prefixes keep (id, version) pairs unambiguous: no two pairs give the same info string.
  const info = Buffer.concat([Buffer.from('dfs-vault v1 file key\0'), Buffer.of(objectId.length), objectId, Buffer.of(versionBytes.length), versionBytes]);
  return derive(contentKey, info);
}

/**
 * The secret of the user's recovery login on the nodes ("<user>/recovery"): whoever holds the recovery
 * key can log in to set a new password, and a node, holding only a SCRAM verifier of it, learns nothing of the key.
 */
export function recoveryLoginSecret(masterKey: Buffer): string {
  return derive(masterKey, 'dfs-vault v1 recovery login').toString('base64url');
}
