// A private D-Bus session with a real, unlocked GNOME Keyring, for tests that talk to a keychain.
// Plain Node (no test-runner imports), so a Playwright global setup can use it too.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A running private session bus; `env` holds what a child process needs to use it. */
export interface PrivateBus {
  /** The variables to add to a child's environment (DBUS_SESSION_BUS_ADDRESS). */
  env: NodeJS.ProcessEnv;
  /** The temp directory holding the bus socket and the keyring's HOME and XDG folders. */
  dir: string;
  /** Points this process's DBUS_SESSION_BUS_ADDRESS at the bus (before its first keychain call). */
  apply(): void;
  /** Stops the daemons, restores the environment `apply` changed and removes the temp directory. */
  stop(): Promise<void>;
}

/** A private bus with GNOME Keyring serving org.freedesktop.secrets on it. */
export interface PrivateKeyring extends PrivateBus {
  /** Locks the default collection, as the keyring's "Lock" button would. */
  lock(): Promise<void>;
  /** Freezes the keyring daemon (SIGSTOP): it keeps its bus name but answers nothing. */
  pause(): void;
  /** Wakes a paused keyring daemon (SIGCONT). */
  resume(): void;
}

/** The login keyring's own password; not empty, so GNOME Keyring encrypts the keyring file. */
export const PRIVATE_KEYRING_PASSWORD = 'dfs-vault-test-keyring';

const STARTUP_TIMEOUT_MS = 10_000;

const PACKAGES: Record<string, string> = {
  'dbus-daemon': 'dbus-daemon (or dbus)',
  'dbus-send': 'dbus-bin (or dbus)',
  'gnome-keyring-daemon': 'gnome-keyring',
};

/** Starts a private session bus that no Secret Service (or any other service) is activated on. */
export async function startPrivateBus(): Promise<PrivateBus> {
  const bus = await startBus();
  return bus.handle;
}

/** Starts a private session bus and an unlocked GNOME Keyring on it; the user's keyrings are never touched. */
export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  requireBinary('gnome-keyring-daemon');
  requireBinary('dbus-send');
  const bus = await startBus();
  let keyring: ChildProcess | undefined;
  try {
    // --unlock reads the login keyring's password from stdin and creates that keyring, unlocked,
    // when it does not exist yet; it becomes the default collection.
    keyring = spawnGuarded('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: bus.daemonEnv,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const stderr = tail(keyring);
    keyring.stdin?.end(PRIVATE_KEYRING_PASSWORD);
    await waitForUnlockedDefaultCollection(bus.daemonEnv, keyring, stderr);
  } catch (error) {
    if (keyring) await terminate(keyring);
    await bus.handle.stop();
    throw error;
  }
  const daemon = keyring;
  return {
    ...bus.handle,
    async lock() {
      await dbusSend(bus.daemonEnv, [
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/aliases/default',
      ]);
    },
    pause() {
      daemon.kill('SIGSTOP');
    },
    resume() {
      daemon.kill('SIGCONT');
    },
    async stop() {
      daemon.kill('SIGCONT');
      await terminate(daemon);
      await bus.handle.stop();
    },
  };
}

