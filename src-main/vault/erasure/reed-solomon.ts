import { combineRegions, gfDiv, invertMatrix } from './gf256.js';
import type { GfMatrix } from './gf256.js';

/** A systematic k + m erasure code: shards 0..k-1 are the data, k..k+m-1 the parity. */
export interface ErasureCodec {
  readonly k: number;
  readonly m: number;
  readonly n: number;
  /** Computes the m parity shards from k data shards of equal length. */
  encode(data: readonly Uint8Array[]): Uint8Array[];
  /** Like encode, but writes the parity into `parity` (m buffers of the data length), allocating nothing. */
  encodeInto(data: readonly Uint8Array[], parity: readonly Uint8Array[]): void;
  /** Returns the k data shards, given any k or more of the n shards (null where missing). */
  reconstructData(shards: readonly (Uint8Array | null)[]): Uint8Array[];
  /** Returns all n shards, rebuilding every missing one from any k present. */
  reconstructAll(shards: readonly (Uint8Array | null)[]): Uint8Array[];
}

// GF(2^8) has 256 elements and the Cauchy construction needs k + m distinct ones.
const MAX_SHARDS = 255;
// Enough for every pattern of a small code; a wide code's patterns are bounded rather than hoarded.
const DECODE_CACHE_LIMIT = 64;

const codecs = new Map<string, ErasureCodec>();

/** Creates (and caches) the codec for k data and m parity shards; 1 <= k, 0 <= m, k + m <= 255. */
export function createErasureCodec(k: number, m: number): ErasureCodec {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k (data shards) must be an integer >= 1, got ${k}`);
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m (parity shards) must be an integer >= 0, got ${m}`);
  if (k + m > MAX_SHARDS) throw new RangeError(`k + m must be at most ${MAX_SHARDS}, got ${k} + ${m} = ${k + m}`);
  const key = `${k}+${m}`;
  let codec = codecs.get(key);
  if (codec === undefined) {
    codec = new ReedSolomonCodec(k, m);
    codecs.set(key, codec);
  }
  return codec;
}

/**
 * The m×k parity rows: the Cauchy matrix C[i][j] = 1/(x_i + y_j) with x_i = k + i and y_j = j,
 * columns scaled by 1/C[0][j] and then rows by 1/row[0], so the first row and first column are
 * all ones. Scaling rows and columns by nonzero factors keeps every square submatrix nonsingular,
 * so [I; P] stays MDS, and parity 0 becomes a plain XOR. These constants fix the stored format:
 * changing them makes existing parity undecodable.
 */
function parityRows(k: number, m: number): GfMatrix {
  const rows: GfMatrix = [];
  for (let i = 0; i < m; i++) {
    const row = new Uint8Array(k);
    // x_i >= k > y_j, so x_i + y_j (XOR in this field) is never 0.
    for (let j = 0; j < k; j++) row[j] = gfDiv(k ^ j, (k + i) ^ j);
    const rowScale = row[0]!;
    for (let j = 0; j < k; j++) row[j] = gfDiv(row[j]!, rowScale);
    rows.push(row);
  }
  return rows;
}

interface DecodePlan {
  /** The k shard indices whose rows form the inverted submatrix, in order. */
  readonly rows: readonly number[];
  /** Missing data indices rebuilt from the inverse, each with its row of coefficients over `rows`. */
  readonly viaInverse: readonly { readonly index: number; readonly coeffs: Uint8Array }[];
  /** A missing data index rebuilt as parity 0 XOR all other data, or -1 when parity 0 is unused. */
  readonly viaXor: number;
}

class ReedSolomonCodec implements ErasureCodec {
  readonly n: number;
  private readonly parity: GfMatrix;
  private readonly plans = new Map<string, DecodePlan>();

  constructor(
    readonly k: number,
    readonly m: number,
  ) {
    this.n = k + m;
    this.parity = parityRows(k, m);
  }

  encode(data: readonly Uint8Array[]): Uint8Array[] {
    const len = this.checkData(data);
    const parity = this.parity.map(() => new Uint8Array(len));
    this.encodeInto(data, parity);
    return parity;
  }

  encodeInto(data: readonly Uint8Array[], parity: readonly Uint8Array[]): void {
    const len = this.checkData(data);
    if (!Array.isArray(parity) || parity.length !== this.m || parity.some((p) => !(p instanceof Uint8Array) || p.length !== len)) {
      throw new RangeError(`encodeInto expects ${this.m} parity buffers of ${len} bytes`);
    }
    combineRegions(parity, this.parity, data);
  }

  private checkData(data: readonly Uint8Array[]): number {
    if (!Array.isArray(data) || data.length !== this.k) {
      throw new RangeError(`encode expects ${this.k} data shards, got ${describeCount(data)}`);
    }
    return commonLength(data);
  }

