import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeAgainst } from '../../src-main/service/path-placement.js';

describe('where a path lies against a folder', () => {
  it('tells the folder itself, what is below it, and what is outside, by whole components', () => {
    expect(placeAgainst('/home/a/Down', '/home/a/Down', path.posix)).toBe('root');
    expect(placeAgainst('/home/a/Down', '/home/a/Down/x/y.txt', path.posix)).toBe('inside');
    expect(placeAgainst('/home/a/Down', '/home/a/Down/..hidden', path.posix)).toBe('inside');
    expect(placeAgainst('/home/a/Down', '/home/a/Downloads/x', path.posix)).toBe('outside');
    expect(placeAgainst('/home/a/Down', '/home/a', path.posix)).toBe('outside');
  });

  it('follows the rules of Windows paths: another drive is outside', () => {
    expect(placeAgainst('C:\\Users\\a', 'C:\\Users\\a\\x.txt', path.win32)).toBe('inside');
    expect(placeAgainst('C:\\Users\\a', 'D:\\Users\\a\\x.txt', path.win32)).toBe('outside');
  });
});
