import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Something that fills buffers with the next bytes of a body; 0 means the end. */
export interface ByteSource {
  read(target: Buffer): Promise<number>;
}

/** Reads a file sequentially; each call fills the target unless the file ends. */
export function fileSource(handle: FileHandle): ByteSource {
  let position = 0;
  return {
    async read(target) {
      let filled = 0;
      while (filled < target.length) {
        const { bytesRead } = await handle.read(target, filled, target.length - filled, position);
        if (bytesRead === 0) break;
        filled += bytesRead;
        position += bytesRead;
      }
      return filled;
    },
  };
}

/** Reads a Node stream (an HTTP request body, say), pulling only as fast as buffers are asked for. */
export function streamSource(stream: Readable): ByteSource {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let leftover: Buffer | undefined;
  return {
    async read(target) {
      let filled = 0;
      while (filled < target.length) {
        if (!leftover || leftover.length === 0) {
          const next = await iterator.next();
          if (next.done) break;
          leftover = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        }
        const take = Math.min(leftover.length, target.length - filled);
        leftover.copy(target, filled, 0, take);
        leftover = leftover.subarray(take);
        filled += take;
      }
      return filled;
    },
  };
}
