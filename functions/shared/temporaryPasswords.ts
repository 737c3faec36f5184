import { DeleteLoginProfileCommand, GetLoginProfileCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { taggedUser, unmanagedReason } from './employeeUser';
import { iam } from './iamClient';
import { iamError, iamErrorCode } from './iamErrors';
import { deleteTemporaryPassword, secretsError } from './secrets';
import { secretsManager } from './secretsManagerClient';
import { TAG_KEYS, tagValue } from './tags';

/** The tag GeneratePassword puts on every temporary-password secret, and the only one the sweep trusts. */
export const PURPOSE_TAG = { key: 'purpose', value: 'temporary-password' } as const;

/** A temporary password's secret as ListSecrets shows it (never its value). */
export type TemporaryPasswordSecret = {
  arn: string;
  /** The user the password was set on: the secret's name after the prefix. */
  userName: string;
  employeeId: string | undefined;
  eventId: string | undefined;
  /** When the secret last changed (a rerun of GeneratePassword stores a new password in it). */
  changedAt: Date;
};

/**
 * Every temporary-password secret under `prefix`: ListSecrets filtered by name prefix and the
 * purpose tag (filters are prefix matches and tag keys and values are matched separately, so each
 * secret is checked again exactly). Secrets already scheduled for deletion are not listed.
 */
export async function listTemporaryPasswords(prefix: string): Promise<TemporaryPasswordSecret[]> {
  const filters = [
    { Key: 'name' as const, Values: [prefix] },
    { Key: 'tag-key' as const, Values: [PURPOSE_TAG.key] },
    { Key: 'tag-value' as const, Values: [PURPOSE_TAG.value] },
  ];
  const found: TemporaryPasswordSecret[] = [];
  try {
    for await (const page of paginateListSecrets({ client: secretsManager }, { Filters: filters })) {
      for (const secret of page.SecretList ?? []) {
        const { ARN, Name, Tags } = secret;
        if (!ARN || !Name?.startsWith(prefix) || tagValue(Tags, PURPOSE_TAG.key) !== PURPOSE_TAG.value)
          continue;
        const dates = [secret.LastChangedDate, secret.CreatedDate].filter((d): d is Date => d !== undefined);
        found.push({
          arn: ARN,
          userName: Name.slice(prefix.length),
          employeeId: tagValue(Tags, TAG_KEYS.employeeId),
          eventId: tagValue(Tags, TAG_KEYS.eventId),
          changedAt: new Date(Math.max(0, ...dates.map((d) => d.getTime()))),
        });
      }
    }
  } catch (error) {
    throw secretsError('ListSecrets', error);
  }
  return found;
}

/** What revoking did to the secret's user; the secret itself is always deleted. */
export type Revocation =
  | 'login profile deleted'
  | 'no login profile'
  | 'password already changed'
  | 'user not managed by this project'
  | 'user not found';

/**
 * Revokes an undelivered temporary password: the user's login profile is deleted while its
 * first-login password is still pending (PasswordResetRequired), so that password can no longer
 * sign in, then the secret is deleted. Only a user of this project (path /onboarded/, managedBy tag,
 * the secret's employeeId) is touched; a user who already chose a password keeps it. The secret
 * goes last: while it exists, the next sweep tries again.
 */
export async function revokeTemporaryPassword(secret: TemporaryPasswordSecret): Promise<Revocation> {
  const revocation = await revokeLoginProfile(secret);
  await deleteTemporaryPassword(secret.arn);
  return revocation;
}

async function revokeLoginProfile({ userName, employeeId }: TemporaryPasswordSecret): Promise<Revocation> {
  const UserName = userName;
  const found = await unlessGone('GetUser', () => iam.send(new GetUserCommand({ UserName })));
  if (!found?.User) return 'user not found';
  if (employeeId === undefined || unmanagedReason(taggedUser(found.User), employeeId))
    return 'user not managed by this project';

  const profile = await unlessGone('GetLoginProfile', () =>
    iam.send(new GetLoginProfileCommand({ UserName })),
  );
  if (!profile?.LoginProfile) return 'no login profile';
  if (profile.LoginProfile.PasswordResetRequired !== true) return 'password already changed';
  const deleted = await unlessGone('DeleteLoginProfile', () =>
    iam.send(new DeleteLoginProfileCommand({ UserName })),
  );
  return deleted === undefined ? 'no login profile' : 'login profile deleted';
}

/**
 * One IAM call: undefined when IAM answers NoSuchEntity (the user or its login profile is gone, so
 * there is nothing to revoke), any other failure wrapped as {@link iamError}.
 */
async function unlessGone<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (iamErrorCode(error) === 'NoSuchEntity') return undefined;
    throw iamError(action, error);
  }
}
