/**
 * Runtime validators for payloads that cross a trust boundary (IPC, HTTP). Each validator both checks a value
 * and declares its TypeScript type, so the contract's request types cannot drift from what is checked.
 * No dependencies: this module runs in Node, in Electron's main process and (types only) in the renderer.
 */

/** A check of an unknown value; returns it typed, or throws `ValidationError` naming the bad field. */
export interface Validator<T> {
  readonly parse: (value: unknown, at?: string) => T;
  /** Present on `optional(...)` validators, so `object` can make the key optional. */
  readonly optional?: true;
}

/** The type a validator accepts. */
export type Infer<V> = V extends Validator<infer T> ? T : never;

/** A payload that does not match its contract; `field` names where. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field || 'request'} ${problem}`);
  }
}

function fail(at: string, problem: string): never {
  throw new ValidationError(at, problem);
}

/** A string of at most `max` characters (default 4096), optionally non-empty. */
export function string(options: { max?: number; nonEmpty?: boolean } = {}): Validator<string> {
  const max = options.max ?? 4096;
  return {
    parse(value, at = '') {
      if (typeof value !== 'string') fail(at, 'must be a string');
      if (value.length > max) fail(at, `must be at most ${max} characters`);
      if (options.nonEmpty && value.length === 0) fail(at, 'must not be empty');
      return value;
    },
  };
}

/** A finite number, optionally an integer within bounds. */
export function number(options: { integer?: boolean; min?: number; max?: number } = {}): Validator<number> {
  return {
    parse(value, at = '') {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, 'must be a finite number');
      if (options.integer && !Number.isInteger(value)) fail(at, 'must be an integer');
      if (options.min !== undefined && value < options.min) fail(at, `must be at least ${options.min}`);
      if (options.max !== undefined && value > options.max) fail(at, `must be at most ${options.max}`);
      return value;
    },
  };
}

/** true or false. */
export function boolean(): Validator<boolean> {
  return {
    parse(value, at = '') {
      if (typeof value !== 'boolean') fail(at, 'must be true or false');
      return value;
    },
  };
}

/** One of the given string literals. */
export function literal<const L extends readonly string[]>(...values: L): Validator<L[number]> {
  return {
    parse(value, at = '') {
      if (typeof value !== 'string' || !values.includes(value)) fail(at, `must be one of ${values.map((v) => `"${v}"`).join(', ')}`);
      return value as L[number];
    },
  };
}

/** Bytes (a Uint8Array, which includes Buffer) of at most `max` bytes. */
export function bytes(options: { max: number }): Validator<Uint8Array> {
  return {
    parse(value, at = '') {
      if (!(value instanceof Uint8Array)) fail(at, 'must be bytes');
      if (value.byteLength > options.max) fail(at, `must be at most ${options.max} bytes`);
      // A small view of a huge buffer would keep (and over IPC, copy) the whole buffer: take only the bytes.
      return value.byteOffset === 0 && value.buffer.byteLength === value.byteLength ? value : value.slice();
    },
  };
}

/** An array of at most `max` items (default 10 000), each checked. */
export function array<T>(item: Validator<T>, options: { max?: number; nonEmpty?: boolean } = {}): Validator<T[]> {
  const max = options.max ?? 10_000;
  return {
    parse(value, at = '') {
      if (!Array.isArray(value)) fail(at, 'must be a list');
      if (value.length > max) fail(at, `must have at most ${max} items`);
      if (options.nonEmpty && value.length === 0) fail(at, 'must not be empty');
      // An index loop, not map: map skips the holes of a sparse array (which structured clone keeps), leaving them unchecked.
      const out: T[] = [];
      for (let i = 0; i < value.length; i++) out.push(item.parse(value[i], `${at}[${i}]`));
      return out;
    },
  };
}

/** Marks an object field as optional (absent or undefined). */
export function optional<T>(inner: Validator<T>): Validator<T | undefined> & { optional: true } {
  return {
    optional: true,
    parse(value, at = '') {
      return value === undefined ? undefined : inner.parse(value, at);
    },
  };
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };
type Flatten<T> = { [K in keyof T]: T[K] };

/** A plain object with exactly these fields (unknown fields are refused, so typos do not pass silently). */
export function object<S extends Shape>(shape: S): Validator<Flatten<ObjectOf<S>>> {
  return {
    parse(value, at = '') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'must be an object');
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) fail(at, 'must be a plain object');
      const input = value as Record<string, unknown>;
      for (const key of Object.keys(input)) if (!Object.hasOwn(shape, key)) fail(at ? `${at}.${key}` : key, 'is not a known field');
      const out: Record<string, unknown> = {};
      for (const [key, validator] of Object.entries(shape)) {
        const parsed = validator.parse(Object.hasOwn(input, key) ? input[key] : undefined, at ? `${at}.${key}` : key);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as Flatten<ObjectOf<S>>;
    },
  };
}

/** An object chosen by its `kind` field: `union({ local: object({ kind: literal('local') }), ... })`. */
export function union<K extends Record<string, Validator<{ kind: string }>>>(kinds: K): Validator<Infer<K[keyof K]>> {
  return {
    parse(value, at = '') {
      const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
      const validator = typeof kind === 'string' && Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
      if (!validator) fail(at ? `${at}.kind` : 'kind', `must be one of ${Object.keys(kinds).map((k) => `"${k}"`).join(', ')}`);
      return validator.parse(value, at) as Infer<K[keyof K]>;
    },
  };
}

/** No payload: `undefined`, `null` or an empty object. */
export function nothing(): Validator<void> {
  return {
    parse(value, at = '') {
      if (value === undefined || value === null) return;
      if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return;
      fail(at, 'takes no fields');
    },
  };
}

/** A type carried only at compile time: responses and events come from the trusted side and are not re-checked. */
export function trusted<T>(): Validator<T> {
  return { parse: (value) => value as T };
}
