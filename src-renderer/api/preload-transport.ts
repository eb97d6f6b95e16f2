import type { ApiTransport, CallName, CallOutcome, VaultApi } from '../../src-main/shared/contract.js';
import { toSerializedError } from './thrown-errors.js';

type Verbs = Record<string, Record<string, ((request?: unknown) => Promise<unknown>) | undefined> | undefined>;

/**
 * A transport over the preload's verbs. Errors lose their class (and often their `code`) crossing the context
 * bridge, so each call's failure is turned back into an outcome and `buildVaultApi` rethrows a real VaultError.
 */
export function preloadTransport(preload: VaultApi): ApiTransport {
  const verbs = preload as unknown as Verbs;
  return {
    async invoke(name: CallName, request: unknown): Promise<CallOutcome<unknown>> {
      const [namespace = '', verb = ''] = name.split('.');
      const fn = verbs[namespace]?.[verb];
      if (!fn) return { ok: false, error: { code: 'UNSUPPORTED', message: `This version of the desktop app does not offer ${name}.` } };
      try {
        return { ok: true, value: await fn(request) };
      } catch (error) {
        return { ok: false, error: toSerializedError(error) };
      }
    },
    subscribe: (event, listener) => preload.on(event, listener as never),
  };
}
