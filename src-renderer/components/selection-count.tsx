import { useVault } from './store-context.js';

/** "3 of 12 selected", or how many items the folder holds. */
export function SelectionCount() {
  const selected = useVault((s) => s.selection.selected.length);
  const total = useVault((s) => s.entries.length);
  const setSelection = useVault((s) => s.setSelection);
  return (
    <p className="selection-count" aria-live="polite">
      {selected > 0 ? (
        <>
          {selected} of {total} selected
          <button type="button" className="link-button" onClick={() => setSelection({ selected: [], anchor: null, focused: null })}>
            Clear selection
          </button>
        </>
      ) : (
        `${total} ${total === 1 ? 'item' : 'items'}`
      )}
    </p>
  );
}
