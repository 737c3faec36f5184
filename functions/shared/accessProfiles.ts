import type { ValidateFunction } from 'ajv';
import bundledProfiles from '../../config/access-profiles.json';
import { validateAccessProfiles } from './accessProfilesSchema';
import { ConfigurationError, UnknownDepartmentError } from './errors';

type RawProfiles = {
  allowedPolicies: string[];
  groups: Record<string, { policies: string[] }>;
  profiles: Array<{
    department: string;
    jobTitle?: string;
    groups: string[];
    userPolicies?: string[];
    permissionsBoundary: string;
    copyFrom?: string;
  }>;
};

export type GroupGrant = { readonly name: string; readonly policies: readonly string[] };

/** What one new hire gets. Every ARN has the account id filled in. */
export type AccessProfile = {
  readonly department: string;
  readonly jobTitle?: string;
  readonly groups: readonly GroupGrant[];
  readonly userPolicies: readonly string[];
  readonly permissionsBoundary: string;
  readonly copyFrom?: string;
};

export type AccessProfiles = {
  /** Every managed policy the onboarding may attach (to a group or a user). */
  readonly allowedPolicies: ReadonlySet<string>;
  readonly profiles: readonly AccessProfile[];
  /** The profile for a department (case-insensitive), preferring one that also names the job title. */
  find(department: string, jobTitle?: string): AccessProfile | undefined;
};

const validate = validateAccessProfiles as ValidateFunction<RawProfiles>;
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's placeholder, not a JS template
const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';
const key = (text: string) => text.trim().toLowerCase();

/**
 * Validates access profiles and fills in the account id. Throws a ConfigurationError naming every
 * problem: schema errors, unknown groups, policies outside `allowedPolicies`, allowed policies no
 * profile uses (the allow-list must be exactly what the profiles grant) and duplicate profiles.
 */
export function parseAccessProfiles(raw: unknown, accountId: string): AccessProfiles {
  if (!validate(raw)) {
    const details = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new ConfigurationError(`Invalid access profiles: ${details.join('; ')}`);
  }
  const fill = (arn: string) => arn.replace(ACCOUNT_PLACEHOLDER, accountId);
  const allowed = new Set(raw.allowedPolicies.map(fill));
  const used = new Set<string>();
  const problems: string[] = [];
  const seen = new Set<string>();

  const profiles = raw.profiles.map((profile, index): AccessProfile => {
    const where = `profiles[${index}] (${profile.department}${profile.jobTitle ? ` / ${profile.jobTitle}` : ''})`;
    const identity = `${key(profile.department)}\u0000${key(profile.jobTitle ?? '')}`;
    if (seen.has(identity)) problems.push(`${where} duplicates an earlier profile`);
    seen.add(identity);
    const checkPolicy = (arn: string, what: string) => {
      used.add(arn);
      if (!allowed.has(arn)) problems.push(`${where} ${what} ${arn} is not in allowedPolicies`);
    };
    const groups = profile.groups.map((name) => {
      const group = raw.groups[name];
      if (!group) {
        problems.push(`${where} names group ${name}, which is not defined in groups`);
        return { name, policies: [] };
      }
      const policies = group.policies.map(fill);
      for (const arn of policies) checkPolicy(arn, `group ${name} policy`);
      return { name, policies };
    });
    const userPolicies = (profile.userPolicies ?? []).map(fill);
    for (const arn of userPolicies) checkPolicy(arn, 'user policy');
    return {
      department: profile.department,
      jobTitle: profile.jobTitle,
      groups,
      userPolicies,
      permissionsBoundary: fill(profile.permissionsBoundary),
      copyFrom: profile.copyFrom,
    };
  });
  for (const arn of allowed) {
    if (!used.has(arn)) problems.push(`allowedPolicies lists ${arn}, which no profile grants`);
  }
  if (problems.length > 0) throw new ConfigurationError(`Invalid access profiles: ${problems.join('; ')}`);

  return {
    allowedPolicies: allowed,
    profiles,
    find(department, jobTitle) {
      const candidates = profiles.filter((p) => key(p.department) === key(department));
      const byTitle =
        jobTitle === undefined
          ? undefined
          : candidates.find((p) => p.jobTitle !== undefined && key(p.jobTitle) === key(jobTitle));
      return byTitle ?? candidates.find((p) => p.jobTitle === undefined);
    },
  };
}

let cached: { accountId: string; profiles: AccessProfiles } | undefined;

/** The access profiles shipped with the code (config/access-profiles.json), parsed once per account. */
export function loadAccessProfiles(accountId: string): AccessProfiles {
  if (cached?.accountId !== accountId)
    cached = { accountId, profiles: parseAccessProfiles(bundledProfiles, accountId) };
  return cached.profiles;
}

/** The profile for an employee, or a permanent UnknownDepartmentError. */
export function profileFor(
  profiles: AccessProfiles,
  employee: { department: string; jobTitle?: string },
): AccessProfile {
  const profile = profiles.find(employee.department, employee.jobTitle);
  if (!profile)
    throw new UnknownDepartmentError(
      `No access profile for department ${JSON.stringify(employee.department)}`,
    );
  return profile;
}
