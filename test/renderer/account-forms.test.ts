import { describe, expect, it } from 'vitest';
import {
  EMPTY_CHANGE_PASSWORD,
  EMPTY_RECOVER,
  MAX_PASSWORD_CHARS,
  changePasswordFailure,
  changePasswordProblems,
  confirmPasswordProblems,
  firstProblem,
  notRegisteredWarning,
  passwordChangedText,
  recoverFailure,
  recoverProblems,
  recoveryKeyFailure,
  recoveryKeyGroups,
} from '../../src-renderer/store/account-forms.js';
import { INVALID_LOGIN_TEXT } from '../../src-main/shared/errors.js';

const KEY = '7Q2MX-4HJKP-0ABCD-EFGHJ-KMNPQ-RSTVW-XYZ01-23456-789AB-CDEFG-HJKMN';

describe('account forms', () => {
  describe('change password', () => {
    it('asks for every field of an empty form', () => {
      expect(changePasswordProblems(EMPTY_CHANGE_PASSWORD)).toEqual({
        current: 'Enter your current password.',
        next: 'Enter a new password.',
        repeat: 'Type the new password again.',
      });
    });

    it('catches a repetition that does not match', () => {
      expect(changePasswordProblems({ current: 'old', next: 'new one', repeat: 'new on' })).toEqual({ repeat: 'The two new passwords do not match.' });
      // The same password again is allowed: it is how a change left unfinished on a node is completed.
      expect(changePasswordProblems({ current: 'same', next: 'same', repeat: 'same' })).toEqual({});
      expect(changePasswordProblems({ current: 'old', next: 'new one', repeat: 'new one' })).toEqual({});
    });

    it('keeps passwords within what the contract takes', () => {
      const long = 'x'.repeat(MAX_PASSWORD_CHARS + 1);
      expect(changePasswordProblems({ current: 'old', next: long, repeat: long }).next).toMatch(/at most 1024 characters/);
      expect(changePasswordProblems({ current: 'old', next: 'x'.repeat(MAX_PASSWORD_CHARS), repeat: 'x'.repeat(MAX_PASSWORD_CHARS) })).toEqual({});
    });

    it('puts a wrong current password next to its field and anything else above the form', () => {
      expect(changePasswordFailure({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT })).toEqual({ current: 'This is not your current password.' });
      expect(changePasswordFailure({ code: 'NODE_UNREACHABLE', message: 'DFS2 is unreachable.' })).toEqual({ form: 'DFS2 is unreachable.' });
    });
  });

  describe('recovery key', () => {
    it('asks for the password first', () => {
      expect(confirmPasswordProblems('')).toEqual({ password: 'Enter your password.' });
      expect(confirmPasswordProblems('pw')).toEqual({});
      expect(recoveryKeyFailure({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT })).toEqual({ password: 'This is not your password.' });
      expect(recoveryKeyFailure({ code: 'AUTH_THROTTLED', message: 'Too many attempts; wait 30 s.' })).toEqual({ form: 'Too many attempts; wait 30 s.' });
    });

    it('splits the key into its groups, so lines break only between them', () => {
      expect(recoveryKeyGroups(KEY)).toHaveLength(11);
      expect(recoveryKeyGroups(KEY).join('-')).toBe(KEY);
    });

    it('names the nodes that do not know the key yet, or says nothing when all do', () => {
      const down = (name: string) => ({ name, busy: false, reason: 'connection refused' });
      expect(notRegisteredWarning([])).toBeNull();
      expect(notRegisteredWarning([down('DFS3')])).toBe('DFS3 was down, so this key cannot reset your password yet. Open “Recovery key…” again once it is up.');
      expect(notRegisteredWarning(['DFS1', 'DFS2', 'DFS4'].map(down))).toBe('DFS1, DFS2 and DFS4 were down, so this key cannot reset your password yet. Open “Recovery key…” again once they are up.');
    });

    it('says a busy node was busy, and to try again in a moment when no node was down', () => {
      const busy = { name: 'DFS2', busy: true, reason: 'another process has been changing its users file for a while' };
      expect(notRegisteredWarning([busy])).toBe('DFS2 was busy, so this key cannot reset your password yet. Open “Recovery key…” again in a moment.');
      expect(notRegisteredWarning([{ name: 'DFS4', busy: false, reason: 'timed out' }, busy])).toBe(
        'DFS4 was down and DFS2 was busy, so this key cannot reset your password yet. Open “Recovery key…” again once they are up.',
      );
    });
  });

  describe('recover', () => {
    it('asks for every field of an empty form', () => {
      expect(recoverProblems(EMPTY_RECOVER)).toEqual({
        username: 'Enter your username.',
        recoveryKey: 'Enter the recovery key you saved.',
        next: 'Enter a new password.',
        repeat: 'Type the new password again.',
      });
    });

    it('catches a mismatch, blank names and keys far too long, and leaves the key\'s spelling to the vault', () => {
      const good = { username: 'alice', recoveryKey: KEY.toLowerCase().replaceAll('-', ' '), next: 'n', repeat: 'n' };
      expect(recoverProblems(good)).toEqual({});
      expect(recoverProblems({ ...good, repeat: 'm' })).toEqual({ repeat: 'The two new passwords do not match.' });
      expect(recoverProblems({ ...good, username: '   ' })).toEqual({ username: 'Enter your username.' });
      expect(recoverProblems({ ...good, recoveryKey: 'A'.repeat(257) }).recoveryKey).toMatch(/too long/);
    });

    it('puts a malformed or foreign key next to the key, in the vault\'s words, and anything else above the form', () => {
      const typo = 'The recovery key has 54 characters instead of 55; check the recovery key for typos.';
      expect(recoverFailure({ code: 'INVALID_REQUEST', message: typo })).toEqual({ recoveryKey: typo });
      const foreign = "This recovery key is not the key of alice's vault; nothing was changed.";
      expect(recoverFailure({ code: 'AUTH_FAILED', message: foreign })).toEqual({ recoveryKey: foreign });
      expect(recoverFailure({ code: 'NODE_UNREACHABLE', message: 'Every node must be up.' })).toEqual({ form: 'Every node must be up.' });
    });

    it('finds the first field to fix in the order of the form', () => {
      expect(firstProblem({ repeat: 'x', recoveryKey: 'y' }, ['username', 'recoveryKey', 'next', 'repeat'] as const)).toBe('recoveryKey');
      expect(firstProblem({ form: 'x' }, ['username'] as const)).toBeUndefined();
    });
  });

  it('says what a change did, including the remembered login', () => {
    expect(passwordChangedText('changed', false)).toBe('Password changed.');
    expect(passwordChangedText('changed', true)).toBe('Password changed. The keychain remembers the new one.');
    expect(passwordChangedText('reset', false)).toBe('Password reset. Sign in with your new password.');
  });
});
