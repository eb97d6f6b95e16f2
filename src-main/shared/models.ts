/** How many of a file's pieces are present (and, after a check, sound). */
export interface PieceCount {
  good: number;
  total: number;
}

/** One row of a folder listing. */
export interface VaultEntry {
  /** Last path segment. */
  name: string;
  /** Full path inside the vault, `/`-separated, no leading slash. */
  path: string;
  type: 'file' | 'folder';
  /** Bytes (0 for folders). */
  size: number;
  /** Modification time, ISO 8601. */
  modified: string;
  /** Pieces reachable now (folders: of their marker, when one exists). */
  pieces: PieceCount;
  /** What the piece count means for this file; "unavailable" is shown as [incomplete]. */
  health: Health;
}

/** Health of a file from its piece count: every piece, some lost, only k left, or fewer than k. */
export type Health = 'healthy' | 'degraded' | 'at-risk' | 'unavailable';

/** Classifies a piece count, given k data pieces. */
export function healthOf(pieces: PieceCount, k: number): Health {
  if (pieces.good >= pieces.total) return 'healthy';
  if (pieces.good > k) return 'degraded';
  if (pieces.good === k) return 'at-risk';
  return 'unavailable';
}

/** Per-file result of `check` (and the state `repair` starts from). */
export interface FileHealth {
  path: string;
  /** What the path holds: a file, a folder's record, or (for repair, which hands deletes on too) a delete. */
  kind: 'file' | 'folder' | 'tombstone';
  size: number;
  pieces: PieceCount;
  health: Health;
  /** Per piece index: where it lives and what state it is in ("busy": its node is up but asked to be tried again in a moment). */
  detail: Array<{ piece: number; node: string; state: 'sound' | 'missing' | 'damaged' | 'unreachable' | 'busy' }>;
}

/** How a checked path reads: a folder's (checked by its record) with a trailing slash. */
export function checkedPathText(health: Pick<FileHealth, 'kind' | 'path'>): string {
  return health.kind === 'folder' ? `${health.path}/` : health.path;
}

/** What `repair` did for one file. */
export interface RepairResult {
  path: string;
  rebuilt: Array<{ piece: number; node: string }>;
  /**
   * Pieces not rebuilt, and why. `away` is set when the only reason was the node being away: down ("unreachable";
   * repair again once it is back) or busy (repair again in a moment).
   */
  failed: Array<{ piece: number; node: string; reason: string; away?: 'unreachable' | 'busy' }>;
  /** Nodes from which superseded versions (missed prunes) were removed. */
  pruned: string[];
  before: PieceCount;
  after: PieceCount;
}

/** A node as the client sees it now. */
export interface NodeStatus {
  name: string;
  address: string;
  up: boolean;
  /** Not up for now, but answering: it asked to be tried again in a moment (NODE_BUSY). */
  busy?: boolean;
  latencyMs?: number;
  bytesUsed?: number;
  bytesFree?: number;
  error?: string;
}
