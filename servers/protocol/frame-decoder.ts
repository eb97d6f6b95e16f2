import { MAX_FRAME_BYTES } from './constants.js';
import { ProtocolError } from './errors.js';
import type { Message } from './messages.js';
import { SCHEMAS, maxFieldBytes } from './schema.js';

/** Parses one frame body (opcode + fields, without the length prefix) into a message. */
export function decodeBody(body: Buffer): Message {
  if (body.length < 1) throw new ProtocolError('BAD_FRAME', 'Empty frame.');
  const op = body[0]!;
  const schema = SCHEMAS.get(op);
  if (!schema) throw new ProtocolError('UNKNOWN_OP', `Unknown opcode 0x${op.toString(16).padStart(2, '0')}.`);
  const message: Record<string, unknown> = { op };
  let at = 1;
  const need = (bytes: number, name: string): void => {
    if (at + bytes > body.length) throw new ProtocolError('BAD_FRAME', `Frame ends inside field "${name}".`);
  };
  for (const [name, kind] of schema) {
    switch (kind) {
      case 'u16':
        need(2, name);
        message[name] = body.readUInt16BE(at);
        at += 2;
        break;
      case 'u64': {
        need(8, name);
        const value = body.readBigUInt64BE(at);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolError('BAD_FRAME', `Field "${name}" is out of range.`);
        message[name] = Number(value);
        at += 8;
        break;
      }
      case 'magic':
        need(4, name);
        message[name] = body.toString('latin1', at, at + 4);
        at += 4;
        break;
      case 'str':
      case 'key':
      case 'meta': {
        const prefix = kind === 'meta' ? 4 : 2;
        need(prefix, name);
        const length = prefix === 4 ? body.readUInt32BE(at) : body.readUInt16BE(at);
        at += prefix;
        if (length > maxFieldBytes(kind)) {
          throw new ProtocolError('BAD_FRAME', `Field "${name}" declares ${length} bytes; the limit is ${maxFieldBytes(kind)}.`);
        }
        need(length, name);
        message[name] = kind === 'str' ? body.toString('utf8', at, at + length) : body.subarray(at, at + length);
        at += length;
        break;
      }
      case 'rest':
        message[name] = body.subarray(at);
        at = body.length;
        break;
    }
  }
  if (at !== body.length) throw new ProtocolError('BAD_FRAME', `Frame has ${body.length - at} unexpected trailing bytes.`);
  return message as unknown as Message;
}

/**
 * Incremental frame parser: feed it socket chunks, get whole messages back. It keeps leftover
 * bytes between calls and checks each declared length against MAX_FRAME_BYTES before buffering it.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: ProtocolError | undefined;

  /** Bytes held that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds bytes and returns every message now complete; throws ProtocolError on malformed input. */
  push(chunk: Buffer): Message[] {
    if (this.failed) throw this.failed;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const messages: Message[] = [];
    try {
      for (;;) {
        if (this.buffered < 4) break;
        const bodyLength = this.peekLength();
        if (bodyLength < 1) throw new ProtocolError('BAD_FRAME', 'Frame declares an empty body.');
        if (bodyLength + 4 > MAX_FRAME_BYTES) {
          throw new ProtocolError('FRAME_TOO_LARGE', `Frame declares ${bodyLength + 4} bytes; the limit is ${MAX_FRAME_BYTES}.`);
        }
        if (this.buffered < 4 + bodyLength) break;
        this.take(4);
        messages.push(decodeBody(this.take(bodyLength)));
      }
    } catch (error) {
      this.failed = error instanceof ProtocolError ? error : new ProtocolError('BAD_FRAME', String(error), { cause: error });
      this.chunks = [];
      this.buffered = 0;
      throw this.failed;
    }
    return messages;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32BE(0);
    return Buffer.concat(this.chunks, 4).readUInt32BE(0);
  }

  /** Removes and returns the next `bytes` bytes, copying only when they span chunks. */
  private take(bytes: number): Buffer {
    const first = this.chunks[0]!;
    this.buffered -= bytes;
    if (first.length > bytes) {
      this.chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    if (first.length === bytes) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    while (filled < bytes) {
      const head = this.chunks[0]!;
      const n = Math.min(head.length, bytes - filled);
      head.copy(out, filled, 0, n);
      filled += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    return out;
  }
}
