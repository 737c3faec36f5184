import { createHash, randomBytes } from 'node:crypto';
import type { NamedPolicy } from './policyEvaluation';

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The policies that decide what a principal may do, read when a request is evaluated. */
export type PolicySet = { identity: NamedPolicy[]; boundary?: NamedPolicy };

/** Someone who signs requests to the local endpoint: a role session (a function) or an IAM user. */
export type Principal = {
  /** The caller as AWS names it in GetCallerIdentity and in AccessDenied messages. */
  arn: string;
  /** `aws:PrincipalArn`: the role's ARN for a role session, else the user's ARN. */
  principalArn: string;
  type: 'AssumedRole' | 'User';
  /** `aws:userid`: `AROA…:<session>` for a role session, the user's id for a user. */
  userId: string;
  /** `aws:username`, for IAM users only. */
  userName?: string;
  accountId: string;
  credentials: Credentials;
  policies(): PolicySet;
};

/** A role as CloudFormation creates it from serverless.yml, with its inline policies. */
export type Role = { logicalId: string; name: string; arn: string; id: string; policies: NamedPolicy[] };

/**
 * The principals the local endpoint knows, by access key. Role sessions get temporary credentials
 * (ASIA… key and a session token), as Lambda and Step Functions receive them from STS.
 */
export class Principals {
  private readonly byAccessKey = new Map<string, Principal>();

  constructor(readonly accountId: string) {}

  add(principal: Principal): Principal {
    this.byAccessKey.set(principal.credentials.accessKeyId, principal);
    return principal;
  }

  find(accessKeyId: string): Principal | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  /** A session of `role` named `sessionName`, with fresh temporary credentials. */
  assumeRole(role: Role, sessionName: string): Principal {
    return this.add({
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${sessionName}`,
      principalArn: role.arn,
      type: 'AssumedRole',
      userId: `${role.id}:${sessionName}`,
      accountId: this.accountId,
      credentials: {
        accessKeyId: `ASIA${randomId(16)}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
      },
      policies: () => ({ identity: role.policies }),
    });
  }
}

/** CloudFormation's name for a role without RoleName: `<stack>-<logicalId>-<suffix>`, at most 64 characters. */
export function roleName(stackName: string, logicalId: string): string {
  const suffix = stableId(`${stackName}/${logicalId}`, 12);
  return `${stackName.slice(0, 64 - logicalId.length - 14)}-${logicalId}-${suffix}`;
}

/** A unique id with IAM's prefix (AROA for roles), stable for the same role. */
export function roleId(roleArn: string): string {
  return `AROA${stableId(roleArn, 17)}`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, length), (byte) => ALPHABET[byte % 32]).join('');
}

function randomId(length: number): string {
  return Array.from(randomBytes(length), (byte) => ALPHABET[byte % 32]).join('');
}
