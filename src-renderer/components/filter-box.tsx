import { Icon } from './icons.js';
import { useVault } from './store-context.js';

/** Narrows the list to names containing the typed text; Escape clears it. */
export function FilterBox() {
  const filter = useVault((s) => s.filter);
  const setFilter = useVault((s) => s.setFilter);
  return (
    <div className="filter-box">
      <Icon name="search" className="filter-icon" />
      <input
        type="search"
        className="input filter-input"
        aria-label="Filter"
        placeholder="Filter by name"
        value={filter}
        spellCheck={false}
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter !== '') {
            e.preventDefault();
            setFilter('');
          }
        }}
      />
    </div>
  );
}
