import type { Principal } from './principals';

/**
 * The ops principal of the local stack (the CLI, the console, the demo, the aws CLI): the IAM user
 * `local-admin` with AdministratorAccess, evaluated like every other caller. Fixed keys, printed by
 * the start banner: the stack listens on loopback only.
 */
export const ADMIN_CREDENTIALS = {
  accessKeyId: 'AKIALOCALADMIN000000',
  secretAccessKey: 'local-admin-secret-key',
};

export function adminPrincipal(accountId: string): Principal {
  const arn = `arn:aws:iam::${accountId}:user/local-admin`;
  return {
    arn,
    principalArn: arn,
    type: 'User',
    userId: 'AIDALOCALADMIN000000',
    userName: 'local-admin',
    accountId,
    credentials: ADMIN_CREDENTIALS,
    policies: () => ({
      identity: [
        {
          name: 'arn:aws:iam::aws:policy/AdministratorAccess',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        },
      ],
    }),
  };
}
