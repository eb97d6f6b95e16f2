import { RECOVERY_LOGIN_SUFFIX } from '../../servers/protocol/constants.js';
import { createVerifier, formatVerifier } from '../../servers/protocol/scram.js';
import { VaultError } from '../shared/errors.js';
import { type MissedNode, missedNodeText, onlyBusy, whenEveryNodeIsUp } from '../shared/missed-nodes.js';
import { recoveryLoginSecret } from './crypto/key-hierarchy.js';
import { decodeWrappedMasterKey, matchesWrappedMasterKey } from './crypto/master-key.js';
import { formatRecoveryKey, parseRecoveryKey } from './crypto/recovery-key.js';
import type { ServerEntry } from './dfc-config.js';
import { MASTER_KEY_OBJECT, openBestRecord, readMasterKeyRecords, wrappedRecord, writeMasterKeyRecord } from './master-key-store.js';
import { NodeClient } from './node-client.js';
import { NodePool, missedNode, throwIfLoginRejected, toVaultError } from './node-pool.js';
import { nextVersion } from './object-meta.js';
import { unavailableClause, unavailableNodes } from './unavailable-nodes.js';

// The account operations: password change, recovery key, recovery. Each changes what every node
// holds for the user (SCRAM verifiers and the wrapped master key) and never touches file contents.

/** Tuning of account operations; tests pass a small scrypt cost. */
export interface AccountOptions {
  scryptN?: number;
  timeoutMs?: number;
}

/** What a password change left behind: normally nothing. */
export interface PasswordChangeResult {
  /**
   * Nodes (with the reason) that took the new password but could not drop the old one, because they failed
   * in the last step: both passwords open them until the password is changed again with them up (and not busy).
   */
  oldPasswordStillAcceptedBy: MissedNode[];
}

/**
 * Changes the password in two phases. First every node accepts the new password beside the old one
 * (a pending verifier with the same salt) and stores the master key wrapped under it as a new record
 * version; a failure there is undone and the old password keeps working. Then every node drops the old
 * verifier and record. The master key stays, so no file is re-encrypted.
 */
export async function changePassword(pool: NodePool, currentPassword: string, newPassword: string, options: AccountOptions = {}): Promise<PasswordChangeResult> {
  if (!pool.isPassword(currentPassword)) throw new VaultError('AUTH_FAILED', 'The current password is not right; nothing was changed.');
  assertNewPassword(newPassword);
  await requireEveryNode(pool, 'Changing the password');
  const { sightings } = await readMasterKeyRecords(pool);
  const { masterKey } = await openBestRecord(sightings, currentPassword);
  const clients: NodeClient[] = [];
  try {
    const record = await wrappedRecord(masterKey, newPassword, options.scryptN);
    const version = nextVersion(sightings.map((s) => s.version));
    const pending: string[] = [];
    try {
      // One node at a time on fresh logins: each login reports the salt its node holds right now.
      for (const server of pool.servers) {
        try {
          const client = await NodeClient.connect(server, pool.username, currentPassword, { timeoutMs: options.timeoutMs });
          clients.push(client);
          const verifier = formatVerifier(createVerifier(newPassword, client.login));
          await client.setVerifier('pending', verifier);
          pending.push(verifier);
        } catch (error) {
          throw toVaultError(error, server.name);
        }
      }
      await writeMasterKeyRecord(pool, record, version, pool.servers.map((_, node) => node), pool.size);
    } catch (error) {
      await Promise.all(clients.map((client) => client.setVerifier('pending', '').catch(() => undefined)));
      const why = toVaultError(error);
      throw new VaultError(why.code, `Could not change the password: ${why.message} Nothing was changed; the current password still works.`, { cause: error });
    }
    const unfinished: MissedNode[] = [];
    await Promise.all(
      clients.map(async (client, node) => {
        try {
          await client.setVerifier('current', pending[node]!);
          await client.prune(MASTER_KEY_OBJECT, version);
        } catch (error) {
          unfinished.push(missedNode(pool.servers[node]!.name, toVaultError(error)));
        }
      }),
    );
    pool.usePassword(newPassword);
    return { oldPasswordStillAcceptedBy: unfinished };
  } finally {
    masterKey.fill(0);
    for (const client of clients) client.close();
  }
}

/**
 * The vault's recovery key, once `password` is confirmed: the master key in printable form. Every
 * reachable node is (again) given the verifier of the recovery login, so the key can later reset the
 * password there; the nodes that could not take it (down or busy) are returned.
 */
