/** Schoolbook carry-less multiply, then reduce by x^8 + x^4 + x^3 + x^2 + 1: shares nothing with the tables. */
export function slowMul(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) product ^= a << bit;
  for (let bit = 14; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

/** Deterministic bytes from a small PRNG (xorshift32), so failures reproduce. */
export function seededBytes(length: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The same deterministic bytes, as a Buffer. */
export function seededBuffer(length: number, seed: number): Buffer {
  const bytes = seededBytes(length, seed);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
