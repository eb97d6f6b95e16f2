import { type AddressInfo, type Server, createServer } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocalTime, formatTable } from '../../src-main/cli/cli-io.js';
import { describeFailure } from '../../src-main/cli/run-cli.js';
import { capturedIo } from '../helpers/captured-io.js';

describe('formatTable', () => {
  it('lines up columns and ends no line in spaces, even where the last cells are empty', () => {
    expect(formatTable([['trips/', '', '2026-03-02 13:30', ''], ['report.pdf', '123 KB', '2026-03-02 13:31', '4/4 pieces']])).toBe(
      `trips/${' '.repeat(14)}2026-03-02 13:30\nreport.pdf  123 KB  2026-03-02 13:31  4/4 pieces`,
    );
  });
});

describe('formatLocalTime', () => {
  it('shows a stored time in this machine’s time zone, not in UTC', () => {
    const saved = process.env['TZ'];
    try {
      process.env['TZ'] = 'Asia/Kolkata';
      expect(formatLocalTime('2026-03-02T12:30:00.000Z')).toBe('2026-03-02 18:00');
      process.env['TZ'] = 'America/New_York';
      expect(formatLocalTime('2026-03-02T02:05:00.000Z')).toBe('2026-03-01 21:05');
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('describeFailure', () => {
  it('turns the system errors a command can meet into a sentence that says what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dfs-errors-'));
    try {
      const file = join(dir, 'a-file');
      await writeFile(file, 'x');
      expect(describeFailure(await mkdir(file, { recursive: true }).catch((e: unknown) => e))).toBe(`${file} is a file, so it cannot be used as a folder; choose another path.`);
      expect(describeFailure(await readFile(join(dir, 'absent')).catch((e: unknown) => e))).toBe(`${join(dir, 'absent')} does not exist; check the path, or create the folder it should be in.`);
      expect(describeFailure(await readFile(join(file, 'inner')).catch((e: unknown) => e))).toBe(`${join(file, 'inner')}: part of this path is a file, not a folder; check the path.`);
      const listen = (port: number, host: string): Promise<unknown> =>
        new Promise((resolve) => {
          const server = createServer();
          server.once('error', resolve);
          server.listen(port, host, () => resolve(server));
        });
      expect(describeFailure(await listen(0, 'nosuch.invalid'))).toBe('No such host: nosuch.invalid. Give --host a name or address of this machine (0.0.0.0 for all of them).');
      const taken = (await listen(0, '127.0.0.1')) as Server;
      const { port } = taken.address() as AddressInfo;
      expect(describeFailure(await listen(port, '127.0.0.1'))).toBe(`Port ${port} on 127.0.0.1 is already in use (is another node or cluster running?). Stop it or choose another --port.`);
      taken.close();
      // A system error without a path keeps its own words rather than blaming "a path".
      expect(describeFailure(Object.assign(new Error('EACCES: permission denied, kill'), { code: 'EACCES', syscall: 'kill' }))).toBe('EACCES: permission denied, kill');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('slow node notice', () => {
  it('says once per node, on stderr, that it has not answered and how long the command waits for it', async () => {
    const { slowNodeNotice } = await import('../../src-main/cli/vault-session.js');
    const io = capturedIo('/');
    const notice = slowNodeNotice(io);
    const dfs4 = { name: 'DFS4', host: '127.0.0.1', port: 10004 };
    notice(dfs4, 15_000);
    notice(dfs4, 15_000);
    notice({ name: 'DFS2', host: 'backup.lan', port: 10002 }, 15_000);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      'DFS4 (127.0.0.1:10004) has not answered for 3 s; waiting up to 15 s before counting it as down.\n' +
        'DFS2 (backup.lan:10002) has not answered for 3 s; waiting up to 15 s before counting it as down.\n',
    );
  });
});
