import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../servers/protocol/errors.js';
import { MIN_BODY_BYTES_PER_WINDOW, UploadPace } from '../../../servers/node/upload-pace.js';

function paceAt(start = 1000) {
  const clock = { now: start };
  return { clock, pace: new UploadPace(30_000, () => clock.now) };
}

function timeoutOf(action: () => void): ProtocolError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('TIMEOUT');
    return error as ProtocolError;
  }
  throw new Error('expected a TIMEOUT');
}

describe('the pace of a PUT body', () => {
  it('lets a receive wait until the window ends or the silence limit, whichever comes first', () => {
    const { clock, pace } = paceAt();
    expect(pace.waitMs).toBe(30_000);
    clock.now += 20_000;
    pace.received(MIN_BODY_BYTES_PER_WINDOW);
    expect(pace.waitMs).toBe(10_000);
    clock.now += 10_000;
    pace.waitEnded();
    // A new window from now; the last byte came 10 s ago.
    expect(pace.waitMs).toBe(20_000);
  });

  it('ends an upload silent for the whole window with the per-frame timeout message', () => {
    const { clock, pace } = paceAt();
    clock.now += 30_000;
    expect(timeoutOf(() => pace.waitEnded()).message).toBe('No answer within 30 s.');
  });

  it('ends an upload that sends a byte before every timeout but too few bytes in a window, saying how slow is too slow', () => {
    const { clock, pace } = paceAt();
    clock.now += 29_000;
    pace.received(1);
    clock.now += 1000;
    expect(timeoutOf(() => pace.waitEnded()).message).toBe('The upload brought 1 bytes in 30 s; a node gives up on one slower than 64 KiB per 30 s.');
  });

  it('judges a window also when its last part arrives after its end', () => {
    const { clock, pace } = paceAt();
    clock.now += 30_001;
    expect(timeoutOf(() => pace.received(MIN_BODY_BYTES_PER_WINDOW - 1)).message).toMatch(/^The upload brought 65535 bytes in 30 s/);
  });

  it('keeps an upload at the pace going window after window, counting each window afresh', () => {
    const { clock, pace } = paceAt();
    for (let window = 0; window < 5; window++) {
      clock.now += 15_000;
      pace.received(MIN_BODY_BYTES_PER_WINDOW / 2);
      clock.now += 15_000;
      pace.received(MIN_BODY_BYTES_PER_WINDOW / 2);
    }
    // Bytes of a window that went well do not carry into the next one.
    clock.now += 29_000;
    pace.received(1);
    clock.now += 1000;
    expect(() => pace.waitEnded()).toThrow(/brought 1 bytes/);
  });
});

describe('the pace of a PUT body while the node writes', () => {
  it('does not count the time the node spent writing against the client', () => {
    const { clock, pace } = paceAt();
    clock.now += 10_000;
    pace.received(MIN_BODY_BYTES_PER_WINDOW);
    // The disk took 40 s for that write: longer than the window and the silence limit together would allow.
    clock.now += 40_000;
    pace.excuse(40_000);
    expect(pace.waitMs).toBe(20_000);
    clock.now += 19_000;
    expect(() => pace.waitEnded()).not.toThrow();
    clock.now += 1000;
    // Now the window (10 s + 40 s excused + 20 s) has ended, with enough bytes: a new one begins.
    pace.waitEnded();
    expect(pace.waitMs).toBe(10_000);
  });
});
