import { constants } from 'node:os';
import { ENGINE_VARIABLE, type NativeAesGcm, type NativeAesGcmLoad, loadNativeAesGcm, nativeAesGcmPath } from '../../src-main/vault/crypto/native-aes-gcm.js';

export { ENGINE_VARIABLE } from '../../src-main/vault/crypto/native-aes-gcm.js';

/**
 * The AES-GCM addon loaded once more, as the vault loads it (self-test included), with ENGINE_VARIABLE set to `value`
 * (unset for undefined) while it loads. Each load of an N-API addon runs its init again, and the addon binds the
 * functions it exports to the engine it chose then, so two loads in one process may differ. Vitest runs the tests in
 * forks (vitest.config.ts), whose process.env is the environment the addon's getenv reads (a worker thread's would not be).
 */
export function loadAesGcmWith(value: string | undefined): NativeAesGcmLoad {
  return withEngineVariable(value, () => loadNativeAesGcm());
}

/**
 * The addon's exports straight from its file, with ENGINE_VARIABLE set to `value` while it loads: no self-test, so an
 * engine that computes wrongly fails the tests that use it instead of being set aside by the loader. Undefined where
 * the addon is not built (or does not load).
 */
export function openAesGcmWith(value: string | undefined): NativeAesGcm | undefined {
  return withEngineVariable(value, () => openExports(nativeAesGcmPath()));
}

/**
 * The build without OpenSSL (the desktop app's) straight from its file, no self-test: undefined where it is not built
 * or this CPU cannot run its VAES engine (it then exports nothing).
 */
export function openVaesOnlyBuild(): NativeAesGcm | undefined {
  return openExports(nativeAesGcmPath({ ...process.versions, electron: 'stand-in' }));
}

/** The exports of the addon file at `path`, without the loader's self-test; undefined where it does not load or exports no sealInPlace. */
function openExports(path: string): NativeAesGcm | undefined {
  try {
    const module = { exports: {} as NativeAesGcm };
    process.dlopen(module, path, constants.dlopen.RTLD_NOW);
    return typeof module.exports.sealInPlace === 'function' ? module.exports : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every engine the addon runs here, once each: loaded as the vault does (or by `load`), then forced to OpenSSL (the
 * same engine on a CPU without VAES, so then one). Empty when the addon is not loaded.
 */
export function aesGcmEngines(load: (value: string | undefined) => NativeAesGcm | undefined = (value) => loadAesGcmWith(value).addon): NativeAesGcm[] {
  const loaded = [load(process.env[ENGINE_VARIABLE]), load('openssl')].filter((addon): addon is NativeAesGcm => addon !== undefined);
  return loaded.filter((addon, at) => loaded.findIndex((other) => engineOf(other) === engineOf(addon)) === at);
}

/** The addon's engine; an addon that does not say is one from before the choice, which used OpenSSL. */
export function engineOf(addon: NativeAesGcm): string {
  return addon.engine ?? 'openssl';
}

function withEngineVariable<T>(value: string | undefined, body: () => T): T {
  const before = process.env[ENGINE_VARIABLE];
  setEngineVariable(value);
  try {
    return body();
  } finally {
    setEngineVariable(before);
  }
}

function setEngineVariable(value: string | undefined): void {
  if (value === undefined) delete process.env[ENGINE_VARIABLE];
  else process.env[ENGINE_VARIABLE] = value;
}
