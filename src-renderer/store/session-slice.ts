import { type AppInfo, type SessionState, isStoppable } from '../../src-main/shared/app-models.js';
import type { RequestOf } from '../../src-main/shared/contract.js';
import { EMPTY_SELECTION } from './selection.js';
import type { SliceCreator } from './state.js';

/** Where the app is: asking the host at start, on the connect screen, or in the vault. */
export type Phase = 'starting' | 'signed-out' | 'signed-in';

/** What `session.connect` takes. */
export type ConnectRequest = RequestOf<'session.connect'>;

/** Login state and host facts. */
export interface SessionSlice {
  phase: Phase;
  info: AppInfo | null;
  session: SessionState | null;
  connecting: boolean;
  signingOut: boolean;
  /** Asks the host who it is, what runs, and signs in with remembered credentials when it can. */
  start(): Promise<void>;
  /** Signs in (starting the local cluster first when that is the target); true on success. */
  connect(request: ConnectRequest): Promise<boolean>;
  signOut(forget: boolean): Promise<void>;
  /** Signs out, first asking in a dialog when transfers are under way (signing out cancels them). */
  requestSignOut(forget: boolean): void;
  /** Opens the desktop's file dialog for a dfc.conf; the chosen path, or null. */
  chooseConfigFile(): Promise<string | null>;
  /** Adopts a session state from a call or a `session.changed` event. */
  applySession(state: SessionState): void;
}

const NO_KEYCHAIN = 'no keychain service is running';

/** Builds the session slice. */
export const createSessionSlice: SliceCreator<SessionSlice> = ({ api }) => (set, get) => ({
  phase: 'starting',
  info: null,
  session: null,
  connecting: false,
  signingOut: false,

  async start() {
    const [info] = await Promise.allSettled([api.app.info(), get().refreshCluster(), get().loadTransfers()]);
    if (info.status === 'fulfilled') set({ info: info.value });
    else get().reportError(info.reason);
    try {
      get().applySession(await api.session.resume());
    } catch (error) {
      get().reportError(error);
      try {
        get().applySession(await api.session.state());
      } catch {
        set({ phase: 'signed-out' });
      }
    }
  },

  async connect(request) {
    // The last attempt's error (a mistyped password, say) must not stand beside the next one while it runs.
    set((s) => ({ connecting: true, notices: s.notices.filter((n) => n.kind !== 'error' || n.persistent) }));
    try {
      const state = await api.session.connect(request);
      get().applySession(state);
      if (request.remember && !state.keychain.available) {
        get().notify('warning', `Cannot remember the password on this machine: ${state.keychain.reason ?? NO_KEYCHAIN}`);
      }
      return state.status === 'signed-in';
    } catch (error) {
      get().reportError(error);
      return false;
    } finally {
      set({ connecting: false });
      void get().refreshCluster();
    }
  },

  async signOut(forget) {
    set({ signingOut: true });
    try {
      get().applySession(await api.session.signOut({ forget }));
    } catch (error) {
      get().reportError(error);
    } finally {
      set({ signingOut: false });
    }
  },

  requestSignOut(forget) {
    // Uploads already committing are waited for, not cancelled: only the others are the user's to lose.
    const transfers = get().transfers.filter((t) => isStoppable(t)).length;
    if (transfers > 0) get().openDialog({ kind: 'confirm-sign-out', forget, transfers });
    else void get().signOut(forget);
  },

  async chooseConfigFile() {
    try {
      return (await api.dialogs.chooseConfigFile()).path ?? null;
    } catch (error) {
      get().reportError(error);
      return null;
    }
  },

  applySession(state) {
    const before = get().session;
    const wasIn = get().phase === 'signed-in';
    set({ session: state, phase: state.status });
    if (state.status === 'signed-in' && (!wasIn || before?.username !== state.username)) {
      // Errors from the connect screen (a mistyped password, say) no longer apply.
      set((s) => ({ notices: s.notices.filter((n) => n.kind !== 'error') }));
      void get().openFolder('');
    }
    if (state.status === 'signed-out' && wasIn) {
      set({ folder: '', entries: [], listing: 'idle', filter: '', selection: EMPTY_SELECTION, dialog: null, waitingDialogs: [] });
    }
  },
});
