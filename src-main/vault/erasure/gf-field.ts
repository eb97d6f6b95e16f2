/** The reducing polynomial of the field, x^8 + x^4 + x^3 + x^2 + 1 (generator x = 2 is primitive). */
export const GF_POLY = 0x11d;

/** Powers of the generator: GF_EXP[i] = 2^i, stored twice over (512 entries); treat as read-only. */
export const GF_EXP: Uint8Array = new Uint8Array(512);

/** Discrete logarithms: GF_LOG[2^i] = i for nonzero bytes (GF_LOG[0] is meaningless); treat as read-only. */
export const GF_LOG: Uint8Array = new Uint8Array(256);

{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= GF_POLY;
  }
  // A doubled table lets gfMul index LOG[a] + LOG[b] (at most 508) without a modulo.
  for (let i = 255; i < 512; i++) GF_EXP[i] = GF_EXP[i - 255]!;
}

/** Multiplies two field elements (bytes 0..255). */
export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return GF_EXP[GF_LOG[a]! + GF_LOG[b]!]!;
}

/** Divides a by b in the field; throws RangeError when b is 0. */
export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('GF(256) division by zero');
  if (a === 0) return 0;
  return GF_EXP[GF_LOG[a]! + 255 - GF_LOG[b]!]!;
}

/** The multiplicative inverse of a nonzero field element; throws RangeError for 0. */
export function gfInv(a: number): number {
  if (a === 0) throw new RangeError('0 has no inverse in GF(256)');
  return GF_EXP[255 - GF_LOG[a]!]!;
}
