import { describe, expect, it } from 'vitest';

describe('call handlers', () => {
  it('report the app version of package.json', async () => {
    const { readFile } = await import('node:fs/promises');
    const { APP_VERSION } = await import('../../src-main/service/call-handlers.js');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });

  it('save into a folder chosen for several files without replacing anything or following links there, whatever the page asks', async () => {
    const { createCallHandlers } = await import('../../src-main/service/call-handlers.js');
    type Service = Parameters<typeof createCallHandlers>[0];
    type Host = Parameters<typeof createCallHandlers>[1];
    const asked: unknown[] = [];
    const service = { download: async (items: unknown[]) => (asked.push(...items), { ids: [] }) } as unknown as Service;
    const grants: Record<string, ReturnType<Host['authorizeDownloadDestination']>> = {
      '/home/me/Downloads/batch/a.txt': { kind: 'in-folder', folder: '/home/me/Downloads/batch' },
      '/home/me/report.pdf': { kind: 'chosen-file' },
    };
    const host = {
      authorizeDownloadDestination: (path: string) => {
        const grant = grants[path];
        if (!grant) throw new Error('not granted');
        return grant;
      },
    } as unknown as Host;
    const handlers = createCallHandlers(service, host);
    await handlers['transfers.download']({
      items: [
        { path: 'a.txt', destination: '/home/me/Downloads/batch/a.txt', ifExists: 'replace' },
        { path: 'report.pdf', destination: '/home/me/report.pdf', ifExists: 'replace' },
      ],
    });
    expect(asked).toEqual([
      { path: 'a.txt', destination: '/home/me/Downloads/batch/a.txt', ifExists: 'keep-both', within: '/home/me/Downloads/batch' },
      { path: 'report.pdf', destination: '/home/me/report.pdf', ifExists: 'replace' },
    ]);
  });
});
