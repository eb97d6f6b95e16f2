import { memo } from 'react';
import { type Transfer, isStoppable } from '../../src-main/shared/app-models.js';
import { formatBytes, formatDuration, formatProgress, formatSpeed } from '../format.js';
import { progressPercent, transferStateText } from '../store/transfers-transitions.js';
import { baseName } from '../store/vault-paths.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

function rateText(transfer: Transfer): string {
  if (transfer.state !== 'running') return '';
  const speed = formatSpeed(transfer.bytesPerSecond);
  return transfer.secondsLeft === undefined ? speed : `${speed} · ${formatDuration(transfer.secondsLeft)} left`;
}

/** One upload or download: name, bar, bytes, speed, time left, state, Cancel. */
export const TransferRow = memo(function TransferRow({ transfer }: { transfer: Transfer }) {
  const cancelTransfer = useVault((s) => s.cancelTransfer);
  const name = baseName(transfer.path) || transfer.path;
  const percent = progressPercent(transfer);
  const state = transfer.state === 'committing' ? 'Committing' : transferStateText(transfer.state);
  return (
    <li className={`transfer transfer-${transfer.state}`} data-transfer-path={transfer.path} data-state={transfer.state}>
      <Icon name={transfer.direction === 'upload' ? 'arrow-up' : 'arrow-down'} className="transfer-direction" />
      <div className="transfer-name-cell">
        <span className="transfer-name" title={transfer.local ? `${transfer.path} (${transfer.local})` : transfer.path}>
          {name}
        </span>
        {transfer.state === 'failed' && transfer.error && (
          <span className="transfer-error" title={transfer.error.message}>
            {transfer.error.message}
          </span>
        )}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${name} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%, ${state.toLowerCase()}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="transfer-bytes" title={`${transfer.done} of ${transfer.size} bytes`}>
        {transfer.state === 'done' ? formatBytes(transfer.size) : formatProgress(transfer.done, transfer.size)}
      </span>
      <span className="transfer-rate">{rateText(transfer)}</span>
      <span className="transfer-state" title={transfer.state === 'committing' ? 'Every byte is sent; waiting for the nodes to confirm. It can no longer be cancelled.' : undefined}>
        {state}
      </span>
      <span className="transfer-action">
        {/* The service refuses a Cancel once the commit has gone out: its outcome is the nodes' to tell. */}
        {isStoppable(transfer) && (
          <button type="button" className="button button-small" aria-label={`Cancel ${name}`} onClick={() => void cancelTransfer(transfer.id)}>
            Cancel
          </button>
        )}
      </span>
    </li>
  );
});
