import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../servers/protocol/errors.js';
import {
  createVerifier,
  formatVerifier,
  parseVerifier,
  saltedPassword,
  ScramClient,
  ScramServer,
  type ScramVerifier,
} from '../../../servers/protocol/scram.js';

// RFC 7677 section 3. The server signature is the RFC's own; the one in the original brief was wrong.
const RFC = {
  user: 'user',
  password: 'pencil',
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

// What PostgreSQL stores for "pencil" with the RFC salt (cross-checked with Python's hashlib/hmac).
const PENCIL_VERIFIER =
  'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=';

const rfcVerifier = (): ScramVerifier =>
  createVerifier(RFC.password, { salt: Buffer.from(RFC.salt, 'base64'), iterations: 4096 });

function expectProtocolError(fn: () => unknown, code: string, message?: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  if (typeof message === 'string') expect((caught as ProtocolError).message).toBe(message);
  else if (message) expect((caught as ProtocolError).message).toMatch(message);
}

/** A client proof computed apart from ScramClient, for messages ScramClient would never send. */
function handProof(password: string, verifier: ScramVerifier, authMessage: string): string {
  const salted = saltedPassword(password, verifier.salt, verifier.iterations);
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  return Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0))).toString('base64');
}

/** Runs a whole exchange; returns the server's verdict and the client's reaction to it. */
function login(
  users: Map<string, ScramVerifier>,
  username: string,
  password: string,
  serverOptions: { mockSecret?: Buffer } = {},
) {
  const client = new ScramClient(username, password);
  const server = new ScramServer((name) => users.get(name), serverOptions);
  const serverFirst = server.serverFirst(client.clientFirst());
  const result = server.serverFinal(client.clientFinal(serverFirst));
  if (result.ok) client.verifyServerFinal(result.serverFinal);
  return { result, serverFirst, server };
}

describe('SCRAM-SHA-256 against the RFC 7677 test vector', () => {
  it('the client produces the exact client-first and client-final messages and accepts the server signature', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    expect(client.clientFirst()).toBe(RFC.clientFirst);
    expect(client.clientFinal(RFC.serverFirst)).toBe(RFC.clientFinal);
    expect(() => client.verifyServerFinal(RFC.serverFinal)).not.toThrow();
  });

  it('the server produces the exact server-first and server-final messages', () => {
    const server = new ScramServer((name) => (name === RFC.user ? rfcVerifier() : undefined), {
      nonce: RFC.serverNonce,
    });
    expect(server.serverFirst(RFC.clientFirst)).toBe(RFC.serverFirst);
    expect(server.username).toBe('user');
    expect(server.serverFinal(RFC.clientFinal)).toEqual({ ok: true, serverFinal: RFC.serverFinal });
  });
});

