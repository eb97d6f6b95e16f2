import { VaultError } from '../shared/errors.js';

/** Remembers one password per account in the OS keychain ("remember me"). */
export interface CredentialStore {
  /** Whether a keychain can store secrets here; `reason` says why not, in words a user can act on. */
  availability(): Promise<{ available: boolean; reason?: string }>;
  /** Stores the password for `account`; throws VaultError('KEYCHAIN') when the keychain cannot. */
  save(account: string, password: string): Promise<void>;
  /** The remembered password, or undefined when none is; throws VaultError('KEYCHAIN') when the keychain cannot be read. */
  load(account: string): Promise<string | undefined>;
  /** Removes the remembered password (nothing to remove is fine); throws VaultError('KEYCHAIN') when the keychain cannot be reached. */
  forget(account: string): Promise<void>;
}

/** The keychain service name every remembered DFS Vault password is stored under. */
export const KEYCHAIN_SERVICE = 'dfs-vault';

/** How long a probe of the keychain may take before the keychain counts as not answering. */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 3_000;

type Keytar = Pick<typeof import('keytar'), 'getPassword' | 'setPassword' | 'deletePassword'>;

type Operation = 'save' | 'load' | 'forget';

type Condition = 'not-loaded' | 'no-service' | 'locked' | 'no-default-keyring' | 'timeout' | 'refused';

// An account name that no user can have (names are single words), so probing never matches
// a stored item: the probe has no side effect and never triggers an unlock prompt.
const PROBE_ACCOUNT = 'dfs-vault availability probe';

// A working keychain rarely goes away; re-probing at most every 30 s keeps the UI snappy.
const AVAILABLE_CACHE_MS = 30_000;

// Saving or reading may show the keychain's own unlock prompt, so a person needs time to answer.
const DEFAULT_OPERATION_TIMEOUT_MS = 120_000;

/** Raised internally when a keytar call outlives its time limit. */
class KeychainTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** A credential store on keytar (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows). */
export function keytarCredentialStore(
  options: { service?: string; timeoutMs?: number; operationTimeoutMs?: number } = {},
): CredentialStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  let keytar: Promise<Keytar> | undefined;
  let availableUntil = 0;
  let probing: Promise<{ ok: true } | { ok: false; error: unknown }> | undefined;
  // A keytar call that timed out still occupies a libuv worker thread until libsecret gives
  // up (possibly never); while one is stuck no new call starts, so a hung keychain cannot
  // exhaust the thread pool that file I/O and scrypt share.
  let stuck: KeychainTimeout | undefined;

  async function call<T>(start: (kt: Keytar) => Promise<T>, ms: number): Promise<T> {
    const kt = await (keytar ??= loadKeytar());
    if (stuck) throw stuck;
    const pending = start(kt);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KeychainTimeout(ms)), ms);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      if (error instanceof KeychainTimeout) {
        const timedOut = error;
        stuck = timedOut;
        const release = () => {
          if (stuck === timedOut) stuck = undefined;
        };
        pending.then(release, release);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  function probe(): Promise<{ ok: true } | { ok: false; error: unknown }> {
    if (Date.now() < availableUntil) return Promise.resolve({ ok: true });
    probing ??= call((kt) => kt.getPassword(service, PROBE_ACCOUNT), timeoutMs)
      .then(
        () => {
          availableUntil = Date.now() + AVAILABLE_CACHE_MS;
          return { ok: true } as const;
        },
        (error: unknown) => ({ ok: false, error }) as const,
      )
      .finally(() => {
        probing = undefined;
      });
    return probing;
  }

  async function perform<T>(operation: Operation, start: (kt: Keytar) => Promise<T>): Promise<T> {
    const probed = await probe();
    if (!probed.ok) throw keychainError(probed.error, operation);
    try {
      return await call(start, operationTimeoutMs);
    } catch (error) {
      availableUntil = 0;
      throw keychainError(error, operation);
    }
  }

  return {
    async availability() {
      const probed = await probe();
      return probed.ok ? { available: true } : { available: false, reason: describe(probed.error, 'save') };
    },
    async save(account, password) {
      requireAccount(account);
      if (typeof password !== 'string' || password.length === 0) {
        throw new VaultError('INVALID_REQUEST', 'An empty password cannot be remembered.');
      }
      await perform('save', (kt) => kt.setPassword(service, account, password));
    },
    async load(account) {
      requireAccount(account);
      return (await perform('load', (kt) => kt.getPassword(service, account))) ?? undefined;
    },
    async forget(account) {
      requireAccount(account);
      await perform('forget', (kt) => kt.deletePassword(service, account));
    },
  };
}

