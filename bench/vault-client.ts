// The vault's client, run as its own process so its peak RSS is its own:
//   put DFC_CONF FILE VAULT_PATH [--unencrypted]   uploads FILE
//   get DFC_CONF VAULT_PATH OUT [--unencrypted]    downloads to OUT (temp file, fsync, rename)
// --unencrypted stores stripes in clear (PLAINTEXT_STRIPES), for the bench's cost-of-encryption rows.
// Prints one ClientResult JSON line; the time and the peak RSS exclude connecting and logging in (the peak
// is VmHWM after a reset once logged in: the login's scrypt would otherwise dominate it).
import { loadDfcConf } from '../src-main/vault/dfc-config.js';
import { Vault } from '../src-main/vault/vault.js';
import { printClientResult, readClock, resetPeakRssHere, runClientMain, startClock } from './client-result.js';
import { PLAINTEXT_STRIPES } from './plaintext-stripes.js';

runClientMain(async () => {
  const [command, confPath, from, to, flag] = process.argv.slice(2);
  if ((command !== 'put' && command !== 'get') || !confPath || !from || !to || (flag !== undefined && flag !== '--unencrypted')) {
    throw new Error('Usage: vault-client put DFC_CONF FILE VAULT_PATH [--unencrypted] | get DFC_CONF VAULT_PATH OUT [--unencrypted]');
  }
  const config = await loadDfcConf(confPath);
  if (!config.username || !config.password) throw new Error(`${confPath} names no user.`);
  const stripeSealer = flag === '--unencrypted' ? PLAINTEXT_STRIPES : undefined;
  const vault = await Vault.connect({ servers: config.servers, username: config.username, password: config.password, stripeSealer });
  try {
    const receivedBefore = vault.bytesReceived;
    const peakWasReset = await resetPeakRssHere();
    const clock = startClock();
    if (command === 'put') await vault.putFile(from, to);
    else await vault.getFile(from, to);
    const measured = readClock(clock);
    await printClientResult({ ...measured, bytesReceived: vault.bytesReceived - receivedBefore }, peakWasReset);
  } finally {
    vault.close();
  }
});
