import { encodeModule, ins, ValType } from './wasm-encoder.js';
import type { WasmFunction } from './wasm-encoder.js';

// The wasm SIMD region kernels, in the split-nibble form of ISA-L and klauspost/reedsolomon: for a
// coefficient c, lo[i] = c·i and hi[i] = c·(i << 4) for i < 16, and since multiplication by c is linear
// over XOR, c·v = lo[v & 15] ^ hi[v >> 4], sixteen bytes at a time with two i8x16.swizzle table lookups.
// Each function is given in WAT next to the code that emits it.

/** Bytes handled per loop iteration: four vectors. Buffers must allow the kernels to run up to a whole step past `len`. */
export const KERNEL_STEP_BYTES = 64;
/** Size of one coefficient's nibble tables: lo at +0, hi at +16. */
export const NIBBLE_TABLE_BYTES = 32;

/** The kernels' exports, in the names the module gives them. Pointers are offsets into `memory`. */
export interface GfKernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  /** dst = a ^ b over ceil(len / 64) · 64 bytes; dst may be a or b. */
  xor(dst: number, a: number, b: number, len: number): void;
  /** dst = c·src, for the c whose nibble tables are at `table`; dst may be src. */
  mul(dst: number, src: number, len: number, table: number): void;
  /** dst = a ^ c·b, for the c whose nibble tables are at `table`; dst may be a or b. */
  mulAdd(dst: number, a: number, b: number, len: number, table: number): void;
}

const VECTOR = 16;
const UNROLL = KERNEL_STEP_BYTES / VECTOR;

interface Loop {
  /** The parameter indices of the pointers, dst first; each advances by a step per iteration. */
  readonly pointers: readonly number[];
  readonly len: number;
  /** A local holding dst + len. */
  readonly end: number;
}

/**
 * Wraps a per-vector body in the loop every kernel shares, here for pointers $dst and $src:
 *
 *   (local.set $end (i32.add (local.get $dst) (local.get $len)))
 *   (block $done
 *     (br_if $done (i32.eqz (local.get $len)))
 *     (loop $step
 *       vector(0) vector(16) vector(32) vector(48)
 *       (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
 *       (local.set $src (i32.add (local.get $src) (i32.const 64)))
 *       (br_if $step (i32.lt_u (local.get $dst) (local.get $end)))))
 */
function stepLoop({ pointers, len, end }: Loop, vector: (offset: number) => number[]): number[] {
  const dst = pointers[0]!;
  const unrolled: number[] = [];
  // Unrolling through the load/store offset immediates costs no address arithmetic per vector.
  for (let u = 0; u < UNROLL; u++) unrolled.push(...vector(u * VECTOR));
  return [
    ...ins.localGet(dst), ...ins.localGet(len), ...ins.i32Add(), ...ins.localSet(end),
    ...ins.block(),
    ...ins.localGet(len), ...ins.i32Eqz(), ...ins.brIf(0),
    ...ins.loop(),
    ...unrolled,
    ...pointers.flatMap((p) => [...ins.localGet(p), ...ins.i32Const(KERNEL_STEP_BYTES), ...ins.i32Add(), ...ins.localSet(p)]),
    ...ins.localGet(dst), ...ins.localGet(end), ...ins.i32LtU(), ...ins.brIf(0),
    ...ins.end(),
    ...ins.end(),
  ];
}

/**
 * (func $xor (param $dst i32) (param $a i32) (param $b i32) (param $len i32) (local $end i32)
 *   stepLoop over $dst $a $b with vector(o) =
 *     (v128.store offset=o (local.get $dst)
 *       (v128.xor (v128.load offset=o (local.get $a)) (v128.load offset=o (local.get $b)))))
 */
function xorKernel(): WasmFunction {
  const [dst, a, b, len, end] = [0, 1, 2, 3, 4];
  return {
    name: 'xor',
    params: 4,
    locals: [ValType.I32],
    body: stepLoop({ pointers: [dst, a, b], len, end }, (o) => [
      ...ins.localGet(dst),
      ...ins.localGet(a), ...ins.v128Load(o),
      ...ins.localGet(b), ...ins.v128Load(o),
      ...ins.v128Xor(),
      ...ins.v128Store(o),
    ]),
  };
}

