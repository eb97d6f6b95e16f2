import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCluster, launchCluster } from '../../servers/cluster/local-cluster.js';
import { type ServerEntry, loadDfcConf } from '../../src-main/vault/dfc-config.js';
import { Vault } from '../../src-main/vault/vault.js';
import { exitedPid } from '../helpers/processes.js';
import { writeTemp } from '../helpers/test-cluster.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/dfs-vault.js');

function run(args: string[], cwd: string): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (status) => resolve({ status, out, err }));
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    });
    child.on('exit', () => reject(new Error(`exited before printing ${pattern}: ${seen}`)));
  });
}

describe('the dfs-vault executable', () => {
  let dir: string;
  beforeAll(async () => {
    // The executable runs the compiled CLI; the README's test command (npm test) builds it first.
    expect(existsSync(join(root, 'dist/src-main/cli/main.js')), 'dist/ is missing: run "npm run build" (npm test does)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'dfs-bin-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs a cluster that prints "ready", serves put/ls/get, and stops every node on SIGINT', async () => {
    const cluster = spawn(process.execPath, [bin, 'cluster', '--dir', 'vault', '--user', 'alice:wonderland', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => cluster.on('exit', resolve));
    const ready = await waitForLine(cluster, /ready/);
    expect(ready).toMatch(/Cluster ready: 4 nodes/);
    await writeFile(join(dir, 'report.pdf'), 'quarterly numbers');
    expect(await run(['put', '-c', 'vault/dfc.conf', 'report.pdf'], dir)).toMatchObject({ status: 0 });
    expect((await run(['ls', '-c', 'vault/dfc.conf'], dir)).out).toContain('report.pdf');
    expect(await run(['get', '-c', 'vault/dfc.conf', 'report.pdf', 'copy.pdf'], dir)).toMatchObject({ status: 0 });
    expect(await readFile(join(dir, 'copy.pdf'), 'utf8')).toBe('quarterly numbers');
    const conf = await readFile(join(dir, 'vault/dfc.conf'), 'utf8');
    const ports = [...conf.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    expect(ports).toHaveLength(4);
    cluster.kill('SIGINT');
    expect(await exited).toBe(0);
    // Every node is gone: nothing accepts on their ports any more.
    const { connect } = await import('node:net');
    for (const port of ports) {
      await expect(
        new Promise((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port }, () => {
            socket.destroy();
            resolve('connected');
          });
          socket.on('error', reject);
        }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('ends a cluster whose every node was killed with exit 1 and a line saying so', async () => {
    const cluster = spawn(process.execPath, [bin, 'cluster', '--dir', 'doomed', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    cluster.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => cluster.on('exit', resolve));
    try {
      await waitForLine(cluster, /ready/);
      for (const node of ['DFS1', 'DFS2', 'DFS3', 'DFS4']) process.kill(Number(await readFile(join(dir, 'doomed', node, 'node.pid'), 'utf8')), 'SIGKILL');
      expect(await exited).toBe(1);
      expect(err).toMatch(/stopped unexpectedly \(SIGKILL\)\.\nEvery node has stopped, so the cluster is down; start it again with the same command \(your files stay in \S+doomed\)\.\n$/);
    } finally {
      cluster.kill('SIGKILL');
    }
  });

  it('serves the app to a browser with "web", behind its token, and stops its local nodes on SIGINT', async () => {
    const data = join(dir, 'web-data');
    const child = spawn(process.execPath, [bin, 'web', '--data', data], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await waitForLine(child, /ready at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const url = new URL(/(http:\S+)/.exec(line)![1]!);
      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>DFS Vault</title>');
      const call = (token: string) => fetch(new URL('/api/call/session.connect', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-DFS-Token': token },
        body: JSON.stringify({ target: { kind: 'local' }, username: 'web', password: 'pw-web', remember: false }),
      });
      expect((await call('wrong')).status).toBe(401);
      expect(await (await call(url.searchParams.get('token')!)).json()).toMatchObject({ ok: true, value: { status: 'signed-in' } });
      const lock = join(data, 'local-cluster', 'launcher.pid');
      expect(existsSync(lock)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // The nodes were stopped and the data folder released.
      expect(existsSync(lock)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('web refuses a --data that is a file, instead of failing at the first sign-in', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const child = spawn(process.execPath, [bin, 'web', '--data', 'not-a-folder'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const timer = setTimeout(() => child.kill('SIGINT'), 5000);
    try {
      expect(await exited).toBe(1);
      expect(err).toBe(`${join(dir, 'not-a-folder')} is a file, not a folder; give a folder for --data.\n`);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });

  it('runs a node in the classic form "node DIR PORT", exits 2 on a bad port, and 1 for a second node on the same folder', async () => {
    const bad = await run(['node', 'DFS9', 'port'], dir);
    expect(bad.status).toBe(2);
    expect(bad.err).toContain('"port" is not a TCP port');
    expect(await run(['node', '--root', 'DFS8', '--port', '0', '--host', 'nosuch.invalid', '--users', 'vault/dfs.conf'], dir)).toMatchObject({
      status: 1,
      err: 'No such host: nosuch.invalid. Give --host a name or address of this machine (0.0.0.0 for all of them).\n',
    });
    const cluster = await run(['cluster', '--dir', 'nowhere', '--user', 'a:b', '--port', '0', '--host', 'nosuch.invalid'], dir);
    expect(cluster.status).toBe(1);
    expect(cluster.err).toMatch(/DFS\d could not start: No such host: nosuch\.invalid\. Give --host a name or address of this machine \(0\.0\.0\.0 for all of them\)\.\n$/);
    // A users-file writer that died before its rename left a temp file; the node removes it at start.
    const leftover = join(dir, 'vault', `.dfs.conf.${await exitedPid()}.0123456789ab.tmp`);
    await writeFile(leftover, 'half a users file');
    const node = spawn(process.execPath, [bin, 'node', 'DFS9', '0', '--users', 'vault/dfs.conf'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let nodeErr = '';
    node.stderr!.on('data', (d: Buffer) => (nodeErr += d.toString()));
    const exited = new Promise<number | null>((resolve) => node.on('exit', resolve));
    expect(await waitForLine(node, /listening on/)).toMatch(/^\[DFS9\] listening on 127\.0\.0\.1:\d+$/);
    expect(nodeErr).toContain(`[DFS9] removed 1 temp file(s) a crashed writer of ${join(dir, 'vault', 'dfs.conf')} left`);
    expect(existsSync(leftover)).toBe(false);
    const second = await run(['node', 'DFS9', '0', '--users', 'vault/dfs.conf'], dir);
    expect(second.status).toBe(1);
    expect(second.err).toMatch(new RegExp(`^The data folder \\S+DFS9 is in use by another node \\(process ${node.pid}\\)\\. Stop that node or choose another --root; [^\\n]*\\n$`));
    node.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('a download that the local disk cannot hold', () => {
  it('fails with exit 1 and a clear message, and leaves no file behind', async () => {
    const { TestCluster, writeTemp } = await import('../helpers/test-cluster.js');
    const { renderDfcConf } = await import('../../servers/cluster/cluster-files.js');
    const { readdir } = await import('node:fs/promises');
    const cluster = await TestCluster.start();
    try {
      const vault = await cluster.vault();
      await vault.putFile(await writeTemp(cluster.dir, 'big', Buffer.alloc(3_000_000, 7)), 'big.bin');
      await writeFile(join(cluster.dir, 'dfc.conf'), renderDfcConf(cluster.servers, 'alice', 'wonderland'));
      const outDir = join(cluster.dir, 'out');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(outDir);
      // A file-size limit of 2.5 MB (ulimit -f counts 1 KiB blocks) plays a full disk.
      const result = await new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
        const child = spawn('bash', ['-c', `ulimit -f 2500; exec "${process.execPath}" "${bin}" get -c ../dfc.conf big.bin copy.bin`], { cwd: outDir });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (status) => resolve({ status, out, err }));
      });
      expect(result.status).toBe(1);
      expect(result.err).toMatch(/^Could not write (to|all of) .*copy\.bin/);
      expect(await readdir(outDir)).toEqual([]);
    } finally {
      await cluster.close();
    }
  });
});

describe('a download to standard output', () => {
  /** Runs the executable with stdout piped to the test, kept as bytes. */
  function runRaw(args: string[], cwd: string): Promise<{ status: number | null; out: Buffer; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (status) => resolve({ status, out: Buffer.concat(out), err }));
    });
  }

  it('writes the file\'s bytes and nothing else to a pipe, given "-" or /dev/stdout', async () => {
    const { TestCluster } = await import('../helpers/test-cluster.js');
    const { renderDfcConf } = await import('../../servers/cluster/cluster-files.js');
    const { randomBytes } = await import('node:crypto');
    const cluster = await TestCluster.start();
    try {
      const bytes = randomBytes(1_500_000);
      const vault = await cluster.vault();
      await vault.putFile(await writeTemp(cluster.dir, 'photo.jpg', bytes), 'photo.jpg');
      vault.close();
      await writeFile(join(cluster.dir, 'dfc.conf'), renderDfcConf(cluster.servers, 'alice', 'wonderland'));
      const dash = await runRaw(['get', 'photo.jpg', '-'], cluster.dir);
      expect({ status: dash.status, err: dash.err, same: dash.out.equals(bytes) }).toEqual({ status: 0, err: '', same: true });
      expect(existsSync(join(cluster.dir, '-'))).toBe(false);
      const device = await runRaw(['get', 'photo.jpg', '/dev/stdout'], cluster.dir);
      expect({ status: device.status, err: device.err, same: device.out.equals(bytes) }).toEqual({ status: 0, err: 'Saved photo.jpg to /dev/stdout (1.5 MB).\n', same: true });
    } finally {
      await cluster.close();
    }
  });
});

describe('a transfer interrupted by Ctrl-C', () => {
  let dir: string;
  let local: LocalCluster;
  let servers: ServerEntry[];
  const frozen: number[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-sigint-'));
    local = await launchCluster({ dir, basePort: 0, users: [{ name: 'alice', password: 'wonderland' }] });
    servers = (await loadDfcConf(local.dfcConfPath)).servers;
  });
  afterEach(async () => {
    thaw();
    await local.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const thaw = (): void => {
    for (const pid of frozen.splice(0)) process.kill(pid, 'SIGCONT');
  };
  const connect = (): Promise<Vault> => Vault.connect({ servers, username: 'alice', password: 'wonderland' });

  /**
   * Runs the CLI with `args` until `underWay()` says the transfer is running, then freezes every node
   * (SIGSTOP), so the transfer hangs, and sends SIGINT: resolves with the exit status and stderr.
   */
  async function interruptWhen(args: string[], cwd: string, underWay: (out: { bytes: number }) => Promise<boolean>): Promise<{ status: number | null; err: string }> {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const out = { bytes: 0 };
    child.stdout.on('data', (d: Buffer) => (out.bytes += d.length));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (!(await underWay(out))) {
      expect(child.exitCode, 'the transfer ended before it could be interrupted').toBeNull();
      await new Promise((r) => setTimeout(r, 2));
    }
    for (const node of local.nodes) {
      frozen.push(node.pid!);
      process.kill(node.pid!, 'SIGSTOP');
    }
    child.kill('SIGINT');
    return { status: await exited, err };
  }

  it('stops a stalled download at SIGINT with exit 130 and removes its partial file', async () => {
    const vault = await connect();
    await vault.putFile(await writeTemp(dir, 'big', Buffer.alloc(48 * 1024 * 1024, 3)), 'big.bin');
    vault.close();
    const outDir = join(dir, 'out');
    await mkdir(outDir);
    const partialThere = async (): Promise<boolean> => (await readdir(outDir)).some((name) => name.includes('.dfs-partial-'));
    expect(await interruptWhen(['get', '-c', local.dfcConfPath, 'big.bin', 'copy.bin'], outDir, partialThere)).toEqual({
      status: 130,
      err: `The download of big.bin to ${join(outDir, 'copy.bin')} was cancelled; nothing was saved.\n`,
    });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('stops a stalled download to standard output at SIGINT with exit 130, saying that what was written stays', async () => {
    const vault = await connect();
    await vault.putFile(await writeTemp(dir, 'big', Buffer.alloc(48 * 1024 * 1024, 3)), 'big.bin');
    vault.close();
    expect(await interruptWhen(['get', '-c', local.dfcConfPath, 'big.bin', '-'], dir, async (out) => out.bytes > 0)).toEqual({
      status: 130,
      err: 'The download of big.bin was cancelled; what was written to the output so far stays.\n',
    });
  });

  it('stops a stalled upload at SIGINT with exit 130, stores nothing, and says which folder it made stays', async () => {
    // The first login makes the vault's key (pieces of its own): done before, so only the upload writes.
    (await connect()).close();
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(96 * 1024 * 1024, 5));
    // A piece of the file itself on its way: a temp file past a megabyte (a folder record's is tiny).
    const pieceOnItsWay = async (): Promise<boolean> => {
      for (const node of ['DFS1', 'DFS2', 'DFS3', 'DFS4']) {
        const files = await readdir(join(dir, node), { recursive: true }).catch(() => []);
        for (const file of files.map(String).filter((f) => f.split('/').pop()!.startsWith('.tmp-'))) {
          if (((await stat(join(dir, node, file)).catch(() => undefined))?.size ?? 0) > 1024 * 1024) return true;
        }
      }
      return false;
    };
    expect(await interruptWhen(['put', '-c', local.dfcConfPath, 'big.bin', 'deep2/big.bin'], dir, pieceOnItsWay)).toEqual({
      status: 130,
      err: 'The upload was cancelled; nothing was stored. (The folder "deep2" made for it stays.)\n',
    });
    thaw();
    const vault = await connect();
    try {
      expect((await vault.list()).map((e) => `${e.type}:${e.name}`)).toEqual(['folder:deep2']);
      expect(await vault.list('deep2')).toEqual([]);
    } finally {
      vault.close();
    }
  });
});
