import { parseArgs } from 'node:util';

/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  /** File size in bytes. */
  size: number;
  /** Measured rounds (raw upload, vault PUT, raw download, vault GET each). */
  runs: number;
  /** Folder under which a fresh work folder is made (default os.tmpdir()). */
  dir: string | undefined;
  /** Also print the results as JSON. */
  json: boolean;
  /** Folder for V8 CPU profiles of the vault client children, if profiling. */
  cpuProfDir: string | undefined;
  /** Run one section only: the vault client against raw, or the browser host. */
  only: BenchSection | undefined;
  help: boolean;
}

/** The bench's two sections. */
export const BENCH_SECTIONS = ['client', 'web'] as const;

/** One section: the vault client against the raw baseline, or the browser host (`dfs-vault web`). */
export type BenchSection = (typeof BENCH_SECTIONS)[number];

/** Rounds measured unless --runs says otherwise. */
export const DEFAULT_RUNS = 3;

/** Usage text of the benchmark. */
export const BENCH_USAGE = `Usage: npm run bench -- [--size 1GiB] [--runs N] [--only client|web] [--dir PATH] [--json] [--cpu-prof DIR]

Measures vault PUT and GET against a raw baseline (the same bytes over four loopback TCP
connections to four sink processes that write to disk and fsync), and against the same
client storing stripes unencrypted (the cost of encryption), in the same run. Then
measures the browser host (dfs-vault web, in its own process): a streamed PUT /api/upload
and GET /api/download of the same size, and the chunked uploads.write path for a quarter
of it, with the host's peak RSS.

Options:
  --size SIZE       file size: 256MiB, 1GiB, 100MB or plain bytes (default 1GiB; env BENCH_SIZE)
  --runs N          measured rounds, reporting the best and the median (default 3: one round
                    on a shared machine says little)
  --only SECTION    client (vault client vs raw) or web (browser host) only (default both)
  --dir PATH        make the work folder inside PATH (default the system temp folder); removed at the end
  --json            also print machine-readable results
  --cpu-prof DIR    write V8 CPU profiles of the vault client processes to DIR
  -h, --help        show this help`;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Parses a size such as `256MiB`, `1GiB`, `100MB`, `1.5 GiB` or `1048576` into whole bytes. */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(match?.[2] ?? '').toLowerCase() || 'b'];
  if (!match || unit === undefined) throw new Error(`Cannot read the size "${text}". Use e.g. 256MiB, 1GiB, 100MB or a byte count.`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new Error(`The size "${text}" must be at least 1 byte.`);
  return bytes;
}

/** Parses the command line (and BENCH_SIZE); throws with a readable message on bad input. */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      runs: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const runs = Number(values.runs ?? String(DEFAULT_RUNS));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got "${values.runs}".`);
  const only = values.only as BenchSection | undefined;
  if (only !== undefined && !BENCH_SECTIONS.includes(only)) throw new Error(`--only takes ${BENCH_SECTIONS.join(' or ')}, got "${values.only}".`);
  return {
    size: parseSize(values.size ?? env.BENCH_SIZE ?? '1GiB'),
    runs,
    dir: values.dir,
    json: values.json ?? false,
    cpuProfDir: values['cpu-prof'],
    only,
    help: values.help ?? false,
  };
}
