// Everyday work in the folder view: the Upload button, filter and sort, the keyboard, check and repair, several
// files downloaded at once, and the dark theme — in the real UI against a real local cluster.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { seededBuffer } from '../helpers/gf-reference.js';
import { SCREENSHOT_DIR, expect, fileRow, signIn, skipWhereHostIsMissing, test } from './fixtures.js';

const USER = 'bob';
const PASSWORD = 'builder-e2e';
const FILES = [
  { name: 'zeta.txt', mimeType: 'text/plain', buffer: Buffer.from('last by name, smallest\n') },
  { name: 'alpha.bin', mimeType: 'application/octet-stream', buffer: seededBuffer(900_000, 31) },
  { name: 'mid.doc', mimeType: 'application/msword', buffer: seededBuffer(40_000, 32) },
];

test.describe.configure({ mode: 'serial' });
skipWhereHostIsMissing();

const row = fileRow;

async function rowOrder(page: Page): Promise<string[]> {
  return page.locator('[role="grid"][aria-label="Files"] tbody tr[data-path]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')!));
}

async function uploadWithPicker(page: Page, files: typeof FILES): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
  await chooser.setFiles(files);
  for (const file of files) await expect(page.locator(`[data-transfer-path="${file.name}"]`).first()).toHaveAttribute('data-state', 'done');
}

test('signs in a second account on the same local cluster', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await page.reload();
  await signIn(page, USER, PASSWORD);
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
  // Another user's files (alice's, from the other spec) are not visible to bob.
  await expect(page.locator('[role="grid"][aria-label="Files"] tbody tr[data-path]')).toHaveCount(0);
});

test('uploads with the Upload button, then filters and sorts the list', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await uploadWithPicker(page, FILES);
  await expect.poll(() => rowOrder(page)).toEqual(['alpha.bin', 'mid.doc', 'zeta.txt']);
  await page.getByRole('searchbox', { name: 'Filter' }).or(page.getByLabel('Filter')).first().fill('alp');
  await expect.poll(() => rowOrder(page)).toEqual(['alpha.bin']);
  // The count says the filter hides some.
  await expect(page.locator('.selection-count')).toHaveText('1 of 3 items');
  await page.getByLabel('Filter').first().fill('');
  await expect.poll(() => rowOrder(page)).toEqual(['alpha.bin', 'mid.doc', 'zeta.txt']);
  await expect(page.locator('.selection-count')).toHaveText('3 items');
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect.poll(() => rowOrder(page)).toEqual(['zeta.txt', 'mid.doc', 'alpha.bin']);
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expect.poll(() => rowOrder(page)).toEqual(['alpha.bin', 'mid.doc', 'zeta.txt']);
  await page.getByRole('button', { name: 'Name', exact: true }).click();
});

test('asks before an upload replaces a file: keep both, replace, or cancel', async ({ vaultApp }) => {
  const page = vaultApp.page;
  const first = { name: 'twice.txt', mimeType: 'text/plain', buffer: Buffer.from('the first twice.txt\n') };
  const second = { name: 'twice.txt', mimeType: 'text/plain', buffer: seededBuffer(12_345, 36) };
  await uploadWithPicker(page, [first]);
  const pick = async (): Promise<void> => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
    await chooser.setFiles([second]);
  };
  const ask = page.getByRole('alertdialog', { name: 'Replace “twice.txt”?' });
  const size = (name: string) => row(page, name).locator('[data-col="size"]');

  await pick();
  await ask.getByRole('button', { name: 'Keep both' }).click();
  await expect(size('twice (2).txt')).toHaveAttribute('title', '12345 bytes');
  await expect(size('twice.txt')).toHaveAttribute('title', `${first.buffer.length} bytes`);

  await pick();
  await ask.getByRole('button', { name: 'Replace' }).click();
  await expect(size('twice.txt')).toHaveAttribute('title', '12345 bytes');
  await expect(row(page, 'twice (3).txt')).toHaveCount(0);

  const sent = await page.locator('[data-transfer-path="twice.txt"]').count();
  await pick();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(page.locator('[data-transfer-path="twice.txt"]')).toHaveCount(sent);

  // Leave the folder as the next tests expect it.
  for (const name of ['twice.txt', 'twice (2).txt']) {
    await row(page, name).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(row(page, name)).toHaveCount(0);
  }
});

