import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatItemCount, formatLatency, formatModified, formatProgress, formatSpeed } from '../../src-renderer/format.js';

describe('format', () => {
  it('counts the items a folder holds, and says how many of them a filter shows', () => {
    expect(formatItemCount(10, 10)).toBe('10 items');
    expect(formatItemCount(1, 1)).toBe('1 item');
    expect(formatItemCount(3, 10)).toBe('3 of 10 items');
    expect(formatItemCount(0, 1)).toBe('0 of 1 item');
  });

  it('shows sizes in binary units with one decimal below a hundred', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0 TiB');
  });

  it('rounds up to the next unit instead of showing 1024 of one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
  });

  it('shows a dash for sizes that are not sizes', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('shows speeds per second and a dash before there is a rate', () => {
    expect(formatSpeed(2.5 * 1024 * 1024)).toBe('2.5 MiB/s');
    expect(formatSpeed(0)).toBe('—');
  });

  it('shows durations in seconds, minutes and hours', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(2 * 3600 + 600)).toBe('2 h 10 min');
    expect(formatDuration(7200)).toBe('2 h');
  });

  it('shows progress as done over size', () => {
    expect(formatProgress(1.5 * 1024 * 1024, 3 * 1024 * 1024)).toBe('1.5 MiB / 3.0 MiB');
  });

  it('shows latency in whole milliseconds', () => {
    expect(formatLatency(0.4)).toBe('<1 ms');
    expect(formatLatency(12.6)).toBe('13 ms');
    expect(formatLatency(undefined)).toBe('—');
  });

  it('shows a dash for a missing modification time', () => {
    expect(formatModified('')).toBe('—');
    expect(formatModified('2026-03-02T12:30:00.000Z')).toMatch(/2026/);
  });
});
