// One round of the browser-host section: streamed PUT, streamed GET and the chunked uploads.write path, each
// timed from the bench process while the host process's memory and CPU are read from /proc.
import { cpuSecondsOf } from './proc-cpu.js';
import { watchMemory } from './proc-memory.js';
import { settleDisk } from './settle-disk.js';
import { type HostAddress, chunkedUpload, downloadOverHttp, hashOverHttp, putOverHttp } from './web-client.js';
import type { WebMeasured, WebOperation } from './web-report.js';

/** Vault paths the section writes (apart from the client section's file). */
const WEB_PATH = 'bench-web.bin';
const CHUNKED_PATH = 'bench-web-chunked.bin';

/** What one round needs: the host, the input and its hash, where to download, and the nodes (for their CPU). */
export interface WebRoundContext {
  host: HostAddress & { pid: number };
  nodePids: readonly (number | undefined)[];
  input: string;
  expected: { sha256: string; size: number };
  output: string;
  chunkedSize: number;
  /** Clears the way for a download (deletes the previous output, so every download finds the same page cache). */
  beforeDownload(): Promise<void>;
  /** Fails loudly unless `path` holds the input's bytes. */
  verify(path: string, what: string): Promise<void>;
  say(line: string): void;
}

async function measureHost(context: WebRoundContext, bytes: number, run: () => Promise<unknown>): Promise<WebMeasured> {
  await settleDisk();
  const { host, nodePids } = context;
  const hostBefore = await cpuSecondsOf([host.pid]);
  const serversBefore = await cpuSecondsOf(nodePids);
  const watch = await watchMemory(host.pid);
  const senderBefore = process.cpuUsage();
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    await watch.stop();
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  const sender = process.cpuUsage(senderBefore);
  const memory = await watch.stop();
  const hostAfter = await cpuSecondsOf([host.pid]);
  const serversAfter = await cpuSecondsOf(nodePids);
  const spent = (before: number | undefined, after: number | undefined): number | undefined => (before === undefined || after === undefined ? undefined : after - before);
  return { bytes, seconds, memory, hostCpuSeconds: spent(hostBefore, hostAfter), serverCpuSeconds: spent(serversBefore, serversAfter), senderCpuSeconds: (sender.user + sender.system) / 1e6 };
}

/** Runs web PUT, web GET (verified) and uploads.write (verified through a GET), returning each one's measurement. */
export async function runWebRound(context: WebRoundContext): Promise<Record<WebOperation, WebMeasured>> {
  const { host, input, expected, output, chunkedSize, say } = context;
  const show = (label: string, r: WebMeasured): void =>
    say(
      `  ${label.padEnd(13)} ${r.seconds.toFixed(2).padStart(7)} s  ${(r.bytes / 2 ** 20 / r.seconds).toFixed(1).padStart(7)} MiB/s  ` +
        `host RSS ${Math.round(r.memory.startKiB / 1024)} → peak ${Math.round(r.memory.peakKiB / 1024)} MiB  ` +
        `CPU s host ${r.hostCpuSeconds?.toFixed(2) ?? '?'} servers ${r.serverCpuSeconds?.toFixed(2) ?? '?'} bench ${r.senderCpuSeconds.toFixed(2)}`,
    );

  const webPut = await measureHost(context, expected.size, () => putOverHttp(host, input, WEB_PATH));
  show('web PUT', webPut);

  await context.beforeDownload();
  const webGet = await measureHost(context, expected.size, async () => {
    const received = await downloadOverHttp(host, WEB_PATH, output);
    if (received !== expected.size) throw new Error(`web GET received ${received} bytes; expected ${expected.size}.`);
  });
  show('web GET', webGet);
  await context.verify(output, 'The web GET');

  let sent = '';
  const webChunked = await measureHost(context, chunkedSize, async () => void (sent = await chunkedUpload(host, input, chunkedSize, CHUNKED_PATH)));
  show('uploads.write', webChunked);
  const stored = await hashOverHttp(host, CHUNKED_PATH);
  if (stored.size !== chunkedSize || stored.sha256 !== sent) {
    throw new Error(`The chunked upload stored a wrong file: ${stored.size} bytes, sha256 ${stored.sha256}; expected ${chunkedSize} bytes, sha256 ${sent}.`);
  }
  return { webPut, webGet, webChunked };
}