async function startBus(): Promise<{ handle: PrivateBus; daemonEnv: NodeJS.ProcessEnv }> {
  requireBinary('dbus-daemon');
  const dir = await mkdtemp(join(tmpdir(), 'dfs-keyring-'));
  const daemonEnv = await isolatedEnv(dir);
  const socket = join(dir, 'bus');
  // No <servicedir>: nothing is ever activated on this bus, not the system's gnome-keyring and
  // not a GUI unlock prompter, so a call either reaches what the test started or fails at once.
  await writeFile(
    join(dir, 'bus.conf'),
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const daemon = spawnGuarded('dbus-daemon', [`--config-file=${join(dir, 'bus.conf')}`, '--nofork', '--print-address'], {
    env: daemonEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let address: string;
  try {
    address = await firstLine(daemon, 'dbus-daemon');
  } catch (error) {
    await terminate(daemon);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  daemonEnv.DBUS_SESSION_BUS_ADDRESS = address;
  let previous: { value: string | undefined } | undefined;
  let stopped: Promise<void> | undefined;
  const handle: PrivateBus = {
    env: { DBUS_SESSION_BUS_ADDRESS: address },
    dir,
    apply() {
      previous ??= { value: process.env.DBUS_SESSION_BUS_ADDRESS };
      process.env.DBUS_SESSION_BUS_ADDRESS = address;
    },
    stop() {
      stopped ??= (async () => {
        if (previous) {
          if (previous.value === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
          else process.env.DBUS_SESSION_BUS_ADDRESS = previous.value;
        }
        await terminate(daemon);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  return { handle, daemonEnv };
}

/** An environment whose HOME and XDG folders live in `dir`, with no display to prompt on. */
async function isolatedEnv(dir: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'GNOME_KEYRING_CONTROL', 'SSH_AUTH_SOCK']) {
    delete env[name];
  }
  const folders = { HOME: 'home', XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache', XDG_RUNTIME_DIR: 'run' };
  for (const [name, folder] of Object.entries(folders)) {
    const path = join(dir, folder);
    await mkdir(path, { recursive: true, mode: 0o700 });
    env[name] = path;
  }
  return env;
}

/** Spawns a daemon that the kernel stops when this process dies, so a crashed test run leaves none behind. */
function spawnGuarded(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdio: ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe'] },
): ChildProcess {
  // setpriv execs the daemon, so the child's pid is the daemon's own.
  const guarded = findOnPath('setpriv') ? ['setpriv', '--pdeathsig', 'TERM', '--', command, ...args] : [command, ...args];
  const [file, ...rest] = guarded as [string, ...string[]];
  const child = spawn(file, rest, options);
  // A forgotten stop() must not keep this process alive; the death signal still ends the daemon.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
  return child;
}

async function waitForUnlockedDefaultCollection(env: NodeJS.ProcessEnv, keyring: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (keyring.exitCode !== null || keyring.signalCode !== null) {
      throw new Error(`gnome-keyring-daemon exited during startup: ${stderr() || `code ${keyring.exitCode ?? keyring.signalCode}`}`);
    }
    const reply = await dbusSend(env, [
      '/org/freedesktop/secrets/aliases/default',
      'org.freedesktop.DBus.Properties.Get',
      'string:org.freedesktop.Secret.Collection',
      'string:Locked',
    ]).catch(() => '');
    if (/boolean false/.test(reply)) return;
    if (Date.now() > deadline) {
      throw new Error(`gnome-keyring-daemon did not offer an unlocked default collection within ${STARTUP_TIMEOUT_MS} ms: ${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function dbusSend(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'dbus-send',
      ['--session', '--print-reply', '--reply-timeout=2000', '--dest=org.freedesktop.secrets', ...args],
      { env },
      (error, stdout, stderr) => (error ? reject(new Error(`dbus-send failed: ${stderr || error.message}`)) : resolve(stdout)),
    );
  });
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  const stderr = tail(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${name} printed no address within ${STARTUP_TIMEOUT_MS} ms: ${stderr()}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) done(() => resolve(out.slice(0, end).trim()));
    };
    const onExit = () => fail(new Error(`${name} exited during startup: ${stderr()}`));
    const fail = (error: Error) => done(() => reject(error));
    const done = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
      settle();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

/** Keeps the last few KiB of a child's stderr for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4096);
  });
  return () => text.trim();
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

function requireBinary(name: string): void {
  if (!findOnPath(name)) {
    throw new Error(`${name} was not found on PATH; install the Debian package ${PACKAGES[name] ?? name} (apt-get install ${(PACKAGES[name] ?? name).split(' ')[0]}).`);
  }
}

function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
