import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ProtocolError } from './errors.js';

// SCRAM-SHA-256 (RFC 5802 with the SHA-256 parameters of RFC 7677), as PostgreSQL speaks it:
// no channel binding, no authorization identity, verifiers stored in PostgreSQL's text format.

/** What a node stores for a user instead of the password (RFC 5802 section 3). */
export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
  /**
   * The keys of a new password while a password change is in progress: same salt and iterations, so
   * one server-first message serves both, and a proof from either password is accepted.
   */
  pending?: { storedKey: Buffer; serverKey: Buffer };
}

/** Fewest PBKDF2 iterations a client accepts: the RFC 7677 minimum, so a server cannot downgrade it. */
export const SCRAM_MIN_ITERATIONS = 4096;

/** Most PBKDF2 iterations a client accepts, so a hostile server cannot make it spin for hours. */
export const SCRAM_MAX_ITERATIONS = 10_000_000;

const DEFAULT_SALT_BYTES = 16;
const CLIENT_NONCE_BYTES = 24;
const SERVER_NONCE_BYTES = 18;
const KEY_BYTES = 32;
// Longer than any legitimate message (usernames are short, nonces ~56 chars); stops abuse early.
const MAX_MESSAGE_CHARS = 4096;
const PREFIX = 'SCRAM-SHA-256$';
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// RFC 5802 "printable": visible ASCII except ','.
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;

// One secret per process, so an unknown user's mock salt is the same on every connection (a salt that
// changed between attempts would reveal that the user does not exist). Nodes pass their cluster's
// secret instead, since one per process differs between nodes and restarts (see loadClusterSecret).
let processMockSecret: Buffer | undefined;

/** Hi() of RFC 5802: PBKDF2-HMAC-SHA-256 of the NFKC-normalized password (NFKC approximates SASLprep). */
export function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(normalizePassword(password), salt, iterations, KEY_BYTES, 'sha256');
}

/** Derives a verifier from a password: 4096 iterations and a 16-byte random salt unless told otherwise. */
export function createVerifier(
  password: string,
  options: { iterations?: number; salt?: Buffer } = {},
): ScramVerifier {
  const iterations = options.iterations ?? SCRAM_MIN_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
    // Clients refuse such a verifier, so creating one would only lock the user out.
    throw new RangeError(
      `The iteration count must be a whole number from ${SCRAM_MIN_ITERATIONS} to ${SCRAM_MAX_ITERATIONS}; got ${iterations}.`,
    );
  }
  const salt = options.salt ?? randomBytes(DEFAULT_SALT_BYTES);
  if (salt.length === 0) throw new RangeError('The salt cannot be empty.');
  return verifierFromSaltedPassword(saltedPassword(password, salt, iterations), salt, iterations);
}

/** Whether `verifier` was made from `password` (the current one, or the pending one of a password change). */
export function verifierAccepts(verifier: ScramVerifier, password: string): boolean {
  const { storedKey } = verifierFromSaltedPassword(saltedPassword(password, verifier.salt, verifier.iterations), verifier.salt, verifier.iterations);
  return constantTimeEqual(storedKey, verifier.storedKey) || (verifier.pending !== undefined && constantTimeEqual(storedKey, verifier.pending.storedKey));
}

/** Writes a verifier in PostgreSQL's format: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. */
export function formatVerifier(v: ScramVerifier): string {
  return `${PREFIX}${v.iterations}:${b64(v.salt)}$${b64(v.storedKey)}:${b64(v.serverKey)}`;
}

/** Reads a verifier in PostgreSQL's format; undefined if the text is not one. */
export function parseVerifier(text: string): ScramVerifier | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const match = /^(\d{1,9}):([^$:]+)\$([^$:]+):([^$:]+)$/.exec(text.slice(PREFIX.length));
  if (!match) return undefined;
  const [, iterationsText = '', saltText = '', storedText = '', serverText = ''] = match;
  const iterations = Number(iterationsText);
  if (iterations < 1 || iterations > SCRAM_MAX_ITERATIONS) return undefined;
  const salt = decodeBase64(saltText);
  const storedKey = decodeBase64(storedText);
  const serverKey = decodeBase64(serverText);
  if (!salt || !storedKey || !serverKey) return undefined;
  if (storedKey.length !== KEY_BYTES || serverKey.length !== KEY_BYTES) return undefined;
  return { iterations, salt, storedKey, serverKey };
}

