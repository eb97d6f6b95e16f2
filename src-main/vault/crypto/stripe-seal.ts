import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { BufferPool } from '../../../servers/protocol/buffer-pool.js';
import { VaultError } from '../../shared/errors.js';
import { assertKey } from './key-hierarchy.js';
import { implementationInWords, nativeAddonInWords } from '../native-addon.js';
import { type NativeAesGcm, loadNativeAesGcm } from './native-aes-gcm.js';

/** Bytes a sealed stripe adds to its plaintext (the GCM tag). */
export const SEAL_OVERHEAD_BYTES = 16;

/** Where a stripe belongs: a stripe only opens at the exact place it was sealed for. */
export interface StripeBinding {
  objectId: Buffer;
  version: string;
  /** 0-based position of the stripe in the file. */
  index: number;
  /** True for the file's final stripe (an empty file still has one, empty, last stripe). */
  last: boolean;
}

const NONCE_BYTES = 12;
const TAG_BYTES = SEAL_OVERHEAD_BYTES;
const AAD_TAG = Buffer.from('dfs-vault stripe v1\0');
const MAX_OBJECT_ID_BYTES = 255;
const MAX_VERSION_BYTES = 255;
// node:crypto allocates two buffers for every update's output (and copies one into the other). In 16 KiB
// pieces they come from memory the allocator reuses; with 64 KiB pieces, or one update per 512 KiB or
// 2 MiB stripe, it kept mapping fresh pages, and the page faults cost the vault client as much CPU as the AES.
// (Measured again for PUT: 256 KiB updates took 4% more time and 7% more CPU in fresh client processes,
// median of 8 alternating rounds, though a warm process preferred them.)
const UPDATE_BYTES = 16 * 1024;
// Opening keeps what it decrypts until the stripe is written, so every update's buffer is written from
// once. There, fewer and larger updates won: one per network slice (a 64 KiB socket read, at most a
// 256 KiB DATA frame) against 16 KiB pieces, a 512 MiB GET took 11% less time in a warm process and 3%
// less time and 5% less CPU in fresh ones (medians of 14 and 8 alternating rounds).
const OPEN_UPDATE_BYTES = 256 * 1024;

/**
 * How a file version's stripes are sealed and opened. The vault always uses AES_GCM_STRIPES; the
 * interface exists so the benchmark can measure what sealing costs by running the same client
 * without it. Nothing a user configures can choose another.
 */
export interface StripeSealer {
  /** True when opening a stripe proves every byte of it (an AEAD), so readers need not check chunks first. */
  readonly authenticates: boolean;
  seal(fileKey: Buffer, binding: StripeBinding, plaintext: Uint8Array, out?: Buffer): Buffer;
  /** Opens a stripe received in slices; an implementation that writes the plaintext out may take its buffer from `buffers`. */
  openParts(fileKey: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[], buffers?: BufferPool): Buffer[];
}

/** The native addon when `npm run build` built it and this runtime loads it; node:crypto otherwise. */
const NATIVE = loadNativeAesGcm();

/** The native addon the vault seals with, or undefined when it uses node:crypto. */
export function nativeSealer(): NativeAesGcm | undefined {
  return NATIVE.addon;
}

/** Which AES-GCM implementation seals and opens stripes here, and why, in words (the benchmark prints it). */
export function stripeSealing(): string {
  return implementationInWords(NATIVE, sealingEngine, 'node:crypto');
}

/** How `addon` seals, in words: which engine inside it runs. */
export function nativeSealing(addon: NativeAesGcm): string {
  return nativeAddonInWords(sealingEngine(addon));
}

function sealingEngine(addon: NativeAesGcm): string {
  return `native/aes-gcm, ${addon.engine === 'vaes-avx512' ? 'VAES AVX-512' : 'OpenSSL'}`;
}

/**
 * Seals one stripe with AES-256-GCM: returns ciphertext ‖ 16-byte tag, written into `out` when given
 * (at least plaintext + SEAL_OVERHEAD_BYTES long; a subarray of it is returned), else into a new buffer.
 * `out` may begin where the plaintext does, to seal it in place.
 */
export function sealStripe(fileKey: Buffer, binding: StripeBinding, plaintext: Uint8Array, out?: Buffer): Buffer {
  return NATIVE.addon ? sealNatively(NATIVE.addon, fileKey, binding, plaintext, out) : sealWithNodeCrypto(fileKey, binding, plaintext, out);
}

