import { describe, expect, it } from 'vitest';
import { fromWireJson, toWireJson } from '../../src-main/shared/wire-json.js';

/** Every byte value in turn, repeated to `length` bytes. */
function allByteValues(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 256;
  return bytes;
}

describe('wire JSON', () => {
  it('carries bytes as {"$bytes": base64}', () => {
    expect(toWireJson(new Uint8Array([0, 1, 255]))).toBe('{"$bytes":"AAH/"}');
    expect(fromWireJson('{"$bytes":"AAH/"}')).toStrictEqual(new Uint8Array([0, 1, 255]));
  });

  it('round-trips empty bytes', () => {
    const back = fromWireJson(toWireJson(new Uint8Array(0)));
    expect(back).toBeInstanceOf(Uint8Array);
    expect(back).toHaveLength(0);
  });

  it('round-trips 1 MiB + 1 bytes of every byte value', () => {
    const original = allByteValues(1024 * 1024 + 1);
    const back = fromWireJson(toWireJson(original));
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(back as Uint8Array, original)).toBe(0);
  });

  it('carries a Buffer as bytes, not as Node’s {type, data} form', () => {
    const text = toWireJson({ bytes: Buffer.from([7, 8, 9]) });
    expect(text).toBe('{"bytes":{"$bytes":"BwgJ"}}');
    expect(fromWireJson(text)).toStrictEqual({ bytes: new Uint8Array([7, 8, 9]) });
  });

  it('round-trips bytes nested in objects and arrays next to ordinary values', () => {
    const value = { id: 'u1', chunks: [new Uint8Array([1]), { inner: new Uint8Array([2, 3]) }], size: 3, done: true, note: null };
    expect(fromWireJson(toWireJson(value))).toStrictEqual(value);
  });

  it('leaves an object with a $bytes key and other keys as it is', () => {
    const text = JSON.stringify({ $bytes: 'AAH/', name: 'x' });
    expect(fromWireJson(text)).toStrictEqual({ $bytes: 'AAH/', name: 'x' });
  });

  it('leaves a $bytes key whose value is not a string as it is', () => {
    expect(fromWireJson('{"$bytes":5}')).toStrictEqual({ $bytes: 5 });
    expect(fromWireJson('{"$bytes":["AA=="]}')).toStrictEqual({ $bytes: ['AA=='] });
  });

  it('passes ordinary JSON through unchanged', () => {
    const value = { ok: false, error: { code: 'NOT_FOUND', message: 'No such file.' }, list: [1, 'two', [3]] };
    expect(fromWireJson(toWireJson(value))).toStrictEqual(value);
    expect(toWireJson(value)).toBe(JSON.stringify(value));
  });

  it('refuses text that is not JSON', () => {
    expect(() => fromWireJson('{"a":')).toThrow(SyntaxError);
  });
});
