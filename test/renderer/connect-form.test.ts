import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../src-main/shared/app-models.js';
import { EMPTY_FORM, addressProblem, formFromSession, formProblems, parseAddresses, primaryActionLabel, targetOf } from '../../src-renderer/store/connect-form.js';

describe('connect form', () => {
  it('splits addresses typed one per line or comma separated', () => {
    expect(parseAddresses('127.0.0.1:10001\n127.0.0.1:10002, 127.0.0.1:10003,,\n')).toEqual(['127.0.0.1:10001', '127.0.0.1:10002', '127.0.0.1:10003']);
  });

  it('accepts host:port and explains anything else', () => {
    expect(addressProblem('localhost:10001')).toBeNull();
    expect(addressProblem('[::1]:10001')).toBeNull();
    expect(addressProblem('localhost')).toMatch(/not host:port/);
    expect(addressProblem('h:99999')).toMatch(/not host:port/);
  });

  it('asks for the fields each kind of cluster needs', () => {
    const base = { ...EMPTY_FORM, username: 'alice', password: 'pw' };
    expect(formProblems(base)).toEqual({});
    expect(formProblems({ ...base, kind: 'config' })).toHaveProperty('configPath');
    expect(formProblems({ ...base, kind: 'addresses', addresses: 'nope' }).addresses).toMatch(/not host:port/);
    expect(formProblems({ ...EMPTY_FORM })).toEqual({ username: 'Enter your username.', password: 'Enter your password.' });
  });

  it('builds the cluster target from the form', () => {
    expect(targetOf({ ...EMPTY_FORM })).toEqual({ kind: 'local' });
    expect(targetOf({ ...EMPTY_FORM, kind: 'config', configPath: ' /etc/dfc.conf ' })).toEqual({ kind: 'config', path: '/etc/dfc.conf' });
    expect(targetOf({ ...EMPTY_FORM, kind: 'addresses', addresses: 'a:1,b:2' })).toEqual({ kind: 'addresses', addresses: ['a:1', 'b:2'] });
  });

  it('pre-fills from the last login but never a password', () => {
    const state: SessionState = {
      status: 'signed-out',
      keychain: { available: true },
      lastUsed: { username: 'alice', target: { kind: 'addresses', addresses: ['a:1', 'b:2'] } },
    };
    expect(formFromSession(state)).toEqual({ ...EMPTY_FORM, kind: 'addresses', addresses: 'a:1\nb:2', username: 'alice' });
    expect(formFromSession(null)).toEqual(EMPTY_FORM);
  });

  it('offers to start the local cluster until it runs', () => {
    expect(primaryActionLabel('local', 'stopped')).toBe('Start local cluster');
    expect(primaryActionLabel('local', undefined)).toBe('Start local cluster');
    expect(primaryActionLabel('local', 'running')).toBe('Sign in');
    expect(primaryActionLabel('config', 'stopped')).toBe('Sign in');
  });
});
