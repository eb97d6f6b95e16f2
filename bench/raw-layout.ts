/** Bytes per stripe the raw baseline reads and cuts into parts (the vault's default stripe). */
export const RAW_STRIPE_BYTES = 1024 * 1024;

/** Number of sinks (and TCP connections) of the raw baseline. */
export const RAW_SINKS = 4;

/** Command byte asking a sink to store what follows until the client half-closes. */
export const UPLOAD_COMMAND = 0x55; // 'U'

/** Command byte asking a sink to send its stored part back (u64 length, then the bytes). */
export const DOWNLOAD_COMMAND = 0x44; // 'D'

/** Byte a sink sends once an upload is on disk and fsynced. */
export const ACK_BYTE = 0x4b; // 'K'

/** Lengths of the `parts` equal parts of a `stripeBytes`-byte stripe (the last ones shorter if it does not divide). */
export function partLengths(stripeBytes: number, parts = RAW_SINKS): number[] {
  const each = Math.ceil(stripeBytes / parts);
  return Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(each, stripeBytes - i * each)));
}