  reconstructData(shards: readonly (Uint8Array | null)[]): Uint8Array[] {
    const len = this.checkShards(shards);
    const { k } = this;
    const data: Uint8Array[] = [];
    for (let i = 0; i < k; i++) {
      const shard = shards[i];
      if (shard == null) break;
      data.push(shard);
    }
    // All data present: hand the caller's shards straight back, as the contract promises.
    if (data.length === k) return data;

    const plan = this.planFor(shards);
    const used = plan.rows.map((r) => shards[r]!);
    const out: (Uint8Array | undefined)[] = [];
    for (let i = 0; i < k; i++) out.push(shards[i] ?? undefined);
    // All the shards rebuilt from the inverse come out of one pass over the shards used.
    const rebuilt = plan.viaInverse.map(() => new Uint8Array(len));
    combineRegions(rebuilt, plan.viaInverse.map((row) => row.coeffs), used);
    for (let i = 0; i < rebuilt.length; i++) out[plan.viaInverse[i]!.index] = rebuilt[i];
    if (plan.viaXor >= 0) {
      // Parity 0 is the XOR of all data, so the last missing shard costs k XORs instead of k multiplies.
      const shard = new Uint8Array(len);
      const others = [shards[k]!, ...out.filter((_, i) => i !== plan.viaXor).map((s) => s!)];
      combineRegions([shard], [new Uint8Array(k).fill(1)], others);
      out[plan.viaXor] = shard;
    }
    return out as Uint8Array[];
  }

  reconstructAll(shards: readonly (Uint8Array | null)[]): Uint8Array[] {
    const data = this.reconstructData(shards);
    const { k } = this;
    const parity = shards.slice(k).map((shard) => shard ?? new Uint8Array(data[0]!.length));
    const lost = this.parity.flatMap((_, i) => (shards[k + i] == null ? [i] : []));
    // Every missing parity shard in one pass over the data.
    combineRegions(lost.map((i) => parity[i]!), lost.map((i) => this.parity[i]!), data);
    return [...data, ...parity];
  }

  /** Validates a shard array and returns the common length of the present shards. */
  private checkShards(shards: readonly (Uint8Array | null)[]): number {
    const { k, m, n } = this;
    if (!Array.isArray(shards) || shards.length !== n) {
      throw new RangeError(`expected ${n} shards (k=${k} + m=${m}, null where missing), got ${describeCount(shards)}`);
    }
    let len = -1;
    let present = 0;
    for (let i = 0; i < n; i++) {
      const shard: unknown = shards[i];
      if (shard == null) continue;
      if (!(shard instanceof Uint8Array)) throw new TypeError(`shard ${i} must be a Uint8Array or null`);
      if (len === -1) len = shard.length;
      else if (shard.length !== len) {
        throw new RangeError(`shard ${i} has ${shard.length} bytes, but earlier shards have ${len}`);
      }
      present++;
    }
    if (present < k) {
      throw new RangeError(`need at least ${k} of ${n} shards to reconstruct, only ${present} present`);
    }
    return len;
  }

  private planFor(shards: readonly (Uint8Array | null)[]): DecodePlan {
    const { k, n } = this;
    // Prefer data rows (identity rows make the inverse cheap), then parity rows in order, so parity 0
    // (the XOR row) is used whenever it is present.
    const rows: number[] = [];
    for (let i = 0; i < n && rows.length < k; i++) if (shards[i] != null) rows.push(i);
    const key = rows.join(',');
    const cached = this.plans.get(key);
    if (cached !== undefined) return cached;

    const sub = rows.map((r) => {
      if (r >= k) return this.parity[r - k]!;
      const unit = new Uint8Array(k);
      unit[r] = 1;
      return unit;
    });
    const inverse = invertMatrix(sub);
    // Every present data row was taken, so the data rows not taken are exactly the missing ones.
    const missing: number[] = [];
    for (let i = 0; i < k; i++) if (!rows.includes(i)) missing.push(i);
    const viaXor = rows.includes(k) ? missing[missing.length - 1]! : -1;
    const plan: DecodePlan = {
      rows,
      viaInverse: missing.filter((i) => i !== viaXor).map((index) => ({ index, coeffs: inverse[index]! })),
      viaXor,
    };
    if (this.plans.size >= DECODE_CACHE_LIMIT) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, plan);
    return plan;
  }
}

function commonLength(data: readonly Uint8Array[]): number {
  let len = -1;
  for (let i = 0; i < data.length; i++) {
    const shard: unknown = data[i];
    if (!(shard instanceof Uint8Array)) throw new TypeError(`data shard ${i} must be a Uint8Array`);
    if (len === -1) len = shard.length;
    else if (shard.length !== len) {
      throw new RangeError(`data shard ${i} has ${shard.length} bytes, but shard 0 has ${len}`);
    }
  }
  return len;
}

function describeCount(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : typeof value;
}
