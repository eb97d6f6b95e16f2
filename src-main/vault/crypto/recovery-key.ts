import { VaultError } from '../../shared/errors.js';
import { KEY_BYTES, assertKey } from './key-hierarchy.js';

/**
 * A recovery key is the master key plus a CRC-16 in Crockford base32, in groups of five:
 * 34 bytes → 55 characters → 11 groups. CRC-16/CCITT (not a truncated hash) because it *guarantees*
 * that any error confined to 16 consecutive bits is caught: every single mistyped character (5 bits)
 * and every swap of two neighbouring characters (10 bits). It only catches typos; whether a
 * well-formed key belongs to this vault is checked with matchesWrappedMasterKey.
 */

/** Crockford's base32 alphabet (no I, L, O, U). */
export const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Number of significant characters in a recovery key (dashes and spaces aside). */
export const RECOVERY_KEY_CHARS = 55;

const GROUP = 5;
const CHECK_BYTES = 2;
const TYPO_HINT = 'check the recovery key for typos';

/** The master key as a printable recovery key, e.g. "7Q2MX-…-K8H00" (11 groups of 5). */
export function formatRecoveryKey(masterKey: Buffer): string {
  assertKey(masterKey, 'format a recovery key');
  const bytes = Buffer.alloc(KEY_BYTES + CHECK_BYTES);
  masterKey.copy(bytes);
  bytes.writeUInt16BE(crc16(masterKey), KEY_BYTES);
  const chars = toBase32(bytes);
  const groups: string[] = [];
  for (let at = 0; at < chars.length; at += GROUP) groups.push(chars.slice(at, at + GROUP));
  return groups.join('-');
}

/** The master key inside a recovery key; case, spaces and dashes are ignored, I/L read as 1 and O as 0. */
export function parseRecoveryKey(text: string): Buffer {
  const chars = text.toUpperCase().replace(/[\s-]+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  for (const char of chars) {
    if (!RECOVERY_ALPHABET.includes(char)) {
      throw new VaultError('INVALID_REQUEST', `The recovery key contains "${char}", which a recovery key never has; ${TYPO_HINT}.`);
    }
  }
  if (chars.length !== RECOVERY_KEY_CHARS) {
    throw new VaultError('INVALID_REQUEST', `The recovery key has ${chars.length} characters instead of ${RECOVERY_KEY_CHARS}; ${TYPO_HINT}.`);
  }
  const bytes = fromBase32(chars, KEY_BYTES + CHECK_BYTES);
  const masterKey = Buffer.from(bytes.subarray(0, KEY_BYTES));
  if (crc16(masterKey) !== bytes.readUInt16BE(KEY_BYTES)) {
    masterKey.fill(0);
    throw new VaultError('INVALID_REQUEST', `The recovery key does not add up (its checksum is wrong); ${TYPO_HINT}.`);
  }
  return masterKey;
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += RECOVERY_ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += RECOVERY_ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

// The 3 unused trailing bits must be zero, so each key has exactly one spelling (and a typo there is caught too).
function fromBase32(chars: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const char of chars) {
    acc = ((acc << 5) | RECOVERY_ALPHABET.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new VaultError('INVALID_REQUEST', `The last character of the recovery key is not one a recovery key can end with; ${TYPO_HINT}.`);
  }
  return out;
}

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), most significant bit first like the base32 encoding,
// so a character's five bits are five consecutive coefficients and a typo is a short burst.
function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