/** Loads keytar on first use, so a machine where the native module cannot load still runs the app. */
async function loadKeytar(): Promise<Keytar> {
  let loaded: unknown;
  try {
    loaded = await import('keytar');
  } catch (error) {
    throw new KeytarLoadError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  // A CommonJS module arrives as `default` under Node's ESM loader, bare when bundled to CommonJS.
  for (const candidate of [(loaded as { default?: unknown }).default, loaded]) {
    if (isKeytar(candidate)) return candidate;
  }
  throw new KeytarLoadError('the module has no getPassword, setPassword and deletePassword functions');
}

/** A keytar module that could not be imported (missing native build, missing libsecret, ...). */
class KeytarLoadError extends Error {
  override readonly name = 'KeytarLoadError';
}

function isKeytar(value: unknown): value is Keytar {
  const candidate = value as Partial<Record<keyof Keytar, unknown>> | null | undefined;
  return (
    typeof candidate?.getPassword === 'function' &&
    typeof candidate.setPassword === 'function' &&
    typeof candidate.deletePassword === 'function'
  );
}

function requireAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0) {
    throw new VaultError('INVALID_REQUEST', 'An account name is needed to remember a password.');
  }
}

function keychainError(error: unknown, operation: Operation): VaultError {
  return new VaultError('KEYCHAIN', describe(error, operation), { cause: error });
}

/** Sorts a keytar/libsecret failure by what the user can do about it. */
function classify(error: unknown): Condition {
  if (error instanceof KeychainTimeout) return 'timeout';
  if (error instanceof KeytarLoadError) return 'not-loaded';
  const message = error instanceof Error ? error.message : String(error);
  // A dismissed or cancelled unlock prompt leaves the keychain locked just the same.
  if (/locked|dismissed|cancel+ed/i.test(message)) return 'locked';
  if (/collection\/login|object does not exist|default collection/i.test(message)) return 'no-default-keyring';
  if (
    /DBUS_SESSION_BUS_ADDRESS|autolaunch|dbus-launch|could not connect|address element|not provided by any \.service files|ServiceUnknown|org\.freedesktop\.secrets|disconnected from message bus|connection refused/i.test(
      message,
    )
  ) {
    return 'no-service';
  }
  if (/timeout was reached|did not receive a reply|NoReply/i.test(message)) return 'timeout';
  return 'refused';
}

/** The sentence a user reads: what is wrong, what it means for this operation, and what to do. */
function describe(error: unknown, operation: Operation): string {
  const condition = classify(error);
  const { consequence, otherwise } = OPERATIONS[operation];
  const detail = error instanceof Error ? error.message : String(error);
  switch (condition) {
    case 'not-loaded':
      return `The keychain module (keytar) could not load on this machine (${detail}), so ${consequence}. Reinstall DFS Vault (on Linux it needs libsecret-1-0)${otherwise}`;
    case 'no-service':
      return `No keychain service (Secret Service) is running on this machine, so ${consequence}. Start GNOME Keyring or KWallet${otherwise}`;
    case 'locked':
      return `The keychain is locked, so ${consequence}. Unlock your login keyring${otherwise}`;
    case 'no-default-keyring':
      return `The keychain has no default keyring, so ${consequence}. Create a default keyring in your keychain app (for example "Passwords and Keys")${otherwise}`;
    case 'timeout':
      return `The keychain service (Secret Service) did not answer within ${seconds(error)}, so ${consequence}. Restart GNOME Keyring or KWallet${otherwise}`;
    case 'refused':
      return `The keychain refused the request (${detail}), so ${consequence}. Check your keychain app${otherwise}`;
  }
}

const OPERATIONS: Record<Operation, { consequence: string; otherwise: string }> = {
  save: { consequence: 'the password cannot be remembered', otherwise: ', or sign in each time.' },
  load: { consequence: 'the remembered password cannot be read', otherwise: ', or sign in with your password.' },
  forget: { consequence: 'the remembered password cannot be removed', otherwise: ', then sign out and forget again.' },
};

function seconds(error: unknown): string {
  const ms = error instanceof KeychainTimeout ? error.ms : 25_000;
  return `${ms / 1000} s`;
}