describe('SCRAM-SHA-256 logins', () => {
  const users = new Map([['alice', createVerifier('correct horse')]]);

  it('a full round trip with random nonces succeeds and both sides verify each other', () => {
    const { result, server } = login(users, 'alice', 'correct horse');
    expect(result.ok).toBe(true);
    expect(server.username).toBe('alice');
  });

  it('a wrong password fails the proof', () => {
    expect(login(users, 'alice', 'wrong horse').result).toEqual({ ok: false });
  });

  it('an unknown user fails in the same way, with a salt and iteration count shaped like a real one', () => {
    const { result, serverFirst } = login(users, 'mallory', 'anything');
    expect(result).toEqual({ ok: false });
    const real = login(users, 'alice', 'wrong').serverFirst;
    const shape = (sf: string) => sf.replace(/^r=[^,]+/, 'r=').replace(/s=[^,]+/, (s) => `s=${s.length}`);
    expect(shape(serverFirst)).toBe(shape(real));
  });

  it('the mock salt for an unknown user is stable per username and differs between usernames', () => {
    const secret = Buffer.alloc(32, 7);
    const saltOf = (name: string, options: { mockSecret?: Buffer }) =>
      /s=([^,]+)/.exec(login(users, name, 'x', options).serverFirst)?.[1];
    expect(saltOf('mallory', { mockSecret: secret })).toBe(saltOf('mallory', { mockSecret: secret }));
    expect(saltOf('mallory', { mockSecret: secret })).not.toBe(saltOf('trudy', { mockSecret: secret }));
    // Without an explicit secret the per-process default keeps the salt stable across connections.
    expect(saltOf('mallory', {})).toBe(saltOf('mallory', {}));
    expect(saltOf('mallory', {})).not.toBe(saltOf('mallory', { mockSecret: secret }));
  });

  it('usernames with commas and equals signs are escaped on the wire and restored on the server', () => {
    const odd = new Map([['a,b=c', createVerifier('pw')]]);
    const client = new ScramClient('a,b=c', 'pw');
    const first = client.clientFirst();
    expect(first).toMatch(/^n,,n=a=2Cb=3Dc,r=/);
    const server = new ScramServer((name) => odd.get(name));
    const result = server.serverFinal(client.clientFinal(server.serverFirst(first)));
    expect(server.username).toBe('a,b=c');
    expect(result.ok).toBe(true);
  });

  it('passwords are NFKC-normalized so composed and decomposed forms match', () => {
    const composed = new Map([['eve', createVerifier('caf\u00e9')]]);
    expect(login(composed, 'eve', 'cafe\u0301').result.ok).toBe(true);
  });

  it('a "y,," header is accepted and must be echoed as the channel binding', () => {
    const verifier = users.get('alice') as ScramVerifier;
    const server = new ScramServer((name) => users.get(name), { nonce: 'SERVERNONCE' });
    const bare = 'n=alice,r=CLIENTNONCE';
    const serverFirst = server.serverFirst(`y,,${bare}`);
    // ScramClient always sends "n,,", so the proof for "y,," (c=eSws) is built by hand.
    const withoutProof = 'c=eSws,r=CLIENTNONCESERVERNONCE';
    const proof = handProof('correct horse', verifier, `${bare},${serverFirst},${withoutProof}`);
    expect(server.serverFinal(`${withoutProof},p=${proof}`).ok).toBe(true);
  });

  it('a client-final whose channel binding does not echo the GS2 header fails', () => {
    const client = new ScramClient('alice', 'correct horse');
    const server = new ScramServer((name) => users.get(name));
    // The client said "n,," but the server is told "y,,": c=biws no longer matches.
    const serverFirst = server.serverFirst(client.clientFirst().replace(/^n,,/, 'y,,'));
    expect(server.serverFinal(client.clientFinal(serverFirst))).toEqual({ ok: false });
  });
});

describe('SCRAM-SHA-256 during a password change', () => {
  const current = createVerifier('old horse');
  const next = createVerifier('new horse', { salt: current.salt, iterations: current.iterations });
  const users = new Map([['alice', { ...current, pending: { storedKey: next.storedKey, serverKey: next.serverKey } }]]);

  it('accepts the current and the pending password, each proven back with its own server key', () => {
    // login() also runs verifyServerFinal, which throws unless the signature comes from the matching ServerKey.
    expect(login(users, 'alice', 'old horse').result.ok).toBe(true);
    expect(login(users, 'alice', 'new horse').result.ok).toBe(true);
    expect(login(users, 'alice', 'other horse').result).toEqual({ ok: false });
  });

  it('tells the client the salt and iterations it logged in with', () => {
    const client = new ScramClient('alice', 'new horse');
    const server = new ScramServer((name) => users.get(name));
    client.clientFinal(server.serverFirst(client.clientFirst()));
    expect(client.saltAndIterations).toEqual({ salt: current.salt, iterations: current.iterations });
  });
});

