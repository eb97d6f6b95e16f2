import { Icon } from './icons.js';

/** Shown while the app asks the host for its state. */
export function StartingScreen() {
  return (
    <main className="center-screen" aria-busy="true">
      <span className="spinner spinner-large" aria-hidden="true" />
      <p className="muted">Opening your vault…</p>
    </main>
  );
}

/** Shown when the browser page was opened without its one-time token. */
export function NoTokenScreen() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <Icon name="logo" className="brand-logo" />
          <span className="brand-name">DFS Vault</span>
        </div>
      </header>
      <main className="center-screen">
        <div className="card message-card">
          <Icon name="alert" className="message-icon" />
          <h1>This page needs its access token</h1>
          <p>
            Open the address that <code>dfs-vault web</code> printed (it carries a one-time token).
          </p>
          <p className="muted">
            The token keeps other programs and web sites on this computer from using your vault. Run <code>dfs-vault web</code> again if you no longer have the
            address.
          </p>
        </div>
      </main>
    </div>
  );
}
