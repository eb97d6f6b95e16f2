import { targetDescription } from '../store/connect-form.js';
import { signOutLabel } from '../store/transfers-transitions.js';
import { AccountMenu } from './account-menu.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

function Account() {
  const username = useVault((s) => s.session?.username ?? '');
  const target = useVault((s) => s.session?.target);
  const signingOut = useVault((s) => s.signingOut);
  const signOutText = useVault((s) => signOutLabel(s.signingOut, s.transfers));
  const signOut = useVault((s) => s.requestSignOut);
  return (
    <div className="account">
      <span className="account-avatar" aria-hidden="true">
        {username.slice(0, 1).toUpperCase()}
      </span>
      <span className="account-text">
        <span className="account-name">{username}</span>
        <span className="account-target">{targetDescription(target)}</span>
      </span>
      <AccountMenu />
      <button type="button" className="button button-small" disabled={signingOut} onClick={() => signOut(false)}>
        <Icon name="sign-out" />
        {signOutText}
      </button>
      <button type="button" className="button button-small button-quiet" disabled={signingOut} onClick={() => signOut(true)} title="Sign out and remove the remembered password from the keychain">
        Sign out and forget
      </button>
    </div>
  );
}

/** The bar across the top: product name, where the app runs, and the account when signed in. */
export function AppHeader() {
  const signedIn = useVault((s) => s.phase === 'signed-in');
  const host = useVault((s) => s.info?.host);
  return (
    <header className="app-header">
      <div className="brand">
        <Icon name="logo" className="brand-logo" />
        <span className="brand-name">DFS Vault</span>
        {host === 'web' && <span className="brand-badge">Browser</span>}
      </div>
      {signedIn && <Account />}
    </header>
  );
}
