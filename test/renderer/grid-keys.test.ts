import { describe, expect, it } from 'vitest';
import { gridKeyOutcome, type KeyPress } from '../../src-renderer/store/grid-keys.js';
import { EMPTY_SELECTION, selectOnly, toggle } from '../../src-renderer/store/selection.js';

const order = ['a', 'b', 'c'];
const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key: k, primary: false, shift: false, alt: false, ...mods });

describe('file list keys', () => {
  it('moves and selects with the arrow keys', () => {
    expect(gridKeyOutcome(key('ArrowDown'), selectOnly('a'), order)?.selection).toEqual(selectOnly('b'));
    expect(gridKeyOutcome(key('End'), selectOnly('a'), order)?.selection).toEqual(selectOnly('c'));
  });

  it('extends with shift and only moves the cursor with ctrl', () => {
    expect(gridKeyOutcome(key('ArrowDown', { shift: true }), selectOnly('a'), order)?.selection?.selected).toEqual(['a', 'b']);
    expect(gridKeyOutcome(key('ArrowDown', { primary: true }), selectOnly('a'), order)?.selection).toEqual({ selected: ['a'], anchor: 'a', focused: 'b' });
  });

  it('toggles the focused row with space', () => {
    const cursorOnB = { selected: ['a'], anchor: 'a', focused: 'b' };
    expect(gridKeyOutcome(key(' '), cursorOnB, order)?.selection?.selected).toEqual(['a', 'b']);
    expect(gridKeyOutcome(key(' '), toggle(cursorOnB, 'b'), order)?.selection?.selected).toEqual(['a']);
  });

  it('selects all with ctrl+a but ignores a plain a', () => {
    expect(gridKeyOutcome(key('a', { primary: true }), EMPTY_SELECTION, order)?.selection?.selected).toEqual(order);
    expect(gridKeyOutcome(key('a'), EMPTY_SELECTION, order)).toBeNull();
  });

  it('opens with Enter, deletes the selection with Delete, goes up with Backspace or alt+up', () => {
    expect(gridKeyOutcome(key('Enter'), selectOnly('a'), order)?.command).toBe('open');
    expect(gridKeyOutcome(key('Delete'), selectOnly('a'), order)?.command).toBe('delete');
    expect(gridKeyOutcome(key('Delete'), EMPTY_SELECTION, order)?.command).toBeUndefined();
    expect(gridKeyOutcome(key('Backspace'), EMPTY_SELECTION, order)?.command).toBe('up');
    expect(gridKeyOutcome(key('ArrowUp', { alt: true }), EMPTY_SELECTION, order)?.command).toBe('up');
  });

  it('clears the selection with Escape, keeping the cursor', () => {
    expect(gridKeyOutcome(key('Escape'), selectOnly('b'), order)?.selection).toEqual({ selected: [], anchor: null, focused: 'b' });
  });
});