test('works from the keyboard: select, make a folder, delete with confirmation', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await expect.poll(() => rowOrder(page)).toEqual(['alpha.bin', 'mid.doc', 'zeta.txt']);
  await row(page, 'alpha.bin').focus();
  await page.keyboard.press('End');
  await expect(row(page, 'zeta.txt')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('zeta.txt');
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(row(page, 'zeta.txt')).toBeVisible();
  await row(page, 'zeta.txt').focus();
  await page.keyboard.press('Delete');
  // The confirming button has the focus: Enter deletes.
  await expect(page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 'zeta.txt')).toHaveCount(0);

  await page.getByRole('button', { name: 'New folder' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.type('projects');
  await page.keyboard.press('Enter');
  await expect(row(page, 'projects')).toBeVisible();
  await row(page, 'projects').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Folder path' })).toContainText('projects');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(row(page, 'alpha.bin')).toBeVisible();
});

test('keeps the keyboard in the list after a delete, opening a folder and going up', async ({ vaultApp }) => {
  const page = vaultApp.page;
  const grid = page.getByRole('grid', { name: 'Files' });
  const focusInGrid = () => page.evaluate(() => document.activeElement?.closest('[role="grid"]')?.getAttribute('aria-label') ?? document.activeElement?.tagName);
  await uploadWithPicker(page, [{ name: 'gone.txt', mimeType: 'text/plain', buffer: Buffer.from('to be deleted\n') }]);
  // With the mouse: the Delete button is disabled once its selection is gone.
  await row(page, 'gone.txt').click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, 'gone.txt')).toHaveCount(0);
  await expect.poll(focusInGrid).toBe('Files');
  // From the keyboard: into an empty folder (the list itself holds focus), and back up (a row does).
  await row(page, 'projects').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Folder path' })).toContainText('projects');
  await expect(grid).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  // Back on the folder just left.
  await expect(row(page, 'projects')).toBeFocused();
});

