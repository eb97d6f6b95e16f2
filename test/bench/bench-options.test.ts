import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNS, parseBenchOptions, parseSize } from '../../bench/bench-options.js';

describe('npm run bench options', () => {
  it('measures three rounds of a 1 GiB file unless told otherwise', () => {
    const options = parseBenchOptions([], {});
    expect(DEFAULT_RUNS).toBe(3);
    expect(options).toMatchObject({ runs: 3, size: 2 ** 30, json: false, only: undefined });
  });

  it('takes the size from --size, else BENCH_SIZE, in binary or decimal units', () => {
    expect(parseBenchOptions(['--size', '256MiB', '--runs', '5'], { BENCH_SIZE: '1MB' })).toMatchObject({ size: 256 * 2 ** 20, runs: 5 });
    expect(parseBenchOptions([], { BENCH_SIZE: '100MB' }).size).toBe(100e6);
    expect(parseSize('1.5 GiB')).toBe(1.5 * 2 ** 30);
  });

  it('rejects bad input with a message that says what to write instead', () => {
    expect(() => parseBenchOptions(['--runs', '0'], {})).toThrow('--runs must be a whole number of at least 1, got "0".');
    expect(() => parseBenchOptions(['--size', 'huge'], {})).toThrow('Cannot read the size "huge". Use e.g. 256MiB, 1GiB, 100MB or a byte count.');
    expect(() => parseBenchOptions(['--only', 'nodes'], {})).toThrow('--only takes client or web, got "nodes".');
  });
});
