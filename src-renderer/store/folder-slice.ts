import type { VaultEntry } from '../../src-main/shared/models.js';
import { pruneSelection, EMPTY_SELECTION } from './selection.js';
import { DEFAULT_SORT, nextSort, type SortColumn, type SortOrder, visibleEntries } from './sorting.js';
import type { SliceCreator } from './state.js';
import { entryTowards, joinVaultPath, nameProblem } from './vault-paths.js';

/** A folder operation under way (its toolbar button shows it). */
export type FolderWork = 'mkdir' | 'delete' | 'check' | 'repair' | null;

/** The folder view: where we are, what it holds, how it is sorted and filtered. */
export interface FolderSlice {
  folder: string;
  entries: VaultEntry[];
  listing: 'idle' | 'loading' | 'failed';
  sort: SortOrder;
  filter: string;
  folderWork: FolderWork;
  openFolder(path: string): Promise<void>;
  refreshFolder(): Promise<void>;
  setSort(column: SortColumn): void;
  setFilter(filter: string): void;
  /** Makes a folder in the current one; resolves to a problem to show next to the name, or null when done. */
  makeFolder(name: string): Promise<string | null>;
  removeEntries(entries: readonly VaultEntry[]): Promise<void>;
  checkPaths(paths: readonly string[]): Promise<void>;
  repairPaths(paths: readonly string[]): Promise<void>;
}

/** The rows on screen, in order (for selection ranges and keyboard moves). */
export function visiblePaths(state: Pick<FolderSlice, 'entries' | 'sort' | 'filter'>): string[] {
  return visibleEntries(state.entries, state.sort, state.filter).map((e) => e.path);
}

/**
 * What Check and Repair work on: the selected files and folders (a folder with everything in it), else everything in
 * this folder.
 */
export function healthTargets(state: Pick<FolderSlice, 'entries'> & { selection: { selected: readonly string[] } }): string[] {
  const chosen = state.entries.filter((e) => state.selection.selected.includes(e.path));
  return (chosen.length > 0 ? chosen : state.entries).map((e) => e.path);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Builds the folder slice. */
export const createFolderSlice: SliceCreator<FolderSlice> = ({ api }) => (set, get) => {
  let listRequest = 0;

  const work = async (kind: Exclude<FolderWork, null>, action: () => Promise<void>): Promise<void> => {
    set({ folderWork: kind });
    try {
      await action();
    } catch (error) {
      get().reportError(error);
    } finally {
      set({ folderWork: null });
    }
  };

  return {
    folder: '',
    entries: [],
    listing: 'idle',
    sort: DEFAULT_SORT,
    filter: '',
    folderWork: null,

    async openFolder(path) {
      // Going up puts the keyboard cursor on the folder just left, as file managers do.
      const cameFrom = entryTowards(get().folder, path);
      if (path !== get().folder) set({ folder: path, entries: [], filter: '', selection: { ...EMPTY_SELECTION, focused: cameFrom } });
      await get().refreshFolder();
    },

    async refreshFolder() {
      const folder = get().folder;
      const request = ++listRequest;
      set({ listing: 'loading' });
      try {
        const entries = await api.files.list({ folder });
        // A slower answer for a folder we already left must not overwrite the newer one.
        if (request !== listRequest) return;
        const next = { ...get(), entries };
        set({ entries, listing: 'idle', selection: pruneSelection(get().selection, visiblePaths(next)) });
      } catch (error) {
        if (request !== listRequest) return;
        set({ listing: 'failed' });
        get().reportError(error);
      }
    },

    setSort: (column) => set((s) => ({ sort: nextSort(s.sort, column) })),

    setFilter(filter) {
      set((s) => ({ filter, selection: pruneSelection(s.selection, visiblePaths({ ...s, filter })) }));
    },

    async makeFolder(name) {
      const problem = nameProblem(name);
      if (problem) return problem;
      let failure: string | null = null;
      set({ folderWork: 'mkdir' });
      try {
        await api.files.mkdir({ path: joinVaultPath(get().folder, name.trim()) });
        await get().refreshFolder();
      } catch (error) {
        failure = (error as Error).message || 'The folder could not be made.';
      } finally {
        set({ folderWork: null });
      }
      return failure;
    },

    removeEntries: (entries) =>
      work('delete', async () => {
        if (entries.length === 0) return;
        const { removed } = await api.files.remove({ paths: entries.map((e) => e.path) });
        get().notify('info', `Deleted ${plural(removed.length, 'item')}.`);
        await get().refreshFolder();
      }),

    checkPaths: (paths) =>
      work('check', async () => {
        if (paths.length === 0) return;
        const results = await api.files.check({ paths: [...paths] });
        get().openDialog({ kind: 'check-results', results });
        await get().refreshFolder();
      }),

    repairPaths: (paths) =>
      work('repair', async () => {
        if (paths.length === 0) return;
        const results = await api.files.repair({ paths: [...paths] });
        get().openDialog({ kind: 'repair-results', results });
        await get().refreshFolder();
      }),
  };
};
