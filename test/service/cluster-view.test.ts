import { describe, expect, it } from 'vitest';
import { nodeViews } from '../../src-main/service/cluster-view.js';

const managed = [1, 2].map((i) => ({ name: `DFS${i}`, host: '127.0.0.1', port: 40000 + i }));

describe('node strip', () => {
  it('shows four local nodes, not started, before the first start', () => {
    expect(nodeViews({ managed: [], running: [], listening: [], signedInLocally: false })).toEqual(
      ['DFS1', 'DFS2', 'DFS3', 'DFS4'].map((name, index) => ({ name, address: '', up: false, index, managed: true, running: false })),
    );
  });

  it('shows local nodes up only once they listen, with an address only then', () => {
    expect(nodeViews({ managed, running: [true, true], listening: [true, false], signedInLocally: false })).toEqual([
      { name: 'DFS1', address: '127.0.0.1:40001', up: true, index: 0, managed: true, running: true },
      { name: 'DFS2', address: '', up: false, index: 1, managed: true, running: true },
    ]);
  });

  it('takes up/down, latency and space from the vault when signed in, and Start/Stop only for local nodes', () => {
    const statuses = [
      { name: 'DFS1', address: '127.0.0.1:40001', up: true, latencyMs: 1, bytesUsed: 10 },
      { name: 'DFS2', address: '127.0.0.1:40002', up: false, error: 'refused' },
    ];
    expect(nodeViews({ managed, running: [true, false], listening: [true, false], statuses, signedInLocally: true })).toEqual([
      { ...statuses[0], index: 0, managed: true, running: true },
      { ...statuses[1], index: 1, managed: true, running: false },
    ]);
    expect(nodeViews({ managed, running: [true, false], listening: [true, false], statuses, signedInLocally: false })).toEqual([
      { ...statuses[0], index: 0, managed: false },
      { ...statuses[1], index: 1, managed: false },
    ]);
  });
});
