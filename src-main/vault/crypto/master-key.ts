import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { INVALID_LOGIN_TEXT, VaultError } from '../../shared/errors.js';
import { KEY_BYTES, KEY_CHECK_BYTES, assertKey, keyCheckValue } from './key-hierarchy.js';

/** scrypt cost parameters; only N may vary, r and p are fixed by format v1. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** A master key sealed under a password-derived key, as stored (one copy per node). */
export interface WrappedMasterKey {
  version: 1;
  kdf: ScryptParams;
  salt: Buffer;
  nonce: Buffer;
  /** AES-256-GCM ciphertext of the master key followed by the 16-byte tag. */
  sealedKey: Buffer;
  /** keyCheckValue(masterKey): lets a recovery key be matched to this vault without the password. */
  keyCheck: Buffer;
}

/** Options of wrapMasterKey; tests pass a small N to stay fast. */
export interface WrapOptions {
  N?: number;
}

/** Production scrypt parameters: about 128 MiB and a few hundred milliseconds per derivation. */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** Smallest and largest N accepted; the cap bounds what a hostile node can make a client spend (1 GiB at r = 8). */
export const MIN_SCRYPT_N = 2 ** 10;
export const MAX_SCRYPT_N = 2 ** 20;

/** Size in bytes of an encoded wrapped master key. */
export const WRAPPED_MASTER_KEY_BYTES = 100;

const FORMAT_TAG = Buffer.from('dfs-vault master key v1\0');
const MAGIC = Buffer.from('DFMK');
const FORMAT_VERSION = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_KEY_BYTES = KEY_BYTES + TAG_BYTES;
// Layout: magic(4) version(1) log2N(1) r(1) p(1) salt(16) | nonce(12) sealedKey(48) keyCheck(16).
const HEADER_BYTES = MAGIC.length + 4 + SALT_BYTES;

/** A new random 256-bit master key. */
export function createMasterKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Seals `masterKey` under a key derived from `password` by scrypt (random salt and nonce). */
export async function wrapMasterKey(masterKey: Buffer, password: string, options: WrapOptions = {}): Promise<WrappedMasterKey> {
  assertKey(masterKey, 'wrap the master key');
  if (password.length === 0) throw new VaultError('INVALID_REQUEST', 'The password cannot be empty; choose one to protect the vault.');
  const kdf = { ...DEFAULT_SCRYPT, N: options.N ?? DEFAULT_SCRYPT.N };
  assertParams(kdf);
  const partial = { version: FORMAT_VERSION, kdf, salt: randomBytes(SALT_BYTES), nonce: randomBytes(NONCE_BYTES), keyCheck: keyCheckValue(masterKey) } as const;
  const wrappingKey = await deriveWrappingKey(password, partial.salt, kdf);
  try {
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, partial.nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(partial));
    const sealedKey = Buffer.concat([cipher.update(masterKey), cipher.final(), cipher.getAuthTag()]);
    return { ...partial, sealedKey };
  } finally {
    wrappingKey.fill(0);
  }
}

/** Opens a wrapped master key; a wrong password (or an altered record) is AUTH_FAILED. */
export async function unwrapMasterKey(wrapped: WrappedMasterKey, password: string): Promise<Buffer> {
  assertWrappedMasterKey(wrapped);
  const wrappingKey = await deriveWrappingKey(password, wrapped.salt, wrapped.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, wrapped.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(wrapped));
    decipher.setAuthTag(wrapped.sealedKey.subarray(KEY_BYTES));
    const masterKey = decipher.update(wrapped.sealedKey.subarray(0, KEY_BYTES));
    try {
      decipher.final();
    } catch (cause) {
      masterKey.fill(0);
      throw new VaultError('AUTH_FAILED', INVALID_LOGIN_TEXT, { cause });
    }
    return masterKey;
  } finally {
    wrappingKey.fill(0);
  }
}

/** Whether `masterKey` is the key this record wraps (for recovery, where no password is known). */
export function matchesWrappedMasterKey(masterKey: Buffer, wrapped: WrappedMasterKey): boolean {
  assertKey(masterKey, 'check a recovery key');
  return wrapped.keyCheck.length === KEY_CHECK_BYTES && timingSafeEqual(keyCheckValue(masterKey), wrapped.keyCheck);
}

/** The stored form of a wrapped master key: 100 bytes, versioned. */
export function encodeWrappedMasterKey(wrapped: WrappedMasterKey): Buffer {
  assertWrappedMasterKey(wrapped);
  return Buffer.concat([header(wrapped), wrapped.nonce, wrapped.sealedKey, wrapped.keyCheck]);
}

