// The whole product as a person uses it: connect, drop files and a folder, see them, download, delete, lose two
// nodes, mistype a password, and "Remember me" — in the real UI against a real local cluster.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import keytar from 'keytar';
import { INVALID_LOGIN_TEXT } from '../../src-main/shared/errors.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { SCREENSHOT_DIR, expect, fileRow, signIn, skipWhereHostIsMissing, test } from './fixtures.js';

const USER = 'alice';
const PASSWORD = 'wonderland-e2e';
const FILES = {
  'report.txt': Buffer.from('Quarterly report\n'.repeat(200)),
  'photo.jpg': seededBuffer(1_500_000 + 7, 21),
  'empty.bin': Buffer.alloc(0),
};
const FOLDER = {
  name: 'album',
  files: { 'a.raw': seededBuffer(2_100_000, 22), 'nested/b.txt': Buffer.from('inside a nested folder\n') },
};

test.describe.configure({ mode: 'serial' });
skipWhereHostIsMissing();

/** Drops files on the window with a DataTransfer built in the page, as a drag from the desktop would. */
async function dropFiles(page: Page, files: Record<string, Buffer>): Promise<void> {
  const encoded = Object.entries(files).map(([name, bytes]) => ({ name, data: bytes.toString('base64') }));
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const { name, data } of list) {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { lastModified: Date.UTC(2026, 0, 2) }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  }, encoded);
}

/**
 * Drops a folder. A page cannot create directory entries (only the OS drag does), so the DataTransfer item of the
 * folder answers webkitGetAsEntry() with entries shaped as Chromium's FileSystemDirectoryEntry; the UI then walks
 * them with createReader().readEntries() and entry.file(), exactly as for a real folder.
 */
async function dropFolder(page: Page, folder: string, files: Record<string, Buffer>): Promise<void> {
  const encoded = Object.entries(files).map(([path, bytes]) => ({ path, data: bytes.toString('base64') }));
  await page.evaluate(
    ({ folder, list }) => {
      type Node = { name: string; children?: Map<string, Node>; file?: File };
      const root: Node = { name: folder, children: new Map() };
      for (const { path, data } of list) {
        const parts = path.split('/');
        let node = root;
        for (const part of parts.slice(0, -1)) {
          if (!node.children!.has(part)) node.children!.set(part, { name: part, children: new Map() });
          node = node.children!.get(part)!;
        }
        const name = parts.at(-1)!;
        node.children!.set(name, { name, file: new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name) });
      }
      const entryOf = (node: Node): unknown =>
        node.file
          ? { isFile: true, isDirectory: false, name: node.name, file: (ok: (f: File) => void) => ok(node.file!) }
          : {
              isFile: false,
              isDirectory: true,
              name: node.name,
              createReader: () => {
                let given = false;
                return { readEntries: (ok: (e: unknown[]) => void) => ok(given ? [] : ((given = true), [...node.children!.values()].map(entryOf))) };
              },
            };
      const transfer = new DataTransfer();
      transfer.items.add(new File([], folder));
      const original = DataTransferItem.prototype.webkitGetAsEntry;
      DataTransferItem.prototype.webkitGetAsEntry = function (this: DataTransferItem) {
        return this.getAsFile()?.name === folder ? (entryOf(root) as FileSystemEntry) : original.call(this);
      };
      try {
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        }
      } finally {
        DataTransferItem.prototype.webkitGetAsEntry = original;
      }
    },
    { folder, list: encoded },
  );
}

const row = fileRow;

async function openFolder(page: Page, path: string): Promise<void> {
  await row(page, path).dblclick();
  await expect(page.getByRole('navigation', { name: 'Folder path' })).toContainText(path.split('/').at(-1)!);
}

async function expectNodes(page: Page, states: Array<'up' | 'down'>): Promise<void> {
  for (const [i, state] of states.entries()) await expect(page.locator(`[data-node="DFS${i + 1}"]`)).toHaveAttribute('data-state', state);
}

test('connects to a new local cluster with one click, and the node strip turns green', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await expect(page.getByRole('radio', { name: 'Local cluster' })).toBeChecked();
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  if (vaultApp.kind === 'web') {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'connect.png') });
  }
  await signIn(page, USER, PASSWORD);
  await expectNodes(page, ['up', 'up', 'up', 'up']);
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
});

