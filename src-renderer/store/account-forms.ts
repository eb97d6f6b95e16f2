/**
 * The account forms (change password, show the recovery key, reset a forgotten password): what each field must hold
 * before the host is asked, and where a failed call's message belongs. Pure, so it is tested without React.
 */
import type { SerializedVaultError } from '../../src-main/shared/errors.js';
import { type MissedNode, missedNodesClause, onlyBusy } from '../../src-main/shared/missed-nodes.js';

/** The longest password the contract takes. */
export const MAX_PASSWORD_CHARS = 1024;

/** The longest username the contract takes. */
export const MAX_USERNAME_CHARS = 64;

/** The longest recovery key text the contract takes (the key is 65 characters with its dashes; pasted spacing aside). */
export const MAX_RECOVERY_KEY_CHARS = 256;

/** Messages per field; `form` is a message about the whole form (a node down, say). Empty when the form can be sent. */
export type Problems<Field extends string> = Partial<Record<Field | 'form', string>>;

/** The change-password dialog's fields. */
export interface ChangePasswordForm {
  current: string;
  next: string;
  repeat: string;
}

/** The "Forgot password?" form's fields (the cluster comes from the connect screen). */
export interface RecoverForm {
  username: string;
  recoveryKey: string;
  next: string;
  repeat: string;
}

/** Blank change-password fields. */
export const EMPTY_CHANGE_PASSWORD: ChangePasswordForm = { current: '', next: '', repeat: '' };

/** Blank recover fields. */
export const EMPTY_RECOVER: RecoverForm = { username: '', recoveryKey: '', next: '', repeat: '' };

function tooLong(value: string, max: number): boolean {
  return value.length > max;
}

/** Checks a new password and its repetition. */
export function newPasswordProblems(next: string, repeat: string): Problems<'next' | 'repeat'> {
  const problems: Problems<'next' | 'repeat'> = {};
  if (next === '') problems.next = 'Enter a new password.';
  else if (tooLong(next, MAX_PASSWORD_CHARS)) problems.next = `A password can have at most ${MAX_PASSWORD_CHARS} characters.`;
  if (repeat === '') problems.repeat = 'Type the new password again.';
  else if (next !== '' && repeat !== next) problems.repeat = 'The two new passwords do not match.';
  return problems;
}

/** Checks the change-password dialog before the host is asked. */
export function changePasswordProblems(form: ChangePasswordForm): Problems<keyof ChangePasswordForm> {
  const problems: Problems<keyof ChangePasswordForm> = newPasswordProblems(form.next, form.repeat);
  if (form.current === '') problems.current = 'Enter your current password.';
  else if (tooLong(form.current, MAX_PASSWORD_CHARS)) problems.current = `A password can have at most ${MAX_PASSWORD_CHARS} characters.`;
  // The new password may equal the current one: changing it again is how an unfinished change is completed.
  return problems;
}

/** Checks the password asked for before the recovery key is shown. */
export function confirmPasswordProblems(password: string): Problems<'password'> {
  if (password === '') return { password: 'Enter your password.' };
  if (tooLong(password, MAX_PASSWORD_CHARS)) return { password: `A password can have at most ${MAX_PASSWORD_CHARS} characters.` };
  return {};
}

/** Checks the recover form before the host is asked. */
export function recoverProblems(form: RecoverForm): Problems<keyof RecoverForm> {
  const problems: Problems<keyof RecoverForm> = newPasswordProblems(form.next, form.repeat);
  const username = form.username.trim();
  if (username === '') problems.username = 'Enter your username.';
  else if (tooLong(username, MAX_USERNAME_CHARS)) problems.username = `A username has at most ${MAX_USERNAME_CHARS} characters.`;
  const key = form.recoveryKey.trim();
  if (key === '') problems.recoveryKey = 'Enter the recovery key you saved.';
  else if (tooLong(key, MAX_RECOVERY_KEY_CHARS)) problems.recoveryKey = 'This is too long for a recovery key (11 groups of 5 characters).';
  return problems;
}

/** The first field with a problem, in the order the fields appear (to move focus there). */
export function firstProblem<Field extends string>(problems: Problems<Field>, order: readonly Field[]): Field | undefined {
  return order.find((field) => problems[field] !== undefined);
}

/** Where a failed password change is explained: a wrong current password next to its field, the rest above the form. */
export function changePasswordFailure(error: SerializedVaultError): Problems<keyof ChangePasswordForm> {
  if (error.code === 'AUTH_FAILED') return { current: 'This is not your current password.' };
  return { form: error.message };
}

/** Where a failure to show the recovery key is explained. */
export function recoveryKeyFailure(error: SerializedVaultError): Problems<'password'> {
  if (error.code === 'AUTH_FAILED') return { password: 'This is not your password.' };
  return { form: error.message };
}

/**
 * Where a failed reset is explained. A malformed key (INVALID_REQUEST: the form checks every other field) and a key
 * that does not open this user's vault (AUTH_FAILED; the vault says why, naming the user) belong next to the key;
 * the rest (a node down, say) above the form.
 */
export function recoverFailure(error: SerializedVaultError): Problems<keyof RecoverForm> {
  if (error.code === 'INVALID_REQUEST' || error.code === 'AUTH_FAILED') return { recoveryKey: error.message };
  return { form: error.message };
}

/** The groups of a recovery key ("7Q2MX-4HJKP-…" → ["7Q2MX", "4HJKP", …]), to show it with line breaks only between groups. */
export function recoveryKeyGroups(key: string): string[] {
  return key.split('-').filter((group) => group !== '');
}

/** The warning shown with the recovery key when some nodes could not learn it (down or busy), or null when all did. */
export function notRegisteredWarning(nodes: readonly MissedNode[]): string | null {
  if (nodes.length === 0) return null;
  const when = onlyBusy(nodes) ? 'in a moment' : `once ${nodes.length === 1 ? 'it is' : 'they are'} up`;
  return `${missedNodesClause(nodes, { down: 'down', past: true })}, so this key cannot reset your password yet. Open “Recovery key…” again ${when}.`;
}

/** What the info notice says after a password change or reset, given what happened to the remembered login. */
export function passwordChangedText(what: 'changed' | 'reset', keychainUpdated: boolean): string {
  const head = what === 'changed' ? 'Password changed.' : 'Password reset. Sign in with your new password.';
  return keychainUpdated ? `${head} The keychain remembers the new one.` : head;
}