/** Parses and validates a stored wrapped master key; refuses unknown versions and out-of-range costs. */
export function decodeWrappedMasterKey(bytes: Uint8Array): WrappedMasterKey {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 1 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new VaultError('PROTOCOL', 'The stored master key record is not a DFS Vault key record; a node may hold damaged data. Run a check, or restore it with the recovery key.');
  }
  const version = buf[MAGIC.length]!;
  if (version !== FORMAT_VERSION) {
    throw new VaultError('UNSUPPORTED', `The master key record has format version ${version}, which this DFS Vault does not know; update DFS Vault.`);
  }
  if (buf.length !== WRAPPED_MASTER_KEY_BYTES) {
    throw new VaultError('PROTOCOL', `The stored master key record is ${buf.length} bytes instead of ${WRAPPED_MASTER_KEY_BYTES}; it is damaged. Restore it with the recovery key.`);
  }
  const logN = buf[MAGIC.length + 1]!;
  // Copies, so the record does not pin (or alias) the caller's buffer.
  const wrapped: WrappedMasterKey = {
    version: FORMAT_VERSION,
    kdf: { N: 2 ** logN, r: buf[MAGIC.length + 2]!, p: buf[MAGIC.length + 3]! },
    salt: Buffer.from(buf.subarray(HEADER_BYTES - SALT_BYTES, HEADER_BYTES)),
    nonce: Buffer.from(buf.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)),
    sealedKey: Buffer.from(buf.subarray(HEADER_BYTES + NONCE_BYTES, HEADER_BYTES + NONCE_BYTES + SEALED_KEY_BYTES)),
    keyCheck: Buffer.from(buf.subarray(WRAPPED_MASTER_KEY_BYTES - KEY_CHECK_BYTES)),
  };
  assertWrappedMasterKey(wrapped);
  return wrapped;
}

/** Throws unless every field has its exact size and the scrypt cost is within bounds; runs before any scrypt. */
export function assertWrappedMasterKey(wrapped: WrappedMasterKey): void {
  if (wrapped.version !== FORMAT_VERSION) {
    throw new VaultError('UNSUPPORTED', `The master key record has format version ${String(wrapped.version)}, which this DFS Vault does not know; update DFS Vault.`);
  }
  assertParams(wrapped.kdf);
  const sizes: Array<[string, Buffer, number]> = [
    ['salt', wrapped.salt, SALT_BYTES],
    ['nonce', wrapped.nonce, NONCE_BYTES],
    ['sealed key', wrapped.sealedKey, SEALED_KEY_BYTES],
    ['key check', wrapped.keyCheck, KEY_CHECK_BYTES],
  ];
  for (const [name, value, bytes] of sizes) {
    if (!Buffer.isBuffer(value) || value.length !== bytes) {
      throw new VaultError('PROTOCOL', `The stored master key record has a ${name} of the wrong size; it is damaged. Restore it with the recovery key.`);
    }
  }
}

function assertParams({ N, r, p }: ScryptParams): void {
  const powerOfTwo = Number.isSafeInteger(N) && N > 0 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < MIN_SCRYPT_N || N > MAX_SCRYPT_N || r !== DEFAULT_SCRYPT.r || p !== DEFAULT_SCRYPT.p) {
    throw new VaultError(
      'PROTOCOL',
      `The master key record asks for scrypt N=${N}, r=${r}, p=${p}; only N a power of two from 2^10 to 2^20 with r=8, p=1 is accepted. The record may have been tampered with.`,
    );
  }
}

function header(wrapped: Pick<WrappedMasterKey, 'kdf' | 'salt'>): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt8(FORMAT_VERSION, MAGIC.length);
  out.writeUInt8(Math.log2(wrapped.kdf.N), MAGIC.length + 1);
  out.writeUInt8(wrapped.kdf.r, MAGIC.length + 2);
  out.writeUInt8(wrapped.kdf.p, MAGIC.length + 3);
  wrapped.salt.copy(out, HEADER_BYTES - SALT_BYTES);
  return out;
}

// Binds the format tag, the KDF parameters, the salt and the key check: changing any of them makes unwrapping fail.
function associatedData(wrapped: Pick<WrappedMasterKey, 'kdf' | 'salt' | 'keyCheck'>): Buffer {
  return Buffer.concat([FORMAT_TAG, header(wrapped), wrapped.keyCheck]);
}

function deriveWrappingKey(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // NFC: the same password typed on macOS and on Linux must give the same key.
  const secret = Buffer.from(password.normalize('NFC'), 'utf8');
  // OpenSSL needs 128·r·(N + p + 2) bytes; the margin covers its bookkeeping.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, { N, r, p, maxmem }, (error, key) => {
      secret.fill(0);
      if (error) reject(new VaultError('INTERNAL', `Deriving the key from the password failed: ${error.message}`, { cause: error }));
      else resolve(key);
    });
  });
}
