import { MAX_FRAME_BYTES } from './constants.js';
import { ProtocolError } from './errors.js';
import { type Message, Op } from './messages.js';
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
 * Incremental frame parser: feed it socket chunks, get messages back. The declared length is checked
 * against MAX_FRAME_BYTES before anything is buffered. A frame inside one chunk is parsed in place; a
 * control frame spread over chunks is copied once into a buffer of its declared size. A DATA frame
 * spread over chunks is not buffered at all: its payload comes out as several DATA messages, slices
 * of the chunks as they arrive (DATA is a byte stream, so receivers see the same bytes in the same
 * order). Work is linear in the bytes pushed, however finely the input is cut.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(4);
  private headerFilled = 0;
  private expected: number | undefined;
  private body: Buffer | undefined;
  private bodyFilled = 0;
  /** Payload bytes still to come of a DATA frame being passed through in slices. */
  private dataRemaining = 0;
  private failed: ProtocolError | undefined;

  /** Bytes held that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.headerFilled + (this.expected === undefined ? 0 : 4 + this.bodyFilled);
  }

  /** Adds bytes and returns every message now complete; throws ProtocolError on malformed input. */
  push(chunk: Buffer): Message[] {
    if (this.failed) throw this.failed;
    const messages: Message[] = [];
    try {
      let at = 0;
      while (at < chunk.length) {
        if (this.dataRemaining > 0) {
          const n = Math.min(this.dataRemaining, chunk.length - at);
          messages.push({ op: Op.Data, data: chunk.subarray(at, at + n) });
          this.dataRemaining -= n;
          at += n;
          continue;
        }
        if (this.expected === undefined) {
          let declared: number;
          if (this.headerFilled === 0 && chunk.length - at >= 4) {
            declared = chunk.readUInt32BE(at);
            at += 4;
          } else {
            const n = Math.min(4 - this.headerFilled, chunk.length - at);
            chunk.copy(this.header, this.headerFilled, at, at + n);
            this.headerFilled += n;
            at += n;
            if (this.headerFilled < 4) break;
            this.headerFilled = 0;
            declared = this.header.readUInt32BE(0);
          }
          if (declared < 1) throw new ProtocolError('BAD_FRAME', 'Frame declares an empty body.');
          if (declared + 4 > MAX_FRAME_BYTES) {
            throw new ProtocolError('FRAME_TOO_LARGE', `Frame declares ${declared + 4} bytes; the limit is ${MAX_FRAME_BYTES}.`);
          }
          this.expected = declared;
          continue;
        }
        if (!this.body) {
          if (chunk.length - at >= this.expected) {
            messages.push(decodeBody(chunk.subarray(at, at + this.expected)));
            at += this.expected;
            this.expected = undefined;
            continue;
          }
          if (chunk[at] === Op.Data) {
            this.dataRemaining = this.expected - 1;
            this.expected = undefined;
            at += 1;
            continue;
          }
          this.body = Buffer.allocUnsafe(this.expected);
          this.bodyFilled = 0;
        }
        const n = Math.min(this.expected - this.bodyFilled, chunk.length - at);
        chunk.copy(this.body, this.bodyFilled, at, at + n);
        this.bodyFilled += n;
        at += n;
        if (this.bodyFilled === this.expected) {
          const body = this.body;
          this.body = undefined;
          this.expected = undefined;
          messages.push(decodeBody(body));
        }
      }
    } catch (error) {
      this.failed = error instanceof ProtocolError ? error : new ProtocolError('BAD_FRAME', String(error), { cause: error });
      this.body = undefined;
      this.expected = undefined;
      this.headerFilled = 0;
      this.dataRemaining = 0;
      throw this.failed;
    }
    return messages;
  }
}
