// The browser host (`dfs-vault web`) as the bench runs it, in its own process so its memory is its own:
//   web-host-child DFC_CONF DATA_DIR
// Signs in to the nodes of DFC_CONF as its user (typed addresses, not remembered), serves on 127.0.0.1:0 and prints
// one JSON line {port, token}. Runs until stdin closes (the bench ended, however it ended) or SIGTERM.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultService } from '../src-main/service/vault-service.js';
import { loadDfcConf } from '../src-main/vault/dfc-config.js';
import { startWebHost } from '../src-main/web/web-host.js';
import { runClientMain } from './client-result.js';
import { NoKeychain } from './no-keychain.js';

/** What the host child prints once it serves. */
export interface WebHostReady {
  port: number;
  token: string;
}

runClientMain(async () => {
  const [confPath, dataDir] = process.argv.slice(2);
  if (!confPath || !dataDir) throw new Error('Usage: web-host-child DFC_CONF DATA_DIR');
  const config = await loadDfcConf(confPath);
  if (!config.username || !config.password) throw new Error(`${confPath} names no user.`);
  // The API is all the bench uses; the page folder only has to exist.
  const rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  const service = new VaultService({ dataDir, credentials: new NoKeychain(), log: (line) => process.stderr.write(`${line}\n`) });
  const addresses = config.servers.map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`));
  await service.connect({ target: { kind: 'addresses', addresses }, username: config.username, password: config.password, remember: false });
  const host = await startWebHost({ service, rendererDir });
  const ready: WebHostReady = { port: host.port, token: host.token };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve).on('error', resolve).resume();
    process.once('SIGTERM', resolve);
  });
  process.stdin.destroy();
  await host.close();
  await service.close();
});
