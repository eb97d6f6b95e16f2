// Small windows and long names: the folder view stays readable at 600 and 400 px, long names are cut with an
// ellipsis (the whole name in a tooltip) and never widen the page or a dialog. This file runs its own host on its
// own data folder, so the other specs' first start stays fresh.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect, fileRow, signIn, skipWhereHostIsMissing, startWebHost, stopProcess, test } from './fixtures.js';

const LONG_FILE = `${'quarterly-report-final-version-without-any-spaces-'.repeat(4)}v2.pdf`;
const SHORT_FILE = 'notes.txt';

test.describe.configure({ mode: 'serial' });
skipWhereHostIsMissing();
test.skip(({ vaultHost }) => vaultHost !== 'web', 'Layout is the same page in both hosts; the browser host is enough to measure it.');

let appData: string;
let host: { child: ChildProcess; url: string };
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser, keyring, vaultHost }) => {
  if (vaultHost !== 'web') return;
  appData = await mkdtemp(join(tmpdir(), 'dfs-e2e-narrow-'));
  host = await startWebHost(appData, keyring.env);
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(host.url);
});

test.afterAll(async () => {
  await context?.close();
  if (host) await stopProcess(host.child);
  if (appData) await rm(appData, { recursive: true, force: true });
});

/** Left and right edges of an element, in CSS pixels. */
function edges(locator: Locator): Promise<{ left: number; right: number; width: number }> {
  return locator.evaluate((e) => {
    const { left, right, width } = e.getBoundingClientRect();
    return { left, right, width };
  });
}

/** The page scrolls sideways: something is wider than the window. */
function pageOverflows(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

test('signs in and uploads a file with a long name while a node is down (so repair has work to show)', async () => {
  await signIn(page, 'nora', 'narrow-windows-e2e');
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop DFS4' }).click();
  await expect(page.locator('[data-node="DFS4"]')).toHaveAttribute('data-state', 'down');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Upload', exact: true }).click()]);
  await chooser.setFiles([
    { name: LONG_FILE, mimeType: 'application/pdf', buffer: Buffer.from('long name\n') },
    { name: SHORT_FILE, mimeType: 'text/plain', buffer: Buffer.from('short name\n') },
  ]);
  await expect(fileRow(page, LONG_FILE)).toBeVisible();
  await expect(fileRow(page, SHORT_FILE)).toBeVisible();
  await page.getByRole('button', { name: 'Start DFS4' }).click();
  await expect(fileRow(page, LONG_FILE).locator('[data-col="health"]')).toContainText('degraded 3/4');
});

for (const width of [600, 400]) {
  test(`keeps the Name column readable and the header inside a ${width} px window`, async () => {
    await page.setViewportSize({ width, height: 700 });
    const nameHeader = page.locator('[role="grid"][aria-label="Files"] th.col-name');
    expect((await edges(nameHeader)).width).toBeGreaterThanOrEqual(120);
    // A short name is shown whole; a long one is cut with an ellipsis and carries the whole name as its tooltip.
    const short = fileRow(page, SHORT_FILE).locator('.name-text');
    expect(await short.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    const long = fileRow(page, LONG_FILE).locator('.name-text');
    await expect(long).toHaveCSS('text-overflow', 'ellipsis');
    expect(await long.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    await expect(long).toHaveAttribute('title', LONG_FILE);
    // The header wraps instead of running out of the window, and the avatar stays round.
    const avatar = await page.locator('.account-avatar').evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
    expect(avatar.width).toBe(avatar.height);
    expect((await edges(page.getByRole('button', { name: 'Sign out and forget' }))).right).toBeLessThanOrEqual(width);
    expect(await pageOverflows()).toBe(false);
  });
}

test('keeps each transfer\'s state and bytes in sight in a 400 px window, the name cut short', async () => {
  await page.setViewportSize({ width: 400, height: 700 });
  const list = page.locator('#transfer-list');
  const transfer = page.locator(`[data-transfer-path="${LONG_FILE}"]`).first();
  await expect(transfer).toHaveAttribute('data-state', 'done');
  for (const part of ['.transfer-state', '.transfer-bytes', '.progress']) await expectInside(transfer.locator(part), list);
  expect(await list.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await expectCut(transfer.locator('.transfer-name'), LONG_FILE);
});

/** Asserts that `inner` lies within `outer` from left to right. */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const [a, b] = await Promise.all([edges(inner), edges(outer)]);
  expect(a.left).toBeGreaterThanOrEqual(b.left);
  expect(a.right).toBeLessThanOrEqual(b.right);
}

/** Asserts that a name is cut with an ellipsis and carries the whole name as its tooltip. */
async function expectCut(name: Locator, whole: string): Promise<void> {
  await expect(name).toHaveCSS('text-overflow', 'ellipsis');
  expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  await expect(name).toHaveAttribute('title', whole);
}

test('keeps a long file name inside the Check and the Repair results', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await fileRow(page, LONG_FILE).click();
  for (const [button, title] of [['Check', 'Check results'], ['Repair', 'Repair results']] as const) {
    await page.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: title });
    const result = dialog.locator(`[data-result-path="${LONG_FILE}"]`);
    await expect(result).toBeVisible();
    await expectInside(result, dialog.locator('.dialog-body'));
    await expectCut(result.locator('.result-name'), LONG_FILE);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toHaveCount(0);
  }
});

test('cuts a long folder name in the breadcrumbs instead of widening the page', async () => {
  const folder = `${'a-folder-name-that-keeps-going-'.repeat(8)}end`;
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.keyboard.type(folder);
  await page.keyboard.press('Enter');
  await fileRow(page, folder).dblclick();
  const path = page.getByRole('navigation', { name: 'Folder path' });
  const current = path.locator('[aria-current="page"]');
  await expect(current).toHaveText(folder);
  await expectCut(current, folder);
  await expectInside(path, page.locator('.location-bar'));
  expect(await pageOverflows()).toBe(false);
});