/** The client side of one SCRAM-SHA-256 exchange: clientFirst, clientFinal, then verifyServerFinal. */
export class ScramClient {
  readonly #username: string;
  readonly #password: string;
  readonly #nonce: string;
  readonly #cache: Map<string, Buffer> | undefined;
  #clientFirstBare: string | undefined;
  #expectedServerSignature: Buffer | undefined;
  #saltAndIterations: { salt: Buffer; iterations: number } | undefined;
  #done = false;

  /** `saltedPasswordCache` is shared between logins with the same password only (its key is salt + iterations). */
  constructor(
    username: string,
    password: string,
    options: { nonce?: string; saltedPasswordCache?: Map<string, Buffer> } = {},
  ) {
    if (username.length === 0) throw new ProtocolError('BAD_REQUEST', 'A SCRAM username cannot be empty.');
    const nonce = options.nonce ?? randomBytes(CLIENT_NONCE_BYTES).toString('base64');
    if (!PRINTABLE.test(nonce)) {
      throw new ProtocolError('BAD_REQUEST', 'A SCRAM nonce must be printable ASCII without commas.');
    }
    this.#username = username;
    this.#password = password;
    this.#nonce = nonce;
    this.#cache = options.saltedPasswordCache;
  }

  /** The client-first message: `n,,n=<user>,r=<nonce>`. */
  clientFirst(): string {
    if (this.#clientFirstBare !== undefined) throw outOfOrder('clientFirst was already called');
    this.#clientFirstBare = `n=${escapeSaslName(this.#username)},r=${this.#nonce}`;
    return `n,,${this.#clientFirstBare}`;
  }

  /** Answers the server-first message with the proof; refuses a foreign nonce or fewer than 4096 iterations. */
  clientFinal(serverFirst: string): string {
    const clientFirstBare = this.#clientFirstBare;
    if (clientFirstBare === undefined) throw outOfOrder('clientFirst must be called before clientFinal');
    if (this.#expectedServerSignature !== undefined) throw outOfOrder('clientFinal was already called');
    const attrs = parseAttributes(serverFirst, 'server-first');
    if (attrs[0]?.name === 'm') throw badRequest('The server-first message demands an unsupported SCRAM extension.');
    const combinedNonce = expectAttribute(attrs, 0, 'r', 'server-first');
    const saltText = expectAttribute(attrs, 1, 's', 'server-first');
    const iterationsText = expectAttribute(attrs, 2, 'i', 'server-first');
    if (!PRINTABLE.test(combinedNonce)) throw badRequest('The server-first nonce contains invalid characters.');
    // The server must echo our nonce and add its own; anything else may be a replay.
    if (!combinedNonce.startsWith(this.#nonce) || combinedNonce.length === this.#nonce.length) {
      throw new ProtocolError('AUTH_FAILED', 'The server did not echo our SCRAM nonce; refusing to continue.');
    }
    const salt = decodeBase64(saltText);
    if (!salt || salt.length === 0) throw badRequest('The server-first salt is not valid base64.');
    if (!/^\d{1,9}$/.test(iterationsText)) throw badRequest('The server-first iteration count is not a number.');
    const iterations = Number(iterationsText);
    if (iterations < SCRAM_MIN_ITERATIONS) {
      throw new ProtocolError(
        'AUTH_FAILED',
        `The server asked for only ${iterations} PBKDF2 iterations (at least ${SCRAM_MIN_ITERATIONS} are required); refusing to continue.`,
      );
    }
    if (iterations > SCRAM_MAX_ITERATIONS) {
      throw new ProtocolError(
        'AUTH_FAILED',
        `The server asked for ${iterations} PBKDF2 iterations (at most ${SCRAM_MAX_ITERATIONS} are allowed); refusing to continue.`,
      );
    }

    this.#saltAndIterations = { salt, iterations };
    const salted = this.#saltedPassword(saltText, salt, iterations);
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = sha256(clientKey);
    const serverKey = hmac(salted, 'Server Key');
    const clientFinalWithoutProof = `c=${b64(Buffer.from('n,,'))},r=${combinedNonce}`;
    const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;
    const proof = xor(clientKey, hmac(storedKey, authMessage));
    this.#expectedServerSignature = hmac(serverKey, authMessage);
    return `${clientFinalWithoutProof},p=${b64(proof)}`;
  }

  /** The salt and iteration count the server asked for (known once clientFinal ran); a password change reuses them. */
  get saltAndIterations(): { salt: Buffer; iterations: number } {
    if (!this.#saltAndIterations) throw outOfOrder('clientFinal must be called before saltAndIterations');
    return this.#saltAndIterations;
  }

  /** Checks the server's signature; throws ProtocolError('AUTH_FAILED') unless it proves the server knows the verifier. */
  verifyServerFinal(serverFinal: string): void {
    const expected = this.#expectedServerSignature;
    if (expected === undefined) throw outOfOrder('clientFinal must be called before verifyServerFinal');
    if (this.#done) throw outOfOrder('verifyServerFinal was already called');
    const attrs = parseAttributes(serverFinal, 'server-final');
    if (attrs[0]?.name === 'e') {
      throw new ProtocolError('AUTH_FAILED', `The server rejected the login (${attrs[0].value}).`);
    }
    const signatureText = expectAttribute(attrs, 0, 'v', 'server-final');
    const signature = decodeBase64(signatureText);
    if (!signature) throw badRequest('The server-final signature is not valid base64.');
    if (!constantTimeEqual(signature, expected)) {
      throw new ProtocolError(
        'AUTH_FAILED',
        'The server could not prove it knows your password verifier; refusing to continue.',
      );
    }
    this.#done = true;
  }

  #saltedPassword(saltText: string, salt: Buffer, iterations: number): Buffer {
    const key = `${saltText}:${iterations}`;
    const cached = this.#cache?.get(key);
    if (cached) return cached;
    const salted = saltedPassword(this.#password, salt, iterations);
    this.#cache?.set(key, salted);
    return salted;
  }
}

/** The server side of one SCRAM-SHA-256 exchange; unknown users fail exactly like wrong passwords. */
export class ScramServer {
  readonly #lookup: (username: string) => ScramVerifier | undefined;
  readonly #nonceSuffix: string;
  readonly #mockSecret: Buffer;
  #username: string | undefined;
  #state:
    | {
        gs2Header: string;
        clientFirstBare: string;
        serverFirst: string;
        combinedNonce: string;
        verifier: ScramVerifier;
        known: boolean;
      }
    | undefined;
  #finished = false;

  /** `mockSecret` seeds unknown users' fake salts; by default one random secret per process. */
  constructor(
    lookup: (username: string) => ScramVerifier | undefined,
    options: { nonce?: string; mockSecret?: Buffer } = {},
  ) {
    const nonce = options.nonce ?? randomBytes(SERVER_NONCE_BYTES).toString('base64');
    if (!PRINTABLE.test(nonce)) {
      throw new ProtocolError('BAD_REQUEST', 'A SCRAM nonce must be printable ASCII without commas.');
    }
    this.#lookup = lookup;
    this.#nonceSuffix = nonce;
    this.#mockSecret = options.mockSecret ?? (processMockSecret ??= randomBytes(32));
  }

  /** The username the client claimed; authenticated only once serverFinal returned ok. */
  get username(): string | undefined {
    return this.#username;
  }

  /** Answers the client-first message with `r=<nonce>,s=<salt>,i=<iterations>`. */
  serverFirst(clientFirst: string): string {
    if (this.#state !== undefined) throw outOfOrder('serverFirst was already called');
    if (clientFirst.length > MAX_MESSAGE_CHARS) throw badRequest('The SCRAM client-first message is too long.');
    const { gs2Header, bare } = splitGs2Header(clientFirst);
    const attrs = parseAttributes(bare, 'client-first');
    if (attrs[0]?.name === 'm') throw badRequest('The client-first message demands an unsupported SCRAM extension.');
    const username = unescapeSaslName(expectAttribute(attrs, 0, 'n', 'client-first'));
    const clientNonce = expectAttribute(attrs, 1, 'r', 'client-first');
    if (!PRINTABLE.test(clientNonce)) throw badRequest('The client-first nonce contains invalid characters.');

    const real = this.#lookup(username);
    const verifier = real ?? this.#mockVerifier(username);
    const combinedNonce = clientNonce + this.#nonceSuffix;
    const serverFirst = `r=${combinedNonce},s=${b64(verifier.salt)},i=${verifier.iterations}`;
    this.#username = username;
    this.#state = { gs2Header, clientFirstBare: bare, serverFirst, combinedNonce, verifier, known: real !== undefined };
    return serverFirst;
  }

  /** Checks the client's proof; on success returns the server-final message `v=<ServerSignature>`. */
  serverFinal(clientFinal: string): { ok: true; serverFinal: string } | { ok: false } {
    const state = this.#state;
    if (state === undefined) throw outOfOrder('serverFirst must be called before serverFinal');
    if (this.#finished) throw outOfOrder('serverFinal was already called');
    if (clientFinal.length > MAX_MESSAGE_CHARS) throw badRequest('The SCRAM client-final message is too long.');
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw badRequest('The SCRAM client-final message has no proof (p=).');
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof, 'client-final');
    const binding = expectAttribute(attrs, 0, 'c', 'client-final');
    const nonce = expectAttribute(attrs, 1, 'r', 'client-final');
    const proof = decodeBase64(clientFinal.slice(proofAt + 3));
    if (!proof || proof.length !== KEY_BYTES) throw badRequest('The SCRAM proof is not 32 bytes of base64.');
    this.#finished = true;

    // Every check runs even after one fails, so timing does not tell which one failed.
    const bindingOk = constantTimeEqual(Buffer.from(binding), Buffer.from(b64(Buffer.from(state.gs2Header))));
    const nonceOk = constantTimeEqual(Buffer.from(nonce), Buffer.from(state.combinedNonce));
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    // During a password change both key pairs are tried, every time, so timing does not tell which matched.
    const matched = [state.verifier, state.verifier.pending ?? state.verifier].filter((keys) => {
      const clientKey = xor(proof, hmac(keys.storedKey, authMessage));
      return constantTimeEqual(sha256(clientKey), keys.storedKey);
    })[0];
    if (!(bindingOk && nonceOk && matched && state.known)) return { ok: false };
    return { ok: true, serverFinal: `v=${b64(hmac(matched.serverKey, authMessage))}` };
  }

  #mockVerifier(username: string): ScramVerifier {
    // Same salt length and iteration count as real verifiers; the random keys make every proof fail.
    const salt = createHmac('sha256', this.#mockSecret).update(username, 'utf8').digest().subarray(0, DEFAULT_SALT_BYTES);
    return {
      iterations: SCRAM_MIN_ITERATIONS,
      salt,
      storedKey: randomBytes(KEY_BYTES),
      serverKey: randomBytes(KEY_BYTES),
    };
  }
}

function verifierFromSaltedPassword(salted: Buffer, salt: Buffer, iterations: number): ScramVerifier {
  return {
    iterations,
    salt: Buffer.from(salt),
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

function splitGs2Header(message: string): { gs2Header: string; bare: string } {
  const first = message.indexOf(',');
  const second = first < 0 ? -1 : message.indexOf(',', first + 1);
  if (second < 0) throw badRequest('The SCRAM client-first message has no GS2 header (expected "n,,").');
  const flag = message.slice(0, first);
  const authzid = message.slice(first + 1, second);
  if (flag.startsWith('p=')) {
    throw badRequest('SCRAM channel binding (SCRAM-SHA-256-PLUS) is not supported; use SCRAM-SHA-256.');
  }
  // 'y' means "I could bind but you did not offer it": acceptable, since this server offers no binding.
  if (flag !== 'n' && flag !== 'y') throw badRequest(`The SCRAM GS2 flag "${flag}" is invalid (expected "n").`);
  if (authzid !== '') throw badRequest('SCRAM authorization identities (a=) are not supported.');
  return { gs2Header: message.slice(0, second + 1), bare: message.slice(second + 1) };
}

interface Attribute {
  name: string;
  value: string;
}

function parseAttributes(message: string, what: string): Attribute[] {
  if (message.length > MAX_MESSAGE_CHARS) throw badRequest(`The SCRAM ${what} message is too long.`);
  return message.split(',').map((part) => {
    const match = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!match || match[2] === '') throw badRequest(`The SCRAM ${what} message is malformed near "${clip(part)}".`);
    return { name: match[1] ?? '', value: match[2] ?? '' };
  });
}

function expectAttribute(attrs: Attribute[], index: number, name: string, what: string): string {
  const attr = attrs[index];
  if (attr?.name !== name) throw badRequest(`The SCRAM ${what} message lacks "${name}=" in position ${index + 1}.`);
  return attr.value;
}

function escapeSaslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

function unescapeSaslName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw badRequest('The SCRAM username has an invalid "=" escape.');
  return name.replaceAll('=2C', ',').replaceAll('=3D', '=');
}

function decodeBase64(text: string): Buffer | undefined {
  if (text.length === 0 || !STRICT_BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual throws on a length mismatch; compare against itself to spend the same time.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

function b64(data: Buffer): string {
  return data.toString('base64');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function badRequest(message: string): ProtocolError {
  return new ProtocolError('BAD_REQUEST', message);
}

function outOfOrder(message: string): ProtocolError {
  return new ProtocolError('UNEXPECTED_MESSAGE', `SCRAM steps out of order: ${message}.`);
}
