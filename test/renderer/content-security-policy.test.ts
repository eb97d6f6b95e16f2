import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/web/request-guard.js';

function directives(policy: string): string[] {
  return policy.split(';').map((d) => d.trim()).filter(Boolean).sort();
}

describe('the page\'s Content-Security-Policy', () => {
  it('is in index.html as the hosts send it, less frame-ancestors (which only works as a header)', async () => {
    const html = await readFile(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(directives(meta!)).toEqual(directives(CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('frame-ancestors')));
    expect(meta).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});
