import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../src-main/cli/cli-io.js';

/** A CliIo whose output is collected in strings. */
export function capturedIo(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    stdout: sink((t) => (out += t)),
    stderr: sink((t) => (err += t)),
    stdin: new PassThrough(),
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}
