import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchScript } from './bench-script.js';

/** The running sink processes of the raw baseline. */
export interface RawSinks {
  readonly ports: number[];
  /** Process ids of the sinks. */
  readonly pids: (number | undefined)[];
  /** Stops every sink and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts one sink process and resolves with its port once it listens. */
function startSink(dir: string, children: ChildProcess[]): Promise<number> {
  const { execArgv, script } = benchScript('raw-sink');
  // stdin stays open as a lifeline: the sink exits when it closes, even if the bench dies abruptly.
  const child = spawn(process.execPath, [...execArgv, script, '--dir', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
    process.stderr.write(text);
  });
  return new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = /listening on \S+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`A raw sink stopped while starting (exit code ${code}): ${stderr.trim()}`)));
  });
}

/** Starts `count` sinks, each storing into `<dir>/SINK<i>`. */
export async function launchSinks(dir: string, count: number): Promise<RawSinks> {
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  try {
    const ports = await Promise.all(Array.from({ length: count }, (_, i) => startSink(join(dir, `SINK${i + 1}`), children)));
    return { ports, pids: children.map((c) => c.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
