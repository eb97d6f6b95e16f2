/**
 * Multi-selection over an ordered list of paths, as pure transitions: click, ctrl/cmd-click, shift-click,
 * checkbox, keyboard focus moves. `anchor` is where a shift-range starts; `focused` is the keyboard cursor.
 */

/** What is selected, where a range starts, and which row has the keyboard cursor. */
export interface Selection {
  selected: readonly string[];
  anchor: string | null;
  focused: string | null;
}

/** Nothing selected, no cursor. */
export const EMPTY_SELECTION: Selection = { selected: [], anchor: null, focused: null };

/** A plain click: only this row. */
export function selectOnly(path: string): Selection {
  return { selected: [path], anchor: path, focused: path };
}

/** The row got keyboard focus (Tab, or a click on it): it becomes the cursor; what is selected stays. */
export function focusOn(selection: Selection, path: string): Selection {
  return selection.focused === path ? selection : { ...selection, focused: path };
}

/** Ctrl/cmd-click, Space, or a checkbox: flip this row, keep the others. */
export function toggle(selection: Selection, path: string): Selection {
  const has = selection.selected.includes(path);
  return {
    selected: has ? selection.selected.filter((p) => p !== path) : [...selection.selected, path],
    anchor: path,
    focused: path,
  };
}

/**
 * Shift-click: every row from the anchor to `path` (in list order). With `additive` (ctrl+shift) the range
 * is added to what was selected; otherwise it replaces it.
 */
export function selectRange(selection: Selection, order: readonly string[], path: string, additive = false): Selection {
  const anchor = selection.anchor !== null && order.includes(selection.anchor) ? selection.anchor : path;
  const from = order.indexOf(anchor);
  const to = order.indexOf(path);
  if (to < 0) return selection;
  const range = order.slice(Math.min(from, to), Math.max(from, to) + 1);
  const selected = additive ? [...new Set([...selection.selected, ...range])] : range;
  return { selected, anchor, focused: path };
}

/** Ctrl+A: every row. */
export function selectAll(selection: Selection, order: readonly string[]): Selection {
  return { selected: [...order], anchor: selection.anchor ?? order[0] ?? null, focused: selection.focused ?? order[0] ?? null };
}

/** A cursor move: "up"/"down" one row, a page, or the first/last row. */
export type FocusMove = 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last';

const PAGE = 10;

function targetIndex(order: readonly string[], current: string | null, move: FocusMove): number {
  const last = order.length - 1;
  const at = current === null ? -1 : order.indexOf(current);
  switch (move) {
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'down':
      return at < 0 ? 0 : Math.min(last, at + 1);
    case 'up':
      return at < 0 ? 0 : Math.max(0, at - 1);
    case 'page-down':
      return at < 0 ? 0 : Math.min(last, at + PAGE);
    case 'page-up':
      return at < 0 ? 0 : Math.max(0, at - PAGE);
  }
}

/**
 * Moves the cursor. `mode` "select" selects just the new row (arrow keys), "extend" selects from the anchor
 * (shift+arrows), "focus" moves the cursor only (ctrl+arrows).
 */
export function moveFocus(selection: Selection, order: readonly string[], move: FocusMove, mode: 'select' | 'extend' | 'focus'): Selection {
  if (order.length === 0) return selection;
  const path = order[targetIndex(order, selection.focused, move)];
  if (path === undefined) return selection;
  if (mode === 'focus') return { ...selection, focused: path };
  if (mode === 'extend') return selectRange(selection.anchor === null ? { ...selection, anchor: selection.focused ?? path } : selection, order, path);
  return selectOnly(path);
}

/** Drops rows that are no longer listed (after a refresh or a filter), keeping the cursor on a listed row. */
export function pruneSelection(selection: Selection, order: readonly string[]): Selection {
  const listed = new Set(order);
  const selected = selection.selected.filter((p) => listed.has(p));
  const anchor = selection.anchor !== null && listed.has(selection.anchor) ? selection.anchor : null;
  const focused = selection.focused !== null && listed.has(selection.focused) ? selection.focused : null;
  if (selected.length === selection.selected.length && anchor === selection.anchor && focused === selection.focused) return selection;
  return { selected, anchor, focused };
}
