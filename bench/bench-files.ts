import { createHash, randomFill } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const fillRandom = promisify(randomFill);
const CHUNK_BYTES = 4 * 1024 * 1024;

/** Writes `size` random bytes to `path` in 4 MiB chunks, fsyncs it, and returns its SHA-256 (hex). */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size));
  const handle = await open(path, 'w', 0o600);
  try {
    for (let position = 0; position < size; ) {
      const chunk = buffer.subarray(0, Math.min(buffer.length, size - position));
      await fillRandom(chunk);
      hash.update(chunk);
      for (let at = 0; at < chunk.length; ) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at, position + at);
        at += bytesWritten;
      }
      position += chunk.length;
    }
    // Flushed now, so its write-back cannot land inside a measured operation.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** The SHA-256 (hex) of a file, read as a stream in 1 MiB chunks. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Fails loudly unless `path` holds exactly the expected bytes. */
export async function verifyFile(path: string, expected: { sha256: string; size: number }, what: string): Promise<void> {
  const actual = await hashFile(path);
  if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
    throw new Error(`${what} produced a wrong file: ${actual.size} bytes, sha256 ${actual.sha256}; expected ${expected.size} bytes, sha256 ${expected.sha256}.`);
  }
}
