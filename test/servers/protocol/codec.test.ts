import { seededBuffer as pattern } from '../../helpers/gf-reference.js';
import { describe, expect, it } from 'vitest';
import {
  FRAME_HEADER_BYTES,
  MAX_DATA_CHUNK_BYTES,
  MAX_FRAME_BYTES,
  MAX_KEY_BYTES,
  MAX_META_BYTES,
  PROTOCOL_MAGIC,
  PROTOCOL_VERSION,
} from '../../../servers/protocol/constants.js';
import { ProtocolError } from '../../../servers/protocol/errors.js';
import type { ProtocolErrorCode } from '../../../servers/protocol/errors.js';
import { decodeBody, FrameDecoder } from '../../../servers/protocol/frame-decoder.js';
import { Op } from '../../../servers/protocol/messages.js';
import type { Message } from '../../../servers/protocol/messages.js';
import { SCHEMAS } from '../../../servers/protocol/schema.js';
import type { FieldKind } from '../../../servers/protocol/schema.js';
import { encodeDataHeader, encodeMessage } from '../../../servers/protocol/serializer.js';

// ---- Hand-assembled wire pieces (deliberately not using the serializer) ----

function u8(value: number): Buffer {
  return Buffer.from([value]);
}

function u16(value: number): Buffer {
  return Buffer.from([(value >>> 8) & 0xff, value & 0xff]);
}

function u32(value: number): Buffer {
  return Buffer.from([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function u64(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let shift = 56n; shift >= 0n; shift -= 8n) bytes.push(Number((value >> shift) & 0xffn));
  return Buffer.from(bytes);
}

function str(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u16(bytes.length), bytes]);
}

function bytes16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}

function bytes32(data: Buffer): Buffer {
  return Buffer.concat([u32(data.length), data]);
}

/** A whole frame: u32 body length (opcode included), opcode, fields. */
function frame(op: number, ...fields: Buffer[]): Buffer {
  const body = Buffer.concat([u8(op), ...fields]);
  return Buffer.concat([u32(body.length), body]);
}

// ---- Helpers ----

function protocolErrorFrom(action: () => unknown): ProtocolError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('Expected a ProtocolError, but nothing was thrown.');
}

function expectCode(action: () => unknown, code: ProtocolErrorCode): ProtocolError {
  const error = protocolErrorFrom(action);
  expect(error.code).toBe(code);
  return error;
}


/** A sample value for each field kind; `n` varies the values between fields and messages. */
function sampleValue(kind: FieldKind, n: number): unknown {
  switch (kind) {
    case 'u16':
      return (0x1234 * n) & 0xffff;
    case 'u64':
      return Number.MAX_SAFE_INTEGER - n;
    case 'magic':
      return PROTOCOL_MAGIC;
    case 'str':
      return `héllo ✓ ${n}`;
    case 'key':
      return pattern(1 + (n % MAX_KEY_BYTES), n);
    case 'meta':
      return pattern(10 + n, n + 1000);
    case 'rest':
      return pattern(3 + n, n + 2000);
  }
}

/** One sample message of `op`, every field filled from its schema. */
function sampleMessage(op: Op, seed: number): Message {
  const record: Record<string, unknown> = { op };
  (SCHEMAS.get(op) ?? []).forEach(([name, kind], i) => {
    record[name] = sampleValue(kind, seed * 7 + i);
  });
  return record as unknown as Message;
}

/** Field-by-field equality; much faster than a deep equal for large payloads compared many times. */
function sameMessage(actual: Message, expected: Message): boolean {
  if (actual.op !== expected.op) return false;
  const a = actual as unknown as Record<string, unknown>;
  const e = expected as unknown as Record<string, unknown>;
  if (Object.keys(a).length !== Object.keys(e).length) return false;
  for (const [name] of SCHEMAS.get(expected.op) ?? []) {
    const x = a[name];
    const y = e[name];
    if (Buffer.isBuffer(y)) {
      if (!Buffer.isBuffer(x) || !x.equals(y)) return false;
    } else if (x !== y) return false;
  }
  return true;
}

/** Joins adjacent DATA messages: DATA is a byte stream, and the decoder may deliver a frame in slices. */
function coalesceData(messages: Message[]): Message[] {
  const out: Message[] = [];
  let run: Buffer[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push({ op: Op.Data, data: Buffer.concat(run) });
    run = [];
  };
  for (const message of messages) {
    if (message.op === Op.Data) run.push(message.data);
    else {
      flush();
      out.push(message);
    }
  }
  flush();
  return out;
}