/**
 * The nibble-table product of the vector at offset o from $src, given the locals $lo, $hi, $mask and $x:
 *
 *   (v128.xor
 *     (i8x16.swizzle (local.get $lo) (v128.and (local.tee $x (v128.load offset=o (local.get $src))) (local.get $mask)))
 *     (i8x16.swizzle (local.get $hi) (v128.and (i16x8.shr_u (local.get $x) (i32.const 4)) (local.get $mask))))
 *
 * The high nibbles come from a 16-bit shift and a mask because wasm's i8x16.shr_u lowers to the same two
 * x86 instructions plus setup; the mask also keeps swizzle's indices below 16, where it never zeroes a lane.
 */
function product(src: number, o: number, { lo, hi, mask, x }: ProductLocals): number[] {
  return [
    ...ins.localGet(lo),
    ...ins.localGet(src), ...ins.v128Load(o), ...ins.localTee(x),
    ...ins.localGet(mask), ...ins.v128And(),
    ...ins.i8x16Swizzle(),
    ...ins.localGet(hi),
    ...ins.localGet(x), ...ins.i32Const(4), ...ins.i16x8ShrU(),
    ...ins.localGet(mask), ...ins.v128And(),
    ...ins.i8x16Swizzle(),
    ...ins.v128Xor(),
  ];
}

interface ProductLocals {
  readonly lo: number;
  readonly hi: number;
  readonly mask: number;
  readonly x: number;
}

const PRODUCT_LOCAL_TYPES = [ValType.V128, ValType.V128, ValType.V128, ValType.V128];

/**
 * Loads coefficient c's tables and the nibble mask into the product locals:
 *
 *   (local.set $lo (v128.load (local.get $table)))
 *   (local.set $hi (v128.load offset=16 (local.get $table)))
 *   (local.set $mask (i8x16.splat (i32.const 0x0f)))
 */
function loadTables(table: number, { lo, hi, mask }: ProductLocals): number[] {
  return [
    ...ins.localGet(table), ...ins.v128Load(0), ...ins.localSet(lo),
    ...ins.localGet(table), ...ins.v128Load(VECTOR), ...ins.localSet(hi),
    ...ins.i32Const(0x0f), ...ins.i8x16Splat(), ...ins.localSet(mask),
  ];
}

/**
 * (func $mul (param $dst i32) (param $src i32) (param $len i32) (param $table i32)
 *     (local $end i32) (local $lo v128) (local $hi v128) (local $mask v128) (local $x v128)
 *   loadTables
 *   stepLoop over $dst $src with vector(o) =
 *     (v128.store offset=o (local.get $dst) product($src, o)))
 */
function mulKernel(): WasmFunction {
  const [dst, src, len, table, end] = [0, 1, 2, 3, 4];
  const locals: ProductLocals = { lo: 5, hi: 6, mask: 7, x: 8 };
  return {
    name: 'mul',
    params: 4,
    locals: [ValType.I32, ...PRODUCT_LOCAL_TYPES],
    body: [
      ...loadTables(table, locals),
      ...stepLoop({ pointers: [dst, src], len, end }, (o) => [
        ...ins.localGet(dst),
        ...product(src, o, locals),
        ...ins.v128Store(o),
      ]),
    ],
  };
}

/**
 * (func $mulAdd (param $dst i32) (param $a i32) (param $b i32) (param $len i32) (param $table i32)
 *     (local $end i32) (local $lo v128) (local $hi v128) (local $mask v128) (local $x v128)
 *   loadTables
 *   stepLoop over $dst $a $b with vector(o) =
 *     (v128.store offset=o (local.get $dst) (v128.xor (v128.load offset=o (local.get $a)) product($b, o))))
 */
function mulAddKernel(): WasmFunction {
  const [dst, a, b, len, table, end] = [0, 1, 2, 3, 4, 5];
  const locals: ProductLocals = { lo: 6, hi: 7, mask: 8, x: 9 };
  return {
    name: 'mulAdd',
    params: 5,
    locals: [ValType.I32, ...PRODUCT_LOCAL_TYPES],
    body: [
      ...loadTables(table, locals),
      ...stepLoop({ pointers: [dst, a, b], len, end }, (o) => [
        ...ins.localGet(dst),
        ...ins.localGet(a), ...ins.v128Load(o),
        ...product(b, o, locals),
        ...ins.v128Xor(),
        ...ins.v128Store(o),
      ]),
    ],
  };
}

/** The binary of the kernel module, with a fixed memory of `pages` 64 KiB pages. */
export function gfKernelModuleBytes(pages: number): Uint8Array {
  return encodeModule([xorKernel(), mulKernel(), mulAddKernel()], pages);
}
