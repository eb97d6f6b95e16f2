import { describe, expect, it } from 'vitest';
import { checkSummary, resultLabel } from '../../src-renderer/check-summary.js';

const file = (health: 'healthy' | 'degraded') => ({ kind: 'file' as const, health });
const folder = (health: 'healthy' | 'degraded') => ({ kind: 'folder' as const, health });

describe('check summary', () => {
  it('counts files as files, and says "items" when folders were checked beside them', () => {
    expect(checkSummary([file('healthy'), file('degraded'), file('degraded')])).toBe('2 of 3 files need attention. Repair rebuilds missing and damaged pieces.');
    expect(checkSummary([file('degraded'), folder('healthy')])).toBe('1 of 2 items needs attention. Repair rebuilds missing and damaged pieces.');
    expect(checkSummary([folder('healthy'), folder('healthy')])).toBe('All 2 folders are healthy.');
    expect(checkSummary([file('healthy'), folder('healthy'), folder('healthy')])).toBe('All 3 items are healthy.');
  });

  it('speaks of the one thing checked, or of nothing', () => {
    expect(checkSummary([file('healthy')])).toBe('The file is healthy: every piece is present and sound.');
    expect(checkSummary([folder('healthy')])).toBe('The folder is healthy: every piece is present and sound.');
    expect(checkSummary([file('degraded')])).toBe('1 of 1 file needs attention. Repair rebuilds missing and damaged pieces.');
    expect(checkSummary([])).toBe('Nothing was checked.');
  });

  it('shows a folder with its trailing slash, marked as a folder, and a file as it is', () => {
    expect(resultLabel({ kind: 'folder', path: 'trips/2026' })).toEqual({ name: 'trips/2026/', folder: true });
    expect(resultLabel({ kind: 'file', path: 'trips/2026/a.jpg' })).toEqual({ name: 'trips/2026/a.jpg', folder: false });
  });
});