function sameMessages(actual: Message[], expected: Message[]): boolean {
  const [a, e] = [coalesceData(actual), coalesceData(expected)];
  return a.length === e.length && a.every((message, i) => sameMessage(message, e[i]!));
}

function dataMessage(data: Buffer): Message {
  return { op: Op.Data, data };
}

const ALL_OPS = [...SCHEMAS.keys()];

describe('encodeMessage', () => {
  it('lays out a message without fields as length 1 and the opcode', () => {
    expect(encodeMessage({ op: Op.Ping })).toEqual(Buffer.from('0000000151', 'hex'));
    expect(encodeMessage({ op: Op.PutEnd })).toEqual(Buffer.from('0000000112', 'hex'));
    expect(encodeMessage({ op: Op.End })).toEqual(Buffer.from('0000000186', 'hex'));
  });

  it('writes u64 fields big-endian, up to Number.MAX_SAFE_INTEGER', () => {
    expect(encodeMessage({ op: Op.Ok, value: Number.MAX_SAFE_INTEGER })).toEqual(Buffer.from('0000000983001fffffffffffff', 'hex'));
    expect(encodeMessage({ op: Op.Ok, value: 258 })).toEqual(Buffer.from('00000009830000000000000102', 'hex'));
  });

  it('lays out HELLO as magic, two u16 versions and a length-prefixed UTF-8 string', () => {
    const clientFirst = 'n,,n=alice,r=abc';
    const expected = frame(0x01, Buffer.from('DFSV', 'latin1'), u16(1), u16(3), str(clientFirst));
    expect(encodeMessage({ op: Op.Hello, magic: 'DFSV', minVersion: 1, maxVersion: 3, clientFirst })).toEqual(expected);
    // 1 opcode + 4 magic + 2 + 2 + 2 + 16 characters
    expect(expected.readUInt32BE(0)).toBe(27);
  });

  it('lays out PUT_BEGIN as u16 key, u16 version, u32 meta and u64 size', () => {
    const key = Buffer.from([0x00, 0x2e, 0x2e, 0x2f, 0xff]);
    const meta = Buffer.from('{"piece":2}');
    const expected = frame(0x10, bytes16(key), str('0001a2b3c4d5e6f7'), bytes32(meta), u64(123_456_789_012n));
    const encoded = encodeMessage({ op: Op.PutBegin, key, version: '0001a2b3c4d5e6f7', meta, size: 123_456_789_012 });
    expect(encoded).toEqual(expected);
  });

  it('counts string lengths in UTF-8 bytes, not characters', () => {
    const message = 'Fichier introuvable: é✓';
    const expected = frame(0x84, str('NOT_FOUND'), str(message));
    expect(Buffer.byteLength(message)).toBeGreaterThan(message.length);
    expect(encodeMessage({ op: Op.Error, code: 'NOT_FOUND', message })).toEqual(expected);
  });

  it('lays out GET, LIST_ITEM and STAT_OK field by field', () => {
    const key = Buffer.from('6b6579', 'hex');
    expect(encodeMessage({ op: Op.Get, key, version: 'ff', offset: 10, length: 4096 })).toEqual(
      frame(0x20, bytes16(key), str('ff'), u64(10n), u64(4096n)),
    );
    expect(encodeMessage({ op: Op.ListItem, key, version: 'a', meta: Buffer.alloc(0), size: 0 })).toEqual(
      frame(0x87, bytes16(key), str('a'), u32(0), u64(0n)),
    );
    expect(encodeMessage({ op: Op.StatOk, pieces: 3, bytesUsed: 2 ** 40, bytesFree: 7 })).toEqual(
      frame(0x88, u64(3n), u64(2n ** 40n), u64(7n)),
    );
  });

  it('lays out DATA as the opcode followed by the raw payload, and encodeDataHeader agrees', () => {
    const payload = pattern(1000, 42);
    const expected = Buffer.concat([u32(1001), u8(0x11), payload]);
    expect(encodeMessage({ op: Op.Data, data: payload })).toEqual(expected);
    expect(Buffer.concat([encodeDataHeader(payload.length), payload])).toEqual(expected);
    expect(encodeDataHeader(0)).toEqual(Buffer.from('0000000111', 'hex'));
  });

  it('encodes the largest frame allowed and refuses one byte more', () => {
    const largest = MAX_FRAME_BYTES - FRAME_HEADER_BYTES;
    expect(encodeMessage({ op: Op.Data, data: Buffer.alloc(largest) }).length).toBe(MAX_FRAME_BYTES);
    expect(encodeDataHeader(largest).readUInt32BE(0)).toBe(largest + 1);
    expectCode(() => encodeMessage({ op: Op.Data, data: Buffer.alloc(largest + 1) }), 'FRAME_TOO_LARGE');
    expectCode(() => encodeDataHeader(largest + 1), 'FRAME_TOO_LARGE');
  });

  it('refuses a key, metadata blob or string longer than its limit, and accepts exactly the limit', () => {
    const at = (key: Buffer, meta: Buffer) => ({ op: Op.PutBegin, key, version: '1', meta, size: 1 }) as const;
    expect(() => encodeMessage(at(Buffer.alloc(MAX_KEY_BYTES), Buffer.alloc(MAX_META_BYTES)))).not.toThrow();
    expectCode(() => encodeMessage(at(Buffer.alloc(MAX_KEY_BYTES + 1), Buffer.alloc(0))), 'FRAME_TOO_LARGE');
    expectCode(() => encodeMessage(at(Buffer.alloc(1), Buffer.alloc(MAX_META_BYTES + 1))), 'FRAME_TOO_LARGE');
    expect(() => encodeMessage({ op: Op.AuthProof, clientFinal: 'x'.repeat(0xffff) })).not.toThrow();
    expectCode(() => encodeMessage({ op: Op.AuthProof, clientFinal: 'x'.repeat(0x10000) }), 'FRAME_TOO_LARGE');
  });

  it('refuses integers that do not fit their field', () => {
    expectCode(() => encodeMessage({ op: Op.Ok, value: Number.MAX_SAFE_INTEGER + 1 }), 'BAD_REQUEST');
    expectCode(() => encodeMessage({ op: Op.Ok, value: -1 }), 'BAD_REQUEST');
    expectCode(() => encodeMessage({ op: Op.Ok, value: 1.5 }), 'BAD_REQUEST');
    expectCode(() => encodeMessage({ op: Op.Challenge, version: 0x10000, serverFirst: 'r=x' }), 'BAD_REQUEST');
  });

  it('refuses a magic that is not four bytes, a non-Buffer key and an unknown opcode', () => {
    expectCode(() => encodeMessage({ op: Op.Hello, magic: 'DFS', minVersion: 1, maxVersion: 1, clientFirst: '' }), 'BAD_REQUEST');
    const stringKey = { op: Op.List, key: 'abc' } as unknown as Message;
    expectCode(() => encodeMessage(stringKey), 'BAD_REQUEST');
    expectCode(() => encodeMessage({ op: 0x7f } as unknown as Message), 'UNKNOWN_OP');
  });
});

