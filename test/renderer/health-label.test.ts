import { describe, expect, it } from 'vitest';
import { entryHealthText, healthExplanation, healthText } from '../../src-renderer/health-label.js';

describe('health labels', () => {
  it('reads as a word and a piece count', () => {
    expect(healthText('healthy', { good: 4, total: 4 })).toBe('healthy 4/4');
    expect(healthText('degraded', { good: 3, total: 4 })).toBe('degraded 3/4');
    expect(healthText('at-risk', { good: 2, total: 4 })).toBe('at risk 2/4');
    expect(healthText('unavailable', { good: 1, total: 4 })).toBe('unavailable 1/4');
  });

  it('leaves folders without a marker blank', () => {
    const folder = { name: 'a', path: 'a', type: 'folder' as const, size: 0, modified: '', pieces: { good: 0, total: 0 }, health: 'healthy' as const };
    expect(entryHealthText(folder)).toBe('');
  });

  it('marks an unavailable file as incomplete', () => {
    expect(healthExplanation('unavailable', { good: 1, total: 4 })).toContain('[incomplete]');
  });
});
