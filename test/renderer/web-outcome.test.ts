import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../src-main/shared/app-models.js';
import type { VaultApi } from '../../src-main/shared/contract.js';
import { VaultError } from '../../src-main/shared/errors.js';
import { failedSendError, unreachableError } from '../../src-renderer/api/web-outcome.js';

const QUORUM = { code: 'QUORUM_FAILED', message: 'Only 2 of 4 nodes could store their piece; a write needs 3.' } as const;
const SENT_AT = 1_700_000_000_000;

function transfer(change: Partial<Transfer>): Transfer {
  return { id: 't1', direction: 'upload', path: 'big.bin', size: 5, done: 0, state: 'failed', startedAt: SENT_AT + 20, bytesPerSecond: 0, ...change };
}

function hostListing(list: () => Promise<Transfer[]>): Pick<VaultApi, 'transfers'> {
  return { transfers: { list } } as unknown as Pick<VaultApi, 'transfers'>;
}

describe('a browser upload whose PUT broke', () => {
  it('is reported with the vault\'s own error for that upload when the host still answers', async () => {
    const earlier = transfer({ id: 'old', startedAt: SENT_AT - 60_000, error: { code: 'INCOMPLETE', message: 'stale' } });
    const other = transfer({ id: 'other', path: 'other.bin', error: { code: 'INTERNAL', message: 'not this one' } });
    expect(await failedSendError(hostListing(async () => [earlier, other, transfer({ error: QUORUM })]), 'big.bin', 'big.bin', SENT_AT)).toEqual(QUORUM);
  });

  it('says the connection broke, not that the host is gone, when the host answers without a reason', async () => {
    for (const list of [async () => [], () => Promise.reject(new VaultError('SIGNED_OUT', 'Sign in first.'))]) {
      const error = await failedSendError(hostListing(list), 'big.bin', 'big.bin', SENT_AT);
      expect(error.message).toMatch(/^The connection to the DFS Vault web host broke while sending big\.bin/);
    }
  });

  it('blames the host only when it does not answer at all', async () => {
    const error = await failedSendError(hostListing(() => Promise.reject(new VaultError('NODE_UNREACHABLE', unreachableError().message))), 'big.bin', 'big.bin', SENT_AT);
    expect(error).toEqual({ code: 'NODE_UNREACHABLE', message: expect.stringMatching(/^Cannot reach the DFS Vault web host/) });
  });
});
