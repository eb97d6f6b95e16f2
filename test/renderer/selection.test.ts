import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, focusOn, moveFocus, pruneSelection, selectAll, selectOnly, selectRange, toggle } from '../../src-renderer/store/selection.js';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('selection', () => {
  it('selects only the clicked row', () => {
    expect(selectOnly('c')).toEqual({ selected: ['c'], anchor: 'c', focused: 'c' });
  });

  it('toggles rows with ctrl-click, keeping the others', () => {
    const two = toggle(selectOnly('a'), 'c');
    expect(two.selected).toEqual(['a', 'c']);
    expect(toggle(two, 'a').selected).toEqual(['c']);
  });

  it('selects a range from the anchor with shift-click, in either direction', () => {
    expect(selectRange(selectOnly('b'), order, 'd').selected).toEqual(['b', 'c', 'd']);
    expect(selectRange(selectOnly('d'), order, 'b').selected).toEqual(['b', 'c', 'd']);
  });

  it('replaces the range when shift-clicking again from the same anchor', () => {
    const first = selectRange(selectOnly('b'), order, 'e');
    expect(selectRange(first, order, 'c').selected).toEqual(['b', 'c']);
  });

  it('adds a range to the selection with ctrl+shift-click', () => {
    const start = toggle(selectOnly('a'), 'd');
    expect(selectRange(start, order, 'e', true).selected).toEqual(['a', 'd', 'e']);
  });

  it('selects everything with ctrl+a', () => {
    expect(selectAll(EMPTY_SELECTION, order).selected).toEqual(order);
  });

  it('moves the cursor with arrows, selecting the row it lands on', () => {
    expect(moveFocus(EMPTY_SELECTION, order, 'down', 'select')).toEqual(selectOnly('a'));
    expect(moveFocus(selectOnly('e'), order, 'down', 'select')).toEqual(selectOnly('e'));
    expect(moveFocus(selectOnly('c'), order, 'up', 'select')).toEqual(selectOnly('b'));
    expect(moveFocus(selectOnly('c'), order, 'last', 'select')).toEqual(selectOnly('e'));
  });

  it('extends the selection from the anchor with shift+arrows', () => {
    const once = moveFocus(selectOnly('b'), order, 'down', 'extend');
    const twice = moveFocus(once, order, 'down', 'extend');
    expect(twice.selected).toEqual(['b', 'c', 'd']);
    expect(moveFocus(twice, order, 'up', 'extend').selected).toEqual(['b', 'c']);
  });

  it('moves only the cursor with ctrl+arrows', () => {
    const moved = moveFocus(selectOnly('b'), order, 'down', 'focus');
    expect(moved).toEqual({ selected: ['b'], anchor: 'b', focused: 'c' });
  });

  it('forgets rows that are no longer listed', () => {
    const selection = { selected: ['a', 'x'], anchor: 'x', focused: 'a' };
    expect(pruneSelection(selection, order)).toEqual({ selected: ['a'], anchor: null, focused: 'a' });
    const unchanged = selectOnly('a');
    expect(pruneSelection(unchanged, order)).toBe(unchanged);
  });

  it('moves only the cursor when a row gets keyboard focus, keeping the selection', () => {
    const selection = { selected: ['a', 'b'], anchor: 'a', focused: 'b' };
    expect(focusOn(selection, 'c')).toEqual({ selected: ['a', 'b'], anchor: 'a', focused: 'c' });
    expect(focusOn(selection, 'b')).toBe(selection);
  });
});
