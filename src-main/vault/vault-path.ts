import { VaultError } from '../shared/errors.js';

const MAX_PATH_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

/**
 * Normalizes a path inside the vault ("trips//2026/" → "trips/2026") and rejects what cannot be
 * a name: empty, `.` or `..` segments, NUL and other control characters, over-long names.
 * Names are Unicode NFC, so "Grüße" typed on Linux and read from a macOS disk (NFD) are one name,
 * and one object id: nodes see only a keyed hash of the path, so two spellings would be two files.
 */
export function normalizeVaultPath(input: string, options: { allowRoot?: boolean } = {}): string {
  const trimmed = input.normalize('NFC').replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') {
    if (options.allowRoot) return '';
    throw new VaultError('INVALID_PATH', 'A vault path cannot be empty. Give a name such as "report.pdf" or "trips/2026/photo.jpg".');
  }
  const segments = trimmed.split(/\/+/);
  for (const segment of segments) {
    if (segment === '.' || segment === '..') {
      throw new VaultError('INVALID_PATH', `"${input}" contains "${segment}"; vault paths cannot step out of a folder. Use a plain name.`);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(segment)) {
      throw new VaultError('INVALID_PATH', `${JSON.stringify(input)} contains a control character (such as NUL or a newline); rename it.`);
    }
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
      throw new VaultError('INVALID_PATH', `The name "${segment.slice(0, 40)}…" is longer than ${MAX_SEGMENT_BYTES} bytes; shorten it.`);
    }
  }
  const path = segments.join('/');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw new VaultError('INVALID_PATH', `The path is longer than ${MAX_PATH_BYTES} bytes; use shorter folder names.`);
  }
  return path;
}

/** The folder part of a path ("" for top-level names). */
export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** The last segment of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
