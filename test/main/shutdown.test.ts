import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { closeBeforeQuit } from '../../src-main/main/shutdown.js';

class FakeApp extends EventEmitter {
  readonly exit = vi.fn<(code?: number) => void>();
  /** Emits a quit event the way Electron does; true when a listener prevented it. */
  quit(event: 'before-quit' | 'will-quit' = 'before-quit'): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('close before quit', () => {
  it('holds the quit until the service has closed, then exits', async () => {
    const app = new FakeApp();
    const closed = deferred();
    const close = vi.fn(() => closed.promise);
    closeBeforeQuit(app, close);
    expect(app.quit()).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(app.exit).not.toHaveBeenCalled();
    closed.resolve();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
  });

  it('closes once however many quit requests arrive meanwhile', async () => {
    const app = new FakeApp();
    const closed = deferred();
    const close = vi.fn(() => closed.promise);
    closeBeforeQuit(app, close);
    app.quit();
    expect(app.quit()).toBe(true);
    expect(app.quit('will-quit')).toBe(true);
    closed.resolve();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledTimes(1));
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('exits anyway when closing fails, and says why', async () => {
    const app = new FakeApp();
    const log = vi.fn();
    closeBeforeQuit(app, () => Promise.reject(new Error('node 3 did not stop')), { log });
    app.quit();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('node 3 did not stop'));
  });

  it('exits anyway when closing hangs past the time limit', async () => {
    const app = new FakeApp();
    const log = vi.fn();
    closeBeforeQuit(app, () => new Promise<void>(() => undefined), { timeoutMs: 30, log });
    app.quit();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('more than'));
  });

  it('asks before a quit the user started, and closes only on yes; quitNow does not ask', async () => {
    const app = new FakeApp();
    const answers = [false, true];
    const confirmQuit = vi.fn(async () => answers.shift()!);
    const close = vi.fn(async () => undefined);
    const control = closeBeforeQuit(app, close, { confirmQuit });
    expect(app.quit()).toBe(true);
    await vi.waitFor(() => expect(confirmQuit).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(close).not.toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
    // Asked again, the user says yes: the app quits again by itself, and this time closes.
    app.quit();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(confirmQuit).toHaveBeenCalledTimes(2);
    expect(close).toHaveBeenCalledTimes(1);

    const signalled = new FakeApp();
    const ask = vi.fn(async () => false);
    closeBeforeQuit(signalled, close, { confirmQuit: ask }).quitNow();
    await vi.waitFor(() => expect(signalled.exit).toHaveBeenCalledWith(0));
    expect(ask).not.toHaveBeenCalled();
  });

  it('does not hold a quit to ask when needsConfirming says nothing would be stopped, and asks once it says so', async () => {
    const app = new FakeApp();
    let running = 0;
    const confirmQuit = vi.fn(async () => false);
    const close = vi.fn(async () => undefined);
    closeBeforeQuit(app, close, { confirmQuit, needsConfirming: () => running > 0 });
    running = 2;
    app.quit();
    await vi.waitFor(() => expect(confirmQuit).toHaveBeenCalledTimes(1));
    expect(close).not.toHaveBeenCalled();
    running = 0;
    app.quit();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(confirmQuit).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
  });
});
