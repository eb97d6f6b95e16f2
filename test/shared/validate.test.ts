import { describe, expect, it } from 'vitest';
import { ValidationError, array, boolean, bytes, literal, nothing, number, object, optional, string, trusted, union } from '../../src-main/shared/validate.js';

/** The ValidationError a parse throws (fails the test when it does not throw one). */
function refusal(parse: () => unknown): ValidationError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected the value to be refused');
}

describe('string validator', () => {
  it('accepts a string within the limit', () => {
    expect(string({ max: 3 }).parse('abc')).toBe('abc');
    expect(string().parse('')).toBe('');
  });

  it('refuses a non-string, naming the field', () => {
    const error = refusal(() => string().parse(5, 'name'));
    expect(error.field).toBe('name');
    expect(error.message).toBe('name must be a string');
  });

  it('refuses a string over the maximum', () => {
    expect(refusal(() => string({ max: 3 }).parse('abcd', 'name')).message).toBe('name must be at most 3 characters');
  });

  it('defaults the maximum to 4096 characters', () => {
    expect(string().parse('x'.repeat(4096))).toHaveLength(4096);
    expect(refusal(() => string().parse('x'.repeat(4097))).message).toContain('at most 4096');
  });

  it('refuses an empty string when it must not be empty', () => {
    expect(refusal(() => string({ nonEmpty: true }).parse('', 'name')).message).toBe('name must not be empty');
  });

  it('calls a top-level value "request" when it has no field name', () => {
    expect(refusal(() => string().parse(1)).message).toBe('request must be a string');
  });
});

describe('number validator', () => {
  it('accepts a finite number within bounds', () => {
    expect(number({ integer: true, min: 0, max: 10 }).parse(10)).toBe(10);
    expect(number().parse(-1.5)).toBe(-1.5);
  });

  it('refuses non-numbers, NaN and infinities', () => {
    for (const bad of ['1', NaN, Infinity, -Infinity, null, undefined]) {
      expect(refusal(() => number().parse(bad, 'size')).message).toBe('size must be a finite number');
    }
  });

  it('refuses a fraction where an integer is required', () => {
    expect(refusal(() => number({ integer: true }).parse(1.5, 'size')).message).toBe('size must be an integer');
  });

  it('refuses values outside the bounds', () => {
    expect(refusal(() => number({ min: 0 }).parse(-1, 'index')).message).toBe('index must be at least 0');
    expect(refusal(() => number({ max: 63 }).parse(64, 'index')).message).toBe('index must be at most 63');
  });
});

describe('boolean validator', () => {
  it('accepts true and false', () => {
    expect(boolean().parse(true)).toBe(true);
    expect(boolean().parse(false)).toBe(false);
  });

  it('refuses truthy and falsy stand-ins', () => {
    for (const bad of [0, 1, 'true', null, undefined]) expect(refusal(() => boolean().parse(bad, 'remember')).message).toBe('remember must be true or false');
  });
});

describe('literal validator', () => {
  it('accepts one of its values', () => {
    expect(literal('upload', 'download').parse('download')).toBe('download');
  });

  it('refuses anything else and lists the choices', () => {
    const error = refusal(() => literal('upload', 'download').parse('sideways', 'direction'));
    expect(error.message).toBe('direction must be one of "upload", "download"');
    refusal(() => literal('upload').parse(['upload']));
  });
});

describe('bytes validator', () => {
  it('accepts a Uint8Array and a Buffer up to the maximum', () => {
    expect(bytes({ max: 4 }).parse(new Uint8Array(4))).toHaveLength(4);
    expect(bytes({ max: 4 }).parse(Buffer.alloc(0))).toHaveLength(0);
  });

  it('refuses one byte over the maximum', () => {
    expect(refusal(() => bytes({ max: 4 }).parse(new Uint8Array(5), 'bytes')).message).toBe('bytes must be at most 4 bytes');
  });

  it('refuses arrays of numbers, strings and other views', () => {
    for (const bad of [[1, 2], 'AQI=', new Uint16Array(1), new ArrayBuffer(1), { $bytes: 'AQI=' }]) {
      expect(refusal(() => bytes({ max: 4 }).parse(bad, 'bytes')).message).toBe('bytes must be bytes');
    }
  });
});

describe('array validator', () => {
  it('checks every item and names the bad one by index', () => {
    expect(array(string()).parse(['a', 'b'])).toEqual(['a', 'b']);
    const error = refusal(() => array(string()).parse(['a', 2], 'paths'));
    expect(error.field).toBe('paths[1]');
    expect(error.message).toBe('paths[1] must be a string');
  });

  it('refuses a non-array', () => {
    expect(refusal(() => array(string()).parse({ 0: 'a', length: 1 }, 'paths')).message).toBe('paths must be a list');
  });

  it('refuses more items than the maximum', () => {
    expect(array(number(), { max: 2 }).parse([1, 2])).toEqual([1, 2]);
    expect(refusal(() => array(number(), { max: 2 }).parse([1, 2, 3], 'ports')).message).toBe('ports must have at most 2 items');
  });

  it('refuses an empty list when it must not be empty', () => {
    expect(refusal(() => array(string(), { nonEmpty: true }).parse([], 'paths')).message).toBe('paths must not be empty');
  });

  it('checks the holes of a sparse array instead of passing them through', () => {
    const sparse = new Array<unknown>(2);
    sparse[1] = 'b';
    expect(refusal(() => array(string()).parse(sparse, 'paths')).field).toBe('paths[0]');
  });
});

