// CRC-32 (the zlib one: reflected polynomial 0xEDB88320) as the algebra zlib's crc32_combine uses:
// a CRC is affine in its message, so the CRC of an XOR of equal-length messages follows from their
// CRCs without reading a byte of it. The multiplication and the table of x^(2^k) follow zlib 1.3.

const POLY = 0xedb88320;
/** x^0 in the reflected bit order: the multiplicative identity. */
const ONE = 0x80000000;

/** a·b modulo the CRC polynomial (reflected bit order); a must not be 0. */
function multiplyModP(a: number, b: number): number {
  let product = 0;
  for (let bit = ONE; ; bit >>>= 1) {
    if (a & bit) {
      product ^= b;
      if ((a & (bit - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** X2N[k] = x^(2^k) modulo the polynomial. */
const X2N: number[] = [];
for (let k = 0, p = ONE >>> 1; k < 32; k++, p = multiplyModP(p, p)) X2N.push(p);

/** x^(8·bytes) modulo the polynomial: what appending `bytes` zero bytes multiplies a CRC register by. */
function shiftByBytes(bytes: number): number {
  let p = ONE;
  for (let n = bytes, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multiplyModP(X2N[k & 31]!, p);
  return p;
}

/**
 * The CRC-32 of the XOR of equal-length messages, from each message's CRC and seed: `parts` are
 * { crc: crc32(message, seed), seed }, and the result is crc32(XOR of the messages, `seed`).
 * For zlib's crc32 (x = crc32(m, s)): x = L(m) ⊕ Z(s), where L is linear in the message and
 * Z(s) = crc32(zeros, s) = s·x^(8·length) ⊕ Z(0). XOR the parts and the L terms add up to L of
 * the XOR; the Z terms are swapped for the one of `seed`.
 */
export function crc32OfXor(parts: ReadonlyArray<{ crc: number; seed: number }>, seed: number, length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`A message length must be a whole number ≥ 0, not ${length}.`);
  const shift = shiftByBytes(length);
  let crcs = 0;
  let seeds = seed;
  for (const part of parts) {
    crcs ^= part.crc;
    seeds ^= part.seed;
  }
  // Z(0) = crc32 of `length` zero bytes from seed 0 (register all ones in, all ones out); an even
  // number of Z terms (the parts' and the result's) cancels it.
  const zeroCrc = (multiplyModP(shift, 0xffffffff) ^ 0xffffffff) >>> 0;
  const constant = (parts.length + 1) % 2 === 1 ? zeroCrc : 0;
  return (crcs ^ multiplyModP(shift, seeds >>> 0) ^ constant) >>> 0;
}
