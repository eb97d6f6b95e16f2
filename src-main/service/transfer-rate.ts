/** A progress reading: bytes done at a moment (ms). */
export interface RateSample {
  at: number;
  done: number;
}

/** Window over which speed is averaged: long enough to be steady, short enough to follow changes. */
export const RATE_WINDOW_MS = 3000;

/** Adds a sample and drops those older than the window (keeping one before it as the baseline). */
export function addSample(samples: readonly RateSample[], sample: RateSample, windowMs = RATE_WINDOW_MS): RateSample[] {
  const next = [...samples, sample];
  while (next.length > 2 && next[1]!.at <= sample.at - windowMs) next.shift();
  return next;
}

/** Bytes per second across the samples; 0 until two samples span some time. */
export function rateOf(samples: readonly RateSample[]): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at <= first.at) return 0;
  return Math.max(0, ((last.done - first.done) * 1000) / (last.at - first.at));
}

/** Seconds until `size` at `rate`, or undefined when there is no rate to go by. */
export function secondsLeft(size: number, done: number, rate: number): number | undefined {
  if (rate <= 0) return undefined;
  return Math.max(0, (size - done) / rate);
}
