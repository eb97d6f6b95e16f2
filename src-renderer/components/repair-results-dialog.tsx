import type { RepairResult } from '../../src-main/shared/models.js';
import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

function outcome(r: RepairResult): string {
  if (r.failed.length > 0) return `Could not rebuild ${r.failed.length} ${r.failed.length === 1 ? 'piece' : 'pieces'}.`;
  if (r.rebuilt.length > 0) return `Rebuilt ${r.rebuilt.length} ${r.rebuilt.length === 1 ? 'piece' : 'pieces'}.`;
  return 'Nothing needed repair.';
}

function summary(results: readonly RepairResult[]): string {
  const failed = results.filter((r) => r.failed.length > 0).length;
  const rebuilt = results.reduce((n, r) => n + r.rebuilt.length, 0);
  if (failed > 0) {
    // Pieces left alone only because their nodes were busy need no node brought up, just another try.
    const busy = results.every((r) => r.failed.every((f) => f.away === 'busy'));
    return `${failed} of ${results.length} ${results.length === 1 ? 'file' : 'files'} could not be fully repaired; ${busy ? 'their nodes were busy, so repair again in a moment' : 'bring more nodes up and try again'}.`;
  }
  if (rebuilt === 0) return 'Every piece was already in place.';
  return `Rebuilt ${rebuilt} ${rebuilt === 1 ? 'piece' : 'pieces'}; every repaired file is whole again.`;
}

/** What `files.repair` did, per file: pieces rebuilt or not, and the piece count before and after. */
export function RepairResultsDialog({ results }: { results: RepairResult[] }) {
  const closeDialog = useVault((s) => s.closeDialog);
  return (
    <ModalDialog
      title="Repair results"
      wide
      onClose={closeDialog}
      footer={
        <button type="button" className="button button-primary" onClick={closeDialog} data-autofocus>
          Done
        </button>
      }
    >
      <p className="result-summary">{summary(results)}</p>
      <ul className="result-list">
        {results.map((r) => (
          <li key={r.path} className={`result${r.failed.length > 0 ? ' result-failed' : ''}`} data-result-path={r.path}>
            <div className="result-head">
              <span className="result-name" title={r.path}>
                {r.path}
              </span>
              <span className="result-counts">
                {r.before.good}/{r.before.total} → {r.after.good}/{r.after.total} pieces
              </span>
            </div>
            <p className="result-outcome">{outcome(r)}</p>
            {(r.rebuilt.length > 0 || r.failed.length > 0 || r.pruned.length > 0) && (
              <ul className="piece-list">
                {r.rebuilt.map((p) => (
                  <li key={`r${p.piece}`} className="piece piece-sound">
                    Piece {p.piece + 1} rebuilt on {p.node}
                  </li>
                ))}
                {r.failed.map((p) => (
                  <li key={`f${p.piece}`} className="piece piece-missing">
                    Piece {p.piece + 1} on {p.node}: {p.reason}
                  </li>
                ))}
                {r.pruned.length > 0 && <li className="piece">Old versions removed from {r.pruned.join(', ')}</li>}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </ModalDialog>
  );
}