describe('decodeBody', () => {
  it('round-trips a sample of every opcode in SCHEMAS', () => {
    expect(ALL_OPS.length).toBe(23);
    for (const [i, op] of ALL_OPS.entries()) {
      const message = sampleMessage(op, i);
      const encoded = encodeMessage(message);
      expect(encoded.readUInt32BE(0)).toBe(encoded.length - 4);
      expect(encoded[4]).toBe(op);
      expect(decodeBody(encoded.subarray(4)), `opcode 0x${op.toString(16)}`).toEqual(message);
    }
  });

  it('round-trips the edge values of each field kind', () => {
    const edges: Message[] = [
      { op: Op.List, key: Buffer.alloc(0) },
      { op: Op.List, key: Buffer.alloc(MAX_KEY_BYTES, 0xff) },
      { op: Op.PutBegin, key: Buffer.from('../x/'), version: '', meta: Buffer.alloc(MAX_META_BYTES, 1), size: 0 },
      { op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: 0, maxVersion: 0xffff, clientFirst: '' },
      { op: Op.Ok, value: 0 },
      { op: Op.Ok, value: Number.MAX_SAFE_INTEGER },
      { op: Op.AuthOk, serverFinal: 'ü'.repeat(32_767), nodeId: '' },
      { op: Op.Data, data: Buffer.alloc(0) },
    ];
    for (const message of edges) expect(decodeBody(encodeMessage(message).subarray(4))).toEqual(message);
  });

  it('decodes hand-assembled bodies', () => {
    expect(decodeBody(Buffer.concat([u8(0x81), u16(PROTOCOL_VERSION), str('r=abc,s=c2FsdA==,i=4096')]))).toEqual({
      op: Op.Challenge,
      version: PROTOCOL_VERSION,
      serverFirst: 'r=abc,s=c2FsdA==,i=4096',
    });
    expect(decodeBody(Buffer.concat([u8(0x41), bytes16(Buffer.from([1, 2])), str('0a')]))).toEqual({
      op: Op.DeleteVersion,
      key: Buffer.from([1, 2]),
      version: '0a',
    });
  });
});

