import { AppHeader } from './app-header.js';
import { ConnectScreen } from './connect-screen.js';
import { Dialogs } from './dialogs.js';
import { DropOverlay } from './drop-overlay.js';
import { Notices } from './notices.js';
import { StartingScreen } from './screens.js';
import { useVault } from './store-context.js';
import { VaultView } from './vault-view.js';

/** The whole UI: header, notice banners, one screen per phase; dialogs and the drop overlay on top. */
export function App() {
  const phase = useVault((s) => s.phase);
  const modal = useVault((s) => s.dialog !== null);
  return (
    <>
      {/* While a dialog is open the page behind it is inert and hidden from assistive technology. */}
      <div className="app" inert={modal} aria-hidden={modal || undefined}>
        <AppHeader />
        {phase !== 'signed-in' && <Notices at="top" />}
        {phase === 'starting' ? <StartingScreen /> : phase === 'signed-out' ? <ConnectScreen /> : <VaultView />}
      </div>
      <Dialogs />
      <DropOverlay />
    </>
  );
}
