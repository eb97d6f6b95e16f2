import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/** The design tokens of one theme: `--name: #rrggbb` pairs inside `block`. */
function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('colour contrast of the status colours', () => {
  it('keeps health badges, the node summary and transfer states readable (WCAG AA, 4.5:1) in light and dark', async () => {
    const css = await readFile(new URL('../../src-renderer/styles/base.css', import.meta.url), 'utf8');
    const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
    const themes = { light: tokens(css.slice(0, darkAt)), dark: tokens(css.slice(darkAt)) };
    const failures: string[] = [];
    for (const [theme, t] of Object.entries(themes)) {
      for (const status of ['ok', 'warn', 'risk', 'bad']) {
        // The text sits on its soft badge (health, "3/4 up"), on the panel (a transfer's state), on a chip and on a node (busy, down).
        for (const background of [`${status}-soft`, 'surface', 'surface-2', 'bg']) {
          const ratio = contrast(t.get(status)!, t.get(background)!);
          if (ratio < 4.5) failures.push(`${theme}: --${status} on --${background} is ${ratio.toFixed(2)}:1`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
