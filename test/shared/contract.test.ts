import { describe, expect, it } from 'vitest';
import {
  type ApiTransport,
  type CallName,
  type CallOutcome,
  CALL_NAMES,
  EVENT_NAMES,
  type EventName,
  buildVaultApi,
  isCallName,
  parseRequest,
} from '../../src-main/shared/contract.js';
import { VaultError } from '../../src-main/shared/errors.js';

/** A transport that records every call, answers with `reply`, and lets the test fire events. */
class FakeTransport implements ApiTransport {
  readonly sent: Array<{ name: CallName; request: unknown }> = [];
  readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  constructor(private readonly reply: (name: CallName, request: unknown) => CallOutcome<unknown>) {}

  async invoke(name: CallName, request: unknown): Promise<CallOutcome<unknown>> {
    this.sent.push({ name, request });
    return this.reply(name, request);
  }

  subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  fire(event: EventName, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
}

describe('contract', () => {
  describe('parseRequest', () => {
    it('returns a valid request as checked', () => {
      expect(parseRequest('files.list', { folder: 'trips' })).toStrictEqual({ folder: 'trips' });
      expect(parseRequest('app.info', undefined)).toBeUndefined();
    });

    it('refuses an invalid request with INVALID_REQUEST naming the call and the field', () => {
      let thrown: unknown;
      try {
        parseRequest('files.remove', { paths: [] });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(VaultError);
      expect((thrown as VaultError).code).toBe('INVALID_REQUEST');
      expect((thrown as VaultError).message).toBe('Invalid files.remove request: paths must not be empty.');
    });

    it('refuses unknown fields and a wrong cluster target kind', () => {
      expect(() => parseRequest('files.mkdir', { path: 'a', recursive: true })).toThrow(/Invalid files\.mkdir request: recursive is not a known field/);
      expect(() => parseRequest('session.connect', { target: { kind: 'cloud' }, username: 'a', password: 'b', remember: false })).toThrow(
        /Invalid session\.connect request: target\.kind must be one of "local", "config", "addresses"/,
      );
    });

    it('takes account requests only with non-empty passwords of sane length', () => {
      expect(parseRequest('account.changePassword', { current: 'old', next: 'new' })).toStrictEqual({ current: 'old', next: 'new' });
      expect(() => parseRequest('account.changePassword', { current: '', next: 'new' })).toThrow(/Invalid account\.changePassword request: current must not be empty/);
      expect(() => parseRequest('account.changePassword', { current: 'old', next: 'x'.repeat(1025) })).toThrow(/next must be at most 1024 characters/);
      expect(() => parseRequest('account.recoveryKey', { password: 7 })).toThrow(/password must be a string/);
      const recover = { target: { kind: 'local' }, username: 'alice', recoveryKey: '7Q2MX-ABCDE', newPassword: 'new' };
      expect(parseRequest('account.recover', recover)).toStrictEqual(recover);
      expect(() => parseRequest('account.recover', { ...recover, recoveryKey: '' })).toThrow(/recoveryKey must not be empty/);
      expect(() => parseRequest('account.recover', { ...recover, recoveryKey: 'A'.repeat(257) })).toThrow(/recoveryKey must be at most 256 characters/);
      expect(() => parseRequest('account.recover', { ...recover, target: { kind: 'cloud' } })).toThrow(/target\.kind must be one of/);
      expect(() => parseRequest('account.recover', { ...recover, password: 'old' })).toThrow(/password is not a known field/);
    });

    it('refuses an upload chunk over the largest chunk size', () => {
      expect(() => parseRequest('uploads.write', { id: 'x', bytes: new Uint8Array(1024 * 1024 + 1) })).toThrow(
        expect.objectContaining({ code: 'INVALID_REQUEST' }),
      );
      expect(parseRequest('uploads.write', { id: 'x', bytes: new Uint8Array(1024 * 1024) }).bytes).toHaveLength(1024 * 1024);
    });
  });

  describe('isCallName', () => {
    it('accepts every call name', () => {
      for (const name of CALL_NAMES) expect(isCallName(name)).toBe(true);
    });

    it('refuses unknown names, prototype keys and non-strings', () => {
      for (const bad of ['files.format', 'toString', '__proto__', 'constructor', 'hasOwnProperty', '', 'files', 42, null, undefined, ['files.list'], { toString: () => 'files.list' }]) {
        expect(isCallName(bad)).toBe(false);
      }
    });
  });

  describe('buildVaultApi', () => {
    it('builds one verb per call, grouped by namespace', () => {
      const api = buildVaultApi(new FakeTransport(() => ({ ok: true, value: null }))) as unknown as Record<string, Record<string, unknown>>;
      for (const name of CALL_NAMES) {
        const [namespace, verb] = name.split('.') as [string, string];
        expect(typeof api[namespace]?.[verb], name).toBe('function');
      }
      const verbCount = Object.entries(api)
        .filter(([key]) => key !== 'on')
        .reduce((sum, [, verbs]) => sum + Object.keys(verbs).length, 0);
      expect(verbCount).toBe(CALL_NAMES.length);
    });

    it('sends each verb through the transport under its call name', async () => {
      const transport = new FakeTransport(() => ({ ok: true, value: null }));
      const api = buildVaultApi(transport) as unknown as Record<string, Record<string, (request?: unknown) => Promise<unknown>>>;
      for (const name of CALL_NAMES) {
        const [namespace, verb] = name.split('.') as [string, string];
        await api[namespace]![verb]!({ marker: name });
      }
      expect(transport.sent).toEqual(CALL_NAMES.map((name) => ({ name, request: { marker: name } })));
    });

    it('passes the request and returns the value of a successful outcome', async () => {
      const entries = [{ path: 'trips/a.jpg', name: 'a.jpg' }];
      const transport = new FakeTransport((name) => (name === 'files.list' ? { ok: true, value: entries } : { ok: false, error: { code: 'INTERNAL', message: 'wrong call' } }));
      const api = buildVaultApi(transport);
      await expect(api.files.list({ folder: 'trips' })).resolves.toBe(entries);
      expect(transport.sent).toEqual([{ name: 'files.list', request: { folder: 'trips' } }]);
    });

    it('sends an empty object for verbs that take nothing', async () => {
      const transport = new FakeTransport(() => ({ ok: true, value: [] }));
      await buildVaultApi(transport).transfers.list();
      expect(transport.sent).toEqual([{ name: 'transfers.list', request: {} }]);
    });

    it('throws a failed outcome as a VaultError with its code and message', async () => {
      const transport = new FakeTransport(() => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No such file: a.txt.' } }));
      const failure = await buildVaultApi(transport)
        .files.remove({ paths: ['a.txt'] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(VaultError);
      expect(failure).toMatchObject({ code: 'NOT_FOUND', message: 'No such file: a.txt.' });
    });

    it('subscribes a listener with on, and the returned function unsubscribes it', () => {
      const transport = new FakeTransport(() => ({ ok: true, value: null }));
      const api = buildVaultApi(transport);
      const seen: unknown[] = [];
      const stop = api.on('files.changed', (payload) => seen.push(payload));
      transport.fire('files.changed', { paths: ['a'] });
      transport.fire('cluster.changed', { local: 'running' });
      stop();
      transport.fire('files.changed', { paths: ['b'] });
      expect(seen).toEqual([{ paths: ['a'] }]);
      expect(transport.listeners.get('files.changed')?.size).toBe(0);
    });
  });

  describe('names', () => {
    it('are each one namespace and one verb, as buildVaultApi splits them', () => {
      for (const name of [...CALL_NAMES, ...EVENT_NAMES]) expect(name).toMatch(/^[a-z]+\.[A-Za-z]+$/);
    });
  });
});
