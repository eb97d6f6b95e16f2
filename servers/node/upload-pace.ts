import { formatDuration, noAnswerWithin } from '../protocol/framed-connection.js';
import { ProtocolError } from '../protocol/errors.js';

/** Body bytes a PUT must bring in every window (the request timeout), or the node gives it up. */
export const MIN_BODY_BYTES_PER_WINDOW = 64 * 1024;

/**
 * Holds a PUT body to a minimum pace. A timeout per frame alone lets a client keep a temp file open
 * for ever by sending a byte just before each timeout; here every window of `windowMs` must also bring
 * `minBytes` (about 2 KiB/s for the defaults, far below any real link), and silence for `windowMs`
 * still ends the upload as before. The receiver waits at most `waitMs`, calls `received` for each part
 * and `waitEnded` when a wait runs out.
 */
export class UploadPace {
  private windowEnd: number;
  private lastArrival: number;
  private bytes = 0;

  constructor(
    private readonly windowMs: number,
    /** A monotonic clock: a wall clock set back or forward must neither stretch nor end an upload. */
    private readonly now: () => number = () => performance.now(),
    private readonly minBytes = MIN_BODY_BYTES_PER_WINDOW,
  ) {
    this.lastArrival = now();
    this.windowEnd = this.lastArrival + windowMs;
  }

  /** How long the next receive may wait: until the window ends, or the silence limit is reached. */
  get waitMs(): number {
    return Math.max(1, Math.min(this.windowEnd, this.lastArrival + this.windowMs) - this.now());
  }

  /** Counts body bytes that arrived; throws TIMEOUT if a window has passed with too few. */
  received(bytes: number): void {
    this.bytes += bytes;
    this.lastArrival = this.now();
    if (this.lastArrival >= this.windowEnd) this.nextWindow();
  }

  /**
   * Time the node spent on its own work (writing what arrived to disk) counts against neither limit: the
   * client could not be heard meanwhile, and a slow disk must not end an upload that keeps pace.
   */
  excuse(ms: number): void {
    this.windowEnd += ms;
    this.lastArrival += ms;
  }

  /** A wait ran out: throws TIMEOUT after `windowMs` of silence, or at a window's end that brought too few bytes. */
  waitEnded(): void {
    if (this.now() - this.lastArrival >= this.windowMs) throw noAnswerWithin(this.windowMs);
    if (this.now() >= this.windowEnd) this.nextWindow();
  }

  private nextWindow(): void {
    if (this.bytes < this.minBytes) {
      const window = formatDuration(this.windowMs);
      throw new ProtocolError('TIMEOUT', `The upload brought ${this.bytes} bytes in ${window}; a node gives up on one slower than ${this.minBytes / 1024} KiB per ${window}.`);
    }
    this.bytes = 0;
    this.windowEnd = this.now() + this.windowMs;
  }
}
