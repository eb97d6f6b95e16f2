import { describe, it, expect } from 'vitest';
import { instantiate, wasmApi } from '../../../src-main/vault/erasure/wasm-api.js';
import { encodeModule, ins, signedLeb, unsignedLeb, ValType } from '../../../src-main/vault/erasure/wasm-encoder.js';

const wasm = wasmApi()!;

describe('LEB128', () => {
  it('encodes unsigned numbers seven bits at a time, low bits first', () => {
    expect(unsignedLeb(0)).toEqual([0x00]);
    expect(unsignedLeb(127)).toEqual([0x7f]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    // The example of the LEB128 article in the DWARF specification.
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb(0xffff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('encodes signed numbers so that bit 6 of the last byte is the sign', () => {
    expect(signedLeb(0)).toEqual([0x00]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(-64)).toEqual([0x40]);
    expect(signedLeb(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb(0x7fff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(signedLeb(-0x8000_0000)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('refuses numbers outside 32 bits', () => {
    expect(() => unsignedLeb(-1)).toThrow(RangeError);
    expect(() => unsignedLeb(2 ** 32)).toThrow(RangeError);
    expect(() => signedLeb(2 ** 31)).toThrow(RangeError);
    expect(() => signedLeb(0.5)).toThrow(RangeError);
  });
});

describe('encodeModule', () => {
  // (func $store (param $at i32) (param $value i32) (local $v v128)
  //   (local.set $v (i8x16.splat (local.get $value)))
  //   (v128.store offset=16 (local.get $at) (v128.xor (local.get $v) (v128.load offset=16 (local.get $at)))))
  const store = {
    name: 'store',
    params: 2,
    locals: [ValType.V128],
    body: [
      ...ins.localGet(1), ...ins.i8x16Splat(), ...ins.localSet(2),
      ...ins.localGet(0),
      ...ins.localGet(2), ...ins.localGet(0), ...ins.v128Load(16), ...ins.v128Xor(),
      ...ins.v128Store(16),
    ],
  };

  it('builds a module that validates, exports its memory and functions, and runs', () => {
    const bytes = encodeModule([store], 1);
    expect(wasm.validate(bytes)).toBe(true);
    const exports = instantiate(wasm, bytes);
    const memory = new Uint8Array((exports.memory as { buffer: ArrayBuffer }).buffer);
    expect(memory.length).toBe(65536);
    memory.fill(0x0f, 16, 32);
    (exports.store as (at: number, value: number) => void)(4, 0xf0);
    // Bytes 16..19 were XORed with 0 (outside the stored vector was zero), bytes 20..35 with 0x0f.
    expect(Array.from(memory.subarray(16, 40))).toEqual([
      ...Array<number>(4).fill(0x0f),
      ...Array<number>(12).fill(0xff),
      ...Array<number>(4).fill(0xf0),
      ...Array<number>(4).fill(0),
    ]);
  });

  it('gives a memory that cannot grow', () => {
    const exports = instantiate(wasm, encodeModule([store], 2));
    const memory = exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
    expect(memory.buffer.byteLength).toBe(2 * 65536);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('produces bytes the runtime rejects when a body is not valid', () => {
    // i32.add with nothing on the stack: the check that guards the SIMD kernels must be able to say no.
    expect(wasm.validate(encodeModule([{ name: 'broken', params: 0, locals: [], body: ins.i32Add() }], 1))).toBe(false);
  });
});
