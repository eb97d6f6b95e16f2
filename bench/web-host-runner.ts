import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { benchScript } from './bench-script.js';
import type { WebHostReady } from './web-host-child.js';

/** The browser host running in its own process. */
export interface RunningWebHost extends WebHostReady {
  readonly pid: number;
  /** Everything it wrote to stderr lately (for failures). */
  stderr(): string;
  /** Ends it: stdin closes (it shuts down gracefully), and it is killed if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** Starts `web-host-child` on the cluster of `dfcConf` and resolves once it serves. */
export async function launchWebHost(dfcConf: string, dataDir: string): Promise<RunningWebHost> {
  const { execArgv, script } = benchScript('web-host-child');
  const child: ChildProcess = spawn(process.execPath, [...execArgv, script, dfcConf, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8000)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await new Promise<WebHostReady>((resolve, reject) => {
      let stdout = '';
      child.once('error', reject);
      void exited.then(([code, signal]) => reject(new Error(`The web host exited before serving (${signal ?? `exit code ${code}`}): ${stderr.trim() || 'no error output'}`)));
      child.stdout!.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as WebHostReady);
      });
    });
    return { ...ready, pid: child.pid!, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