describe('frame decoder', () => {
  // Every opcode, empty and small DATA frames, and one 64 KiB DATA frame. Kept near 70 KB because
  // the every-offset test below decodes it once per byte.
  const mixed: Message[] = [
    ...ALL_OPS.map((op, i) => sampleMessage(op, i + 1)),
    dataMessage(Buffer.alloc(0)),
    dataMessage(pattern(1, 1)),
    dataMessage(pattern(4 * 1024, 2)),
    dataMessage(pattern(64 * 1024, 3)),
    { op: Op.PutEnd },
    dataMessage(pattern(300, 4)),
    ...ALL_OPS.map((op, i) => sampleMessage(op, i + 50)),
  ];
  const mixedStream = Buffer.concat(mixed.map((m) => encodeMessage(m)));

  // Frames no larger than 1 KiB, for feeding byte by byte.
  const small: Message[] = [
    ...ALL_OPS.map((op, i) => sampleMessage(op, i + 1)),
    dataMessage(Buffer.alloc(0)),
    dataMessage(pattern(1, 5)),
    dataMessage(pattern(1000, 6)),
    ...ALL_OPS.map((op, i) => sampleMessage(op, i + 80)),
  ];
  const smallStream = Buffer.concat(small.map((m) => encodeMessage(m)));

  it('decodes a stream of many frames pushed in one piece', () => {
    const decoder = new FrameDecoder();
    expect(sameMessages(decoder.push(mixedStream), mixed)).toBe(true);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('parses a stream cut at every byte offset into the same messages', () => {
    const wrong: number[] = [];
    for (let cut = 0; cut <= mixedStream.length; cut++) {
      const decoder = new FrameDecoder();
      const first = decoder.push(mixedStream.subarray(0, cut));
      const second = decoder.push(mixedStream.subarray(cut));
      if (!sameMessages([...first, ...second], mixed) || decoder.pendingBytes !== 0) wrong.push(cut);
    }
    expect(wrong).toEqual([]);
  });

  it('parses a stream pushed one byte at a time into the same messages', () => {
    const decoder = new FrameDecoder();
    const got: Message[] = [];
    let maxPending = 0;
    for (let i = 0; i < smallStream.length; i++) {
      got.push(...decoder.push(smallStream.subarray(i, i + 1)));
      maxPending = Math.max(maxPending, decoder.pendingBytes);
    }
    expect(sameMessages(got, small)).toBe(true);
    expect(decoder.pendingBytes).toBe(0);
    expect(maxPending).toBeLessThan(1100);
  });

  it('parses the largest frame pushed one byte at a time (work stays linear in the bytes pushed)', () => {
    const big = dataMessage(pattern(MAX_FRAME_BYTES - FRAME_HEADER_BYTES, 9));
    const bytes = Buffer.concat([encodeMessage(big), encodeMessage({ op: Op.Ping })]);
    const decoder = new FrameDecoder();
    const got: Message[] = [];
    for (let i = 0; i < bytes.length; i++) got.push(...decoder.push(bytes.subarray(i, i + 1)));
    expect(sameMessages(got, [big, { op: Op.Ping }])).toBe(true);
  });

  it('returns each message as soon as its last byte arrives', () => {
    const decoder = new FrameDecoder();
    const ping = encodeMessage({ op: Op.Ping });
    const pong = encodeMessage({ op: Op.Pong });
    expect(decoder.push(ping.subarray(0, 4))).toEqual([]);
    expect(decoder.pendingBytes).toBe(4);
    expect(decoder.push(Buffer.concat([ping.subarray(4), pong.subarray(0, 2)]))).toEqual([{ op: Op.Ping }]);
    expect(decoder.pendingBytes).toBe(2);
    expect(decoder.push(pong.subarray(2))).toEqual([{ op: Op.Pong }]);
    expect(decoder.push(Buffer.alloc(0))).toEqual([]);
  });

  it('decodes maximum-size and MAX_DATA_CHUNK_BYTES DATA frames cut at headers, boundaries and inside payloads', () => {
    const messages: Message[] = [
      { op: Op.PutBegin, key: pattern(32, 9), version: '0001', meta: pattern(200, 10), size: 3 * MAX_FRAME_BYTES },
      dataMessage(pattern(MAX_FRAME_BYTES - FRAME_HEADER_BYTES, 11)),
      dataMessage(pattern(MAX_DATA_CHUNK_BYTES, 12)),
      { op: Op.PutEnd },
      dataMessage(pattern(MAX_FRAME_BYTES - FRAME_HEADER_BYTES, 13)),
      { op: Op.Ping },
    ];
    const frames = messages.map((m) => encodeMessage(m));
    const stream = Buffer.concat(frames);
    // Every offset within 16 bytes of each frame boundary, plus a stride through the payloads.
    const cuts = new Set<number>();
    let boundary = 0;
    for (const f of [Buffer.alloc(0), ...frames]) {
      boundary += f.length;
      for (let d = -16; d <= 16; d++) if (boundary + d >= 0 && boundary + d <= stream.length) cuts.add(boundary + d);
    }
    for (let cut = 0; cut <= stream.length; cut += 16_381) cuts.add(cut);
    const wrong: number[] = [];
    for (const cut of cuts) {
      const decoder = new FrameDecoder();
      const got = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      if (!sameMessages(got, messages)) wrong.push(cut);
    }
    expect(wrong).toEqual([]);
  });

  it('decodes large DATA frames arriving in socket-sized chunks', () => {
    const messages: Message[] = [
      dataMessage(pattern(MAX_FRAME_BYTES - FRAME_HEADER_BYTES, 21)),
      { op: Op.PutEnd },
      dataMessage(pattern(MAX_DATA_CHUNK_BYTES, 22)),
    ];
    const stream = Buffer.concat(messages.map((m) => encodeMessage(m)));
    for (const chunkBytes of [16 * 1024, 65_536, 1500]) {
      const decoder = new FrameDecoder();
      const got: Message[] = [];
      for (let at = 0; at < stream.length; at += chunkBytes) got.push(...decoder.push(stream.subarray(at, at + chunkBytes)));
      expect(sameMessages(got, messages), `chunks of ${chunkBytes} bytes`).toBe(true);
    }
  });

  it('accepts a DATA frame of exactly MAX_FRAME_BYTES and passes its payload through without holding it', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.concat([u32(MAX_FRAME_BYTES - 4), u8(0x11)]))).toEqual([]);
    expect(decoder.pendingBytes).toBe(0);
    const payload = pattern(MAX_FRAME_BYTES - FRAME_HEADER_BYTES, 4);
    const first = decoder.push(payload.subarray(0, 1000));
    expect(first).toEqual([{ op: Op.Data, data: payload.subarray(0, 1000) }]);
    expect(decoder.pendingBytes).toBe(0);
    const rest = decoder.push(Buffer.concat([payload.subarray(1000), encodeMessage({ op: Op.Pong })]));
    expect(sameMessages([...first, ...rest], [{ op: Op.Data, data: payload }, { op: Op.Pong }])).toBe(true);
  });

  it('buffers a control frame spread over chunks until it is whole', () => {
    const decoder = new FrameDecoder();
    const frame = encodeMessage({ op: Op.Error, code: 'NOT_FOUND', message: 'x'.repeat(5000) });
    expect(decoder.push(frame.subarray(0, 100))).toEqual([]);
    expect(decoder.pendingBytes).toBe(100);
    expect(decoder.push(frame.subarray(100))).toEqual([{ op: Op.Error, code: 'NOT_FOUND', message: 'x'.repeat(5000) }]);
  });

  describe('malformed input', () => {
    it('rejects a header claiming 4 GiB as soon as the header arrives, without buffering the body', () => {
      const decoder = new FrameDecoder();
      const error = expectCode(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x11])), 'FRAME_TOO_LARGE');
      expect(error.message).toContain(String(MAX_FRAME_BYTES));
      expect(decoder.pendingBytes).toBe(0);
    });

    it('rejects a declared length one byte over MAX_FRAME_BYTES, even from the length prefix alone', () => {
      expectCode(() => new FrameDecoder().push(u32(MAX_FRAME_BYTES - 3)), 'FRAME_TOO_LARGE');
      const decoder = new FrameDecoder();
      expect(decoder.push(Buffer.from([0x00, 0x10]))).toEqual([]);
      expectCode(() => decoder.push(Buffer.from([0x00, 0x00])), 'FRAME_TOO_LARGE');
    });

    it('rejects a zero-length body', () => {
      expectCode(() => new FrameDecoder().push(u32(0)), 'BAD_FRAME');
      expectCode(() => decodeBody(Buffer.alloc(0)), 'BAD_FRAME');
    });

    it('rejects an unknown opcode', () => {
      expectCode(() => new FrameDecoder().push(frame(0x7f)), 'UNKNOWN_OP');
      expectCode(() => new FrameDecoder().push(frame(0x00, u64(1n))), 'UNKNOWN_OP');
      expectCode(() => decodeBody(Buffer.from([0xff])), 'UNKNOWN_OP');
    });

    it('rejects a field running past the end of the frame', () => {
      // key declares 10 bytes, 3 follow
      expectCode(() => new FrameDecoder().push(frame(0x13, u16(10), Buffer.from('abc'))), 'BAD_FRAME');
      // u64 cut short
      expectCode(() => new FrameDecoder().push(frame(0x83, Buffer.alloc(4))), 'BAD_FRAME');
      // meta length prefix itself cut short
      expectCode(() => new FrameDecoder().push(frame(0x10, bytes16(Buffer.from('k')), str('1'), Buffer.from([0, 0]))), 'BAD_FRAME');
      // meta declares more than the frame holds
      expectCode(() => new FrameDecoder().push(frame(0x10, bytes16(Buffer.from('k')), str('1'), u32(100), Buffer.alloc(8))), 'BAD_FRAME');
      // HELLO without its string
      expectCode(() => new FrameDecoder().push(frame(0x01, Buffer.from('DFSV'), u16(1), u16(1))), 'BAD_FRAME');
    });

    it('rejects a key longer than MAX_KEY_BYTES, and a metadata blob longer than MAX_META_BYTES', () => {
      const longKey = Buffer.alloc(MAX_KEY_BYTES + 1, 0x61);
      expectCode(() => new FrameDecoder().push(frame(0x30, bytes16(longKey))), 'BAD_FRAME');
      const okKey = Buffer.alloc(MAX_KEY_BYTES, 0x61);
      expect(new FrameDecoder().push(frame(0x30, bytes16(okKey)))).toEqual([{ op: Op.List, key: okKey }]);
      const longMeta = frame(0x10, bytes16(Buffer.from('k')), str('1'), bytes32(Buffer.alloc(MAX_META_BYTES + 1)), u64(0n));
      expectCode(() => new FrameDecoder().push(longMeta), 'BAD_FRAME');
    });

    it('rejects trailing bytes after the last field', () => {
      expectCode(() => new FrameDecoder().push(frame(0x51, u8(0))), 'BAD_FRAME');
      expectCode(() => new FrameDecoder().push(frame(0x83, u64(1n), u8(0))), 'BAD_FRAME');
    });

    it('rejects a u64 above Number.MAX_SAFE_INTEGER', () => {
      expectCode(() => new FrameDecoder().push(frame(0x83, u64(2n ** 53n))), 'BAD_FRAME');
      expectCode(() => new FrameDecoder().push(frame(0x85, u64(0n), u64(2n ** 64n - 1n))), 'BAD_FRAME');
      expect(new FrameDecoder().push(frame(0x83, u64(2n ** 53n - 1n)))).toEqual([{ op: Op.Ok, value: Number.MAX_SAFE_INTEGER }]);
    });

    it('stays failed after an error, refusing even well-formed frames', () => {
      const decoder = new FrameDecoder();
      expect(decoder.push(encodeMessage({ op: Op.Ping }))).toEqual([{ op: Op.Ping }]);
      const first = expectCode(() => decoder.push(frame(0x7f)), 'UNKNOWN_OP');
      expect(decoder.pendingBytes).toBe(0);
      const again = protocolErrorFrom(() => decoder.push(encodeMessage({ op: Op.Ping })));
      expect(again).toBe(first);
      expect(protocolErrorFrom(() => decoder.push(Buffer.alloc(0)))).toBe(first);
    });

    it('fails on a bad frame that follows good ones in the same chunk', () => {
      const decoder = new FrameDecoder();
      const chunk = Buffer.concat([encodeMessage({ op: Op.Ping }), frame(0x51, u8(0)), encodeMessage({ op: Op.Pong })]);
      expectCode(() => decoder.push(chunk), 'BAD_FRAME');
      expectCode(() => decoder.push(encodeMessage({ op: Op.Pong })), 'BAD_FRAME');
    });
  });
});
