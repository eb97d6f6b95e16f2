import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatProgress } from '../format.js';
import { activeSummary, isFinished, panelOrder } from '../store/transfers-transitions.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';
import { TransferRow } from './transfer-row.js';

/** Uploads and downloads with honest progress; hidden until there is one. */
export function TransferPanel() {
  const transfers = useVault(useShallow((s) => panelOrder(s.transfers)));
  const clearFinishedTransfers = useVault((s) => s.clearFinishedTransfers);
  const [open, setOpen] = useState(true);
  if (transfers.length === 0) return null;
  const summary = activeSummary(transfers);
  const finished = transfers.filter(isFinished).length;
  const failed = transfers.filter((t) => t.state === 'failed').length;
  return (
    <section className={`transfer-panel${open ? '' : ' is-collapsed'}`} aria-label="Transfers">
      <header className="panel-header">
        <button type="button" className="panel-toggle" aria-expanded={open} aria-controls="transfer-list" onClick={() => setOpen(!open)}>
          <Icon name="chevron" className="panel-chevron" />
          <span className="panel-title">Transfers</span>
          <span className="panel-summary">
            {summary.count > 0 ? `${summary.count} under way · ${formatProgress(summary.done, summary.size)}` : `${finished} finished`}
            {failed > 0 ? ` · ${failed} failed` : ''}
          </span>
        </button>
        <button type="button" className="button button-small" disabled={finished === 0} onClick={() => void clearFinishedTransfers()}>
          Clear finished
        </button>
      </header>
      <ul id="transfer-list" className="transfer-list" hidden={!open}>
        {transfers.map((t) => (
          <TransferRow key={t.id} transfer={t} />
        ))}
      </ul>
    </section>
  );
}
