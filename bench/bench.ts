// `npm run bench`: vault PUT and GET throughput against a raw TCP-to-disk baseline, client peak RSS
// and GET traffic, on a random file of --size bytes; then the browser host (`dfs-vault web`) in its own
// process: streamed PUT and GET over HTTP and the chunked uploads.write path, with the host's peak RSS.
// See bench-options.ts for the flags.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type LocalCluster, launchCluster } from '../servers/cluster/local-cluster.js';
import { crc32Implementation } from '../src-main/vault/crc32.js';
import { regionKernelsImplementation } from '../src-main/vault/erasure/region-kernels.js';
import { stripeSealing } from '../src-main/vault/crypto/stripe-seal.js';
import { verifyFile, writeRandomFile } from './bench-files.js';
import { BENCH_USAGE, type BenchOptions, parseBenchOptions } from './bench-options.js';
import { type BenchResults, formatSize, judge, renderReport } from './bench-report.js';
import type { MeasuredResult, Operation } from './bench-stats.js';
import { killClients, runClient } from './child-runner.js';
import type { ClientResult } from './client-result.js';
import { cpuSecondsOf } from './proc-cpu.js';
import { memoryOf } from './proc-memory.js';
import { RAW_SINKS } from './raw-layout.js';
import { type RawSinks, launchSinks } from './raw-sinks.js';
import { settleDisk } from './settle-disk.js';
import { runWebRound } from './web-bench.js';
import { CHUNK_BYTES, listenToEvents } from './web-client.js';
import { type RunningWebHost, launchWebHost } from './web-host-runner.js';
import { type WebMeasured, type WebOperation, type WebResults, judgeWeb, renderWebReport } from './web-report.js';

const NODES = 4;
const VAULT_PATH = 'bench-input.bin';
// The unencrypted client's copy: its own path, since the encrypted client cannot open it.
const UNENCRYPTED_PATH = 'bench-input-unencrypted.bin';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** What must be stopped and removed however the run ends. */
interface Resources {
  work?: string;
  cluster?: LocalCluster;
  sinks?: RawSinks;
  webHost?: RunningWebHost;
}

async function cleanUp(resources: Resources): Promise<void> {
  killClients();
  // The host first: it holds connections to the nodes.
  await resources.webHost?.stop();
  await Promise.allSettled([resources.cluster?.stop(), resources.sinks?.stop()]);
  if (resources.work) await rm(resources.work, { recursive: true, force: true });
}

/** What the sections that ran measured. */
interface Measured {
  client?: BenchResults;
  web?: WebResults;
}

