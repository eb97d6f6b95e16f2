import { formatItemCount } from '../format.js';
import { filterEntries } from '../store/sorting.js';
import { useVault } from './store-context.js';

/** "3 of 12 selected", or how many items the folder holds ("3 of 10 items" while the filter hides some). */
export function SelectionCount() {
  const selected = useVault((s) => s.selection.selected.length);
  const total = useVault((s) => s.entries.length);
  const shown = useVault((s) => filterEntries(s.entries, s.filter).length);
  const setSelection = useVault((s) => s.setSelection);
  return (
    <p className="selection-count" aria-live="polite">
      {selected > 0 ? (
        <>
          {selected} of {shown} selected
          <button type="button" className="link-button" onClick={() => setSelection({ selected: [], anchor: null, focused: null })}>
            Clear selection
          </button>
        </>
      ) : (
        formatItemCount(shown, total)
      )}
    </p>
  );
}
