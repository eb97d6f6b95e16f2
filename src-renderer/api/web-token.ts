/** Where the browser host's one-time token lives: the first URL, then this tab's session storage. No DOM types. */

const STORAGE_KEY = 'dfs-vault.token';

/** The slices of `window` the token needs (so tests can pass plain objects). */
export interface TokenScope {
  location: { search: string; pathname: string; hash: string };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
}

/**
 * Takes `?token=` from the address (keeping it in session storage so a reload works, and removing it from the
 * address bar), else the stored one; null when there is neither.
 */
export function takeWebToken(scope: TokenScope): string | null {
  const params = new URLSearchParams(scope.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    scope.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    params.delete('token');
    const query = params.toString();
    scope.history.replaceState(null, '', `${scope.location.pathname}${query ? `?${query}` : ''}${scope.location.hash}`);
    return fromUrl;
  }
  return scope.sessionStorage.getItem(STORAGE_KEY) || null;
}
