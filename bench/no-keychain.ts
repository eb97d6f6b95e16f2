import type { CredentialStore } from '../src-main/service/credential-store.js';
import { VaultError } from '../src-main/shared/errors.js';

const REASON = 'The benchmark runs without a keychain.';

/** A credential store that has no keychain: the bench's host logs in with `remember: false`, so it is never asked to keep anything. */
export class NoKeychain implements CredentialStore {
  async availability(): Promise<{ available: boolean; reason?: string }> {
    return { available: false, reason: REASON };
  }

  async save(): Promise<void> {
    throw new VaultError('KEYCHAIN', REASON);
  }

  async load(): Promise<string | undefined> {
    throw new VaultError('KEYCHAIN', REASON);
  }

  async forget(): Promise<void> {
    throw new VaultError('KEYCHAIN', REASON);
  }
}
