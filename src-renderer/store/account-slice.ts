import type { ClusterTarget, PasswordChange, RecoveryKey } from '../../src-main/shared/app-models.js';
import { toSerializedError } from '../api/thrown-errors.js';
import {
  type ChangePasswordForm,
  type Problems,
  type RecoverForm,
  changePasswordFailure,
  changePasswordProblems,
  confirmPasswordProblems,
  passwordChangedText,
  recoverFailure,
  recoverProblems,
  recoveryKeyFailure,
} from './account-forms.js';
import type { SliceCreator } from './state.js';

/** An account call under way (its dialog or form shows it busy). */
export type AccountWork = 'change-password' | 'recovery-key' | 'recover' | null;

/** The answer to "show the recovery key": the key, or what to fix first. */
export type RecoveryKeyOutcome = { ok: true; key: RecoveryKey } | { ok: false; problems: Problems<'password'> };

/**
 * Changing the password, showing the recovery key, and resetting a forgotten password. Each action answers with the
 * problems to show in its form (none on success), because the form is on top of the notice region. The recovery
 * key itself is handed to the dialog that shows it and never kept in the store.
 */
export interface AccountSlice {
  accountWork: AccountWork;
  /** Changes the signed-in user's password; reports success (and what happened to a remembered login) as notices. */
  changePassword(form: ChangePasswordForm): Promise<Problems<keyof ChangePasswordForm>>;
  /** Confirms the password and fetches the recovery key. */
  revealRecoveryKey(password: string): Promise<RecoveryKeyOutcome>;
  /** Sets a new password from the recovery key on `target` (nobody is signed in); success is reported as a notice. */
  recoverPassword(target: ClusterTarget, form: RecoverForm): Promise<Problems<keyof RecoverForm>>;
}

/** Builds the account slice. */
export const createAccountSlice: SliceCreator<AccountSlice> = ({ api }) => (set, get) => {
  const reportChange = (what: 'changed' | 'reset', change: PasswordChange) => {
    get().notify('info', passwordChangedText(what, change.keychainUpdated));
    if (change.unfinished) get().notify('warning', change.unfinished, 'INCOMPLETE');
    if (change.keychainProblem) get().notify('warning', change.keychainProblem, 'KEYCHAIN');
  };

  const busy = async <T>(work: Exclude<AccountWork, null>, action: () => Promise<T>): Promise<T> => {
    set({ accountWork: work });
    try {
      return await action();
    } finally {
      set({ accountWork: null });
    }
  };

  return {
    accountWork: null,

    async changePassword(form) {
      const problems = changePasswordProblems(form);
      if (Object.keys(problems).length > 0) return problems;
      return busy('change-password', async () => {
        try {
          reportChange('changed', await api.account.changePassword({ current: form.current, next: form.next }));
          return {};
        } catch (error) {
          return changePasswordFailure(toSerializedError(error));
        }
      });
    },

    async revealRecoveryKey(password) {
      const problems = confirmPasswordProblems(password);
      if (Object.keys(problems).length > 0) return { ok: false, problems };
      return busy('recovery-key', async (): Promise<RecoveryKeyOutcome> => {
        try {
          return { ok: true, key: await api.account.recoveryKey({ password }) };
        } catch (error) {
          return { ok: false, problems: recoveryKeyFailure(toSerializedError(error)) };
        }
      });
    },

    async recoverPassword(target, form) {
      const problems = recoverProblems(form);
      if (Object.keys(problems).length > 0) return problems;
      return busy('recover', async () => {
        try {
          const change = await api.account.recover({ target, username: form.username.trim(), recoveryKey: form.recoveryKey.trim(), newPassword: form.next });
          reportChange('reset', change);
          return {};
        } catch (error) {
          return recoverFailure(toSerializedError(error));
        } finally {
          // Starting the local cluster for the reset changes the node strip.
          void get().refreshCluster();
        }
      });
    },
  };
};
