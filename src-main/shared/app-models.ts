import type { SerializedVaultError } from './errors.js';
import type { MissedNode } from './missed-nodes.js';
import type { NodeStatus } from './models.js';

/** Which cluster to log in to: the app's own local one, a dfc.conf file, or typed `host:port` addresses. */
export type ClusterTarget =
  | { kind: 'local' }
  | { kind: 'config'; path: string }
  | { kind: 'addresses'; addresses: string[] };

/** Whether the OS keychain can remember a password here, and what it remembers. */
export interface KeychainState {
  available: boolean;
  /** Why it is unavailable, in words a user can act on. */
  reason?: string;
  /** The login that will be resumed at the next start (never the password itself). */
  remembered?: { username: string; target: ClusterTarget };
}

/** The login state the UI renders from. */
export interface SessionState {
  status: 'signed-out' | 'signed-in';
  username?: string;
  target?: ClusterTarget;
  keychain: KeychainState;
  /** The last login target and name, to pre-fill the connect screen. */
  lastUsed?: { username: string; target: ClusterTarget };
}

/** What a password change or reset did to a remembered login ("Remember me"). */
export interface PasswordChange {
  /** The keychain remembered this login and now holds the new password, so the next start still signs in. */
  keychainUpdated: boolean;
  /** The keychain remembered this login but could not take the new password; says what happened and what to do. */
  keychainProblem?: string;
  /** The new password works everywhere, but some nodes still also accept the old one; says which and what to do. */
  unfinished?: string;
}

/** The vault's recovery key, and the nodes that could not learn it (they were down or busy). */
export interface RecoveryKey {
  /** 11 groups of 5 Crockford base32 characters, dash-separated. */
  recoveryKey: string;
  /** The nodes where the key cannot reset the password yet (show it again once they are up, or in a moment if they were busy). */
  notRegisteredOn: MissedNode[];
}

/** One node in the strip: what the vault sees plus, for the local cluster, whether its process runs. */
export interface NodeView extends NodeStatus {
  index: number;
  /** True when this app started the node and can stop or restart it. */
  managed: boolean;
  /** For managed nodes: the process is alive. */
  running?: boolean;
}

/** The node strip. */
export interface ClusterView {
  /** The local cluster's state; "stopped" also before its first start. */
  local: 'stopped' | 'starting' | 'running' | 'stopping';
  /** Where the local cluster keeps its data. */
  localDir: string;
  nodes: NodeView[];
}

/** What a transfer is doing; "committing" means every byte is sent and the quorum's acknowledgement is awaited. */
export type TransferState = 'queued' | 'running' | 'committing' | 'done' | 'failed' | 'cancelled';

/** True once a transfer can no longer change (done, failed or cancelled). */
export function isFinished(transfer: Pick<Transfer, 'state'>): boolean {
  return transfer.state === 'done' || transfer.state === 'failed' || transfer.state === 'cancelled';
}

/**
 * True while a Cancel, a sign-out or quitting would still stop the transfer: queued or running. An upload that is
 * committing is past that point (its commit is waited for), and a finished one is done with.
 */
export function isStoppable(transfer: Pick<Transfer, 'state'>): boolean {
  return !isFinished(transfer) && transfer.state !== 'committing';
}

/** One upload or download in the transfer panel. */
export interface Transfer {
  id: string;
  direction: 'upload' | 'download';
  /** Path inside the vault. */
  path: string;
  /** Local file (upload source or download destination), when there is one. */
  local?: string;
  size: number;
  /** Bytes done; equals `size` only once the transfer is committed (uploads) or saved (downloads). */
  done: number;
  state: TransferState;
  startedAt: number;
  finishedAt?: number;
  bytesPerSecond: number;
  /** Estimated seconds left, when there is a rate to estimate from. */
  secondsLeft?: number;
  error?: SerializedVaultError;
}

/** Facts about the host the UI runs in. */
export interface AppInfo {
  host: 'electron' | 'web';
  version: string;
  platform: string;
  /** Native open/save dialogs exist (Electron only). */
  dialogs: boolean;
}

/** Where the user chose to save downloads: one file, a folder for several, or "the browser saves them". */
export type DownloadTarget = { kind: 'file'; path: string } | { kind: 'folder'; path: string } | { kind: 'cancelled' };
