import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchCluster } from '../../../servers/cluster/local-cluster.js';
import type { LocalCluster } from '../../../servers/cluster/local-cluster.js';
import { renderDfcConf } from '../../../servers/cluster/cluster-files.js';
import { parseNodeArgs, UsageError } from '../../../servers/node/node-command.js';
import { parseUsersFile } from '../../../servers/node/user-store.js';
import { connectAndLogin, expectReply, openConnection } from '../../../servers/protocol/client-handshake.js';
import { Op } from '../../../servers/protocol/messages.js';
import { PROTOCOL_MAGIC, PROTOCOL_VERSION } from '../../../servers/protocol/constants.js';
import { ScramClient } from '../../../servers/protocol/scram.js';

const USER = { name: 'alice', password: 'Correct-Horse-Battery-Staple' };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function canLogIn(port: number): Promise<boolean> {
  const conn = await connectAndLogin({ host: '127.0.0.1', port }, USER.name, USER.password, { timeoutMs: 10_000 });
  try {
    await conn.send({ op: Op.Ping });
    expectReply(await conn.receive(10_000), Op.Pong);
    return true;
  } finally {
    conn.destroy();
  }
}

/** The salt and iteration count a node offers `username` (the "s=…,i=…" of its SCRAM challenge). */
async function offeredSalt(port: number, username: string): Promise<string> {
  const conn = await openConnection({ host: '127.0.0.1', port }, 10_000);
  try {
    const clientFirst = new ScramClient(username, 'any password').clientFirst();
    await conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst });
    const { serverFirst } = expectReply(await conn.receive(10_000), Op.Challenge);
    return serverFirst.replace(/^r=[^,]*,/, '');
  } finally {
    conn.destroy();
  }
}

describe('local cluster', () => {
  let dir: string;
  let cluster: LocalCluster | undefined;
  const pids: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-cluster-'));
    cluster = await launchCluster({ dir, nodes: 4, basePort: 0, users: [USER] });
    for (const node of cluster.nodes) pids.push(node.pid!);
  });

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts four node processes on distinct ports, each with its own data folder', async () => {
    const nodes = cluster!.nodes;
    expect(nodes.map((n) => n.spec.name)).toEqual(['DFS1', 'DFS2', 'DFS3', 'DFS4']);
    expect(nodes.every((n) => n.running)).toBe(true);
    expect(new Set(nodes.map((n) => n.port)).size).toBe(4);
    for (const node of nodes) {
      expect(node.port).toBeGreaterThan(0);
      expect(node.spec.root).toBe(join(resolve(dir), node.spec.name));
      expect((await stat(join(node.spec.root, 'users'))).isDirectory()).toBe(true);
    }
    expect(new Set(pids).size).toBe(4);
    expect(pids.every(isAlive)).toBe(true);
  });

  it('writes dfc.conf with one Server line per node and the login, readable by its owner only', async () => {
    expect(cluster!.dfcConfPath).toBe(join(resolve(dir), 'dfc.conf'));
    const text = await readFile(cluster!.dfcConfPath, 'utf8');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual([
      '# DFS Vault client configuration (classic dfc.conf format).',
      ...cluster!.nodes.map((n, i) => `Server DFS${i + 1} 127.0.0.1:${n.port}`),
      `Username: ${USER.name}`,
      `Password: ${USER.password}`,
    ]);
    expect(text).toBe(renderDfcConf(cluster!.nodes.map((n) => ({ name: n.spec.name, host: '127.0.0.1', port: n.port })), USER.name, USER.password));
    expect((await stat(cluster!.dfcConfPath)).mode & 0o777).toBe(0o600);
  });

  it('writes dfs.conf with a SCRAM verifier and never the plaintext password', async () => {
    expect(cluster!.usersFile).toBe(join(resolve(dir), 'dfs.conf'));
    const text = await readFile(cluster!.usersFile, 'utf8');
    expect(text).not.toContain(USER.password);
    expect(text.trimEnd().split('\n')).toEqual([expect.stringMatching(/^alice SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/)]);
    const parsed = parseUsersFile(text);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.errors).toEqual([]);
    expect([...parsed.users.keys()]).toEqual(['alice']);
    expect((await stat(cluster!.usersFile)).mode & 0o777).toBe(0o600);
  });

  it('every node accepts a login', async () => {
    const results = await Promise.all(cluster!.nodes.map((n) => canLogIn(n.port)));
    expect(results).toEqual([true, true, true, true]);
  });

  it('kill() stops one node as a crash would and fires onExit; start() brings it back on the same port', async () => {
    const node = cluster!.nodes[1]!;
    const port = node.port;
    const pid = node.pid!;
    const exited = new Promise<string>((resolveExit) => {
      node.onExit = resolveExit;
    });
    await node.kill();
    expect(await exited).toBe('SIGKILL');
    expect(node.running).toBe(false);
    expect(node.pid).toBeUndefined();
    expect(isAlive(pid)).toBe(false);
    await expect(openConnection({ host: '127.0.0.1', port }, 5000)).rejects.toThrow(/connection refused/);
    expect(await canLogIn(cluster!.nodes[0]!.port)).toBe(true);

    node.onExit = undefined;
    await node.start();
    expect(node.running).toBe(true);
    expect(node.port).toBe(port);
    expect(node.pid).not.toBe(pid);
    pids.push(node.pid!);
    expect(await canLogIn(port)).toBe(true);
  });

  it('offers an unknown user the same salt and iterations from every node, and again after a restart', async () => {
    const nodes = cluster!.nodes;
    const offered = await Promise.all(nodes.map((n) => offeredSalt(n.port, 'mallory')));
    expect(offered[0]).toMatch(/^s=[A-Za-z0-9+/]{22}==,i=4096$/);
    expect(offered).toEqual(Array(4).fill(offered[0]));
    await nodes[2]!.stop();
    await nodes[2]!.start();
    pids.push(nodes[2]!.pid!);
    expect(await offeredSalt(nodes[2]!.port, 'mallory')).toBe(offered[0]);
    expect((await stat(join(dir, 'dfs.conf.secret'))).mode & 0o777).toBe(0o600);
  });

  it('stop() ends every node process', async () => {
    const live = cluster!.nodes.map((n) => n.pid!);
    let crashes = 0;
    for (const node of cluster!.nodes) node.onExit = () => crashes++;
    await cluster!.stop();
    expect(cluster!.nodes.every((n) => !n.running)).toBe(true);
    for (const pid of [...live, ...pids]) expect(() => process.kill(pid, 0), `pid ${pid}`).toThrow();
    // A requested stop is not reported as a crash.
    expect(crashes).toBe(0);
  });
});