export async function showRecoveryKey(pool: NodePool, password: string): Promise<{ recoveryKey: string; notRegisteredOn: MissedNode[] }> {
  if (!pool.isPassword(password)) throw new VaultError('AUTH_FAILED', 'That password is not right.');
  const { masterKey } = await openBestRecord((await readMasterKeyRecords(pool)).sightings, password);
  try {
    return { recoveryKey: formatRecoveryKey(masterKey), notRegisteredOn: await registerRecoveryLogin(pool, masterKey) };
  } finally {
    masterKey.fill(0);
  }
}

/** Lets every reachable node accept a login with `masterKey`'s recovery secret; returns the nodes that did not, and why. */
export async function registerRecoveryLogin(pool: NodePool, masterKey: Buffer): Promise<MissedNode[]> {
  const verifier = formatVerifier(createVerifier(recoveryLoginSecret(masterKey)));
  return unavailableNodes(pool.servers, await pool.onEveryNode((client) => client.setVerifier('recovery', verifier)));
}

/** What recovery needs: where the nodes are, whose vault, the recovery key and the new password. */
export interface RecoverRequest extends AccountOptions {
  servers: ServerEntry[];
  username: string;
  recoveryKey: string;
  newPassword: string;
}

/**
 * Sets a new password from the recovery key, without the old one: logs in to every node with the
 * recovery secret, checks the key against the stored record, stores the master key wrapped under the
 * new password, then replaces the password's verifier. Running it again finishes an interrupted run.
 */
export async function recoverAccount(request: RecoverRequest): Promise<void> {
  const masterKey = parseRecoveryKey(request.recoveryKey);
  assertNewPassword(request.newPassword);
  const pool = new NodePool(request.servers, { username: request.username + RECOVERY_LOGIN_SUFFIX, password: recoveryLoginSecret(masterKey), timeoutMs: request.timeoutMs });
  try {
    try {
      await requireEveryNode(pool, 'Resetting the password');
    } catch (error) {
      if (error instanceof VaultError && error.code === 'AUTH_FAILED') {
        throw new VaultError('AUTH_FAILED', `This recovery key does not open ${request.username}'s vault on every node. Check the username and the key; a key works on a node only once "Recovery key" was shown while that node was up.`, { cause: error });
      }
      throw error;
    }
    const { sightings } = await readMasterKeyRecords(pool);
    if (!sightings.some((s) => matchesWrappedMasterKey(masterKey, decodeWrappedMasterKey(s.bytes)))) {
      throw new VaultError('AUTH_FAILED', `This recovery key is not the key of ${request.username}'s vault; nothing was changed.`);
    }
    const version = nextVersion(sightings.map((s) => s.version));
    await writeMasterKeyRecord(pool, await wrappedRecord(masterKey, request.newPassword, request.scryptN), version, request.servers.map((_, node) => node), pool.size);
    const verifier = formatVerifier(createVerifier(request.newPassword));
    const outcomes = await pool.onEveryNode(async (client) => {
      await client.setVerifier('current', verifier);
      await client.prune(MASTER_KEY_OBJECT, version);
    });
    const failed = unavailableNodes(pool.servers, outcomes);
    if (failed.length > 0) {
      throw new VaultError('INCOMPLETE', `The new password is set on some nodes but not on ${failed.map(missedNodeText).join(', ')}. Run the recovery again ${whenEveryNodeIsUp(failed)}.`);
    }
  } finally {
    pool.close();
    masterKey.fill(0);
  }
}

/**
 * Throws unless every node answers and accepts the login; names the ones that do not. Only busy nodes missing is
 * NODE_BUSY (try again in a moment); any node down is NODE_UNREACHABLE.
 */
async function requireEveryNode(pool: NodePool, what: string): Promise<void> {
  const outcomes = await pool.onEveryNode((client) => client.ping());
  throwIfLoginRejected(outcomes);
  const missed = unavailableNodes(pool.servers, outcomes);
  if (missed.length === 0) return;
  const busy = onlyBusy(missed);
  const when = busy ? 'in a moment' : missed.some((node) => node.busy) ? 'when every node is up and none is busy' : 'when every node is up';
  throw new VaultError(busy ? 'NODE_BUSY' : 'NODE_UNREACHABLE', `${what} needs every node, and ${unavailableClause(missed)}. Nothing was changed; try again ${when}.`);
}

function assertNewPassword(password: string): void {
  if (password.length === 0) throw new VaultError('INVALID_REQUEST', 'The new password cannot be empty.');
}
