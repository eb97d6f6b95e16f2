import { useShallow } from 'zustand/react/shallow';
import type { Notice } from '../store/notices.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

function NoticeItem({ notice }: { notice: Notice }) {
  const dismissNotice = useVault((s) => s.dismissNotice);
  return (
    <div className={`notice notice-${notice.kind}`} data-code={notice.code}>
      <Icon name={notice.kind === 'info' ? 'info' : 'alert'} className="notice-icon" />
      <p className="notice-text">
        {notice.text}
        {notice.repeat > 1 && <span className="notice-repeat"> ×{notice.repeat}</span>}
      </p>
      {!notice.persistent && (
        <button type="button" className="icon-button notice-close" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
          <Icon name="close" />
        </button>
      )}
    </div>
  );
}

/**
 * Messages in two live regions that are always in the page (so screen readers announce additions): errors and
 * warnings in role=alert, infos in role=status. They float over the page instead of pushing it down: under the header
 * on the connect screen; in the vault, at the bottom of the file list, clear of the controls above it.
 */
export function Notices({ at }: { at: 'top' | 'bottom' }) {
  const alerts = useVault(useShallow((s) => s.notices.filter((n) => n.kind !== 'info')));
  const infos = useVault(useShallow((s) => s.notices.filter((n) => n.kind === 'info')));
  return (
    <div className={`notices notices-${at}`}>
      <div className="notice-stack">
        <div role="alert" className="notice-region">
          {alerts.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
        </div>
        <div role="status" className="notice-region">
          {infos.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
        </div>
      </div>
    </div>
  );
}
