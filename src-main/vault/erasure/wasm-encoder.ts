// A minimal encoder for the WebAssembly binary format: just what gf-kernel-module.ts needs (functions of
// i32 parameters and no results, one exported memory of fixed size, a handful of scalar and SIMD opcodes).
// Written by hand because no wasm assembler is among the project's dependencies; the module is built at
// load time, so there is no generated file to keep in step with its source.
// Reference: the WebAssembly core specification, chapter 5 (binary format), and the SIMD proposal's opcode table.

/** Value types. */
export const enum ValType {
  I32 = 0x7f,
  V128 = 0x7b,
}

/** Scalar and control opcodes (one byte each). */
export const enum Op {
  Block = 0x02,
  Loop = 0x03,
  End = 0x0b,
  BrIf = 0x0d,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I32Const = 0x41,
  I32Eqz = 0x45,
  I32LtU = 0x49,
  I32Add = 0x6a,
}

/** SIMD opcodes: they follow the 0xfd prefix as an unsigned LEB128 number. */
export const enum SimdOp {
  V128Load = 0x00,
  V128Store = 0x0b,
  I8x16Swizzle = 0x0e,
  I8x16Splat = 0x0f,
  V128And = 0x4e,
  V128Xor = 0x51,
  I16x8ShrU = 0x8d,
}

const SIMD_PREFIX = 0xfd;
const EMPTY_BLOCK_TYPE = 0x40;
const FUNC_TYPE = 0x60;
// log2 of 16: every v128 access in the kernels is to a 16-byte aligned address (a hint; wasm never faults on it).
const V128_ALIGN = 4;

/** Unsigned LEB128, the encoding of sizes, counts, indices and offsets. */
export function unsignedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`not a u32: ${value}`);
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return out;
}

/** Signed LEB128, the encoding of i32.const immediates. */
export function signedLeb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new RangeError(`not an i32: ${value}`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    // Done once the remaining bits are all copies of the sign bit that `low` already carries in bit 6.
    if ((rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0)) {
      out.push(low);
      return out;
    }
    out.push(low | 0x80);
  }
}

/** Instructions, each as its bytes; a function body is a concatenation of them. */
export const ins = {
  block: (): number[] => [Op.Block, EMPTY_BLOCK_TYPE],
  loop: (): number[] => [Op.Loop, EMPTY_BLOCK_TYPE],
  end: (): number[] => [Op.End],
  /** Branches to the enclosing block or loop `depth` levels out (0 = innermost) if the top of the stack is nonzero. */
  brIf: (depth: number): number[] => [Op.BrIf, ...unsignedLeb(depth)],
  localGet: (index: number): number[] => [Op.LocalGet, ...unsignedLeb(index)],
  localSet: (index: number): number[] => [Op.LocalSet, ...unsignedLeb(index)],
  localTee: (index: number): number[] => [Op.LocalTee, ...unsignedLeb(index)],
  i32Const: (value: number): number[] => [Op.I32Const, ...signedLeb(value)],
  i32Eqz: (): number[] => [Op.I32Eqz],
  i32LtU: (): number[] => [Op.I32LtU],
  i32Add: (): number[] => [Op.I32Add],
  v128Load: (offset: number): number[] => simd(SimdOp.V128Load, V128_ALIGN, ...unsignedLeb(offset)),
  v128Store: (offset: number): number[] => simd(SimdOp.V128Store, V128_ALIGN, ...unsignedLeb(offset)),
  i8x16Swizzle: (): number[] => simd(SimdOp.I8x16Swizzle),
  i8x16Splat: (): number[] => simd(SimdOp.I8x16Splat),
  v128And: (): number[] => simd(SimdOp.V128And),
  v128Xor: (): number[] => simd(SimdOp.V128Xor),
  i16x8ShrU: (): number[] => simd(SimdOp.I16x8ShrU),
};

function simd(op: SimdOp, ...immediates: number[]): number[] {
  return [SIMD_PREFIX, ...unsignedLeb(op), ...immediates];
}

/** A function with i32 parameters, no results, extra locals of the given types, exported under `name`. */
export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  readonly locals: readonly ValType[];
  /** The instructions, without the final `end`. */
  readonly body: readonly number[];
}

const enum Section {
  Type = 1,
  Function = 3,
  Memory = 5,
  Export = 7,
  Code = 10,
}

const enum ExportKind {
  Func = 0,
  Memory = 2,
}

/** A module of the given functions and one memory of exactly `pages` 64 KiB pages, exported as "memory". */
export function encodeModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  // One type per function keeps the encoder simple; identical types are allowed and cost a few bytes.
  const types = functions.map((f) => [FUNC_TYPE, ...vector(Array.from({ length: f.params }, () => [ValType.I32])), 0]);
  const funcIndices = functions.map((_, i) => unsignedLeb(i));
  // Limits flag 1: a maximum follows, equal to the minimum, so the memory can never grow and views of it stay valid.
  const memory = [[0x01, ...unsignedLeb(pages), ...unsignedLeb(pages)]];
  const exports = [
    [...name('memory'), ExportKind.Memory, 0],
    ...functions.map((f, i) => [...name(f.name), ExportKind.Func, ...unsignedLeb(i)]),
  ];
  const bodies = functions.map((f) => {
    // Locals are declared as runs of (count, type); one run per local is valid and plain.
    const code = [...vector(f.locals.map((type) => [1, type])), ...f.body, Op.End];
    return [...unsignedLeb(code.length), ...code];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d], // "\0asm"
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...section(Section.Type, vector(types)),
    ...section(Section.Function, vector(funcIndices)),
    ...section(Section.Memory, vector(memory)),
    ...section(Section.Export, vector(exports)),
    ...section(Section.Code, vector(bodies)),
  ]);
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function section(id: Section, contents: readonly number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}
