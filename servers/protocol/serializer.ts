import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES } from './constants.js';
import { ProtocolError } from './errors.js';
import { type Message, Op } from './messages.js';
import { type FieldKind, SCHEMAS, maxFieldBytes } from './schema.js';

function fieldBytes(kind: FieldKind, value: unknown, name: string): Buffer | number {
  switch (kind) {
    case 'u16':
      return 2;
    case 'u64':
      return 8;
    case 'magic':
      return 4;
    case 'str':
      return Buffer.from(String(value), 'utf8');
    case 'key':
    case 'meta':
    case 'rest':
      if (!Buffer.isBuffer(value)) throw new ProtocolError('BAD_REQUEST', `Field "${name}" must be a Buffer.`);
      return value;
  }
}

function checkInteger(value: unknown, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolError('BAD_REQUEST', `Field "${name}" must be an integer from 0 to ${max}.`);
  }
  return value;
}

/** Serializes one message into a complete frame: u32 length, u8 opcode, fields. */
export function encodeMessage(message: Message): Buffer {
  const schema = SCHEMAS.get(message.op);
  if (!schema) throw new ProtocolError('UNKNOWN_OP', `Cannot encode unknown opcode ${message.op}.`);
  const record = message as unknown as Record<string, unknown>;
  const parts = schema.map(([name, kind]) => fieldBytes(kind, record[name], name));
  let bodyLength = 1;
  schema.forEach(([, kind], i) => {
    const part = parts[i]!;
    const prefix = kind === 'str' || kind === 'key' ? 2 : kind === 'meta' ? 4 : 0;
    bodyLength += prefix + (typeof part === 'number' ? part : part.length);
  });
  if (bodyLength + 4 > MAX_FRAME_BYTES) {
    throw new ProtocolError('FRAME_TOO_LARGE', `Message of ${bodyLength + 4} bytes exceeds the ${MAX_FRAME_BYTES}-byte frame limit.`);
  }
  const frame = Buffer.allocUnsafe(4 + bodyLength);
  frame.writeUInt32BE(bodyLength, 0);
  frame.writeUInt8(message.op, 4);
  let at = FRAME_HEADER_BYTES;
  schema.forEach(([name, kind], i) => {
    const part = parts[i]!;
    switch (kind) {
      case 'u16':
        at = frame.writeUInt16BE(checkInteger(record[name], 0xffff, name), at);
        break;
      case 'u64':
        at = frame.writeBigUInt64BE(BigInt(checkInteger(record[name], Number.MAX_SAFE_INTEGER, name)), at);
        break;
      case 'magic': {
        const magic = Buffer.from(String(record[name]), 'latin1');
        if (magic.length !== 4) throw new ProtocolError('BAD_REQUEST', `Field "${name}" must be four bytes.`);
        at += magic.copy(frame, at);
        break;
      }
      case 'str':
      case 'key':
      case 'meta': {
        const bytes = part as Buffer;
        if (bytes.length > maxFieldBytes(kind)) {
          throw new ProtocolError('FRAME_TOO_LARGE', `Field "${name}" is ${bytes.length} bytes; the limit is ${maxFieldBytes(kind)}.`);
        }
        at = kind === 'meta' ? frame.writeUInt32BE(bytes.length, at) : frame.writeUInt16BE(bytes.length, at);
        at += bytes.copy(frame, at);
        break;
      }
      case 'rest':
        at += (part as Buffer).copy(frame, at);
        break;
    }
  });
  return frame;
}

/** The 5-byte header of a DATA frame; send it followed by the payload itself, saving a copy. */
export function encodeDataHeader(payloadLength: number): Buffer {
  if (payloadLength + FRAME_HEADER_BYTES > MAX_FRAME_BYTES) {
    throw new ProtocolError('FRAME_TOO_LARGE', `DATA payload of ${payloadLength} bytes exceeds the frame limit.`);
  }
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(payloadLength + 1, 0);
  header.writeUInt8(Op.Data, 4);
  return header;
}
