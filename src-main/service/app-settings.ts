import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterTarget } from '../shared/app-models.js';

/** What the app remembers between starts. Never a password: that lives only in the OS keychain. */
export interface AppSettings {
  /** Pre-fills the connect screen. */
  lastUsed?: { username: string; target: ClusterTarget };
  /** The login whose password the keychain holds, resumed at start. */
  remembered?: { username: string; target: ClusterTarget };
  /** Ports the local cluster used last, so dfc.conf stays valid across restarts. */
  localPorts?: number[];
}

const FILE_NAME = 'settings.json';

/** Reads settings from `dir`; a missing or unreadable file gives empty settings (they are only conveniences). */
export async function loadSettings(dir: string): Promise<AppSettings> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, FILE_NAME), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? sanitize(parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Writes settings atomically (temp file, then rename), readable by the owner only. */
export async function saveSettings(dir: string, settings: AppSettings): Promise<void> {
  // The app's folder holds the local cluster's data too: other users of this machine have no business in it.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${FILE_NAME}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(settings, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, FILE_NAME));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function sanitize(raw: Record<string, unknown>): AppSettings {
  const settings: AppSettings = {};
  const login = (value: unknown): AppSettings['lastUsed'] => {
    const v = value as { username?: unknown; target?: unknown } | undefined;
    return v && typeof v.username === 'string' && isTarget(v.target) ? { username: v.username, target: v.target } : undefined;
  };
  const lastUsed = login(raw['lastUsed']);
  if (lastUsed) settings.lastUsed = lastUsed;
  const remembered = login(raw['remembered']);
  if (remembered) settings.remembered = remembered;
  const ports = raw['localPorts'];
  if (Array.isArray(ports) && ports.every((p) => Number.isInteger(p) && p >= 0 && p < 65536)) settings.localPorts = ports as number[];
  return settings;
}

function isTarget(value: unknown): value is ClusterTarget {
  const v = value as { kind?: unknown; path?: unknown; addresses?: unknown } | undefined;
  if (!v) return false;
  if (v.kind === 'local') return true;
  if (v.kind === 'config') return typeof v.path === 'string';
  return v.kind === 'addresses' && Array.isArray(v.addresses) && v.addresses.every((a) => typeof a === 'string');
}
