import { useShallow } from 'zustand/react/shallow';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { type ConnectForm, type FormProblems, formFromSession, formProblems, primaryActionLabel, type TargetKind, targetOf } from '../store/connect-form.js';
import { SubmitButton } from './form-fields.js';
import { Icon } from './icons.js';
import { RecoverCard } from './recover-form.js';
import { useVault, useVaultStore } from './store-context.js';

const CHOICES: Array<{ kind: TargetKind; label: string; description: string }> = [
  { kind: 'local', label: 'Local cluster', description: 'Four nodes on this computer, started by the app.' },
  { kind: 'config', label: 'dfc.conf file', description: 'The servers listed in a dfc.conf file.' },
  { kind: 'addresses', label: 'Addresses', description: 'Nodes you type in as host:port.' },
];

function Field({ id, label, problem, children, hint }: { id: string; label: string; problem: string | undefined; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint}
      {problem && (
        <p id={`${id}-problem`} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

function LocalClusterStatus() {
  const local = useVault((s) => s.cluster?.local ?? 'stopped');
  const nodes = useVault(useShallow((s) => (s.cluster?.nodes ?? []).map((n) => `${n.name}:${n.up ? 'up' : 'down'}`)));
  const localDir = useVault((s) => s.cluster?.localDir ?? '');
  const up = nodes.filter((n) => n.endsWith(':up')).length;
  const text =
    local === 'running'
      ? `The local cluster is running (${nodes.length} nodes).`
      : local === 'starting'
        ? `Starting the local cluster: ${up} of ${nodes.length || 4} nodes up…`
        : 'The local cluster is stopped. It starts when you sign in; the first start creates your account with this username and password.';
  return (
    <div className={`local-status local-${local}`} title={localDir ? `Data in ${localDir}` : undefined}>
      <p role="status">
        <span className="status-dot" aria-hidden="true" />
        {text}
      </p>
      {local === 'starting' && nodes.length > 0 && (
        <ul className="local-nodes" aria-label="Nodes starting">
          {nodes.map((n) => {
            const [name, state] = n.split(':') as [string, string];
            return (
              <li key={name} className={state === 'up' ? 'node-up' : 'node-pending'} data-node={name} data-state={state}>
                <span className="node-dot" aria-hidden="true" /> {name}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** First screen: which cluster, who you are, and whether to remember it. */
export function ConnectScreen() {
  const store = useVaultStore();
  const session = useVault((s) => s.session);
  const dialogs = useVault((s) => s.info?.dialogs ?? false);
  const local = useVault((s) => s.cluster?.local);
  const connecting = useVault((s) => s.connecting);
  const [form, setForm] = useState<ConnectForm>(() => formFromSession(session));
  const [submitted, setSubmitted] = useState(false);
  const [mode, setMode] = useState<'sign-in' | 'recover'>('sign-in');
  /** Where focus goes when the sign-in form comes back from the recover card. */
  const focusAfterRecover = useRef<'password' | 'forgot' | null>(null);
  const id = useId();
  const ids = { group: `${id}-cluster`, config: `${id}-config`, addresses: `${id}-addresses`, username: `${id}-user`, password: `${id}-password`, remember: `${id}-remember` };

  const problems: FormProblems = submitted ? formProblems(form) : {};
  const update = (patch: Partial<ConnectForm>) => setForm((f) => ({ ...f, ...patch }));
  const describedBy = (field: keyof FormProblems) => (problems[field] ? `${ids[field === 'configPath' ? 'config' : field]}-problem` : undefined);
  const keychain = session?.keychain;
  const primary = primaryActionLabel(form.kind, local);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const found = formProblems(form);
    const firstBad = (['configPath', 'addresses', 'username', 'password'] as const).find((f) => found[f]);
    if (firstBad) {
      document.getElementById(ids[firstBad === 'configPath' ? 'config' : firstBad])?.focus();
      return;
    }
    const signedIn = await store.getState().connect({ target: targetOf(form), username: form.username.trim(), password: form.password, remember: form.remember });
    // The form was disabled while it waited, which took focus away: give it back where the next try starts.
    if (!signedIn) document.getElementById(ids.password)?.focus();
  };

  useEffect(() => {
    if (mode !== 'sign-in' || !focusAfterRecover.current) return;
    document.getElementById(focusAfterRecover.current === 'password' ? ids.password : `${id}-forgot`)?.focus();
    focusAfterRecover.current = null;
  }, [mode, id, ids.password]);

  if (mode === 'recover') {
    const found = formProblems(form);
    return (
      <main className="connect-screen">
        <RecoverCard
          target={targetOf(form)}
          targetProblem={found.configPath ?? found.addresses}
          username={form.username}
          onBack={() => {
            focusAfterRecover.current = 'forgot';
            setMode('sign-in');
          }}
          onDone={(username) => {
            update({ username, password: '' });
            setSubmitted(false);
            focusAfterRecover.current = 'password';
            setMode('sign-in');
          }}
        />
      </main>
    );
  }

  const browse = async () => {
    const path = await store.getState().chooseConfigFile();
    if (path) update({ configPath: path });
  };

  return (
    <main className="connect-screen">
      <form className="card connect-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <div className="connect-head">
          <Icon name="logo" className="connect-logo" />
          <h1 id={`${id}-title`}>Sign in to your vault</h1>
          <p className="muted">Files are split into four pieces on four nodes; any two nodes bring every file back.</p>
        </div>

        <div className="field">
          <span className="field-label" id={ids.group}>
            Cluster
          </span>
          <div role="radiogroup" aria-labelledby={ids.group} className="segmented">
            {CHOICES.map((choice) => (
              <label key={choice.kind} className={`segment${form.kind === choice.kind ? ' is-checked' : ''}`} title={choice.description}>
                <input type="radio" name={ids.group} value={choice.kind} checked={form.kind === choice.kind} onChange={() => update({ kind: choice.kind })} />
                <span>{choice.label}</span>
              </label>
            ))}
          </div>
          <p className="field-hint">{CHOICES.find((c) => c.kind === form.kind)?.description}</p>
        </div>

        {form.kind === 'local' && <LocalClusterStatus />}
        {form.kind === 'config' && (
          <Field id={ids.config} label="dfc.conf path" problem={problems.configPath}>
            <div className="input-row">
              <input
                id={ids.config}
                className="input"
                value={form.configPath}
                placeholder="/home/you/dfc.conf"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={problems.configPath !== undefined}
                aria-describedby={describedBy('configPath')}
                onChange={(e) => update({ configPath: e.target.value })}
              />
              {dialogs && (
                <button type="button" className="button" onClick={() => void browse()}>
                  Browse…
                </button>
              )}
            </div>
          </Field>
        )}
        {form.kind === 'addresses' && (
          <Field id={ids.addresses} label="Node addresses" problem={problems.addresses} hint={<p className="field-hint">One host:port per line, or separated by commas.</p>}>
            <textarea
              id={ids.addresses}
              className="input textarea"
              rows={4}
              value={form.addresses}
              placeholder={'127.0.0.1:10001\n127.0.0.1:10002\n127.0.0.1:10003\n127.0.0.1:10004'}
              spellCheck={false}
              aria-invalid={problems.addresses !== undefined}
              aria-describedby={describedBy('addresses')}
              onChange={(e) => update({ addresses: e.target.value })}
            />
          </Field>
        )}

        <Field id={ids.username} label="Username" problem={problems.username}>
          <input
            id={ids.username}
            className="input"
            value={form.username}
            autoComplete="username"
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={problems.username !== undefined}
            aria-describedby={describedBy('username')}
            onChange={(e) => update({ username: e.target.value })}
          />
        </Field>
        <Field
          id={ids.password}
          label="Password"
          problem={problems.password}
          hint={
            <button type="button" id={`${id}-forgot`} className="link-button field-aside" onClick={() => setMode('recover')}>
              Forgot password?
            </button>
          }
        >
          <input
            id={ids.password}
            className="input"
            type="password"
            value={form.password}
            autoComplete="current-password"
            aria-invalid={problems.password !== undefined}
            aria-describedby={describedBy('password')}
            onChange={(e) => update({ password: e.target.value })}
          />
        </Field>

        <div className="check-field">
          <input id={ids.remember} type="checkbox" checked={form.remember} onChange={(e) => update({ remember: e.target.checked })} aria-describedby={`${ids.remember}-hint`} />
          <label htmlFor={ids.remember}>Remember me</label>
          <p id={`${ids.remember}-hint`} className={`field-hint${form.remember && keychain?.available === false ? ' field-warning' : ''}`}>
            {form.remember && keychain?.available === false
              ? `Cannot remember the password on this machine: ${keychain.reason ?? 'no keychain service is running'}`
              : 'Keeps the password in the system keychain, never in a file.'}
          </p>
        </div>

        <SubmitButton large busy={connecting} label={primary} busyLabel={primary === 'Start local cluster' ? 'Starting local cluster…' : 'Signing in…'} />
      </form>
    </main>
  );
}
