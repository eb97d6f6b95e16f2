// A client process for crash tests: uploads a file slowly, printing progress, until it is killed.
import type { ByteSource } from '../../src-main/vault/byte-source.js';
import { fileSource } from '../../src-main/vault/byte-source.js';
import { Vault } from '../../src-main/vault/vault.js';
import { open } from 'node:fs/promises';

const [serversJson, file, vaultPath] = process.argv.slice(2) as [string, string, string];
const vault = await Vault.connect({ servers: JSON.parse(serversJson), username: 'alice', password: 'wonderland' });
const handle = await open(file, 'r');
const inner = fileSource(handle);
// Slow the source down so the parent can kill this process in the middle of the transfer.
const slow: ByteSource = {
  async read(target) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    return inner.read(target);
  },
};
await vault.putStream(slow, (await handle.stat()).size, vaultPath, {
  onProgress: (done, total) => process.stdout.write(`progress ${done} ${total}\n`),
});
process.stdout.write('done\n');
vault.close();
