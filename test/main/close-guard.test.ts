import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { closeQuestion, guardCloseWhileTransferring } from '../../src-main/main/close-guard.js';

/** A window whose close() emits 'close' as Electron does, and is destroyed unless a listener prevents it. */
class FakeWindow extends EventEmitter {
  destroyed = false;
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

describe('closing the window while transfers run', () => {
  it('closes at once when nothing is running, without asking', () => {
    const window = new FakeWindow();
    const confirmClose = vi.fn(async () => true);
    guardCloseWhileTransferring(window, { unfinishedTransfers: () => 0, confirmClose });
    window.close();
    expect(window.destroyed).toBe(true);
    expect(confirmClose).not.toHaveBeenCalled();
  });

  it('keeps the window when the user chooses to keep the transfers running', async () => {
    const window = new FakeWindow();
    const confirmClose = vi.fn(async () => false);
    guardCloseWhileTransferring(window, { unfinishedTransfers: () => 2, confirmClose });
    window.close();
    await vi.waitFor(() => expect(confirmClose).toHaveBeenCalledWith(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(window.destroyed).toBe(false);
  });

  it('closes after the user confirms, asking once however often close is pressed meanwhile', async () => {
    const window = new FakeWindow();
    let answer!: (yes: boolean) => void;
    const confirmClose = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    guardCloseWhileTransferring(window, { unfinishedTransfers: () => 1, confirmClose });
    window.close();
    window.close();
    expect(confirmClose).toHaveBeenCalledTimes(1);
    expect(window.destroyed).toBe(false);
    answer(true);
    await vi.waitFor(() => expect(window.destroyed).toBe(true));
  });

  it('says how many transfers run and what quitting does to them', () => {
    expect(closeQuestion(1).message).toBe('A transfer is still running.');
    expect(closeQuestion(3)).toEqual({
      message: '3 transfers are still running.',
      detail: 'Quitting now cancels them: such an upload stores nothing, such a download saves nothing. Files already done stay, and uploads already committing are finished first.',
      buttons: ['Keep Running', 'Quit Anyway'],
    });
  });
});
