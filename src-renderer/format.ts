/** Human-readable numbers for the UI: sizes in binary units, speeds, durations and dates. No DOM. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Bytes as "512 B", "1.5 MiB", "120 GiB": one decimal below 100 units, none above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let text = value < 100 ? value.toFixed(1) : value.toFixed(0);
  // 1023.96 KiB rounds to "1024.0 KiB"; show the next unit instead.
  if (Number(text) >= 1024 && unit < UNITS.length - 1) {
    unit += 1;
    text = '1.0';
  }
  return `${text} ${UNITS[unit]}`;
}

/** Bytes per second as "2.4 MiB/s"; "—" when there is no rate yet. */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds as "45 s", "3 min 5 s", "2 h 10 min"; "—" when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    const rest = whole % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
}

/** "1.5 MiB / 3.0 MiB". */
export function formatProgress(done: number, size: number): string {
  return `${formatBytes(done)} / ${formatBytes(size)}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO 8601 time in the user's locale ("12 Mar 2026, 14:05"); "—" for a missing or invalid time. */
export function formatModified(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '—' : dateFormat.format(time);
}

/** Milliseconds as "3 ms" ("<1 ms" below one). */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1 ? '<1 ms' : `${Math.round(ms)} ms`;
}

/** How many items the folder holds, or, while a filter hides some, how many of them show: "3 of 10 items". */
export function formatItemCount(shown: number, total: number): string {
  const items = total === 1 ? 'item' : 'items';
  return shown === total ? `${total} ${items}` : `${shown} of ${total} ${items}`;
}
