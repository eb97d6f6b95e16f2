/**
 * The UI's whole API: every request/response call and every event, with runtime validators for requests.
 * Electron's IPC handlers and the browser host implement `CallHandlers`; the preload and the browser adapter build
 * the renderer's `VaultApi` from the same map, so a call cannot exist on one side only.
 */
import type { AppInfo, ClusterView, DownloadTarget, PasswordChange, RecoveryKey, SessionState, Transfer } from './app-models.js';
import { type SerializedVaultError, VaultError } from './errors.js';
import type { FileHealth, RepairResult, VaultEntry } from './models.js';
import { type Infer, type Validator, array, boolean, bytes, literal, nothing, number, object, optional, string, trusted, union } from './validate.js';

/** Largest chunk of an upload sent through `uploads.write` (the fallback for files without a local path). */
export const MAX_UPLOAD_CHUNK_BYTES = 1024 * 1024;

const vaultPath = string({ max: 4096 });
const localPath = string({ max: 4096, nonEmpty: true });
const paths = array(vaultPath, { nonEmpty: true, max: 10_000 });
const transferId = string({ max: 64, nonEmpty: true });
const username = string({ max: 64, nonEmpty: true });
const password = string({ max: 1024, nonEmpty: true });
/** A recovery key as typed or pasted: 11 groups of 5 characters, with dashes, spaces or line breaks between them. */
const recoveryKey = string({ max: 256, nonEmpty: true });

const clusterTarget = union({
  local: object({ kind: literal('local') }),
  config: object({ kind: literal('config'), path: localPath }),
  addresses: object({ kind: literal('addresses'), addresses: array(string({ max: 300, nonEmpty: true }), { nonEmpty: true, max: 64 }) }),
});

function call<Req, Res>(request: Validator<Req>, response: Validator<Res>): { request: Validator<Req>; response: Validator<Res> } {
  return { request, response };
}

/** Every call: `namespace.verb` → request validator and response type. */
export const calls = {
  'app.info': call(nothing(), trusted<AppInfo>()),

  'session.state': call(nothing(), trusted<SessionState>()),
  /** Logs in with the credentials the keychain remembers, if any. */
  'session.resume': call(nothing(), trusted<SessionState>()),
  /** Logs in; for the local cluster, starts it first and creates the account if it is new. */
  'session.connect': call(
    object({ target: clusterTarget, username, password, remember: boolean() }),
    trusted<SessionState>(),
  ),
  'session.signOut': call(object({ forget: boolean() }), trusted<SessionState>()),

  /** Changes the signed-in user's password on every node (all must be up); a remembered login is updated too. */
  'account.changePassword': call(object({ current: password, next: password }), trusted<PasswordChange>()),
  /** The vault's printable recovery key, once the password is confirmed; lets every reachable node accept it. */
  'account.recoveryKey': call(object({ password }), trusted<RecoveryKey>()),
  /** Sets a new password from the recovery key, without the old one (a forgotten password); does not sign in. */
  'account.recover': call(object({ target: clusterTarget, username, recoveryKey, newPassword: password }), trusted<PasswordChange>()),

  'cluster.status': call(nothing(), trusted<ClusterView>()),
  'cluster.startLocal': call(nothing(), trusted<ClusterView>()),
  'cluster.stopLocal': call(nothing(), trusted<ClusterView>()),
  'cluster.startNode': call(object({ index: number({ integer: true, min: 0, max: 63 }) }), trusted<ClusterView>()),
  'cluster.stopNode': call(object({ index: number({ integer: true, min: 0, max: 63 }) }), trusted<ClusterView>()),

  'files.list': call(object({ folder: vaultPath }), trusted<VaultEntry[]>()),
  'files.mkdir': call(object({ path: vaultPath }), trusted<void>()),
  'files.remove': call(object({ paths }), trusted<{ removed: string[] }>()),
  'files.check': call(object({ paths }), trusted<FileHealth[]>()),
  'files.repair': call(object({ paths }), trusted<RepairResult[]>()),

  'transfers.list': call(nothing(), trusted<Transfer[]>()),
  'transfers.cancel': call(object({ id: transferId }), trusted<void>()),
  'transfers.clearFinished': call(nothing(), trusted<void>()),
  /** Uploads local files or whole folders (recursively) into a vault folder, streaming from disk. */
  'transfers.uploadPaths': call(object({ items: array(object({ source: localPath, folder: vaultPath }), { nonEmpty: true }) }), trusted<{ ids: string[] }>()),
  /**
   * Downloads vault files to local paths (chosen with `dialogs.chooseDownloadTarget`). An existing file is replaced
   * (the save dialog asked), or with `keep-both` (files saved into a chosen folder) kept, the new one named "a (2).txt".
   */
  'transfers.download': call(
    object({ items: array(object({ path: vaultPath, destination: localPath, ifExists: optional(literal('replace', 'keep-both')) }), { nonEmpty: true }) }),
    trusted<{ ids: string[] }>(),
  ),

  /** An upload whose bytes the UI sends itself (a dropped File without a local path). */
  'uploads.begin': call(object({ path: vaultPath, size: number({ integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }), modified: optional(number({ min: 0 })) }), trusted<{ id: string }>()),
  /** Resolves once the chunk is taken, so a sender that awaits each write gets backpressure. */
  'uploads.write': call(object({ id: transferId, bytes: bytes({ max: MAX_UPLOAD_CHUNK_BYTES }) }), trusted<void>()),
  /** Resolves once the quorum has committed the file. */
  'uploads.end': call(object({ id: transferId }), trusted<void>()),

  /** A save dialog for one file, a folder picker for several (desktop only). */
  'dialogs.chooseDownloadTarget': call(object({ names: array(string({ max: 1024 }), { nonEmpty: true }) }), trusted<DownloadTarget>()),
  /** An open dialog for a dfc.conf (desktop only). */
  'dialogs.chooseConfigFile': call(nothing(), trusted<{ path?: string }>()),
} as const;

