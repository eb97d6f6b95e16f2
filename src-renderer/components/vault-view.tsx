import { Breadcrumbs } from './breadcrumbs.js';
import { FileGrid } from './file-grid.js';
import { SelectionCount } from './selection-count.js';
import { NodeStrip } from './node-strip.js';
import { Notices } from './notices.js';
import { Toolbar } from './toolbar.js';
import { TransferPanel } from './transfer-panel.js';

/** The signed-in window: nodes, toolbar, folder view, notices over its foot, transfers. */
export function VaultView() {
  return (
    <>
      <NodeStrip />
      <main className="vault">
        <Toolbar />
        <div className="location-bar">
          <Breadcrumbs />
          <SelectionCount />
        </div>
        <FileGrid />
      </main>
      <Notices at="bottom" />
      <TransferPanel />
    </>
  );
}
