// "Remember me" on a machine without a keychain service: the app says it cannot remember the password and stores
// it nowhere. The host runs on a D-Bus address where no Secret Service answers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesContaining } from '../helpers/file-search.js';
import { expect, signIn, skipWhereHostIsMissing, startWebHost, stopProcess, test } from './fixtures.js';

skipWhereHostIsMissing();

test('says it cannot remember the password without a keychain, and writes it nowhere', async ({ browser, vaultHost }) => {
  test.skip(vaultHost !== 'web', 'The browser host is enough to show this; the desktop app shares the same service code.');
  const appData = await mkdtemp(join(tmpdir(), 'dfs-e2e-nokeychain-'));
  const host = await startWebHost(appData, { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(appData, 'no-bus')}` });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    const password = 'never-in-a-file-42';
    await signIn(page, 'dora', password, { remember: true });
    await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
    await expect(page.getByText(/Cannot remember the password on this machine/)).toBeVisible();
    await expect(page.getByText(/No keychain service \(Secret Service\) is running/)).toBeVisible();
    expect(await filesContaining(appData, password)).toEqual([]);
  } finally {
    await context.close();
    await stopProcess(host.child);
    await rm(appData, { recursive: true, force: true });
  }
});
