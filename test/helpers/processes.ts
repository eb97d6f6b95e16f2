import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The pid of a process that has exited: a file naming it was left by a process that is gone. */
export async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}
