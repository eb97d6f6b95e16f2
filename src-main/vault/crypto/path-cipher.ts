import { createHmac } from 'node:crypto';
import { normalizeVaultPath } from '../vault-path.js';
import { assertKey } from './key-hierarchy.js';

// Names never reach a node in clear: the path travels inside each piece's sealed metadata
// (vault-cipher.ts), and the key a node files the piece under is this keyed hash of it.

/** Length in bytes of an object id. */
export const OBJECT_ID_BYTES = 32;

/** The object id a node sees for a path: HMAC-SHA256 of the normalized path, so nodes cannot test guesses of names. */
export function objectIdFor(objectIdKey: Buffer, path: string): Buffer {
  assertKey(objectIdKey, 'compute an object id');
  return createHmac('sha256', objectIdKey).update(normalizeVaultPath(path, { allowRoot: true }), 'utf8').digest();
}
