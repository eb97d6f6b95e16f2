import type { FileHealth } from '../../src-main/shared/models.js';
import { formatBytes } from '../format.js';
import { HealthBadge } from './health-badge.js';
import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

const STATE_WORDS: Record<FileHealth['detail'][number]['state'], string> = {
  sound: 'sound',
  missing: 'missing',
  damaged: 'damaged',
  unreachable: 'node unreachable',
};

function summary(results: readonly FileHealth[]): string {
  const unwell = results.filter((r) => r.health !== 'healthy').length;
  if (results.length === 0) return 'Nothing was checked.';
  if (unwell === 0) return results.length === 1 ? 'The file is healthy: every piece is present and sound.' : `All ${results.length} files are healthy.`;
  return `${unwell} of ${results.length} ${results.length === 1 ? 'file needs' : 'files need'} attention. Repair rebuilds missing and damaged pieces.`;
}

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
      <p className="result-summary">{summary(results)}</p>
      <ul className="result-list">
        {results.map((r) => (
          <li key={r.path} className="result" data-result-path={r.path}>
            <div className="result-head">
              <span className="result-name" title={r.path}>
                {r.path}
              </span>
              <span className="muted" title={`${r.size} bytes`}>
                {formatBytes(r.size)}
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
        ))}
      </ul>
    </ModalDialog>
  );
}
