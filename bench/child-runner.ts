import { type ChildProcess, spawn } from 'node:child_process';
import { type BenchScript, benchScript } from './bench-script.js';
import { type ClientResult, parseClientResult } from './client-result.js';

const running = new Set<ChildProcess>();

/** Runs bench module `name` in a fresh Node process and returns the result line it prints. */
export async function runClient(name: string, args: string[], extraExecArgv: string[] = []): Promise<ClientResult> {
  const { execArgv, script }: BenchScript = benchScript(name);
  const child = spawn(process.execPath, [...execArgv, ...extraExecArgv, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8000)));
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => running.delete(child));
  if (outcome.code !== 0) {
    throw new Error(`${name} ${args[0] ?? ''} failed (${outcome.signal ?? `exit code ${outcome.code}`}): ${stderr.trim() || 'no error output'}`);
  }
  return parseClientResult(stdout);
}

/** Kills every client child still running (used when the bench is interrupted). */
export function killClients(): void {
  for (const child of running) child.kill('SIGKILL');
}
