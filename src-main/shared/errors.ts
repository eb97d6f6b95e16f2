/** Stable codes of every failure the vault reports; UIs and scripts branch on these. */
export type VaultErrorCode =
  | 'AUTH_FAILED'
  | 'AUTH_THROTTLED'
  | 'NODE_UNREACHABLE'
  | 'NODE_BUSY'
  | 'QUORUM_FAILED'
  | 'INCOMPLETE'
  | 'NOT_FOUND'
  | 'INVALID_PATH'
  | 'INVALID_CONFIG'
  | 'NOT_A_FILE'
  | 'LOCAL_IO'
  | 'CANCELLED'
  | 'PROTOCOL'
  | 'INVALID_REQUEST'
  | 'UNSUPPORTED'
  | 'KEYCHAIN'
  | 'SIGNED_OUT'
  | 'INTERNAL';

/** The message for a rejected login, word for word as the classic client printed it. */
export const INVALID_LOGIN_TEXT = 'Invalid Username/Password. Please try again.';

/** The message for a file with fewer than k good pieces reachable. */
export const INCOMPLETE_TEXT = 'File is incomplete.';

/** A failure a person can act on: `code` is stable, `message` says what happened and what to do. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The shape of an error as it crosses a process boundary (IPC, HTTP). */
export interface SerializedVaultError {
  code: VaultErrorCode;
  message: string;
}

/** Strips an error down to `{code, message}`; anything unexpected becomes INTERNAL. */
export function serializeError(error: unknown): SerializedVaultError {
  if (error instanceof VaultError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