describe('a killed launcher', () => {
  it('takes its nodes with it: they stop when the pipe from the launcher closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dfs-orphans-'));
    const { spawn } = await import('node:child_process');
    const script = `
      import { launchCluster } from ${JSON.stringify(resolve('servers/cluster/local-cluster.ts'))};
      const cluster = await launchCluster({ dir: ${JSON.stringify(dir)}, nodes: 2, basePort: 0 });
      console.log('pids ' + cluster.nodes.map((n) => n.pid).join(' '));
      setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pids = await new Promise<number[]>((resolvePids, reject) => {
        let out = '';
        launcher.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /pids ([\d ]+)\n/.exec(out);
          if (match) resolvePids(match[1]!.trim().split(' ').map(Number));
        });
        launcher.once('exit', (code) => reject(new Error(`launcher exited with ${code}: ${out}`)));
      });
      expect(pids.every(isAlive)).toBe(true);
      launcher.kill('SIGKILL');
      const deadline = Date.now() + 20_000;
      while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pids.filter(isAlive)).toEqual([]);
    } finally {
      launcher.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseNodeArgs', () => {
  it('accepts the new form', () => {
    expect(parseNodeArgs(['--root', '/srv/DFS1', '--port', '10001', '--host', '0.0.0.0', '--users', '/etc/dfs.conf', '--name', 'first'])).toEqual({
      root: '/srv/DFS1',
      port: 10001,
      host: '0.0.0.0',
      users: '/etc/dfs.conf',
      name: 'first',
      stopWithStdin: false,
    });
    expect(parseNodeArgs(['--root', '/d', '--port', '1', '--stop-with-stdin'])).toMatchObject({ stopWithStdin: true });
  });

  it('accepts the classic form "DIR PORT" with the defaults', () => {
    expect(parseNodeArgs(['/DFS1', '10001'])).toEqual({
      root: '/DFS1',
      port: 10001,
      host: '127.0.0.1',
      users: resolve('dfs.conf'),
      name: 'DFS1',
      stopWithStdin: false,
    });
    expect(parseNodeArgs(['data/DFS2', '0'])).toMatchObject({ root: resolve('data/DFS2'), port: 0, name: 'DFS2' });
  });

  it('accepts ports 0 and 65535', () => {
    expect(parseNodeArgs(['--root', '/d', '--port', '0'])).toMatchObject({ port: 0 });
    expect(parseNodeArgs(['--root', '/d', '--port', '65535'])).toMatchObject({ port: 65535 });
  });

  it('answers help', () => {
    expect(parseNodeArgs(['--help'])).toBe('help');
    expect(parseNodeArgs(['-h'])).toBe('help');
  });

  it('rejects bad ports with a message naming the port and the valid range', () => {
    for (const port of ['65536', '99999', 'abc', '', '10001x', '1.5', '1e3', ' 80', '0x50']) {
      expect(() => parseNodeArgs(['--root', '/d', '--port', port]), `port "${port}"`).toThrow(
        new UsageError(`"${port}" is not a TCP port (0-65535).`),
      );
    }
    expect(() => parseNodeArgs(['/DFS1', '70000'])).toThrow(new UsageError('"70000" is not a TCP port (0-65535).'));
    expect(() => parseNodeArgs(['--root', '/d', '--port=-1'])).toThrow(new UsageError('"-1" is not a TCP port (0-65535).'));
  });

  it('rejects a missing directory or port, and stray arguments', () => {
    expect(() => parseNodeArgs([])).toThrow(UsageError);
    expect(() => parseNodeArgs([])).toThrow(/Missing --root DIR/);
    expect(() => parseNodeArgs(['/DFS1'])).toThrow(/Missing --port PORT/);
    expect(() => parseNodeArgs(['--root', '/d'])).toThrow(/Missing --port PORT/);
    expect(() => parseNodeArgs(['/DFS1', '10001', 'extra'])).toThrow(new UsageError('Unexpected argument "extra".'));
    expect(() => parseNodeArgs(['--root', '/d', '--port', '1', 'extra'])).toThrow(new UsageError('Unexpected argument "extra".'));
  });
});

describe('a local cluster whose port is taken', () => {
  it('fails with a message naming the port, and leaves no node running', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const taken = (blocker.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'dfs-taken-'));
    try {
      // The second node would listen on the taken port.
      await expect(launchCluster({ dir, nodes: 2, basePort: taken - 1, users: [USER] })).rejects.toThrow(
        new RegExp(`DFS2 could not start: Port ${taken} on 127\\.0\\.0\\.1 is already in use`),
      );
      // DFS1 started on the port before and was stopped again: nothing answers there.
      await expect(openConnection({ host: '127.0.0.1', port: taken - 1 }, 2000)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    } finally {
      blocker.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
