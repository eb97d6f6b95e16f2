import { useMemo } from 'react';
import { breadcrumbs } from '../store/vault-paths.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

/** Where the folder view is, each step a button back up. */
export function Breadcrumbs() {
  const folder = useVault((s) => s.folder);
  const openFolder = useVault((s) => s.openFolder);
  const crumbs = useMemo(() => breadcrumbs(folder), [folder]);
  return (
    <nav aria-label="Folder path" className="breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={crumb.path}>
              {i > 0 && <Icon name="chevron" className="crumb-separator" />}
              {last ? (
                <span className="crumb crumb-current" aria-current="page" title={crumb.name}>
                  {crumb.name}
                </span>
              ) : (
                <button type="button" className="crumb" title={crumb.name} onClick={() => void openFolder(crumb.path)}>
                  {crumb.name}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
