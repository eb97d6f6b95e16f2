// The raw baseline's client, run as its own process:
//   upload   FILE PORTS       stripes FILE over the sinks (part i of each 1 MiB stripe to sink i)
//   download OUT SIZE PORTS  fetches the parts back and writes the file in order to OUT, fsynced
// PORTS is a comma-separated list. Prints one ClientResult JSON line.
import { once } from 'node:events';
import { type FileHandle, open } from 'node:fs/promises';
import { type Socket, connect } from 'node:net';
import { printClientResult, readClock, resetPeakRssHere, runClientMain, startClock } from './client-result.js';
import { ACK_BYTE, DOWNLOAD_COMMAND, RAW_STRIPE_BYTES, UPLOAD_COMMAND, partLengths } from './raw-layout.js';
import { SocketReader } from './socket-reader.js';
import { BackgroundFlusher } from '../servers/node/background-flusher.js';

/** Opens one loopback connection per port, each with a reader. */
async function connectAll(ports: number[]): Promise<{ sockets: Socket[]; readers: SocketReader[] }> {
  const sockets = await Promise.all(
    ports.map(async (port) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      await once(socket, 'connect');
      return socket;
    }),
  );
  return { sockets, readers: sockets.map((s) => new SocketReader(s)) };
}

/** Fills `target` from `position`; fails if the file ends first. */
async function readFully(handle: FileHandle, target: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < target.length; ) {
    const { bytesRead } = await handle.read(target, filled, target.length - filled, position + filled);
    if (bytesRead === 0) throw new Error('The input file ended early.');
    filled += bytesRead;
  }
}

async function upload(file: string, ports: number[]): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const peakWasReset = await resetPeakRssHere();
    const clock = startClock();
    const { sockets, readers } = await connectAll(ports);
    for (const socket of sockets) socket.write(Buffer.from([UPLOAD_COMMAND]));
    for (let position = 0; position < size; position += RAW_STRIPE_BYTES) {
      const stripe = Buffer.allocUnsafe(Math.min(RAW_STRIPE_BYTES, size - position));
      await readFully(handle, stripe, position);
      const drains: Promise<unknown>[] = [];
      let at = 0;
      partLengths(stripe.length, sockets.length).forEach((length, i) => {
        const socket = sockets[i]!;
        if (length > 0 && !socket.write(stripe.subarray(at, at + length))) drains.push(once(socket, 'drain'));
        at += length;
      });
      await Promise.all(drains);
    }
    for (const socket of sockets) socket.end();
    await Promise.all(
      readers.map(async (reader) => {
        const [ack] = await reader.readExactly(1);
        if (ack?.[0] !== ACK_BYTE) throw new Error('A sink answered something other than its acknowledgement.');
        await reader.expectEnd();
      }),
    );
    await reportAndClose(clock, sockets, peakWasReset);
  } finally {
    await handle.close();
  }
}

async function download(out: string, size: number, ports: number[]): Promise<void> {
  const handle = await open(out, 'w', 0o600);
  try {
    const peakWasReset = await resetPeakRssHere();
    const clock = startClock();
    const { sockets, readers } = await connectAll(ports);
    for (const socket of sockets) socket.end(Buffer.from([DOWNLOAD_COMMAND]));
    // Each sink first says how many bytes its part holds; together they must make the file.
    const announced = await Promise.all(readers.map(async (r) => Buffer.concat(await r.readExactly(8)).readBigUInt64BE()));
    const total = announced.reduce((sum, n) => sum + Number(n), 0);
    if (total !== size) throw new Error(`The sinks hold ${total} bytes, expected ${size}.`);
    // The same durability technique as the vault's download: flush in the background, fsync at the end.
    const flusher = new BackgroundFlusher(handle);
    let writing: Promise<unknown> = Promise.resolve();
    for (let position = 0; position < size; position += RAW_STRIPE_BYTES) {
      const lengths = partLengths(Math.min(RAW_STRIPE_BYTES, size - position), readers.length);
      const parts = await Promise.all(readers.map((reader, i) => reader.readExactly(lengths[i]!)));
      // Overlap the disk write of this stripe with the network read of the next, as the vault does.
      await writing;
      writing = handle.writev(parts.flat(), position).then(({ bytesWritten }) => flusher.wrote(bytesWritten));
      // Awaited on the next turn; the no-op handler keeps a failed write from counting as unhandled meanwhile.
      writing.catch(() => undefined);
    }
    await writing;
    await Promise.all(readers.map((r) => r.expectEnd()));
    await flusher.settle();
    await handle.sync();
    await reportAndClose(clock, sockets, peakWasReset);
  } finally {
    await handle.close();
  }
}

/** Prints the measured result (time, CPU, bytes received, peak RSS) and closes the connections. */
async function reportAndClose(clock: ReturnType<typeof startClock>, sockets: Socket[], peakWasReset: boolean): Promise<void> {
  const measured = readClock(clock);
  const bytesReceived = sockets.reduce((sum, s) => sum + s.bytesRead, 0);
  for (const socket of sockets) socket.destroy();
  await printClientResult({ ...measured, bytesReceived }, peakWasReset);
}

function parsePorts(text: string | undefined): number[] {
  const ports = (text ?? '').split(',').map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new Error(`Bad port list "${text}".`);
  return ports;
}

runClientMain(async () => {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'upload') await upload(args[0]!, parsePorts(args[1]));
  else if (command === 'download') await download(args[0]!, Number(args[1]), parsePorts(args[2]));
  else throw new Error('Usage: raw-client upload FILE PORTS | download OUT SIZE PORTS');
});
