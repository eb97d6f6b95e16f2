import { toSerializedError } from '../api/thrown-errors.js';
import { type Notice, type NoticeKind, pushNotice, removeNotice } from './notices.js';
import type { SliceCreator } from './state.js';

/** How long an info notice stays. */
export const INFO_NOTICE_MS = 6000;

/** Toasts and the error region. */
export interface NoticesSlice {
  notices: Notice[];
  /** Shows a message; infos fade after a few seconds, warnings and errors stay until dismissed (persistent ones until the app takes them away). */
  notify(kind: NoticeKind, text: string, code?: string, options?: { persistent?: boolean }): void;
  /** Shows a thrown error's message (never a stack); cancellations are not reported. */
  reportError(error: unknown, prefix?: string): void;
  dismissNotice(id: number): void;
}

/** Builds the notices slice. */
export const createNoticesSlice: SliceCreator<NoticesSlice> = ({ api }) => (set, get) => {
  let nextId = 1;
  return {
    notices: [],
    notify(kind, text, code, options) {
      const id = nextId++;
      const notice = { id, kind, text, ...(code === undefined ? {} : { code }), ...(options?.persistent ? { persistent: true } : {}) };
      set((s) => ({ notices: pushNotice(s.notices, notice) }));
      if (kind === 'info') setTimeout(() => get().dismissNotice(id), INFO_NOTICE_MS);
    },
    reportError(error, prefix) {
      const { code, message } = toSerializedError(error);
      if (code === 'CANCELLED') return;
      get().notify('error', prefix ? `${prefix}: ${message}` : message, code);
      // The host ended the session (a restart, say): go back to the connect screen.
      if (code === 'SIGNED_OUT' && get().phase === 'signed-in') {
        api.session.state().then((state) => get().applySession(state), () => undefined);
      }
    },
    dismissNotice(id) {
      set((s) => ({ notices: removeNotice(s.notices, id) }));
    },
  };
};