describe('optional validator', () => {
  it('passes undefined through and checks anything else', () => {
    expect(optional(number()).parse(undefined)).toBeUndefined();
    expect(optional(number()).parse(3)).toBe(3);
    expect(refusal(() => optional(number()).parse(null, 'modified')).message).toBe('modified must be a finite number');
  });
});

describe('object validator', () => {
  const shape = object({ path: string({ nonEmpty: true }), modified: optional(number()) });

  it('accepts exactly its fields, leaving an absent optional field out', () => {
    expect(shape.parse({ path: 'a' })).toStrictEqual({ path: 'a' });
    expect(shape.parse({ path: 'a', modified: 5 })).toStrictEqual({ path: 'a', modified: 5 });
    expect(shape.parse({ path: 'a', modified: undefined })).toStrictEqual({ path: 'a' });
  });

  it('refuses a missing required field, naming it', () => {
    const error = refusal(() => shape.parse({}));
    expect(error.field).toBe('path');
    expect(error.message).toBe('path must be a string');
  });

  it('refuses unknown fields, naming them', () => {
    const error = refusal(() => shape.parse({ path: 'a', pth: 'b' }));
    expect(error.field).toBe('pth');
    expect(error.message).toBe('pth is not a known field');
  });

  it('refuses fields named after Object.prototype members', () => {
    expect(refusal(() => shape.parse({ path: 'a', toString: 'x' })).field).toBe('toString');
    expect(refusal(() => shape.parse({ path: 'a', constructor: 'x' })).field).toBe('constructor');
    expect(refusal(() => shape.parse(JSON.parse('{"path":"a","__proto__":{"polluted":true}}'))).field).toBe('__proto__');
  });

  it('refuses non-objects', () => {
    for (const bad of [null, undefined, 'a', 1, ['a']]) expect(refusal(() => shape.parse(bad, 'item')).message).toBe('item must be an object');
  });

  it('names nested fields with their full path', () => {
    const nested = object({ items: array(object({ source: string({ nonEmpty: true }), folder: string() })) });
    const error = refusal(() => nested.parse({ items: [{ source: 'a', folder: '' }, { source: '', folder: '' }] }));
    expect(error.field).toBe('items[1].source');
    expect(error.message).toBe('items[1].source must not be empty');
    expect(refusal(() => nested.parse({ items: [{ source: 'a', folder: '', extra: 1 }] })).field).toBe('items[0].extra');
  });
});

describe('union validator', () => {
  const target = union({
    local: object({ kind: literal('local') }),
    config: object({ kind: literal('config'), path: string({ nonEmpty: true }) }),
  });

  it('checks a value against the member its kind names', () => {
    expect(target.parse({ kind: 'local' })).toStrictEqual({ kind: 'local' });
    expect(target.parse({ kind: 'config', path: '/etc/dfc.conf' })).toStrictEqual({ kind: 'config', path: '/etc/dfc.conf' });
    const error = refusal(() => target.parse({ kind: 'config' }, 'target'));
    expect(error.field).toBe('target.path');
  });

  it('refuses an unknown kind and lists the known ones', () => {
    const error = refusal(() => target.parse({ kind: 'cloud' }, 'target'));
    expect(error.field).toBe('target.kind');
    expect(error.message).toBe('target.kind must be one of "local", "config"');
  });

  it('refuses kinds that are Object.prototype keys', () => {
    for (const kind of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(refusal(() => target.parse({ kind })).field).toBe('kind');
    }
  });

  it('refuses values without a string kind', () => {
    for (const bad of [null, undefined, 'local', [], { kind: 1 }, {}]) expect(refusal(() => target.parse(bad)).field).toBe('kind');
  });
});

describe('nothing validator', () => {
  it('accepts undefined, null and an empty object', () => {
    for (const none of [undefined, null, {}]) expect(nothing().parse(none)).toBeUndefined();
  });

  it('refuses any field or other value', () => {
    for (const bad of [{ a: 1 }, [], 0, '', false]) expect(refusal(() => nothing().parse(bad)).message).toBe('request takes no fields');
  });
});

describe('trusted validator', () => {
  it('returns the very value it is given', () => {
    const value = { anything: [1] };
    expect(trusted<typeof value>().parse(value)).toBe(value);
  });

  it('keeps only the bytes of a small view into a large buffer', () => {
    const big = new Uint8Array(1024 * 1024);
    const view = big.subarray(10, 14);
    const parsed = bytes({ max: 16 }).parse(view);
    expect(parsed.buffer.byteLength).toBe(4);
    expect([...parsed]).toEqual([...view]);
    const whole = new Uint8Array(4);
    expect(bytes({ max: 16 }).parse(whole)).toBe(whole);
  });

  it('refuses objects that are not plain, and never reads inherited fields', () => {
    const shape = object({ name: optional(string()) });
    expect(() => shape.parse(new Date())).toThrow('must be a plain object');
    expect(() => shape.parse(new (class Request {})())).toThrow('must be a plain object');
    expect(() => shape.parse(Object.create({ name: 'inherited' }) as object)).toThrow('must be a plain object');
    // A field named like something every object inherits is read only when the object has it itself.
    expect(object({ toString: optional(string()) }).parse({})).toEqual({});
    expect(shape.parse(Object.assign(Object.create(null), { name: 'own' }) as object)).toEqual({ name: 'own' });
  });
});
