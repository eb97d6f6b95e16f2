import { describe, expect, it } from 'vitest';
import { settledWithin } from '../../src-main/service/settled-within.js';

describe('settledWithin', () => {
  it('says whether a promise settled in time, and passes a rejection on', async () => {
    expect(await settledWithin(Promise.resolve('done'), 1_000)).toBe(true);
    expect(await settledWithin(new Promise(() => undefined), 20)).toBe(false);
    await expect(settledWithin(Promise.reject(new Error('broke')), 1_000)).rejects.toThrow('broke');
  });
});
