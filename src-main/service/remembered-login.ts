import type { ClusterTarget, PasswordChange } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import { sameTarget, targetLabel } from './cluster-targets.js';
import type { CredentialStore } from './credential-store.js';

/** A user on a cluster: what "Remember me" records in the settings (never the password). */
export interface Login {
  username: string;
  target: ClusterTarget;
}

/** Whether the keychain can store a password here; `reason` says why not. */
export interface KeychainAvailability {
  available: boolean;
  reason?: string;
}

/** Where a remembered login lives: its password in the OS keychain, the login itself in the app's settings. */
export interface RememberedLoginOptions {
  /** The OS keychain. */
  credentials: CredentialStore;
  /** The login the settings say the keychain holds a password for, if any. */
  recorded: () => Promise<Login | undefined>;
  /** Records that login in the settings, or with undefined, clears it. */
  record: (login: Login | undefined) => Promise<void>;
  /** The app's data folder: each one has a local cluster of its own, so it is part of that cluster's keychain account. */
  dataDir: string;
}

/**
 * "Remember me": keeps at most one login's password in the keychain and its user and cluster in the settings, so the
 * next start can sign in by itself; forgets it on request and follows password changes and resets.
 */
export class RememberedLogin {
  private keychain: Promise<KeychainAvailability> | undefined;

  constructor(private readonly options: RememberedLoginOptions) {}

  /** Whether the keychain can store a password here, probed once and then only again when remembering. */
  keychainAvailability(): Promise<KeychainAvailability> {
    return (this.keychain ??= this.options.credentials.availability().catch((error: unknown) => ({ available: false, reason: (error as Error).message })));
  }

  /** The password the keychain holds for `login`, or undefined when it holds none or no keychain is running. */
  async passwordOf(login: Login): Promise<string | undefined> {
    if (!(await this.keychainAvailability()).available) return undefined;
    return this.options.credentials.load(accountOf(login.username, login.target, this.options.dataDir));
  }

  /**
   * After a sign-in: with `remember`, the keychain takes the password and this login replaces any other remembered
   * one; without, a remembered password of this very login is forgotten. A keychain that cannot take the password
   * leaves nothing remembered and is reported unavailable, with its reason, until the next sign-in asks again.
   */
  async afterSignIn(request: Login & { password: string; remember: boolean }): Promise<void> {
    const previous = await this.options.recorded();
    if (!request.remember) {
      if (previous && sameLogin(previous, request)) await this.forget();
      return;
    }
    // Re-probe: a keychain may have started (or stopped) since the last look.
    this.keychain = undefined;
    if (!(await this.keychainAvailability()).available) return;
    try {
      await this.options.credentials.save(accountOf(request.username, request.target, this.options.dataDir), request.password);
    } catch (error) {
      this.keychain = Promise.resolve({ available: false, reason: (error as Error).message });
      return;
    }
    if (previous && !sameLogin(previous, request)) {
      await this.options.credentials.forget(accountOf(previous.username, previous.target, this.options.dataDir)).catch(() => undefined);
    }
    await this.options.record({ username: request.username, target: request.target });
  }

  /** Forgets the remembered login: its password leaves the keychain (when one is running), the login the settings. */
  async forget(): Promise<void> {
    const login = await this.options.recorded();
    if (!login) return;
    if ((await this.keychainAvailability()).available) await this.options.credentials.forget(accountOf(login.username, login.target, this.options.dataDir));
    await this.options.record(undefined);
  }

  /**
   * After a password change or reset: if the keychain remembers this login, it gets the new password. When it cannot
   * take it, the old one (which no longer works) is removed, so the next start shows the sign-in screen instead of
   * failing with the old password; `keychainProblem` then says so.
   */
  async takeNewPassword(login: Login, password: string): Promise<PasswordChange> {
    const remembered = await this.options.recorded();
    if (!remembered || !sameLogin(remembered, login)) return { keychainUpdated: false };
    const account = accountOf(remembered.username, remembered.target, this.options.dataDir);
    // Re-probe: a keychain may have stopped since the last look.
    this.keychain = undefined;
    const availability = await this.keychainAvailability();
    try {
      if (!availability.available) throw new VaultError('KEYCHAIN', availability.reason ?? 'No keychain service is running on this machine.');
      await this.options.credentials.save(account, password);
      return { keychainUpdated: true };
    } catch (error) {
      await this.options.credentials.forget(account).catch(() => undefined);
      await this.options.record(undefined);
      const reason = (error as Error).message.replace(/\.$/, '');
      return {
        keychainUpdated: false,
        keychainProblem: `The keychain could not remember the new password (${reason}), so this login is no longer remembered. Sign in with the new password next time.`,
      };
    }
  }
}

/**
 * The keychain account of a login: one per user and cluster. Local clusters are told apart by the data folder that
 * holds them (the app's own, a `web --data` one): "Forget" in one must not drop another's password.
 */
export function accountOf(username: string, target: ClusterTarget, dataDir: string): string {
  return `${username} @ ${target.kind === 'local' ? `local cluster in ${dataDir}` : targetLabel(target)}`;
}

/** Whether two logins are the same user on the same cluster. */
function sameLogin(a: Login, b: Login): boolean {
  return a.username === b.username && sameTarget(a.target, b.target);
}
