/**
 * Input constraints from IAM's service model (2010-05-08): lengths, patterns and ranges that IAM
 * answers with ValidationError. Patterns are written as the model writes them (IAM quotes them in
 * its messages) and must match the whole value.
 */
export type StringRule = { min?: number; max?: number; pattern?: string; sensitive?: true };
export type IntegerRule = { min: number; max: number };

const NAME = '[\\w+=,.@-]+';
const POLICY_PATH = '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/';
const PRINTABLE = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';

export const RULES = {
  userName: { min: 1, max: 64, pattern: NAME },
  existingUserName: { min: 1, max: 128, pattern: NAME },
  groupName: { min: 1, max: 128, pattern: NAME },
  policyName: { min: 1, max: 128, pattern: NAME },
  path: { min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
  pathPrefix: { min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' },
  policyPath: { min: 1, max: 512, pattern: POLICY_PATH },
  arn: { min: 20, max: 2048 },
  marker: { min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' },
  policyDocument: { min: 1, max: 131072, pattern: PRINTABLE },
  policyDescription: { max: 1000 },
  policyVersionId: { pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
  password: { min: 1, max: 128, pattern: PRINTABLE, sensitive: true },
  tagKey: { min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' },
  tagValue: { max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' },
  accessKeyId: { min: 16, max: 128, pattern: '[\\w]+' },
  certificateId: { min: 24, max: 128, pattern: '[\\w]+' },
  certificateBody: { min: 1, max: 16384, pattern: PRINTABLE },
  sshPublicKeyId: { min: 20, max: 128, pattern: '[\\w]+' },
  sshPublicKeyBody: { min: 1, max: 16384, pattern: PRINTABLE },
  // IAM does not echo a wrong credential id in its validation message.
  serviceSpecificCredentialId: { min: 20, max: 128, pattern: '[\\w]+', sensitive: true },
  serviceName: {},
  virtualMfaDeviceName: { min: 1, pattern: NAME },
  serialNumber: { min: 9, max: 256, pattern: '[\\w+=/:,.@-]+' },
  authenticationCode: { min: 6, max: 6, pattern: '[\\d]+' },
  accountAlias: { min: 3, max: 63, pattern: '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$' },
} as const satisfies Record<string, StringRule>;

export const INTEGER_RULES = {
  maxItems: { min: 1, max: 1000 },
  minimumPasswordLength: { min: 6, max: 128 },
  maxPasswordAge: { min: 1, max: 1095 },
  passwordReusePrevention: { min: 1, max: 24 },
  credentialAgeDays: { min: 1, max: 36600 },
} as const satisfies Record<string, IntegerRule>;

export const MAX_TAGS = 50;

/** The statusType enum of access keys, certificates, SSH keys and service-specific credentials. */
export const STATUSES = ['Active', 'Inactive', 'Expired'] as const;

const compiled = new Map<string, RegExp>();

/** Whole-value match, with Unicode classes (`\p{L}`) as Java understands them. */
export function matchesPattern(value: string, pattern: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}
