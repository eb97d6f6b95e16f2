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
  | { kind: 'recovery-key' }
  /** Signing out would cancel `transfers` uploads and downloads under way. */
  | { kind: 'confirm-sign-out'; forget: boolean; transfers: number };

/** Which dialog is open, and those waiting their turn. */
export interface DialogSlice {
  dialog: Dialog | null;
  /** Dialogs that came while another was open (a check that finished, files dropped meanwhile), oldest first. */
  waitingDialogs: Dialog[];
  /** Shows a dialog; while another is open, it waits its turn rather than take that one's place. */
  openDialog(dialog: Dialog): void;
  /** Closes the open dialog and shows the next one waiting, if any. */
  closeDialog(): void;
}

/** Builds the dialog slice. */
export const createDialogSlice: SliceCreator<DialogSlice> = () => (set) => ({
  dialog: null,
  waitingDialogs: [],
  // A results dialog arrives when its work ends, whatever the user is doing: it must not throw away a password
  // being typed or an upload waiting for its Replace / Keep both answer.
  openDialog: (dialog) => set((s) => (s.dialog ? { waitingDialogs: [...s.waitingDialogs, dialog] } : { dialog })),
  closeDialog: () =>
    set((s) => {
      const [next = null, ...rest] = s.waitingDialogs;
      return { dialog: next, waitingDialogs: rest };
    }),
});