test('keeps "and N more" in sight when deleting more items than the confirmation lists', async ({ vaultApp }) => {
  const page = vaultApp.page;
  const many = Array.from({ length: 11 }, (_, i) => ({ name: `bulk-${String(i + 1).padStart(2, '0')}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`bulk ${i}\n`) }));
  await uploadWithPicker(page, many);
  await page.getByLabel('Filter').first().fill('bulk-');
  await expect(row(page, 'bulk-11.txt')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all' }).check();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete 11 items?' });
  await expect(dialog.getByText('and 3 more')).toBeInViewport({ ratio: 1 });
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, 'bulk-01.txt')).toHaveCount(0);
  await page.getByLabel('Filter').first().fill('');
  await expect(row(page, 'alpha.bin')).toBeVisible();
});

test('shows a notice over the foot of the list, without moving the page or covering its controls', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await uploadWithPicker(page, [{ name: 'noticed.txt', mimeType: 'text/plain', buffer: Buffer.from('deleted to raise a notice\n') }]);
  const grid = page.locator('.grid-wrap');
  const before = await grid.boundingBox();
  await row(page, 'noticed.txt').click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  // The notice is raised before the list is fetched again: once the row is gone, it is this delete's, not an earlier
  // "Deleted 1 item." still fading (which the new one takes the place of).
  await expect(row(page, 'noticed.txt')).toHaveCount(0);
  const notice = page.getByRole('status').locator('.notice', { hasText: 'Deleted 1 item.' });
  await expect(notice).toBeVisible();
  expect(await grid.boundingBox()).toEqual(before);
  const box = (await notice.boundingBox())!;
  expect(box.y).toBeGreaterThan(before!.y);
  expect(box.y + box.height).toBeLessThanOrEqual(before!.y + before!.height);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
});

test('checks a file, and repairs one a node missed', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await row(page, 'alpha.bin').click();
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const results = page.getByRole('dialog', { name: 'Check results' });
  await expect(results).toContainText('healthy');
  await results.getByRole('button', { name: 'Done' }).click();

  // A file written while DFS2 is down has three pieces; repair writes the fourth once DFS2 is back.
  await page.getByRole('button', { name: 'Stop DFS2' }).click();
  await expect(page.locator('[data-node="DFS2"]')).toHaveAttribute('data-state', 'down');
  await uploadWithPicker(page, [{ name: 'late.bin', mimeType: 'application/octet-stream', buffer: seededBuffer(300_000, 33) }]);
  await page.getByRole('button', { name: 'Start DFS2' }).click();
  await expect(page.locator('[data-node="DFS2"]')).toHaveAttribute('data-state', 'up');
  await expect(row(page, 'late.bin').locator('[data-col="health"]')).toContainText('degraded 3/4');
  await row(page, 'late.bin').click();
  await page.getByRole('button', { name: 'Repair', exact: true }).click();
  const repaired = page.getByRole('dialog', { name: 'Repair results' });
  await expect(repaired).toContainText('late.bin');
  await expect(repaired).toContainText('DFS2');
  await repaired.getByRole('button', { name: 'Done' }).click();
  await expect(row(page, 'late.bin').locator('[data-col="health"]')).toContainText('healthy 4/4');
});

test('reports an upload refused with two nodes down once, with the vault\'s reason', async ({ vaultApp }) => {
  const page = vaultApp.page;
  for (const node of ['DFS1', 'DFS2']) await page.getByRole('button', { name: `Stop ${node}` }).click();
  await expect(page.locator('[data-node="DFS2"]')).toHaveAttribute('data-state', 'down');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
  await chooser.setFiles([{ name: 'refused.bin', mimeType: 'application/octet-stream', buffer: seededBuffer(6_000_000, 35) }]);
  const notice = page.getByRole('alert').locator('.notice');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('Could not upload refused.bin: Only 2 of 4 nodes');
  await expect(notice).not.toContainText('web host');
  // One PUT, one row: the browser was not made to send the file again.
  const rows = page.locator('[data-transfer-path="refused.bin"]');
  await expect(rows).toHaveCount(1);
  await expect(rows).toHaveAttribute('data-state', 'failed');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  for (const node of ['DFS1', 'DFS2']) await page.getByRole('button', { name: `Start ${node}` }).click();
  await expect(page.locator('[data-node="DFS2"]')).toHaveAttribute('data-state', 'up');
});

test('downloads several selected files', async ({ vaultApp }) => {
  test.skip(vaultApp.kind !== 'web', 'Electron saves several files into a folder chosen in a native dialog; the browser saves each one.');
  const page = vaultApp.page;
  await row(page, 'alpha.bin').click();
  await row(page, 'mid.doc').click({ modifiers: ['ControlOrMeta'] });
  const downloads: Array<{ name: string; bytes: Buffer }> = [];
  const onDownload = async (download: import('@playwright/test').Download): Promise<void> => {
    const { readFile } = await import('node:fs/promises');
    const path = await download.path().catch(() => undefined);
    if (path) downloads.push({ name: download.suggestedFilename(), bytes: await readFile(path) });
  };
  page.on('download', onDownload);
  try {
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await expect.poll(() => downloads.map((d) => d.name).sort()).toEqual(['alpha.bin', 'mid.doc']);
  } finally {
    page.off('download', onDownload);
  }
  for (const { name, bytes } of downloads) expect(bytes.equals(FILES.find((f) => f.name === name)!.buffer)).toBe(true);
});

test('says "File is incomplete." when three nodes are down, and the file is back with them', async ({ vaultApp }) => {
  const page = vaultApp.page;
  for (const node of ['DFS1', 'DFS2', 'DFS3']) await page.getByRole('button', { name: `Stop ${node}` }).click();
  await expect(page.locator('[data-node="DFS3"]')).toHaveAttribute('data-state', 'down');
  await expect(row(page, 'mid.doc').locator('[data-col="health"]')).toContainText('unavailable 1/4');
  await row(page, 'mid.doc').click();
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('[data-transfer-path="mid.doc"][data-state="failed"]').first()).toContainText('File is incomplete.');
  for (const node of ['DFS1', 'DFS2', 'DFS3']) await page.getByRole('button', { name: `Start ${node}` }).click();
  await expect(row(page, 'mid.doc').locator('[data-col="health"]')).toContainText('healthy 4/4');
  // One click, one download: the browser did not try again behind the user's back.
  await expect(page.locator('[data-transfer-path="mid.doc"][data-state="failed"]')).toHaveCount(1);
});

test('offers no local cluster controls while signed in to another cluster', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await expect(page.getByRole('button', { name: 'Stop local cluster' })).toBeVisible();
  // The local nodes' addresses, typed in: to the app that is a cluster like any other.
  const titles = await page.locator('[data-node]').evaluateAll((chips) => chips.map((c) => c.getAttribute('title') ?? ''));
  const addresses = titles.map((t) => /at (\S+:\d+)/.exec(t)![1]!);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('radio', { name: 'Addresses' }).check();
  await page.getByLabel('Node addresses').fill(addresses.join('\n'));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(row(page, 'alpha.bin')).toBeVisible();
  await expect(page.locator('[data-node="DFS4"]')).toHaveAttribute('data-state', 'up');
  await expect(page.getByRole('button', { name: /local cluster/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Start|Stop) DFS/ })).toHaveCount(0);
});

test('says when no node answers at the typed addresses', async ({ vaultApp }) => {
  const page = vaultApp.page;
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('radio', { name: 'Addresses' }).check();
  await page.getByLabel('Node addresses').fill('127.0.0.1:1\n127.0.0.1:2');
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('No storage node is reachable');
  await page.getByRole('radio', { name: 'Local cluster' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
});

/**
 * Picks a 4 GiB sparse file with the Upload button and waits until it is on its way: the browser streams it from
 * disk, so it is still going for as long as a test needs. Returns its transfer row and what removes the file.
 */
async function startSparseUpload(page: Page, name: string): Promise<{ transfer: Locator; cleanUp(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-e2e-sparse-'));
  const cleanUp = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, name);
    await writeFile(path, '');
    await truncate(path, 4 * 1024 ** 3);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
    await chooser.setFiles(path);
    const transfer = page.locator(`[data-transfer-path="${name}"]`).first();
    await expect(transfer).toHaveAttribute('data-state', 'running');
    return { transfer, cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

test('cancels an upload midway: nothing is stored and no error is shown', async ({ vaultApp }) => {
  const page = vaultApp.page;
  // Still on its way when Cancel is clicked (the nodes would store 8 GiB if the cancel failed, so it must not).
  const { transfer, cleanUp } = await startSparseUpload(page, 'big.bin');
  try {
    await page.getByRole('button', { name: 'Cancel big.bin' }).click();
    await expect(transfer).toHaveAttribute('data-state', 'cancelled');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(row(page, 'alpha.bin')).toBeVisible();
    await expect(row(page, 'big.bin')).toHaveCount(0);
    // One transfer: the browser did not send the file again on another connection.
    await expect(page.locator('[data-transfer-path="big.bin"]')).toHaveCount(1);
  } finally {
    await cleanUp();
  }
});

test('asks before the page is left while an upload is under way, and lets it go once none is', async ({ vaultApp }) => {
  test.skip(vaultApp.kind !== 'web', 'Only the browser host\'s page sends the bytes of its uploads.');
  const page = vaultApp.page;
  const { transfer, cleanUp } = await startSparseUpload(page, 'leaving.bin');
  try {
    // A reload would end the upload the page is streaming: the browser asks first, and staying keeps it going.
    const asked = page.waitForEvent('dialog', { timeout: 10_000 });
    const reload = page.reload({ timeout: 5_000 }).catch(() => undefined);
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await reload;
    await expect(transfer).toHaveAttribute('data-state', 'running');
    await page.getByRole('button', { name: 'Cancel leaving.bin' }).click();
    await expect(transfer).toHaveAttribute('data-state', 'cancelled');
    let askedAgain = false;
    const onDialog = (d: import('@playwright/test').Dialog): void => {
      askedAgain = true;
      void d.accept();
    };
    page.on('dialog', onDialog);
    await page.reload();
    page.off('dialog', onDialog);
    expect(askedAgain).toBe(false);
    await expect(row(page, 'alpha.bin')).toBeVisible();
  } finally {
    await cleanUp();
  }
});

test('lists uploads waiting their turn as queued, and cancels them before they start', async ({ vaultApp }) => {
  const page = vaultApp.page;
  // Five 4 GiB sparse files: the page sends three at a time, so two wait in the page, unknown to the host.
  const dir = await mkdtemp(join(tmpdir(), 'dfs-e2e-queue-'));
  const names = ['q1.bin', 'q2.bin', 'q3.bin', 'q4.bin', 'q5.bin'];
  try {
    for (const name of names) {
      await writeFile(join(dir, name), '');
      await truncate(join(dir, name), 4 * 1024 ** 3);
    }
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
    await chooser.setFiles(names.map((name) => join(dir, name)));
    for (const name of names) await expect(page.locator(`[data-transfer-path="${name}"]`)).toHaveCount(1);
    await expect(page.locator('[data-transfer-path="q5.bin"]')).toHaveAttribute('data-state', 'queued');
    await expect(page.locator('[data-transfer-path="q4.bin"]')).toHaveAttribute('data-state', 'queued');
    // Last first, so nothing gets its turn before it is cancelled.
    for (const name of [...names].reverse()) await page.getByRole('button', { name: `Cancel ${name}` }).click();
    for (const name of names) {
      await expect(page.locator(`[data-transfer-path="${name}"]`)).toHaveAttribute('data-state', 'cancelled');
      await expect(page.locator(`[data-transfer-path="${name}"]`)).toHaveCount(1);
    }
    await expect(page.getByRole('alert').locator('.notice')).toHaveCount(0);
    // The two cancelled while they waited never reached the host.
    expect(await page.evaluate(async () => {
      const token = sessionStorage.getItem('dfs-vault.token') ?? '';
      const answer = await fetch('/api/call/transfers.list', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-DFS-Token': token }, body: '{}' });
      return ((await answer.json()) as { value: Array<{ path: string }> }).value.map((t) => t.path).filter((p) => p === 'q4.bin' || p === 'q5.bin');
    })).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('follows the system\'s dark theme', async ({ vaultApp }) => {
  const page = vaultApp.page;
  const light = await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(light);
  if (vaultApp.kind === 'web') await page.screenshot({ path: join(SCREENSHOT_DIR, 'files-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});
