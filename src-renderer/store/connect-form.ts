import type { ClusterTarget, ClusterView, SessionState } from '../../src-main/shared/app-models.js';

/** Which kind of cluster the connect screen targets. */
export type TargetKind = ClusterTarget['kind'];

/** What the connect screen's fields hold. */
export interface ConnectForm {
  kind: TargetKind;
  configPath: string;
  /** `host:port` per line or comma separated, as typed. */
  addresses: string;
  username: string;
  password: string;
  remember: boolean;
}

/** A blank form: the local cluster. */
export const EMPTY_FORM: ConnectForm = { kind: 'local', configPath: '', addresses: '', username: '', password: '', remember: false };

/** The form pre-filled from the last login (never a password) and what the keychain remembers. */
export function formFromSession(state: SessionState | null): ConnectForm {
  const last = state?.lastUsed ?? state?.keychain.remembered;
  const form: ConnectForm = { ...EMPTY_FORM, remember: state?.keychain.remembered !== undefined };
  if (!last) return form;
  form.username = last.username;
  form.kind = last.target.kind;
  if (last.target.kind === 'config') form.configPath = last.target.path;
  if (last.target.kind === 'addresses') form.addresses = last.target.addresses.join('\n');
  return form;
}

/** Splits typed addresses on newlines, commas and spaces. */
export function parseAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter((a) => a !== '');
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/** Why an address is not `host:port`, or null when it is. */
export function addressProblem(address: string): string | null {
  const match = HOST_PORT.exec(address);
  const port = match ? Number(match[1]) : NaN;
  if (!match || port < 1 || port > 65535) return `"${address}" is not host:port (for example 127.0.0.1:10001).`;
  return null;
}

/** Problems per field; empty when the form can be sent. */
export type FormProblems = Partial<Record<'configPath' | 'addresses' | 'username' | 'password', string>>;

/** Checks the fields a person must fill in before signing in. */
export function formProblems(form: ConnectForm): FormProblems {
  const problems: FormProblems = {};
  if (form.kind === 'config' && form.configPath.trim() === '') problems.configPath = 'Enter the path of a dfc.conf file.';
  if (form.kind === 'addresses') {
    const addresses = parseAddresses(form.addresses);
    if (addresses.length === 0) problems.addresses = 'Enter at least one node address (host:port).';
    else {
      const problem = addresses.map(addressProblem).find((p) => p !== null);
      if (problem) problems.addresses = problem;
    }
  }
  if (form.username.trim() === '') problems.username = 'Enter your username.';
  if (form.password === '') problems.password = 'Enter your password.';
  return problems;
}

/** The cluster target the form describes. */
export function targetOf(form: ConnectForm): ClusterTarget {
  switch (form.kind) {
    case 'local':
      return { kind: 'local' };
    case 'config':
      return { kind: 'config', path: form.configPath.trim() };
    case 'addresses':
      return { kind: 'addresses', addresses: parseAddresses(form.addresses) };
  }
}

/** The primary button: starting the local cluster when it is not running, signing in otherwise. */
export function primaryActionLabel(kind: TargetKind, local: ClusterView['local'] | undefined): 'Start local cluster' | 'Sign in' {
  return kind === 'local' && local !== 'running' ? 'Start local cluster' : 'Sign in';
}

/** A short description of a target for the header ("Local cluster", "dfc.conf: /etc/dfc.conf", "2 nodes"). */
export function targetDescription(target: ClusterTarget | undefined): string {
  if (!target) return '';
  switch (target.kind) {
    case 'local':
      return 'Local cluster';
    case 'config':
      return target.path;
    case 'addresses':
      return target.addresses.length === 1 ? (target.addresses[0] ?? '') : `${target.addresses.length} nodes`;
  }
}