test('uploads several dropped files and a dropped folder, and lists them with sizes and health', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await dropFiles(page, FILES);
  await dropFolder(page, FOLDER.name, FOLDER.files);
  for (const name of Object.keys(FILES)) await expect(row(page, name)).toBeVisible();
  await expect(row(page, FOLDER.name)).toBeVisible();
  await expect(row(page, 'photo.jpg').locator('[data-col="size"]')).toHaveAttribute('title', /1[,.\u202f ]?500[,.\u202f ]?007 bytes/);
  await expect(row(page, 'photo.jpg').locator('[data-col="size"]')).toContainText('1.4 MiB');
  for (const name of Object.keys(FILES)) await expect(row(page, name).locator('[data-col="health"]')).toContainText('healthy 4/4');
  for (const path of ['report.txt', 'photo.jpg', 'empty.bin', 'album/a.raw', 'album/nested/b.txt']) {
    await expect(page.locator(`[data-transfer-path="${path}"]`)).toHaveAttribute('data-state', 'done');
  }
  await expect(page.locator('[data-transfer-path="photo.jpg"] [role="progressbar"]')).toHaveAttribute('aria-valuenow', '100');
  if (vaultApp.kind === 'web') await page.screenshot({ path: join(SCREENSHOT_DIR, 'files.png') });
  await openFolder(page, 'album');
  await expect(row(page, 'album/a.raw').locator('[data-col="size"]')).toContainText('2.0 MiB');
  await expect(row(page, 'album/nested')).toBeVisible();
  await page.getByRole('navigation', { name: 'Folder path' }).getByText('Vault', { exact: true }).click();
  await expect(row(page, 'report.txt')).toBeVisible();
});

test('downloads a file byte for byte', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await row(page, 'photo.jpg').click();
  const bytes = await vaultApp.downloadSelected('photo.jpg');
  expect(bytes.equals(FILES['photo.jpg'])).toBe(true);
});

test('downloads a folder in the browser with each file named by its place in the folder', async ({ vaultApp }) => {
  test.skip(vaultApp.kind !== 'web', 'Electron saves a folder into a folder chosen in a native dialog, subfolders and all.');
  const { page } = vaultApp;
  await row(page, FOLDER.name).click();
  const saved = new Map<string, Buffer>();
  const onDownload = async (download: import('@playwright/test').Download): Promise<void> => {
    const path = await download.path().catch(() => undefined);
    if (path) saved.set(download.suggestedFilename(), await readFile(path));
  };
  page.on('download', onDownload);
  try {
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await expect.poll(() => [...saved.keys()].sort()).toEqual(['album_a.raw', 'album_nested_b.txt']);
  } finally {
    page.off('download', onDownload);
  }
  expect(saved.get('album_nested_b.txt')!.equals(FOLDER.files['nested/b.txt'])).toBe(true);
  expect(saved.get('album_a.raw')!.equals(FOLDER.files['a.raw'])).toBe(true);
});

test('deletes a file after confirmation', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await row(page, 'report.txt').click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('report.txt');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, 'report.txt')).toHaveCount(0);
  await expect(row(page, 'photo.jpg')).toBeVisible();
});

test('still downloads with two nodes stopped, with health shown degraded and then at risk', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await page.locator('[data-node="DFS1"]').getByRole('button', { name: /stop/i }).click();
  await expectNodes(page, ['down', 'up', 'up', 'up']);
  await expect(row(page, 'photo.jpg').locator('[data-col="health"]')).toContainText('degraded 3/4');
  await page.locator('[data-node="DFS3"]').getByRole('button', { name: /stop/i }).click();
  await expectNodes(page, ['down', 'up', 'down', 'up']);
  await expect(row(page, 'photo.jpg').locator('[data-col="health"]')).toContainText('at risk 2/4');
  await expect(row(page, 'album').locator('[data-col="health"]')).toContainText('at risk 2/4');
  if (vaultApp.kind === 'web') await page.screenshot({ path: join(SCREENSHOT_DIR, 'two-nodes-down.png') });
  await row(page, 'photo.jpg').click();
  expect((await vaultApp.downloadSelected('photo.jpg')).equals(FILES['photo.jpg'])).toBe(true);
  await page.locator('[data-node="DFS1"]').getByRole('button', { name: /start/i }).click();
  await page.locator('[data-node="DFS3"]').getByRole('button', { name: /start/i }).click();
  await expectNodes(page, ['up', 'up', 'up', 'up']);
  await expect(row(page, 'photo.jpg').locator('[data-col="health"]')).toContainText('healthy 4/4');
});

test('shows the classic message for a wrong password', async ({ vaultApp }) => {
  const { page } = vaultApp;
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, USER, 'not-the-password');
  await expect(page.getByRole('alert')).toContainText(INVALID_LOGIN_TEXT);
  await expect(page.getByRole('grid', { name: 'Files' })).toHaveCount(0);
  // The form was busy while it waited; focus is back on the password, ready for the next try.
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
});

test('"Remember me" keeps the password in the keychain, signs in at the next start, and "Sign out and forget" removes it', async ({ vaultApp, appData }) => {
  let page = vaultApp.page;
  await signIn(page, USER, PASSWORD, { remember: true });
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
  const stored = await keytar.findCredentials('dfs-vault');
  expect(stored).toEqual([{ account: `${USER} @ local cluster in ${appData}`, password: PASSWORD }]);

  page = await vaultApp.restart();
  await expect(page.getByRole('grid', { name: 'Files' })).toBeVisible();
  await expect(row(page, 'photo.jpg')).toBeVisible();
  await expectNodes(page, ['up', 'up', 'up', 'up']);

  await page.getByRole('button', { name: 'Sign out and forget' }).click();
  await expect(page.getByLabel('Username')).toBeVisible();
  expect(await keytar.findCredentials('dfs-vault')).toEqual([]);

  page = await vaultApp.restart();
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});
