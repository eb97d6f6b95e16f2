import { EMPTY_SELECTION, type Selection } from './selection.js';
import type { SliceCreator } from './state.js';

/** The file list's selection and keyboard cursor (transitions live in selection.ts). */
export interface SelectionSlice {
  selection: Selection;
  setSelection(selection: Selection): void;
}

/** Builds the selection slice. */
export const createSelectionSlice: SliceCreator<SelectionSlice> = () => (set) => ({
  selection: EMPTY_SELECTION,
  setSelection: (selection) => set({ selection }),
});
