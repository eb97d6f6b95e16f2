import type { CredentialStore } from '../../src-main/service/credential-store.js';
import { VaultError } from '../../src-main/shared/errors.js';

/**
 * A keychain stand-in for service tests that are about the service's logic, not keytar (keytar itself is tested
 * against a real gnome-keyring in credential-store.test.ts and the end-to-end specs). `available: false` behaves
 * like a machine without a Secret Service.
 */
export class RecordingCredentialStore implements CredentialStore {
  readonly secrets = new Map<string, string>();

  constructor(private readonly available = true) {}

  async availability(): Promise<{ available: boolean; reason?: string }> {
    return this.available ? { available: true } : { available: false, reason: 'No keychain service is running on this machine.' };
  }

  async save(account: string, password: string): Promise<void> {
    if (!this.available) throw new VaultError('KEYCHAIN', 'No keychain service is running on this machine.');
    this.secrets.set(account, password);
  }

  async load(account: string): Promise<string | undefined> {
    return this.secrets.get(account);
  }

  async forget(account: string): Promise<void> {
    this.secrets.delete(account);
  }
}
