import { describe, expect, it } from 'vitest';
import { MAX_NOTICES, pushNotice, removeNotice } from '../../src-renderer/store/notices.js';

describe('notices', () => {
  it('bumps a repeated message instead of stacking a copy, moving it last with the new id', () => {
    let list = pushNotice([], { id: 1, kind: 'error', text: 'Node unreachable.' });
    list = pushNotice(list, { id: 2, kind: 'info', text: 'Deleted 1 item.' });
    list = pushNotice(list, { id: 3, kind: 'error', text: 'Node unreachable.' });
    expect(list).toEqual([
      { id: 2, kind: 'info', text: 'Deleted 1 item.', repeat: 1 },
      { id: 3, kind: 'error', text: 'Node unreachable.', repeat: 2 },
    ]);
  });

  it('keeps the same text of another kind apart', () => {
    const list = pushNotice(pushNotice([], { id: 1, kind: 'error', text: 'x' }), { id: 2, kind: 'warning', text: 'x' });
    expect(list.map((n) => [n.kind, n.repeat])).toEqual([['error', 1], ['warning', 1]]);
  });

  it(`shows at most ${MAX_NOTICES}, dropping the oldest, and removes one by id`, () => {
    let list = [] as ReturnType<typeof pushNotice>;
    for (let i = 1; i <= MAX_NOTICES + 2; i++) list = pushNotice(list, { id: i, kind: 'info', text: `n${i}` });
    expect(list.map((n) => n.id)).toEqual([3, 4, 5, 6, 7]);
    expect(removeNotice(list, 5).map((n) => n.id)).toEqual([3, 4, 6, 7]);
  });

  it('never lets a persistent notice give way to newer ones', () => {
    let list = pushNotice([], { id: 1, kind: 'error', text: 'The host has stopped.', persistent: true });
    for (let i = 2; i <= MAX_NOTICES + 3; i++) list = pushNotice(list, { id: i, kind: 'info', text: `n${i}` });
    expect(list.map((n) => n.id)).toEqual([1, 5, 6, 7, 8]);
  });
});
