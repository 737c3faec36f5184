import { entityAlreadyExists, noSuchEntity } from './errors';
import { isoNow } from './ids';
import { type LoginProfileRecord, nameKey } from './model';
import type { Handlers } from './params';
import { checkPassword, hashPassword } from './passwords';
import { RULES } from './rules';
import { ACCOUNT_KEY, type IamState } from './state';

const profileXml = (profile: LoginProfileRecord) => ({
  UserName: profile.userName,
  CreateDate: profile.createDate,
  PasswordResetRequired: profile.passwordResetRequired,
});

function requireProfile(state: IamState, userName: string): LoginProfileRecord {
  const user = state.requireUser(userName);
  const profile = state.loginProfiles.get(nameKey(user.userName));
  if (!profile) throw noSuchEntity(`Login Profile for User ${user.userName} cannot be found.`);
  return profile;
}

function requireNoProfile(state: IamState, userName: string): string {
  const user = state.requireUser(userName);
  if (state.loginProfiles.has(nameKey(user.userName))) {
    throw entityAlreadyExists(`Login Profile for user ${user.userName} already exists.`);
  }
  return user.userName;
}

/** Passwords are checked against the account policy, hashed, and never stored or echoed in clear. */
export const loginProfileActions: Handlers = {
  CreateLoginProfile: async (params, state) => {
    const userName = params.required('UserName', RULES.userName);
    const password = params.required('Password', RULES.password);
    const passwordResetRequired = params.boolean('PasswordResetRequired') ?? false;
    requireNoProfile(state, userName);
    checkPassword(password, state.passwordPolicy.get(ACCOUNT_KEY));
    const passwordHash = await hashPassword(password);
    // Checked again: another request may have changed the user while the hash was computed.
    const storedName = requireNoProfile(state, userName);
    const profile: LoginProfileRecord = {
      userName: storedName,
      createDate: isoNow(),
      passwordResetRequired,
      passwordHash,
    };
    state.loginProfiles.set(nameKey(storedName), profile);
    return { LoginProfile: profileXml(profile) };
  },

  GetLoginProfile: (params, state) => ({
    LoginProfile: profileXml(requireProfile(state, params.required('UserName', RULES.userName))),
  }),

  UpdateLoginProfile: async (params, state) => {
    const userName = params.required('UserName', RULES.userName);
    const password = params.optional('Password', RULES.password);
    const passwordResetRequired = params.boolean('PasswordResetRequired');
    requireProfile(state, userName);
    if (password !== undefined) checkPassword(password, state.passwordPolicy.get(ACCOUNT_KEY));
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const profile = requireProfile(state, userName);
    state.loginProfiles.set(nameKey(profile.userName), {
      ...profile,
      passwordHash: passwordHash ?? profile.passwordHash,
      passwordResetRequired: passwordResetRequired ?? profile.passwordResetRequired,
    });
    return undefined;
  },

  DeleteLoginProfile: (params, state) => {
    const profile = requireProfile(state, params.required('UserName', RULES.userName));
    state.loginProfiles.delete(nameKey(profile.userName));
    return undefined;
  },
};
