// The account as a person manages it: change the password (the keychain follows), show and copy the recovery key,
// and reset a forgotten password with it — in the real UI through `dfs-vault web`, against a real local cluster and
// the real keychain. This file runs its own host on its own data folder, so the other specs' first start stays fresh.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { BrowserContext, Page } from '@playwright/test';
import keytar from 'keytar';
import { INVALID_LOGIN_TEXT } from '../../src-main/shared/errors.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { SCREENSHOT_DIR, expect, fileRow, signIn, skipWhereHostIsMissing, startWebHost, stopProcess, test } from './fixtures.js';

const USER = 'erin';
const FIRST = 'erin-first-password';
const CHANGED = 'erin-changed-password';
const RESET = 'erin-password-after-reset';
const FILE = { name: 'ledger.bin', mimeType: 'application/octet-stream', buffer: seededBuffer(700_000 + 11, 51) };
/** 11 groups of 5 Crockford base32 characters. */
const RECOVERY_KEY_FORMAT = /^(?:[0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/;

test.describe.configure({ mode: 'serial' });
skipWhereHostIsMissing();
test.skip(({ vaultHost }) => vaultHost !== 'web', 'The browser host is enough to show this; the desktop app shares the same service and UI code.');

let appData: string;
/** The keychain account of this user's login on the host's local cluster (named with its data folder). */
const account = (): string => `${USER} @ local cluster in ${appData}`;
let host: { child: ChildProcess; url: string };
let context: BrowserContext;
let page: Page;
let recoveryKey = '';

test.beforeAll(async ({ browser, keyring, vaultHost }) => {
  if (vaultHost !== 'web') return;
  appData = await mkdtemp(join(tmpdir(), 'dfs-e2e-account-'));
  host = await startWebHost(appData, keyring.env);
  context = await browser.newContext({ acceptDownloads: true });
  // So the test can read back what Copy put on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
  page = await context.newPage();
  await page.goto(host.url);
});

test.afterAll(async () => {
  await context?.close();
  if (host) await stopProcess(host.child);
  // Leave the shared keychain as the other specs expect it: nothing of this account.
  await keytar.deletePassword('dfs-vault', account()).catch(() => false);
  if (appData) await rm(appData, { recursive: true, force: true });
});

async function openAccountMenuItem(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Account', exact: true }).click();
  await page.getByRole('menuitem', { name }).click();
}

test('signs in with "Remember me" and uploads a file', async () => {
  await signIn(page, USER, FIRST, { remember: true });
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
  await chooser.setFiles([FILE]);
  await expect(page.locator(`[data-transfer-path="${FILE.name}"]`).first()).toHaveAttribute('data-state', 'done');
  await expect(fileRow(page, FILE.name)).toBeVisible();
  expect(await keytar.getPassword('dfs-vault', account())).toBe(FIRST);
});

test('changes the password from the account menu, catching a mismatch and a wrong current password in the form', async () => {
  await openAccountMenuItem('Change password…');
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  await expect(dialog.getByLabel('Current password')).toBeFocused();
  await dialog.getByLabel('Current password').fill(FIRST);
  await dialog.getByLabel('New password', { exact: true }).fill(CHANGED);
  await dialog.getByLabel('Repeat new password').fill(`${CHANGED}!`);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('The two new passwords do not match.')).toBeVisible();
  await expect(dialog.getByLabel('Repeat new password')).toBeFocused();

  await dialog.getByLabel('Current password').fill('not-my-password');
  await dialog.getByLabel('Repeat new password').fill(CHANGED);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByText('This is not your current password.')).toBeVisible();
  await expect(dialog.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');

  await dialog.getByLabel('Current password').fill(FIRST);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Password changed. The keychain remembers the new one.' })).toBeVisible();
  // Focus is back on the menu's button.
  await expect(page.getByRole('button', { name: 'Account', exact: true })).toBeFocused();
  expect(await keytar.getPassword('dfs-vault', account())).toBe(CHANGED);
});

test('refuses the old password after signing out, and signs in with the new one', async () => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, USER, FIRST);
  await expect(page.getByRole('alert')).toContainText(INVALID_LOGIN_TEXT);
  await expect(page.getByRole('grid', { name: 'Files' })).toHaveCount(0);
  await signIn(page, USER, CHANGED, { remember: true });
  await expect(fileRow(page, FILE.name)).toBeVisible();
});

test('shows the recovery key once the password is confirmed, with the warning and a Copy button', async () => {
  // Notices of the earlier steps would show behind the dialog in the screenshot.
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  await openAccountMenuItem('Recovery key…');
  const dialog = page.getByRole('dialog', { name: 'Recovery key' });
  await dialog.getByLabel('Password', { exact: true }).fill(FIRST);
  await dialog.getByRole('button', { name: 'Show recovery key' }).click();
  await expect(dialog.getByText('This is not your password.')).toBeVisible();
  await dialog.getByLabel('Password', { exact: true }).fill(CHANGED);
  await dialog.getByRole('button', { name: 'Show recovery key' }).click();

  const key = dialog.locator('.recovery-key');
  await expect(key).toHaveText(RECOVERY_KEY_FORMAT);
  recoveryKey = (await key.textContent()) ?? '';
  await expect(dialog).toContainText('Anyone with this key can open your vault. Keep it somewhere safe, away from this computer.');
  // Every node was up, so no node is named as not knowing the key.
  await expect(dialog.getByText(/cannot reset your password yet/)).toHaveCount(0);
  await expect(key).toHaveCSS('font-family', /mono/i);

  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryKey);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'recovery-key.png') });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
});

test('resets a forgotten password with the recovery key, and every file is still there', async () => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(USER);
  await expect(page.getByLabel('Recovery key')).toBeFocused();

  // One character short: the vault's message shows next to the key.
  await page.getByLabel('Recovery key').fill(recoveryKey.slice(0, -1));
  await page.getByLabel('New password', { exact: true }).fill(RESET);
  await page.getByLabel('Repeat new password').fill(RESET);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText(/recovery key has 54 characters/i)).toBeVisible();
  await expect(page.getByLabel('Recovery key')).toBeFocused();

  // As typed from paper: lower case, spaces instead of dashes.
  await page.getByLabel('Recovery key').fill(recoveryKey.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to your vault' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Password reset. Sign in with your new password.' })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  // The login was remembered, so the keychain now holds the new password.
  expect(await keytar.getPassword('dfs-vault', account())).toBe(RESET);

  await signIn(page, USER, CHANGED);
  await expect(page.getByRole('alert')).toContainText(INVALID_LOGIN_TEXT);
  await signIn(page, USER, RESET, { remember: true });
  await fileRow(page, FILE.name).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).click()]);
  expect((await readFile((await download.path())!)).equals(FILE.buffer)).toBe(true);
});

test('"Sign out and forget" leaves nothing of this account in the keychain', async () => {
  await page.getByRole('button', { name: 'Sign out and forget' }).click();
  await expect(page.getByLabel('Username')).toBeVisible();
  expect(await keytar.getPassword('dfs-vault', account())).toBeNull();
});
