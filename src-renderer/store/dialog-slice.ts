import type { FileHealth, RepairResult, VaultEntry } from '../../src-main/shared/models.js';
import type { UploadItem } from '../api/file-transfers.js';
import type { SliceCreator } from './state.js';

/** The one modal dialog that can be open. */
export type Dialog =
  | { kind: 'confirm-delete'; entries: VaultEntry[] }
  /** An upload would replace files (`replaced`, vault paths): replace them, keep both, or upload nothing. */
  | { kind: 'confirm-replace'; items: UploadItem[]; emptyFolders: string[]; replaced: string[] }
  | { kind: 'new-folder' }
  | { kind: 'check-results'; results: FileHealth[] }
  | { kind: 'repair-results'; results: RepairResult[] }
  | { kind: 'change-password' }
  | { kind: 'recovery-key' };

/** Which dialog is open. */
export interface DialogSlice {
  dialog: Dialog | null;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
}

/** Builds the dialog slice. */
export const createDialogSlice: SliceCreator<DialogSlice> = () => (set) => ({
  dialog: null,
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
});