describe('SCRAM-SHA-256 tampering and malformed messages', () => {
  const rfcServer = () =>
    new ScramServer((name) => (name === RFC.user ? rfcVerifier() : undefined), { nonce: RFC.serverNonce });

  it('the server rejects a client-final whose nonce was tampered with', () => {
    const server = rfcServer();
    server.serverFirst(RFC.clientFirst);
    expect(server.serverFinal(RFC.clientFinal.replace('rOprNG', 'rOprNH'))).toEqual({ ok: false });
  });

  it('the server rejects a nonce other than the one it issued even when the proof covers it', () => {
    const server = rfcServer();
    const serverFirst = server.serverFirst(RFC.clientFirst);
    const withoutProof = `c=biws,r=${RFC.clientNonce}someOtherServerNonce`;
    const proof = handProof(RFC.password, rfcVerifier(), `n=user,r=${RFC.clientNonce},${serverFirst},${withoutProof}`);
    expect(server.serverFinal(`${withoutProof},p=${proof}`)).toEqual({ ok: false });
  });

  it('the server rejects a tampered proof', () => {
    const server = rfcServer();
    server.serverFirst(RFC.clientFirst);
    expect(server.serverFinal(RFC.clientFinal.replace('p=dHzb', 'p=dHzc'))).toEqual({ ok: false });
  });

  it('the server rejects a tampered channel-binding attribute', () => {
    const server = rfcServer();
    server.serverFirst(RFC.clientFirst);
    expect(server.serverFinal(RFC.clientFinal.replace('c=biws', 'c=eSws'))).toEqual({ ok: false });
  });

  it.each([
    ['an empty message', ''],
    ['a missing GS2 header', 'n=user,r=abc'],
    ['channel binding requested', 'p=tls-server-end-point,,n=user,r=abc'],
    ['an unknown GS2 flag', 'x,,n=user,r=abc'],
    ['an authorization identity', 'n,a=admin,n=user,r=abc'],
    ['a mandatory extension', 'n,,m=ext,n=user,r=abc'],
    ['a missing nonce', 'n,,n=user'],
    ['attributes out of order', 'n,,r=abc,n=user'],
    ['a bad username escape', 'n,,n=us=er,r=abc'],
    ['an empty username', 'n,,n=,r=abc'],
    ['a nonce with non-printable characters', 'n,,n=user,r=ab\u00e9'],
  ])('the server refuses a client-first with %s as BAD_REQUEST', (_label, message) => {
    expectProtocolError(() => rfcServer().serverFirst(message), 'BAD_REQUEST');
  });

  it.each([
    ['no proof', 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0'],
    ['a proof that is not base64', 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=!!!!'],
    ['a proof of the wrong length', 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA'],
    ['no channel binding', 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='],
    ['garbage', 'hello,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='],
  ])('the server refuses a client-final with %s as BAD_REQUEST', (_label, message) => {
    const server = rfcServer();
    server.serverFirst(RFC.clientFirst);
    expectProtocolError(() => server.serverFinal(message), 'BAD_REQUEST');
  });

  it('the server refuses steps out of order', () => {
    expectProtocolError(() => rfcServer().serverFinal(RFC.clientFinal), 'UNEXPECTED_MESSAGE');
    const server = rfcServer();
    server.serverFirst(RFC.clientFirst);
    expectProtocolError(() => server.serverFirst(RFC.clientFirst), 'UNEXPECTED_MESSAGE');
  });

  it.each([
    ['a missing salt', 'r=rOprNGfwEbeRWgbNEkqOxyz,i=4096'],
    ['a salt that is not base64', 'r=rOprNGfwEbeRWgbNEkqOxyz,s=***,i=4096'],
    ['an iteration count that is not a number', 'r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=lots'],
    ['a mandatory extension', 'm=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'],
    ['garbage', 'hello'],
  ])('the client refuses a server-first with %s as BAD_REQUEST', (_label, message) => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    expectProtocolError(() => client.clientFinal(message), 'BAD_REQUEST');
  });

  it('the client refuses a server nonce that does not extend its own', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    expectProtocolError(
      () => client.clientFinal(RFC.serverFirst.replace('rOprNG', 'rOprNH')),
      'AUTH_FAILED',
      /nonce/,
    );
    const echo = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    echo.clientFirst();
    expectProtocolError(
      () => echo.clientFinal(`r=${RFC.clientNonce},s=${RFC.salt},i=4096`),
      'AUTH_FAILED',
      /nonce/,
    );
  });

  it('the client refuses fewer than 4096 iterations as a downgrade', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    expectProtocolError(() => client.clientFinal(RFC.serverFirst.replace('i=4096', 'i=4095')), 'AUTH_FAILED', /4095/);
  });

  it('the client refuses a wrong server signature', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    client.clientFinal(RFC.serverFirst);
    expectProtocolError(
      () => client.verifyServerFinal('v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='),
      'AUTH_FAILED',
      'The server could not prove it knows your password verifier; refusing to continue.',
    );
  });

  it('the client reports a server-final error attribute as AUTH_FAILED', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    client.clientFinal(RFC.serverFirst);
    expectProtocolError(() => client.verifyServerFinal('e=invalid-proof'), 'AUTH_FAILED', /invalid-proof/);
  });

  it('a client that never sent client-final cannot be satisfied by any server-final', () => {
    const client = new ScramClient(RFC.user, RFC.password, { nonce: RFC.clientNonce });
    client.clientFirst();
    expectProtocolError(() => client.verifyServerFinal(RFC.serverFinal), 'UNEXPECTED_MESSAGE');
  });
});

