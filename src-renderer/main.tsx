import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectHost } from './api/host.js';
import { App } from './components/app.js';
import { NoTokenScreen } from './components/screens.js';
import { StoreProvider } from './components/store-context.js';
import { guardLeaving } from './dom/leave-guard.js';
import { connectEvents, followHostConnection } from './store/events.js';
import { createVaultStore } from './store/store.js';
import './styles/base.css';
import './styles/controls.css';
import './styles/layout.css';
import './styles/nodes.css';
import './styles/connect.css';
import './styles/files.css';
import './styles/transfers.css';
import './styles/overlays.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);
const host = connectHost();

if (host.kind === 'no-token') {
  root.render(<NoTokenScreen />);
} else {
  const store = createVaultStore(host);
  connectEvents(host.api, store);
  host.onConnection((state) => followHostConnection(state, store, host.api));
  if (host.kind === 'web') guardLeaving(window, store);
  void store.getState().start();
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
