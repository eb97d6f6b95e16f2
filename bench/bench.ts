// `npm run bench`: vault PUT and GET throughput against a raw TCP-to-disk baseline, client peak RSS
// and GET traffic, on a random file of --size bytes. See bench-options.ts for the flags.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type LocalCluster, launchCluster } from '../servers/cluster/local-cluster.js';
import { hashFile, writeRandomFile } from './bench-files.js';
import { BENCH_USAGE, type BenchOptions, parseBenchOptions } from './bench-options.js';
import { type BenchResults, formatSize, judge, renderReport } from './bench-report.js';
import type { MeasuredResult, Operation } from './bench-stats.js';
import { killClients, runClient } from './child-runner.js';
import type { ClientResult } from './client-result.js';
import { cpuSecondsOf } from './proc-cpu.js';
import { RAW_SINKS } from './raw-layout.js';
import { type RawSinks, launchSinks } from './raw-sinks.js';
import { settleDisk } from './settle-disk.js';

const NODES = 4;
const VAULT_PATH = 'bench-input.bin';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** What must be stopped and removed however the run ends. */
interface Resources {
  work?: string;
  cluster?: LocalCluster;
  sinks?: RawSinks;
}

async function cleanUp(resources: Resources): Promise<void> {
  killClients();
  await Promise.allSettled([resources.cluster?.stop(), resources.sinks?.stop()]);
  if (resources.work) await rm(resources.work, { recursive: true, force: true });
}

/** Fails loudly unless `path` holds exactly the input's bytes. */
async function verifyOutput(path: string, expected: { sha256: string; size: number }, what: string): Promise<void> {
  const actual = await hashFile(path);
  if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
    throw new Error(`${what} produced a wrong file: ${actual.size} bytes, sha256 ${actual.sha256}; expected ${expected.size} bytes, sha256 ${expected.sha256}.`);
  }
}

async function measure(options: BenchOptions, resources: Resources): Promise<BenchResults> {
  const parent = resolve(options.dir ?? tmpdir());
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(join(parent, 'dfs-vault-bench-'));
  resources.work = work;
  const input = join(work, 'input.bin');
  const output = join(work, 'output.bin');
  const { size } = options;

  say(`work folder ${work}`);
  say(`writing ${formatSize(size)} of random bytes…`);
  const expected = { sha256: await writeRandomFile(input, size), size };
  // Each download starts right after the previous download's output is deleted (this ballast before
  // the first), so raw and vault downloads find the same memory state (freed page cache to reuse).
  const ballast = join(work, 'ballast.bin');
  await writeRandomFile(ballast, size);

  say(`starting ${NODES} storage nodes and ${RAW_SINKS} raw sinks…`);
  const user = { name: 'bench', password: randomBytes(12).toString('hex') };
  resources.cluster = await launchCluster({ dir: join(work, 'vault'), nodes: NODES, basePort: 0, users: [user], log: (line) => say(`node: ${line}`) });
  resources.sinks = await launchSinks(join(work, 'raw'), RAW_SINKS);
  const conf = resources.cluster.dfcConfPath;
  const ports = resources.sinks.ports.join(',');
  const profile = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(options.cpuProfDir)] : [];

  const nodePids = resources.cluster.nodes.map((n) => n.pid);
  const sinkPids = resources.sinks.pids;
  const rounds: Record<Operation, MeasuredResult[]> = { rawUpload: [], vaultPut: [], rawDownload: [], vaultGet: [] };
  let previousOutput = ballast;
  const step = async (op: Operation, label: string, servers: readonly (number | undefined)[], run: () => Promise<ClientResult>): Promise<void> => {
    if (op === 'rawDownload' || op === 'vaultGet') {
      await rm(previousOutput, { force: true });
      previousOutput = output;
    }
    await settleDisk();
    const cpuBefore = await cpuSecondsOf(servers);
    const result = await run();
    const cpuAfter = await cpuSecondsOf(servers);
    const serverCpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    rounds[op].push({ ...result, serverCpuSeconds });
    say(
      `  ${label.padEnd(13)} ${result.seconds.toFixed(2).padStart(7)} s  ${(size / 2 ** 20 / result.seconds).toFixed(1).padStart(7)} MiB/s  ` +
        `RSS ${Math.round(result.maxRSS / 1024)} MiB  CPU s client ${result.cpuSeconds.toFixed(2)} servers ${serverCpuSeconds?.toFixed(2) ?? '?'}`,
    );
  };
  for (let round = 1; round <= options.runs; round++) {
    say(`round ${round} of ${options.runs}`);
    await step('rawUpload', 'raw upload', sinkPids, () => runClient('raw-client', ['upload', input, ports]));
    await step('vaultPut', 'vault PUT', nodePids, () => runClient('vault-client', ['put', conf, input, VAULT_PATH], profile));
    await step('rawDownload', 'raw download', sinkPids, () => runClient('raw-client', ['download', output, String(size), ports]));
    await verifyOutput(output, expected, 'The raw download');
    await step('vaultGet', 'vault GET', nodePids, () => runClient('vault-client', ['get', conf, VAULT_PATH, output], profile));
    await verifyOutput(output, expected, 'The vault GET');
  }
  return { size, nodes: NODES, cores: availableParallelism(), dir: work, rounds };
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
    const results = await measure(options, resources);
    const verdict = judge(results);
    process.stdout.write(`\n${renderReport(results, verdict, options.runs)}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...results, runs: options.runs, ...verdict }, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!stopping) say(`bench: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanUp(resources);
  }
}

process.exitCode = await main();
