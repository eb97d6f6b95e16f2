// Runs credential-store steps in a fresh process and prints their outcomes as one JSON line.
// libsecret keeps one D-Bus connection per process, so each keychain setup needs its own process.
// Input (argv[2], JSON): { steps, account, password, timeoutMs?, keytarUrl? }; keytarUrl, when given,
// replaces the `keytar` module (a copy with a broken native binary, to test a failed load).
import { register } from 'node:module';

/** One step's outcome: a value, or the error it threw. */
export type StepOutcome = { ok: true; value?: unknown } | { ok: false; error: { name: string; code?: string; message: string } };

/** What the child prints: each step's outcome and how many milliseconds it took. */
export interface ChildReport {
  outcomes: StepOutcome[];
  durations: number[];
}

/** What the parent asks for. */
export interface ChildInput {
  steps: Array<'availability' | 'save' | 'load' | 'forget'>;
  account: string;
  password: string;
  timeoutMs?: number;
  keytarUrl?: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
if (input.keytarUrl) {
  const hooks = `export async function resolve(specifier, context, next) {
    return specifier === 'keytar' ? { url: ${JSON.stringify(input.keytarUrl)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

const { keytarCredentialStore } = await import('../../src-main/service/credential-store.js');
const store = keytarCredentialStore(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs });
const outcomes: StepOutcome[] = [];
const durations: number[] = [];
for (const step of input.steps) {
  const started = performance.now();
  try {
    if (step === 'availability') outcomes.push({ ok: true, value: await store.availability() });
    if (step === 'save') outcomes.push({ ok: true, value: await store.save(input.account, input.password) });
    if (step === 'load') outcomes.push({ ok: true, value: await store.load(input.account) });
    if (step === 'forget') outcomes.push({ ok: true, value: await store.forget(input.account) });
  } catch (error) {
    const { name, message, code } = error as { name: string; message: string; code?: string };
    outcomes.push({ ok: false, error: { name, message, ...(code === undefined ? {} : { code }) } });
  }
  durations.push(Math.round(performance.now() - started));
}
const report: ChildReport = { outcomes, durations };
process.stdout.write(`${JSON.stringify(report)}\n`);
// A keychain call that hung keeps a worker thread busy and would hold a normal exit; the parent
// kills this process once it has read the line above.
process.exit(0);
