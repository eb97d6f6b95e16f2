import { lookup } from 'node:dns/promises';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../src-main/cli/cli-io.js';
import { describeFailure } from '../../src-main/cli/run-cli.js';

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
      expect(describeFailure(await lookup('nosuch.invalid').catch((e: unknown) => e))).toBe('No such host: nosuch.invalid. Check the host name, or use an IP address.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
