import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS, addSample, rateOf, secondsLeft } from '../../src-main/service/transfer-rate.js';

describe('transfer rate', () => {
  describe('addSample', () => {
    it('keeps every sample inside the window', () => {
      const samples = [0, 1000, 2000].reduce((acc, at) => addSample(acc, { at, done: at }, 3000), [] as ReturnType<typeof addSample>);
      expect(samples.map((s) => s.at)).toEqual([0, 1000, 2000]);
    });

    it('drops samples older than the window but keeps the last one before it as a baseline', () => {
      const samples = [0, 1000, 2000, 3000, 5000].reduce((acc, at) => addSample(acc, { at, done: at }, 3000), [] as ReturnType<typeof addSample>);
      expect(samples.map((s) => s.at)).toEqual([2000, 3000, 5000]);
    });

    it('always keeps two samples, however old the first', () => {
      const samples = addSample([{ at: 0, done: 0 }], { at: 60_000, done: 10 }, 3000);
      expect(samples).toEqual([
        { at: 0, done: 0 },
        { at: 60_000, done: 10 },
      ]);
    });

    it('leaves the samples it was given untouched', () => {
      const before = [
        { at: 0, done: 0 },
        { at: 1, done: 1 },
        { at: 2, done: 2 },
      ];
      addSample(before, { at: 10_000, done: 3 }, 3000);
      expect(before).toHaveLength(3);
    });

    it('averages over three seconds by default', () => {
      expect(RATE_WINDOW_MS).toBe(3000);
      const samples = [0, 1000, 4000, 4500].reduce((acc, at) => addSample(acc, { at, done: at }), [] as ReturnType<typeof addSample>);
      expect(samples.map((s) => s.at)).toEqual([1000, 4000, 4500]);
    });
  });

  describe('rateOf', () => {
    it('is bytes per second between the first and last sample', () => {
      expect(
        rateOf([
          { at: 1000, done: 0 },
          { at: 1500, done: 100 },
          { at: 3000, done: 4000 },
        ]),
      ).toBe(2000);
    });

    it('is 0 with fewer than two samples or no time between them', () => {
      expect(rateOf([])).toBe(0);
      expect(rateOf([{ at: 5, done: 100 }])).toBe(0);
      expect(
        rateOf([
          { at: 5, done: 0 },
          { at: 5, done: 100 },
        ]),
      ).toBe(0);
    });

    it('is never negative', () => {
      expect(
        rateOf([
          { at: 0, done: 100 },
          { at: 1000, done: 0 },
        ]),
      ).toBe(0);
    });
  });

  describe('secondsLeft', () => {
    it('is the bytes left divided by the rate', () => {
      expect(secondsLeft(1000, 400, 200)).toBe(3);
    });

    it('is undefined without a rate', () => {
      expect(secondsLeft(1000, 0, 0)).toBeUndefined();
    });

    it('is never negative', () => {
      expect(secondsLeft(100, 150, 10)).toBe(0);
    });
  });
});
