import { MAX_KEY_BYTES, MAX_META_BYTES } from './constants.js';
import { Op } from './messages.js';

/** How one field is laid out on the wire. */
export type FieldKind =
  | 'u16'
  | 'u64'
  | 'magic' // four ASCII bytes
  | 'str' // u16 length + UTF-8
  | 'key' // u16 length + bytes, at most MAX_KEY_BYTES
  | 'meta' // u32 length + bytes, at most MAX_META_BYTES
  | 'rest'; // every remaining byte of the frame (DATA payloads)

/** A field name and its layout; the order is the order on the wire. */
export type Field = readonly [name: string, kind: FieldKind];

/** The fields of each message, in wire order. Every opcode the protocol knows is here. */
export const SCHEMAS: ReadonlyMap<Op, readonly Field[]> = new Map<Op, readonly Field[]>([
  [Op.Hello, [['magic', 'magic'], ['minVersion', 'u16'], ['maxVersion', 'u16'], ['clientFirst', 'str']]],
  [Op.AuthProof, [['clientFinal', 'str']]],
  [Op.PutBegin, [['key', 'key'], ['version', 'str'], ['meta', 'meta'], ['size', 'u64']]],
  [Op.Data, [['data', 'rest']]],
  [Op.PutEnd, []],
  [Op.Commit, [['key', 'key'], ['version', 'str']]],
  [Op.Abort, [['key', 'key'], ['version', 'str']]],
  [Op.Get, [['key', 'key'], ['version', 'str'], ['offset', 'u64'], ['length', 'u64']]],
  [Op.List, [['key', 'key']]],
  [Op.Prune, [['key', 'key'], ['keepVersion', 'str']]],
  [Op.DeleteVersion, [['key', 'key'], ['version', 'str']]],
  [Op.Stat, []],
  [Op.Ping, []],
  [Op.SetVerifier, [['slot', 'str'], ['verifier', 'str']]],
  [Op.Challenge, [['version', 'u16'], ['serverFirst', 'str']]],
  [Op.AuthOk, [['serverFinal', 'str'], ['nodeId', 'str']]],
  [Op.Ok, [['value', 'u64']]],
  [Op.Error, [['code', 'str'], ['message', 'str']]],
  [Op.GetOk, [['size', 'u64'], ['length', 'u64']]],
  [Op.End, []],
  [Op.ListItem, [['key', 'key'], ['version', 'str'], ['meta', 'meta'], ['size', 'u64']]],
  [Op.StatOk, [['pieces', 'u64'], ['bytesUsed', 'u64'], ['bytesFree', 'u64']]],
  [Op.Pong, []],
]);

/** Largest byte length a length-prefixed field may declare. */
export function maxFieldBytes(kind: 'str' | 'key' | 'meta'): number {
  if (kind === 'key') return MAX_KEY_BYTES;
  if (kind === 'meta') return MAX_META_BYTES;
  return 0xffff;
}
