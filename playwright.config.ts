import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';
import type { VaultHostKind } from './test/e2e/fixtures.js';

/** Debian's chromium (Playwright's own browser download is not available here). */
function systemChromium(): string | undefined {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export default defineConfig<object, { vaultHost: VaultHostKind }>({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  // One worker: each spec file runs its own host and four storage nodes, and this machine has two cores.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: systemChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1280, height: 800 },
    // Progress bars and fades settle at once, so screenshots show the state the test reached.
    reducedMotion: 'reduce',
    acceptDownloads: true,
    trace: 'off',
  },
  projects: [
    { name: 'chromium', testIgnore: '**/electron/**', use: { browserName: 'chromium', vaultHost: 'web' } },
    { name: 'electron', use: { vaultHost: 'electron' } },
  ],
});