/** sealStripe through the native addon: the stripe is copied into `out` unless it is already there, then sealed where it lies. */
export function sealNatively(addon: NativeAesGcm, fileKey: Buffer, binding: StripeBinding, plaintext: Uint8Array, out?: Buffer): Buffer {
  const sealed = sealTarget(fileKey, plaintext, out);
  if (sealed.buffer !== plaintext.buffer || sealed.byteOffset !== plaintext.byteOffset) sealed.set(plaintext);
  addon.sealInPlace(fileKey, nonceFor(binding), associatedData(binding), sealed.subarray(0, plaintext.length), sealed.subarray(plaintext.length));
  return sealed;
}

/** sealStripe through node:crypto, for runtimes without the native sealer. */
export function sealWithNodeCrypto(fileKey: Buffer, binding: StripeBinding, plaintext: Uint8Array, out?: Buffer): Buffer {
  const sealed = sealTarget(fileKey, plaintext, out);
  const cipher = createCipheriv('aes-256-gcm', fileKey, nonceFor(binding), { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  // node:crypto cannot encrypt into a given buffer: each piece's output is copied into place, over
  // the piece itself when sealing in place (it has been read by then).
  for (let at = 0; at < plaintext.length; at += UPDATE_BYTES) {
    cipher.update(plaintext.subarray(at, at + UPDATE_BYTES)).copy(sealed, at);
  }
  cipher.final();
  cipher.getAuthTag().copy(sealed, plaintext.length);
  return sealed;
}

/** Where a stripe's ciphertext and tag go: `out` checked for length and overlap, or a new buffer. */
function sealTarget(fileKey: Buffer, plaintext: Uint8Array, out: Buffer | undefined): Buffer {
  assertKey(fileKey, 'seal a stripe');
  if (out && out.length < plaintext.length + TAG_BYTES) throw new VaultError('INTERNAL', 'The buffer given for a sealed stripe is too short.');
  if (out && overlapsElsewhere(out, plaintext)) throw new VaultError('INTERNAL', 'The buffer given for a sealed stripe overlaps its plaintext at another offset.');
  return out ? out.subarray(0, plaintext.length + TAG_BYTES) : Buffer.allocUnsafe(plaintext.length + TAG_BYTES);
}

/** True when `a` and `b` share bytes without starting at the same one (sealing between them would overwrite plaintext not yet read). */
function overlapsElsewhere(a: Uint8Array, b: Uint8Array): boolean {
  if (a.buffer !== b.buffer || a.byteOffset === b.byteOffset) return false;
  return a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}

/**
 * Opens a sealed stripe, or throws if it was altered, sealed under another key, or belongs to another
 * file, version, position or last-stripe flag. Plaintext is returned only once the tag has verified.
 * Always through node:crypto, whichever implementation the vault uses: the tests and the benchmark
 * check the native addon against it.
 */
export function openStripe(fileKey: Buffer, binding: StripeBinding, sealed: Uint8Array): Buffer {
  return Buffer.concat(openWithNodeCrypto(fileKey, binding, [sealed]));
}

/**
 * openStripe for a sealed stripe that arrives in slices (as read from the network): no slice is
 * joined or copied, and the plaintext is returned only once the tag has verified.
 */
export function openStripeParts(fileKey: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[], buffers?: BufferPool): Buffer[] {
  return NATIVE.addon ? openNatively(NATIVE.addon, fileKey, binding, sealed, buffers) : openWithNodeCrypto(fileKey, binding, sealed);
}

/** openStripeParts through the native addon: the slices are decrypted into one buffer, from `buffers` when given (returned there if the stripe does not open). */
export function openNatively(addon: NativeAesGcm, fileKey: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[], buffers?: BufferPool): Buffer[] {
  const { body, tag, bodyBytes } = splitOffTag(fileKey, binding, sealed);
  // An empty stripe (an empty file's) needs no buffer of the pool, which would not come back.
  const plaintext = buffers && bodyBytes > 0 ? buffers.take(bodyBytes) : Buffer.allocUnsafe(bodyBytes);
  let opened = false;
  try {
    opened = addon.openInto(fileKey, nonceFor(binding), associatedData(binding), body, tag, plaintext);
  } finally {
    if (!opened) buffers?.release([plaintext]);
  }
  if (!opened) throw stripeRejected(binding);
  return bodyBytes > 0 ? [plaintext] : [];
}

/** openStripeParts through node:crypto, for runtimes without the native addon. */
export function openWithNodeCrypto(fileKey: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[]): Buffer[] {
  const { body, tag } = splitOffTag(fileKey, binding, sealed);
  const decipher = createDecipheriv('aes-256-gcm', fileKey, nonceFor(binding), { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(binding));
  decipher.setAuthTag(tag);
  const plaintext: Buffer[] = [];
  for (const part of body) {
    for (let from = 0; from < part.length; from += OPEN_UPDATE_BYTES) {
      const out = decipher.update(part.subarray(from, from + OPEN_UPDATE_BYTES));
      if (out.length > 0) plaintext.push(out);
    }
  }
  try {
    const rest = decipher.final();
    if (rest.length > 0) plaintext.push(rest);
  } catch (cause) {
    for (const part of plaintext) part.fill(0);
    throw stripeRejected(binding, cause);
  }
  return plaintext;
}

/** A sealed stripe's slices cut into the ciphertext's (views, not copies) and its tag, which may straddle slices. */
function splitOffTag(fileKey: Buffer, binding: StripeBinding, sealed: readonly Uint8Array[]): { body: Uint8Array[]; tag: Buffer; bodyBytes: number } {
  assertKey(fileKey, 'open a stripe');
  const total = sealed.reduce((sum, part) => sum + part.length, 0);
  if (total < TAG_BYTES) {
    throw new VaultError('PROTOCOL', `Stripe ${binding.index} is ${total} bytes, shorter than its ${TAG_BYTES}-byte tag; the file is damaged. Run a check and repair.`);
  }
  const bodyBytes = total - TAG_BYTES;
  const body: Uint8Array[] = [];
  const tag = Buffer.alloc(TAG_BYTES);
  let at = 0;
  for (const part of sealed) {
    const bodyEnd = Math.max(0, Math.min(part.length, bodyBytes - at));
    if (bodyEnd > 0) body.push(part.subarray(0, bodyEnd));
    if (bodyEnd < part.length) tag.set(part.subarray(bodyEnd), at + bodyEnd - bodyBytes);
    at += part.length;
  }
  return { body, tag, bodyBytes };
}

/** AES-256-GCM per stripe, bound to its place (see StripeBinding): how every vault seals its files. */
export const AES_GCM_STRIPES: StripeSealer = { authenticates: true, seal: sealStripe, openParts: openStripeParts };

function stripeRejected(binding: StripeBinding, cause?: unknown): VaultError {
  return new VaultError(
    'PROTOCOL',
    `Stripe ${binding.index} of this file failed its integrity check: it was altered, sealed with another key, or moved from another file, version or position, or the file was cut short. Nothing from it was returned.`,
    cause === undefined ? undefined : { cause },
  );
}

// 8-byte big-endian index, then 4 bytes holding the last flag. Unique per (file key, index, last), and
// a file key is unique per file version, so no (key, nonce) pair is ever used for two plaintexts.
function nonceFor(binding: StripeBinding): Buffer {
  assertBinding(binding);
  const nonce = Buffer.alloc(NONCE_BYTES);
  writeIndex(nonce, binding.index, 0);
  nonce.writeUInt32BE(binding.last ? 1 : 0, 8);
  return nonce;
}

// The nonce already carries index and flag; the AAD repeats them with the object id and version so a
// stripe is bound to its file even if a file key were ever shared.
function associatedData(binding: StripeBinding): Buffer {
  const version = Buffer.from(binding.version, 'utf8');
  const out = Buffer.alloc(AAD_TAG.length + 1 + binding.objectId.length + 1 + version.length + 8 + 1);
  let at = AAD_TAG.copy(out, 0);
  at = out.writeUInt8(binding.objectId.length, at);
  at += binding.objectId.copy(out, at);
  at = out.writeUInt8(version.length, at);
  at += version.copy(out, at);
  writeIndex(out, binding.index, at);
  out.writeUInt8(binding.last ? 1 : 0, at + 8);
  return out;
}

function writeIndex(out: Buffer, index: number, at: number): void {
  out.writeUInt32BE(Math.floor(index / 2 ** 32), at);
  out.writeUInt32BE(index % 2 ** 32, at + 4);
}

function assertBinding(binding: StripeBinding): void {
  const { objectId, version, index, last } = binding;
  if (!Buffer.isBuffer(objectId) || objectId.length === 0 || objectId.length > MAX_OBJECT_ID_BYTES) {
    throw new VaultError('INVALID_REQUEST', `A stripe's object id must be 1 to ${MAX_OBJECT_ID_BYTES} bytes.`);
  }
  if (typeof version !== 'string' || version.length === 0 || Buffer.byteLength(version, 'utf8') > MAX_VERSION_BYTES) {
    throw new VaultError('INVALID_REQUEST', `A stripe's version must be 1 to ${MAX_VERSION_BYTES} bytes.`);
  }
  if (!Number.isSafeInteger(index) || index < 0) throw new VaultError('INVALID_REQUEST', `A stripe index must be a whole number ≥ 0, not ${index}.`);
  if (typeof last !== 'boolean') throw new VaultError('INVALID_REQUEST', 'A stripe binding must say whether it is the last stripe.');
}
