import { describe, expect, it } from 'vitest';

describe('call handlers', () => {
  it('report the app version of package.json', async () => {
    const { readFile } = await import('node:fs/promises');
    const { APP_VERSION } = await import('../../src-main/service/call-handlers.js');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
