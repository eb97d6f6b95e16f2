/** Toasts: errors and warnings stay until dismissed; infos fade on their own. */

/** How loud a notice is. */
export type NoticeKind = 'error' | 'warning' | 'info';

/** One message in the notice region. */
export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
  /** The VaultError code, when the notice reports one. */
  code?: string;
  /** How many times the same message came in a row. */
  repeat: number;
  /** Stays until what it reports is over (it has no Dismiss button). */
  persistent?: boolean;
}

/** Most notices on screen at once; older ones give way. */
export const MAX_NOTICES = 5;

/** Adds a notice; the same text and kind again bumps the existing one instead of stacking a copy. */
export function pushNotice(list: readonly Notice[], notice: Omit<Notice, 'repeat'>): Notice[] {
  const same = list.find((n) => n.kind === notice.kind && n.text === notice.text);
  if (same) return [...list.filter((n) => n !== same), { ...same, id: notice.id, repeat: same.repeat + 1 }];
  const next = [...list, { ...notice, repeat: 1 }];
  // The oldest give way, but not a persistent one: what it reports is not over.
  while (next.length > MAX_NOTICES) {
    const oldest = next.findIndex((n) => !n.persistent);
    next.splice(Math.max(0, oldest), 1);
  }
  return next;
}

/** Removes one notice. */
export function removeNotice(list: readonly Notice[], id: number): Notice[] {
  return list.filter((n) => n.id !== id);
}
