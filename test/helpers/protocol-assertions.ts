import { expect } from 'vitest';
import { ProtocolError } from '../../servers/protocol/errors.js';

/** The ProtocolError a promise rejects with; fails the test if it resolves or throws something else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ProtocolError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('Expected a ProtocolError, but the promise resolved.');
}
