import { describe, expect, it } from 'vitest';
import { INVALID_LOGIN_TEXT, VaultError } from '../../src-main/shared/errors.js';
import { localJoin } from '../../src-renderer/api/electron-file-transfers.js';
import { toSerializedError } from '../../src-renderer/api/thrown-errors.js';
import { outcomeOfResponse } from '../../src-renderer/api/web-outcome.js';
import { takeWebToken } from '../../src-renderer/api/web-token.js';

describe('host adapters', () => {
  it('turns any thrown value into a readable code and message, never a stack', () => {
    expect(toSerializedError(new VaultError('QUORUM_FAILED', 'Only 2 of 4 nodes took the file.'))).toEqual({ code: 'QUORUM_FAILED', message: 'Only 2 of 4 nodes took the file.' });
    const bridged = new Error(`Error invoking remote method 'vault:call': VaultError: ${INVALID_LOGIN_TEXT}\n    at foo (x.js:1:1)`);
    expect(toSerializedError(bridged)).toEqual({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
    expect(toSerializedError('plain')).toEqual({ code: 'INTERNAL', message: 'plain' });
  });

  it('reads the web host answer as an outcome, whatever its status', () => {
    expect(outcomeOfResponse(200, 'OK', '{"ok":true,"value":[1]}')).toEqual({ ok: true, value: [1] });
    expect(outcomeOfResponse(200, 'OK', '{"ok":true}')).toEqual({ ok: true });
    const refused = outcomeOfResponse(401, 'Unauthorized', '{"ok":false,"error":{"code":"INVALID_REQUEST","message":"Missing or wrong token."}}');
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Missing or wrong token.' } });
    expect(outcomeOfResponse(403, 'Forbidden', 'nope')).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect(outcomeOfResponse(502, 'Bad Gateway', '<html>')).toMatchObject({ ok: false, error: { message: 'The DFS Vault web host answered 502 Bad Gateway.' } });
  });

  it('takes the token from the address once and keeps it for reloads', () => {
    const storage = new Map<string, string>();
    const replaced: string[] = [];
    const scope = (search: string) => ({
      location: { search, pathname: '/', hash: '' },
      sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
    });
    expect(takeWebToken(scope('?token=abc&x=1'))).toBe('abc');
    expect(replaced).toEqual(['/?x=1']);
    expect(takeWebToken(scope(''))).toBe('abc');
    storage.clear();
    expect(takeWebToken(scope(''))).toBeNull();
  });

  it('joins download destinations with the separator of the chosen folder', () => {
    expect(localJoin('/home/a/Downloads', 'photos/x.jpg')).toBe('/home/a/Downloads/photos/x.jpg');
    expect(localJoin('C:\\Users\\a\\Downloads\\', 'photos/x.jpg')).toBe('C:\\Users\\a\\Downloads\\photos\\x.jpg');
  });
});
