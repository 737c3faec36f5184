import type { Caller } from '../aws/types';
import type { XmlObject } from '../aws/xml';

/** One STS action: the content of its `<ActionResult>` element for the signing caller. */
export type StsAction = (caller: Caller) => XmlObject;

/**
 * GetCallerIdentity: the signing principal (a role session's assumed-role ARN and
 * `AROA…:<session>` id, or a user's ARN and id) and the account.
 */
export function identityActions(options: { accountId: string }): Readonly<Record<string, StsAction>> {
  return {
    GetCallerIdentity: ({ principal }) => ({
      Arn: principal.arn,
      UserId: principal.userId,
      Account: options.accountId,
    }),
  };
}