async function measure(options: BenchOptions, resources: Resources): Promise<Measured> {
  const parent = resolve(options.dir ?? tmpdir());
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(join(parent, 'dfs-vault-bench-'));
  resources.work = work;
  const input = join(work, 'input.bin');
  const output = join(work, 'output.bin');
  const { size } = options;
  const withClient = options.only !== 'web';
  const withWeb = options.only !== 'client';
  // A quarter of the size: the fallback is for dropped files without a path, and base64 over HTTP makes it slow.
  const chunkedSize = Math.ceil(size / 4);

  say(`work folder ${work}`);
  say(`writing ${formatSize(size)} of random bytes…`);
  const expected = { sha256: await writeRandomFile(input, size), size };
  // Each download starts right after the previous download's output is deleted (this ballast before
  // the first), so raw and vault downloads find the same memory state (freed page cache to reuse).
  const ballast = join(work, 'ballast.bin');
  await writeRandomFile(ballast, size);

  say(`starting ${NODES} storage nodes${withClient ? ` and ${RAW_SINKS} raw sinks` : ''}…`);
  const user = { name: 'bench', password: randomBytes(12).toString('hex') };
  resources.cluster = await launchCluster({ dir: join(work, 'vault'), nodes: NODES, basePort: 0, users: [user], log: (line) => say(`node: ${line}`) });
  if (withClient) resources.sinks = await launchSinks(join(work, 'raw'), RAW_SINKS);
  const conf = resources.cluster.dfcConfPath;
  const ports = resources.sinks?.ports.join(',') ?? '';
  const profile = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(options.cpuProfDir)] : [];

  let web: { host: RunningWebHost; idle: { rssKiB: number; fileKiB: number }; events: Awaited<ReturnType<typeof listenToEvents>> } | undefined;
  if (withWeb) {
    say('starting the browser host…');
    const host = (resources.webHost = await launchWebHost(conf, join(work, 'web-host')));
    const address = { base: `http://127.0.0.1:${host.port}`, token: host.token };
    const events = await listenToEvents(address);
    const idle = await memoryOf(host.pid);
    if (!idle) throw new Error(`Cannot read /proc/${host.pid}/status; the host's memory is measured from /proc (Linux only).`);
    web = { host, idle, events };
  }

  const nodePids = resources.cluster.nodes.map((n) => n.pid);
  const sinkPids = resources.sinks?.pids ?? [];
  const rounds: Record<Operation, MeasuredResult[]> = { rawUpload: [], vaultPut: [], unencryptedPut: [], rawDownload: [], vaultGet: [], unencryptedGet: [] };
  const webRounds: Record<WebOperation, WebMeasured[]> = { webPut: [], webGet: [], webChunked: [] };
  let previousOutput = ballast;
  const beforeDownload = async (): Promise<void> => {
    await rm(previousOutput, { force: true });
    previousOutput = output;
  };
  const step = async (op: Operation, label: string, servers: readonly (number | undefined)[], run: () => Promise<ClientResult>): Promise<void> => {
    if (op === 'rawDownload' || op === 'vaultGet' || op === 'unencryptedGet') await beforeDownload();
    await settleDisk();
    const cpuBefore = await cpuSecondsOf(servers);
    const result = await run();
    const cpuAfter = await cpuSecondsOf(servers);
    const serverCpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    rounds[op].push({ ...result, serverCpuSeconds });
    say(
      `  ${label.padEnd(21)} ${result.seconds.toFixed(2).padStart(7)} s  ${(size / 2 ** 20 / result.seconds).toFixed(1).padStart(7)} MiB/s  ` +
        `RSS ${Math.round(result.maxRSS / 1024)} MiB  CPU s client ${result.cpuSeconds.toFixed(2)} servers ${serverCpuSeconds?.toFixed(2) ?? '?'}`,
    );
  };
  const verify = (path: string, what: string): Promise<void> => verifyFile(path, expected, what);
  // Every client round first, then every browser-host round: without /proc a child's peak RSS (getrusage maxRSS)
  // starts from this process's RSS at fork, and playing the browser grows this process, which would inflate the
  // client figures. (With /proc each client reports VmHWM reset after its login: the transfer's own peak.)
  for (let round = 1; round <= options.runs && withClient; round++) {
    say(`round ${round} of ${options.runs} (vault client)`);
    await step('rawUpload', 'raw upload', sinkPids, () => runClient('raw-client', ['upload', input, ports]));
    // Encrypted and unencrypted alternate which goes first, so neither always finds the disk fresher.
    const pairs = (pair: Array<() => Promise<void>>): Array<() => Promise<void>> => (round % 2 === 1 ? pair : [...pair].reverse());
    for (const put of pairs([
      () => step('vaultPut', 'vault PUT', nodePids, () => runClient('vault-client', ['put', conf, input, VAULT_PATH], profile)),
      () => step('unencryptedPut', 'vault PUT unencrypted', nodePids, () => runClient('vault-client', ['put', conf, input, UNENCRYPTED_PATH, '--unencrypted'], profile)),
    ]))
      await put();
    await step('rawDownload', 'raw download', sinkPids, () => runClient('raw-client', ['download', output, String(size), ports]));
    await verify(output, 'The raw download');
    for (const get of pairs([
      async () => {
        await step('vaultGet', 'vault GET', nodePids, () => runClient('vault-client', ['get', conf, VAULT_PATH, output], profile));
        await verify(output, 'The vault GET');
      },
      async () => {
        await step('unencryptedGet', 'vault GET unencrypted', nodePids, () => runClient('vault-client', ['get', conf, UNENCRYPTED_PATH, output, '--unencrypted'], profile));
        await verify(output, 'The unencrypted vault GET');
      },
    ]))
      await get();
  }
  if (web) {
    const host = { base: `http://127.0.0.1:${web.host.port}`, token: web.host.token, pid: web.host.pid };
    for (let round = 1; round <= options.runs; round++) {
      say(`round ${round} of ${options.runs} (browser host)`);
      const measured = await runWebRound({ host, nodePids, input, expected, output, chunkedSize, beforeDownload, verify, say });
      for (const op of Object.keys(measured) as WebOperation[]) webRounds[op].push(measured[op]);
    }
  }
  const cores = availableParallelism();
  return {
    ...(withClient ? { client: { size, nodes: NODES, cores, dir: work, sealing: stripeSealing(), checks: crc32Implementation(), erasure: regionKernelsImplementation(), rounds } } : {}),
    ...(web ? { web: { size, chunkedSize, chunkBytes: CHUNK_BYTES, idleRssKiB: web.idle.rssKiB, idleFileKiB: web.idle.fileKiB, events: (await web.events.stop()).events, rounds: webRounds } } : {}),
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    say(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  // A closed pipe on our output (say `| head`) must not kill the bench before it cleans up.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const resources: Resources = {};
  let stopping = false;
  const interrupted = (signal: NodeJS.Signals): void => {
    stopping = true;
    say(`bench: ${signal}, cleaning up…`);
    void cleanUp(resources).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const { client, web } = await measure(options, resources);
    const verdict = client && judge(client);
    const webVerdict = web && judgeWeb(web);
    if (client && verdict) process.stdout.write(`\n${renderReport(client, verdict, options.runs)}\n`);
    if (web && webVerdict) {
      const speeds = verdict && { put: verdict.summary.vaultPut.medianMiBps, get: verdict.summary.vaultGet.medianMiBps };
      process.stdout.write(`\n${renderWebReport(web, webVerdict, options.runs, speeds)}\n`);
    }
    if (options.json) {
      const json = { size: options.size, cores: availableParallelism(), runs: options.runs, ...client, ...verdict, ...(web ? { web: { ...web, ...webVerdict } } : {}) };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    }
    return 0;
  } catch (error) {
    if (!stopping) say(`bench: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanUp(resources);
  }
}

process.exitCode = await main();
