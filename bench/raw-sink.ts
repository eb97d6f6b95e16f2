// One sink process of the raw baseline: stores what a client streams to it in a file of its own
// folder (fsynced before it acknowledges) and streams that file back on request.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ACK_BYTE, DOWNLOAD_COMMAND, UPLOAD_COMMAND } from './raw-layout.js';
import { BackgroundFlusher } from '../servers/node/background-flusher.js';

/** Received bytes waiting for the disk above which the socket is paused. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const PART_FILE = 'part.bin';

/** Writes everything the client sends (after the command byte) to a temp file, fsyncs, renames, acks. */
function receiveUpload(socket: Socket, dir: string, first: Buffer): void {
  const queue: Buffer[] = first.length > 0 ? [first] : [];
  let queued = first.length;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  socket.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= HIGH_WATER_BYTES) socket.pause();
    notify();
  });
  socket.on('end', () => {
    ended = true;
    notify();
  });
  const temp = join(dir, `.part-${randomBytes(4).toString('hex')}`);
  void (async () => {
    const handle = await open(temp, 'w', 0o600);
    // The same durability technique as the storage node: flush in the background, fsync at the end.
    const flusher = new BackgroundFlusher(handle);
    try {
      let position = 0;
      for (;;) {
        if (queue.length === 0) {
          if (ended) break;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const batch = queue.splice(0);
        queued = 0;
        // Keep receiving while the disk write runs, as the storage node does.
        if (socket.isPaused()) socket.resume();
        const { bytesWritten } = await handle.writev(batch, position);
        const expected = batch.reduce((sum, b) => sum + b.length, 0);
        if (bytesWritten !== expected) throw new Error(`Short write: ${bytesWritten} of ${expected} bytes.`);
        position += bytesWritten;
        flusher.wrote(bytesWritten);
      }
      await flusher.settle();
      await handle.sync();
    } finally {
      await flusher.settle();
      await handle.close();
    }
    await rename(temp, join(dir, PART_FILE));
    socket.end(Buffer.from([ACK_BYTE]));
  })().catch(async (error: unknown) => {
    process.stderr.write(`raw sink: upload failed: ${error instanceof Error ? error.message : String(error)}\n`);
    socket.destroy();
    await rm(temp, { force: true });
  });
}

/** Sends the stored part: its length as a u64, then its bytes, then ends the connection. */
async function sendDownload(socket: Socket, dir: string): Promise<void> {
  const handle = await open(join(dir, PART_FILE), 'r');
  const size = (await handle.stat()).size;
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(size));
  socket.write(header);
  await pipeline(handle.createReadStream({ highWaterMark: 1024 * 1024 }), socket);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { dir: { type: 'string' } }, strict: true });
  if (!values.dir) throw new Error('raw-sink needs --dir');
  const dir = values.dir;
  await mkdir(dir, { recursive: true });
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      const command = chunk[0];
      if (command === UPLOAD_COMMAND) receiveUpload(socket, dir, chunk.subarray(1));
      else if (command === DOWNLOAD_COMMAND) {
        sendDownload(socket, dir).catch((error: unknown) => {
          process.stderr.write(`raw sink: download failed: ${error instanceof Error ? error.message : String(error)}\n`);
          socket.destroy();
        });
      } else socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('raw-sink has no TCP address');
  process.stdout.write(`listening on 127.0.0.1:${address.port}\n`);
  const stop = (): void => {
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The bench holds our stdin open; when it goes away, so do we.
  process.stdin.on('end', stop).on('error', stop).resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`raw sink: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
