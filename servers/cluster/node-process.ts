import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How to start the node program: a Node binary plus arguments that load servers/node/main. */
export interface NodeProgram {
  execPath: string;
  execArgv: string[];
  script: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The node entry point next to this module. Run from compiled JavaScript it is main.js; run from
 * TypeScript sources (tests, tsx) it is main.ts loaded through tsx.
 */
export function defaultNodeProgram(execPath = process.execPath, env: NodeJS.ProcessEnv = process.env): NodeProgram {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`../node/main.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { execPath, execArgv: fromSource ? ['--import', 'tsx'] : [], script, env };
}

/** What a node process is told to do. */
export interface NodeProcessSpec {
  name: string;
  root: string;
  host: string;
  port: number;
  usersFile: string;
}

/** One storage node running as a child process; it can be stopped, killed and started again. */
export class NodeProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopRequested = false;
  /** The port it listens on (known once started; fixed across restarts). */
  port: number;
  /** Called when the process ends by itself (a crash), with its exit code or signal. */
  onExit: ((how: string) => void) | undefined;

  constructor(
    readonly spec: NodeProcessSpec,
    private readonly program: NodeProgram,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.port = spec.port;
  }

  /** True while the child process is alive. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** True once the node listens, until its process ends. */
  get listening(): boolean {
    return this.child !== undefined && this.ready;
  }

  private ready = false;

  /** The child's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and resolves once it listens; rejects with its error output if it dies first. */
  async start(timeoutMs = 15_000): Promise<void> {
    if (this.child) return;
    const { spec, program } = this;
    const args = [...program.execArgv, program.script, '--root', spec.root, '--port', String(this.port), '--host', spec.host, '--users', spec.usersFile, '--name', spec.name, '--stop-with-stdin'];
    // The node stops when this pipe closes, so it never outlives a launcher that was killed.
    const child = spawn(program.execPath, args, { env: program.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.ready = false;
    this.stopRequested = false;
    let started = false;
    let stderr = '';
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        // A node that dies while starting is reported by start() itself, not as a crash.
        if (started && !this.stopRequested) this.onExit?.(signal ?? `exit code ${code}`);
        resolve();
      });
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) this.log(line);
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(`${spec.name} did not start within ${timeoutMs / 1000} s.`), timeoutMs);
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(why));
      };
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (text: string) => {
        out += text;
        const match = /listening on (\S+):(\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          this.port = Number(match[2]);
          started = true;
          this.ready = true;
          resolve();
        }
      });
      child.once('exit', () => fail(`${spec.name} could not start: ${(stderr.trim().split('\n').at(-1) ?? 'no output').replace(/^dfs-vault node: /, '')}`));
      child.once('error', (error) => fail(`Cannot start ${spec.name}: ${error.message}`));
    });
  }

  /** Asks the node to shut down gracefully (SIGTERM) and waits; SIGKILL after `graceMs`. */
  async stop(graceMs = 8_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopRequested = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once, as a crash would (SIGKILL). */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }
}
