import type { Transfer } from '../../src-main/shared/app-models.js';
import type { CallOutcome, VaultApi } from '../../src-main/shared/contract.js';
import type { SerializedVaultError } from '../../src-main/shared/errors.js';
import { fromWireJson } from '../../src-main/shared/wire-json.js';
import { isVaultErrorCode, toSerializedError } from './thrown-errors.js';

const TOKEN_TEXT = 'This page is no longer authorized. Open the address that `dfs-vault web` printed again (it carries a fresh token).';

/** True for a parsed body shaped like a CallOutcome. */
function isOutcome(value: unknown): value is CallOutcome<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return true;
  return v.ok === false && isVaultErrorCode(v.error?.code) && typeof v.error?.message === 'string';
}

/** What went wrong with an HTTP answer that is not a CallOutcome, in words. */
export function httpFailure(status: number, statusText = ''): SerializedVaultError {
  if (status === 401 || status === 403) return { code: 'AUTH_FAILED', message: TOKEN_TEXT };
  if (status === 404) return { code: 'UNSUPPORTED', message: 'The DFS Vault web host does not offer this request; is it the same version as this page?' };
  if (status === 413) return { code: 'INVALID_REQUEST', message: 'The request is larger than the DFS Vault web host accepts.' };
  return { code: 'INTERNAL', message: `The DFS Vault web host answered ${status}${statusText ? ` ${statusText}` : ''}.` };
}

/** The outcome of a host answer: its CallOutcome when the body is one (whatever the status), else an HTTP failure. */
export function outcomeOfResponse(status: number, statusText: string, body: string): CallOutcome<unknown> {
  let parsed: unknown;
  try {
    parsed = fromWireJson(body);
  } catch {
    parsed = undefined;
  }
  if (isOutcome(parsed) && (parsed.ok === false || status === 200)) return parsed;
  return { ok: false, error: httpFailure(status, statusText) };
}

/** outcomeOfResponse of a fetch's response, its body read (an unreadable body counts as empty). */
export async function outcomeOf(response: Response): Promise<CallOutcome<unknown>> {
  return outcomeOfResponse(response.status, response.statusText, await response.text().catch(() => ''));
}

/** The failure when the host cannot be reached at all. */
export function unreachableError(): SerializedVaultError {
  return { code: 'NODE_UNREACHABLE', message: 'Cannot reach the DFS Vault web host. Is `dfs-vault web` still running?' };
}

/**
 * Why a PUT the browser could not finish failed. A failed fetch says only "network error": if the host still answers,
 * its transfer list holds the real reason (the vault's own error) for this upload, and the host is not to blame.
 */
export async function failedSendError(api: Pick<VaultApi, 'transfers'>, path: string, name: string, sentAt: number): Promise<SerializedVaultError> {
  let transfers: Transfer[] = [];
  try {
    transfers = await api.transfers.list();
  } catch (error) {
    // Any answer at all (even a refusal) means the host is there.
    if (toSerializedError(error).message === unreachableError().message) return unreachableError();
  }
  // The host runs on this machine (127.0.0.1), so its clock is this page's; a second of slack covers rounding.
  const ours = transfers.filter((t) => t.direction === 'upload' && t.path === path && t.startedAt >= sentAt - 1000).sort((a, b) => b.startedAt - a.startedAt);
  const reason = ours.find((t) => t.error)?.error;
  return reason ?? { code: 'INTERNAL', message: `The connection to the DFS Vault web host broke while sending ${name}; nothing was stored. Try again.` };
}
