import { describe, expect, it } from 'vitest';
import { oneLogLine } from '../../../servers/node/log-line.js';

describe('oneLogLine', () => {
  it('keeps a message a client shaped on one line: newlines and other control characters become escapes', () => {
    expect(oneLogLine('failed login for "mallory\n[DFS1] login for "alice" succeeded" from 10.0.0.9:5000')).toBe(
      'failed login for "mallory\\n[DFS1] login for "alice" succeeded" from 10.0.0.9:5000',
    );
    expect(oneLogLine('a\rb\tc\u0000d\u001be\u007ff\u2028g')).toBe('a\\rb\\tc\\u0000d\\u001be\\u007ff\\u2028g');
    expect(oneLogLine('plain text, “quotes” and ünïcode stay')).toBe('plain text, “quotes” and ünïcode stay');
  });
});
