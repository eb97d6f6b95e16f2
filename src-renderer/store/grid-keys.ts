import { type FocusMove, type Selection, moveFocus, selectAll, selectRange, toggle, EMPTY_SELECTION } from './selection.js';

/** The parts of a keyboard event the file list reacts to. */
export interface KeyPress {
  key: string;
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  primary: boolean;
  shift: boolean;
  alt: boolean;
}

/** What a key press does: a new selection, and/or a command on the focused row or the selection. */
export interface KeyOutcome {
  selection?: Selection;
  command?: 'open' | 'delete' | 'up';
}

const MOVES: Record<string, FocusMove> = {
  ArrowDown: 'down',
  ArrowUp: 'up',
  PageDown: 'page-down',
  PageUp: 'page-up',
  Home: 'first',
  End: 'last',
};

/** Maps a key press in the file list to its outcome; null for keys the list does not handle. */
export function gridKeyOutcome(press: KeyPress, selection: Selection, order: readonly string[]): KeyOutcome | null {
  if (press.alt && press.key === 'ArrowUp') return { command: 'up' };
  const move = MOVES[press.key];
  if (move) return { selection: moveFocus(selection, order, move, press.shift ? 'extend' : press.primary ? 'focus' : 'select') };
  switch (press.key) {
    case ' ':
    case 'Spacebar': {
      const path = selection.focused ?? order[0];
      if (path === undefined) return {};
      return { selection: press.shift ? selectRange(selection, order, path, true) : toggle(selection, path) };
    }
    case 'a':
    case 'A':
      return press.primary ? { selection: selectAll(selection, order) } : null;
    case 'Enter':
      return selection.focused === null ? {} : { command: 'open' };
    case 'Delete':
      return selection.selected.length === 0 ? {} : { command: 'delete' };
    case 'Backspace':
      return { command: 'up' };
    case 'Escape':
      return selection.selected.length === 0 ? null : { selection: { ...EMPTY_SELECTION, focused: selection.focused } };
    default:
      return null;
  }
}
