import type { FileHealth } from '../../src-main/shared/models.js';
import { checkSummary, resultLabel } from '../check-summary.js';
import { formatBytes } from '../format.js';
import { HealthBadge } from './health-badge.js';
import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

const STATE_WORDS: Record<FileHealth['detail'][number]['state'], string> = {
  sound: 'sound',
  missing: 'missing',
  damaged: 'damaged',
  unreachable: 'node unreachable',
  busy: 'node busy',
};

/** What `files.check` found, per file and per piece. */
export function CheckResultsDialog({ results }: { results: FileHealth[] }) {
  const closeDialog = useVault((s) => s.closeDialog);
  const repairPaths = useVault((s) => s.repairPaths);
  const needRepair = results.filter((r) => r.health !== 'healthy').map((r) => r.path);
  return (
    <ModalDialog
      title="Check results"
      wide
      onClose={closeDialog}
      footer={
        <>
          {needRepair.length > 0 && (
            <button
              type="button"
              className="button"
              onClick={() => {
                closeDialog();
                void repairPaths(needRepair);
              }}
            >
              Repair {needRepair.length === 1 ? 'it' : `these ${needRepair.length}`}
            </button>
          )}
          <button type="button" className="button button-primary" onClick={closeDialog} data-autofocus>
            Done
          </button>
        </>
      }
    >
      <p className="result-summary">{checkSummary(results)}</p>
      <ul className="result-list">
        {results.map((r) => {
          const { name, folder } = resultLabel(r);
          return (
            <li key={r.path} className="result" data-result-path={r.path}>
              <div className="result-head">
                <span className="result-name" title={name}>
                  {name}
                </span>
                <span className="muted" title={folder ? 'a folder' : `${r.size} bytes`}>
                  {folder ? 'folder' : formatBytes(r.size)}
                </span>
                <HealthBadge health={r.health} pieces={r.pieces} />
              </div>
              <ul className="piece-list" aria-label={`Pieces of ${r.path}`}>
                {r.detail.map((d) => (
                  <li key={d.piece} className={`piece piece-${d.state}`}>
                    Piece {d.piece + 1} on {d.node}: {STATE_WORDS[d.state]}
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </ModalDialog>
  );
}
