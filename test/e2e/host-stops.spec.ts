// The browser host stops while its page is open: the page says so, in a notice that stays, with what to do.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, skipWhereHostIsMissing, startWebHost, stopProcess, test } from './fixtures.js';

skipWhereHostIsMissing();

test('says that the web host has stopped, and how to start it again, in a notice that stays', async ({ browser, keyring, vaultHost }) => {
  test.skip(vaultHost !== 'web', 'Only the browser page can outlive its host; the desktop window closes with it.');
  const appData = await mkdtemp(join(tmpdir(), 'dfs-e2e-host-stops-'));
  const host = await startWebHost(appData, keyring.env);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await expect(page.getByLabel('Username')).toBeVisible();
    await expect(page.locator('.notice')).toHaveCount(0);
    await stopProcess(host.child);
    const notice = page.getByRole('alert').locator('.notice');
    await expect(notice).toContainText('The DFS Vault web host has stopped');
    await expect(notice).toContainText('Start it again with `dfs-vault web` and open the address it prints');
    // It stays: nothing to dismiss while the host is gone, and the browser's retries do not stack copies.
    await expect(notice.getByRole('button', { name: 'Dismiss' })).toHaveCount(0);
    await expect(notice).toHaveCount(1);
    await expect(notice.locator('.notice-repeat')).toHaveCount(0);
  } finally {
    await context.close();
    await stopProcess(host.child);
    await rm(appData, { recursive: true, force: true });
  }
});
