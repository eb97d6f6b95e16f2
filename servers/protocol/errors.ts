/** Stable codes a node sends in an ERROR frame and that the codec raises. */
export type ProtocolErrorCode =
  | 'BAD_FRAME'
  | 'FRAME_TOO_LARGE'
  | 'UNKNOWN_OP'
  | 'UNEXPECTED_MESSAGE'
  | 'VERSION_MISMATCH'
  | 'AUTH_FAILED'
  | 'AUTH_THROTTLED'
  | 'BUSY'
  | 'NOT_AUTHENTICATED'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'NO_SPACE'
  | 'TIMEOUT'
  | 'CONNECTION_CLOSED'
  | 'INTERNAL';

/** An error in the wire protocol or reported by a node; `code` is stable, `message` is for people. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
