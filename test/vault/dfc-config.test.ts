import { describe, expect, it } from 'vitest';
import { configReadError, parseAddress, parseDfcConf } from '../../src-main/vault/dfc-config.js';

describe('dfc.conf', () => {
  it('reads the classic format word for word', () => {
    const text = 'Server DFS1 127.0.0.1:10001\nServer DFS2 127.0.0.1:10002\nServer DFS3 127.0.0.1:10003\nServer DFS4 127.0.0.1:10004\nUsername: Alice\nPassword: SimplePassword\n';
    expect(parseDfcConf(text)).toEqual({
      servers: [1, 2, 3, 4].map((i) => ({ name: `DFS${i}`, host: '127.0.0.1', port: 10000 + i })),
      username: 'Alice',
      password: 'SimplePassword',
    });
  });

  it('accepts comments, blank lines, CRLF, IPv6 and host names, and no password', () => {
    const config = parseDfcConf('# cluster\r\n\r\nServer A [::1]:9000  # the first\r\nServer B store.example:9001\r\nUsername: bob\r\n');
    expect(config.servers).toEqual([{ name: 'A', host: '::1', port: 9000 }, { name: 'B', host: 'store.example', port: 9001 }]);
    expect(config.password).toBeUndefined();
  });

  it('names the line and the fix for each mistake', () => {
    expect(() => parseDfcConf('Server DFS1 localhost')).toThrow(/dfc\.conf line 1: "localhost" is not HOST:PORT/);
    expect(() => parseDfcConf('Server DFS1 a:1\nServer DFS1 b:2')).toThrow(/line 2: server DFS1 is listed twice/);
    expect(() => parseDfcConf('Server DFS1 a:1\nUsername: alice # me')).toThrow('dfc.conf line 2: The username "alice # me" may contain only letters, digits, ".", "_", "@" and "-". (A comment cannot follow a value; put it on a line of its own.)');
    expect(() => parseDfcConf('Server DFS1 host:1\nServer DFS2 HOST:1')).toThrow('line 2: DFS2 has the address of DFS1 (HOST:1); every server needs its own address.');
    expect(() => parseDfcConf('Server DFS1 a:1\nUser Alice')).toThrow(/line 2 is not a dfc\.conf line/);
    // A file of secrets given by mistake is not echoed back (the UI shows this message).
    expect(() => parseDfcConf('root:$6$secret-hash:20228:0:99999:7:::')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
    expect(() => parseDfcConf('Username: alice')).toThrow(/names no servers/);
    expect(() => parseDfcConf('Server DFS1 a:70000')).toThrow(/not HOST:PORT/);
  });

  it('names the line but quotes no value from the file when the message is for a page', () => {
    const messages = ['Server DFS1 s3cr3t-token', 'Server s3cr3t a:1\nServer s3cr3t b:2', 'Server A s3cr3t:1\nServer B s3cr3t:1', 'Server A a:1\nUsername: s3cr3t!'].map((text) => {
      try {
        parseDfcConf(text, '/home/me/dfc.conf', 'without-contents');
      } catch (error) {
        return (error as Error).message;
      }
      return 'parsed';
    });
    expect(messages).toEqual([
      '/home/me/dfc.conf line 1: the address is not HOST:PORT (for example 127.0.0.1:10001).',
      '/home/me/dfc.conf line 2: a server name is listed twice.',
      '/home/me/dfc.conf line 2: this server has the address of an earlier one; every server needs its own address.',
      '/home/me/dfc.conf line 2: the username may contain only letters, digits, ".", "_", "@" and "-", at most 64 of them.',
    ]);
  });

  it('parses addresses strictly', () => {
    expect(parseAddress('10.0.0.1:1')).toEqual({ host: '10.0.0.1', port: 1 });
    expect(parseAddress('host:0')).toBeUndefined();
    expect(parseAddress(':80')).toBeUndefined();
  });
});

describe('loading dfc.conf', () => {
  it('reads only a regular file of sane size, and says so otherwise', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadDfcConf, MAX_DFC_CONF_BYTES } = await import('../../src-main/vault/dfc-config.js');
    const dir = await mkdtemp(join(tmpdir(), 'dfc-'));
    try {
      await writeFile(join(dir, 'dfc.conf'), 'Server DFS1 127.0.0.1:10001\n');
      expect((await loadDfcConf(join(dir, 'dfc.conf'))).servers).toHaveLength(1);
      await expect(loadDfcConf(dir)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: `${dir} is not a file; give the path of a dfc.conf.` });
      await expect(loadDfcConf('/dev/zero')).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: '/dev/zero is not a file; give the path of a dfc.conf.' });
      await writeFile(join(dir, 'big.conf'), `# ${'x'.repeat(MAX_DFC_CONF_BYTES)}\n`);
      await expect(loadDfcConf(join(dir, 'big.conf'))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('too large for a dfc.conf') });
      await expect(loadDfcConf(join(dir, 'missing.conf'))).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('Config file not found') });
      await expect(loadDfcConf(join(dir, 'dfc.conf', 'dfc.conf'))).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        message: `Config file not found: ${join(dir, 'dfc.conf', 'dfc.conf')} (part of the path is a file, not a folder).`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives no size to a page, and one message for every failure when the page may have named any file', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadDfcConf, unusableConfigMessage, MAX_DFC_CONF_BYTES } = await import('../../src-main/vault/dfc-config.js');
    const dir = await mkdtemp(join(tmpdir(), 'dfc-'));
    try {
      await writeFile(join(dir, 'dfc.conf'), 'Server DFS1 127.0.0.1:10001\n');
      await writeFile(join(dir, 'big.conf'), `# ${'x'.repeat(MAX_DFC_CONF_BYTES)}\n`);
      await writeFile(join(dir, 'token'), 'Server DFS1 s3cr3t-token\n');
      const big = await loadDfcConf(join(dir, 'big.conf'), 'without-contents').catch((error: Error) => error.message);
      expect(big).toBe(`${join(dir, 'big.conf')} is too large for a dfc.conf (at most ${MAX_DFC_CONF_BYTES} bytes); is it the right file?`);
      expect((await loadDfcConf(join(dir, 'dfc.conf'), 'generic')).servers).toHaveLength(1);
      for (const name of ['big.conf', 'token', 'missing.conf', '.']) {
        const path = join(dir, name);
        await expect(loadDfcConf(path, 'generic')).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: unusableConfigMessage(path) });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a dfc.conf that cannot be read', () => {
  it('says permission denied in words, and what to do, instead of the system error', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/etc/dfs/dfc.conf'"), { code: 'EACCES' });
    expect(configReadError('/etc/dfs/dfc.conf', denied, true)).toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'Cannot read /etc/dfs/dfc.conf: permission denied. Run as the user it belongs to, or let yours read it (it may hold a password, so not everyone).',
    });
    const odd = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    expect(configReadError('/x/dfc.conf', odd, true).message).toBe('Cannot read /x/dfc.conf: EIO: i/o error, read');
  });
});
