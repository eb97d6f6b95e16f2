import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAddressList, sameTarget, serversOfTarget, targetLabel } from '../../src-main/service/cluster-targets.js';
import { VaultError } from '../../src-main/shared/errors.js';

describe('cluster targets', () => {
  describe('parseAddressList', () => {
    const four = [
      { name: 'DFS1', host: '127.0.0.1', port: 10001 },
      { name: 'DFS2', host: '127.0.0.1', port: 10002 },
      { name: 'DFS3', host: 'node3.lan', port: 10003 },
      { name: 'DFS4', host: '10.0.0.4', port: 10004 },
    ];

    it('names one address per entry DFS1..n in order', () => {
      expect(parseAddressList(['127.0.0.1:10001', '127.0.0.1:10002', 'node3.lan:10003', '10.0.0.4:10004'])).toEqual(four);
    });

    it('splits entries on commas, new lines, spaces and semicolons', () => {
      expect(parseAddressList(['127.0.0.1:10001, 127.0.0.1:10002\nnode3.lan:10003 \r\n 10.0.0.4:10004'])).toEqual(four);
      expect(parseAddressList(['127.0.0.1:10001;127.0.0.1:10002', ' node3.lan:10003\t', '10.0.0.4:10004,'])).toEqual(four);
    });

    it('reads an IPv6 address in brackets', () => {
      expect(parseAddressList(['[::1]:10001'])).toEqual([{ name: 'DFS1', host: '::1', port: 10001 }]);
    });

    it('refuses an empty list and says what to type', () => {
      for (const empty of [[], [''], [' ,\n ']]) {
        expect(() => parseAddressList(empty)).toThrow(new VaultError('INVALID_CONFIG', 'Type at least one node address, such as 127.0.0.1:10001.'));
      }
    });

    it('refuses a bad address, naming it', () => {
      for (const bad of ['localhost', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:65536', 'host:port', '::1:10001']) {
        let thrown: unknown;
        try {
          parseAddressList(['127.0.0.1:10001', bad]);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, bad).toBeInstanceOf(VaultError);
        expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', message: `"${bad}" is not a node address; write host:port, such as 127.0.0.1:10001.` });
      }
    });
  });

  describe('serversOfTarget', () => {
    it('parses typed addresses', async () => {
      expect(await serversOfTarget({ kind: 'addresses', addresses: ['127.0.0.1:1'] })).toEqual([{ name: 'DFS1', host: '127.0.0.1', port: 1 }]);
    });

    it('reads the servers of a dfc.conf', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dfs-vault-targets-'));
      try {
        const path = join(dir, 'dfc.conf');
        await writeFile(path, 'Server DFS1 127.0.0.1:10001\nServer DFS2 127.0.0.1:10002\n');
        expect(await serversOfTarget({ kind: 'config', path })).toEqual([
          { name: 'DFS1', host: '127.0.0.1', port: 10001 },
          { name: 'DFS2', host: '127.0.0.1', port: 10002 },
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('targetLabel', () => {
    it('names the local cluster, a config by its path, and addresses as normalized host:port list', () => {
      expect(targetLabel({ kind: 'local' })).toBe('local cluster');
      expect(targetLabel({ kind: 'config', path: '/home/a/dfc.conf' })).toBe('/home/a/dfc.conf');
      expect(targetLabel({ kind: 'addresses', addresses: ['[::1]:10001'] })).toBe('[::1]:10001');
      expect(targetLabel({ kind: 'addresses', addresses: [' 127.0.0.1:10001\n127.0.0.1:01002 '] })).toBe('127.0.0.1:10001,127.0.0.1:1002');
    });

    it('throws for addresses that do not parse', () => {
      expect(() => targetLabel({ kind: 'addresses', addresses: ['nope'] })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    });
  });

  describe('sameTarget', () => {
    it('matches the same addresses however they were typed', () => {
      expect(sameTarget({ kind: 'addresses', addresses: ['127.0.0.1:1, 127.0.0.1:2'] }, { kind: 'addresses', addresses: ['127.0.0.1:1', '127.0.0.1:2'] })).toBe(true);
      expect(sameTarget({ kind: 'addresses', addresses: ['[::1]:10001'] }, { kind: 'addresses', addresses: [' [::1]:10001 '] })).toBe(true);
    });

    it('tells different addresses, order, paths and kinds apart', () => {
      expect(sameTarget({ kind: 'addresses', addresses: ['127.0.0.1:1'] }, { kind: 'addresses', addresses: ['127.0.0.1:2'] })).toBe(false);
      expect(sameTarget({ kind: 'addresses', addresses: ['127.0.0.1:1', '127.0.0.1:2'] }, { kind: 'addresses', addresses: ['127.0.0.1:2', '127.0.0.1:1'] })).toBe(false);
      expect(sameTarget({ kind: 'config', path: '/a' }, { kind: 'config', path: '/b' })).toBe(false);
      expect(sameTarget({ kind: 'local' }, { kind: 'config', path: 'local cluster' })).toBe(false);
      expect(sameTarget({ kind: 'local' }, { kind: 'local' })).toBe(true);
    });

    it('is false, not an error, when either side does not parse', () => {
      expect(sameTarget({ kind: 'addresses', addresses: ['bad'] }, { kind: 'addresses', addresses: ['bad'] })).toBe(false);
    });
  });
});