/** Every event the host pushes to the UI. */
export const events = {
  'session.changed': trusted<SessionState>(),
  'cluster.changed': trusted<ClusterView>(),
  'transfer.changed': trusted<Transfer>(),
  /** Files changed under these vault paths (uploads committed, deletes, folders made). */
  'files.changed': trusted<{ paths: string[] }>(),
} as const;

export type CallName = keyof typeof calls;
export type RequestOf<N extends CallName> = Infer<(typeof calls)[N]['request']>;
export type ResponseOf<N extends CallName> = Infer<(typeof calls)[N]['response']>;
export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = Infer<(typeof events)[E]>;

/** Every call name, for hosts and tests that iterate them. */
export const CALL_NAMES = Object.keys(calls) as CallName[];
/** Every event name. */
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What a host implements: one async handler per call. `Context` carries host facts (the sender, say). */
export type CallHandlers<Context = void> = { [N in CallName]: (request: RequestOf<N>, context: Context) => Promise<ResponseOf<N>> };

/** How a result crosses IPC or HTTP: errors travel as `{code, message}`, never as stack traces. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: SerializedVaultError };

/** Checks a request against its call's validator; a mismatch is an INVALID_REQUEST VaultError. */
export function parseRequest<N extends CallName>(name: N, request: unknown): RequestOf<N> {
  try {
    return calls[name].request.parse(request) as RequestOf<N>;
  } catch (error) {
    throw new VaultError('INVALID_REQUEST', `Invalid ${name} request: ${(error as Error).message}.`);
  }
}

/** True for a string naming a call (checked before indexing the map with untrusted input). */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

type Namespace<N> = N extends `${infer NS}.${string}` ? NS : never;
type Verb<N extends CallName> = [RequestOf<N>] extends [void] ? () => Promise<ResponseOf<N>> : (request: RequestOf<N>) => Promise<ResponseOf<N>>;
type VerbsOf<NS extends string> = { [N in CallName as N extends `${NS}.${infer V}` ? V : never]: Verb<N> };

/** The renderer's API: domain verbs grouped by namespace (`api.files.list({ folder })`) plus event subscriptions. */
export type VaultApi = { [NS in Namespace<CallName>]: VerbsOf<NS> } & {
  /** Subscribes to an event; call the returned function to stop. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
};

/** A transport: sends one call and returns its outcome; subscribes to one event. */
export interface ApiTransport {
  invoke(name: CallName, request: unknown): Promise<CallOutcome<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** Builds the domain verbs over a transport; a failed outcome is thrown as a VaultError with its code. */
export function buildVaultApi(transport: ApiTransport): VaultApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const name of CALL_NAMES) {
    const [namespace, verb] = name.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][verb] = async (request?: unknown) => {
      const outcome = await transport.invoke(name, request ?? {});
      if (!outcome.ok) throw new VaultError(outcome.error.code, outcome.error.message);
      return outcome.value;
    };
  }
  return {
    ...api,
    on: (event: EventName, listener: (payload: never) => void) => transport.subscribe(event, listener as (payload: unknown) => void),
  } as unknown as VaultApi;
}

type OutcomeVerb<N extends CallName> = (request?: RequestOf<N>) => Promise<CallOutcome<ResponseOf<N>>>;

/**
 * What Electron's preload exposes: the contract's domain verbs grouped by namespace (`dfsVault.files.list(request)`),
 * each answering with a CallOutcome rather than throwing, because contextBridge keeps only an Error's message and
 * the page needs the code. Plus `on` for events.
 */
export type OutcomeVerbs = { [NS in Namespace<CallName>]: { [N in CallName as N extends `${NS}.${infer V}` ? V : never]: OutcomeVerb<N> } } & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

/** Builds the outcome-answering domain verbs over a transport (the preload's side). */
export function buildOutcomeVerbs(transport: ApiTransport): OutcomeVerbs {
  const verbs: Record<string, Record<string, (request?: unknown) => Promise<CallOutcome<unknown>>>> = {};
  for (const name of CALL_NAMES) {
    const [namespace, verb] = name.split('.') as [string, string];
    verbs[namespace] ??= {};
    verbs[namespace][verb] = (request?: unknown) => transport.invoke(name, request ?? {});
  }
  return { ...verbs, on: (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener) } as unknown as OutcomeVerbs;
}

/** Turns the preload's verbs back into a transport (the page's side), so `buildVaultApi` rethrows VaultErrors with codes. */
export function outcomeVerbsTransport(verbs: OutcomeVerbs): ApiTransport {
  const table = verbs as unknown as Record<string, Record<string, ((request?: unknown) => Promise<CallOutcome<unknown>>) | undefined> | undefined>;
  return {
    invoke(name, request) {
      const [namespace = '', verb = ''] = name.split('.');
      const call = table[namespace]?.[verb];
      if (typeof call !== 'function') return Promise.resolve({ ok: false, error: { code: 'UNSUPPORTED', message: `This desktop app does not offer ${name}.` } });
      return call(request);
    },
    subscribe: (event, listener) => verbs.on(event, listener),
  };
}