describe('SCRAM-SHA-256 verifiers', () => {
  it('the RFC password and salt give PostgreSQL\u2019s exact verifier text', () => {
    expect(formatVerifier(rfcVerifier())).toBe(PENCIL_VERIFIER);
  });

  it('a verifier survives formatting and parsing unchanged', () => {
    const v = createVerifier('secret', { iterations: 5000 });
    expect(v.salt).toHaveLength(16);
    const parsed = parseVerifier(formatVerifier(v));
    expect(parsed).toEqual(v);
    expect(parsed && formatVerifier(parsed)).toBe(formatVerifier(v));
  });

  it('a PostgreSQL verifier is parsed and lets the right password in and no other', () => {
    const parsed = parseVerifier(PENCIL_VERIFIER);
    expect(parsed).toBeDefined();
    const users = new Map([['pg', parsed as ScramVerifier]]);
    expect(login(users, 'pg', 'pencil').result.ok).toBe(true);
    expect(login(users, 'pg', 'pencil2').result.ok).toBe(false);
  });

  it.each([
    ['plain text', 'pencil'],
    ['another scheme', 'md5$abc'],
    ['a missing part', 'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$abc'],
    ['zero iterations', 'SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['bad base64', 'SCRAM-SHA-256$4096:W22Z*J0SNY7soEsUEjb6gQ==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['short keys', 'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AAAA:AAAA'],
  ])('parsing rejects %s', (_label, text) => {
    expect(parseVerifier(text)).toBeUndefined();
  });

  it('creating a verifier with fewer than 4096 iterations is refused', () => {
    expect(() => createVerifier('pw', { iterations: 1000 })).toThrow(RangeError);
  });

  it('a shared salted-password cache computes PBKDF2 once per salt and iteration count', () => {
    const verifier = createVerifier('four nodes');
    const users = new Map([['bob', verifier]]);
    const cache = new Map<string, Buffer>();
    for (let node = 0; node < 4; node++) {
      const client = new ScramClient('bob', 'four nodes', { saltedPasswordCache: cache });
      const server = new ScramServer((name) => users.get(name));
      const result = server.serverFinal(client.clientFinal(server.serverFirst(client.clientFirst())));
      expect(result.ok).toBe(true);
      if (result.ok) client.verifyServerFinal(result.serverFinal);
    }
    expect([...cache.keys()]).toEqual([`${verifier.salt.toString('base64')}:4096`]);
    expect(cache.values().next().value).toEqual(saltedPassword('four nodes', verifier.salt, 4096));
  });
});
