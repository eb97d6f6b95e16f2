import { INVALID_LOGIN_TEXT, type SerializedVaultError, type VaultErrorCode } from '../../src-main/shared/errors.js';

const CODES: Record<VaultErrorCode, true> = {
  AUTH_FAILED: true,
  AUTH_THROTTLED: true,
  NODE_UNREACHABLE: true,
  NODE_BUSY: true,
  QUORUM_FAILED: true,
  INCOMPLETE: true,
  NOT_FOUND: true,
  INVALID_PATH: true,
  INVALID_CONFIG: true,
  NOT_A_FILE: true,
  LOCAL_IO: true,
  CANCELLED: true,
  PROTOCOL: true,
  INVALID_REQUEST: true,
  UNSUPPORTED: true,
  KEYCHAIN: true,
  SIGNED_OUT: true,
  INTERNAL: true,
};

/** True for a string that is one of the vault's error codes. */
export function isVaultErrorCode(code: unknown): code is VaultErrorCode {
  return typeof code === 'string' && Object.hasOwn(CODES, code);
}

// Electron prefixes errors that cross IPC or the context bridge; a person should not read those prefixes.
const PREFIXES = [/^Error invoking remote method '[^']*':\s*/, /^(?:Vault|Type|Range)?Error:\s*/];

function readable(message: string): string {
  let text = message.trim();
  for (let again = true; again; ) {
    again = false;
    for (const prefix of PREFIXES) {
      const stripped = text.replace(prefix, '');
      if (stripped !== text) {
        text = stripped;
        again = true;
      }
    }
  }
  // Never show a stack trace: keep the first line only.
  return text.split('\n')[0]?.trim() || 'Something went wrong.';
}

/** Any thrown value as `{code, message}`: the code when it carries one, INTERNAL otherwise; no stack traces. */
export function toSerializedError(error: unknown): SerializedVaultError {
  const candidate = error as { code?: unknown; message?: unknown } | null;
  const rawMessage = typeof candidate?.message === 'string' ? candidate.message : typeof error === 'string' ? error : String(error);
  const message = readable(rawMessage);
  if (isVaultErrorCode(candidate?.code)) return { code: candidate.code, message };
  if (message === INVALID_LOGIN_TEXT) return { code: 'AUTH_FAILED', message };
  return { code: 'INTERNAL', message };
}

/** True when the error only says the user cancelled (nothing to report). */
export function isCancelled(error: unknown): boolean {
  return toSerializedError(error).code === 'CANCELLED';
}
