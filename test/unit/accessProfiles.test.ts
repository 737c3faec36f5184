import bundled from '../../config/access-profiles.json';
import { loadAccessProfiles, parseAccessProfiles, profileFor } from '../../functions/shared/accessProfiles';
import { ConfigurationError, UnknownDepartmentError } from '../../functions/shared/errors';

const ACCOUNT = '123456789012';
const EC2 = 'arn:aws:iam::aws:policy/AmazonEC2FullAccess';
const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's placeholder, as the profiles file writes it
const BOUNDARY = 'arn:aws:iam::${AWS::AccountId}:policy/boundary';

type RawProfile = {
  department: string;
  jobTitle?: string;
  groups: string[];
  userPolicies?: string[];
  permissionsBoundary?: string;
};
type RawProfiles = {
  allowedPolicies: string[];
  groups: Record<string, { policies: string[] }>;
  profiles: RawProfile[];
};

const valid = (): RawProfiles => ({
  allowedPolicies: [EC2, CHANGE_PASSWORD],
  groups: { Developers: { policies: [EC2] } },
  profiles: [
    {
      department: 'Engineering',
      groups: ['Developers'],
      userPolicies: [CHANGE_PASSWORD],
      permissionsBoundary: BOUNDARY,
    },
    {
      department: 'Engineering',
      jobTitle: 'SRE',
      groups: [],
      userPolicies: [CHANGE_PASSWORD],
      permissionsBoundary: BOUNDARY,
    },
  ],
});

const problemsOf = (raw: unknown): string => {
  try {
    parseAccessProfiles(raw, ACCOUNT);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected the profiles to be rejected');
};

describe('accessProfiles', () => {
  describe('when the profiles are valid', () => {
    it('fills in the account id and resolves each group to its policies', () => {
      const profiles = parseAccessProfiles(valid(), ACCOUNT);

      const engineering = profiles.find('Engineering');

      expect(engineering?.permissionsBoundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/boundary`);
      expect(engineering?.groups).toEqual([{ name: 'Developers', policies: [EC2] }]);
      expect(engineering?.userPolicies).toEqual([CHANGE_PASSWORD]);
      expect([...profiles.allowedPolicies].sort()).toEqual([EC2, CHANGE_PASSWORD]);
    });

    it('matches departments and job titles case-insensitively, preferring the job title profile', () => {
      const profiles = parseAccessProfiles(valid(), ACCOUNT);

      expect(profiles.find(' engineering ', 'sre')?.jobTitle).toBe('SRE');
      expect(profiles.find('ENGINEERING', 'Designer')?.jobTitle).toBeUndefined();
      expect(profiles.find('Engineering')?.jobTitle).toBeUndefined();
      expect(profiles.find('Finance')).toBeUndefined();
    });

    it('loads the shipped config/access-profiles.json', () => {
      const profiles = loadAccessProfiles(ACCOUNT);

      expect(profiles.profiles).toHaveLength(bundled.profiles.length);
      expect(profiles.find('Engineering', 'Site Reliability Engineer')?.groups.map((g) => g.name)).toEqual([
        'Developers',
        'Operators',
      ]);
    });
  });

  describe('when the profiles are invalid', () => {
    it('rejects a profile without a permissions boundary', () => {
      const raw = valid();
      raw.profiles[0] = { department: 'Engineering', groups: ['Developers'] };

      expect(problemsOf(raw)).toMatch(/profiles\/0 must have required property 'permissionsBoundary'/);
    });

    it('rejects a policy outside allowedPolicies, naming the profile and the policy', () => {
      const raw = valid();
      raw.groups.Developers = { policies: [EC2, 'arn:aws:iam::aws:policy/AdministratorAccess'] };

      expect(problemsOf(raw)).toContain(
        'profiles[0] (Engineering) group Developers policy arn:aws:iam::aws:policy/AdministratorAccess is not in allowedPolicies',
      );
    });

    it('rejects an allowed policy that no profile grants, so the allow-list is exactly what is granted', () => {
      const raw = valid();
      raw.allowedPolicies.push('arn:aws:iam::aws:policy/ReadOnlyAccess');

      expect(problemsOf(raw)).toContain(
        'allowedPolicies lists arn:aws:iam::aws:policy/ReadOnlyAccess, which no profile grants',
      );
    });

    it('rejects a boundary that is not a policy ARN', () => {
      const raw = valid();
      raw.profiles[1] = {
        ...(raw.profiles[1] as RawProfile),
        permissionsBoundary: 'arn:aws:iam::aws:role/x',
      };

      expect(problemsOf(raw)).toMatch(/profiles\/1\/permissionsBoundary must match pattern/);
    });

    it('reports every semantic problem in one message', () => {
      const raw = valid();
      raw.profiles.push({ ...(raw.profiles[0] as RawProfile), groups: ['Nope'] });

      const message = problemsOf(raw);

      expect(message).toContain('profiles[2] (Engineering) duplicates an earlier profile');
      expect(message).toContain('profiles[2] (Engineering) names group Nope, which is not defined in groups');
    });

    it('rejects unknown keys, so a typo never silently grants nothing', () => {
      expect(problemsOf({ ...valid(), extra: true })).toMatch(/must NOT have additional properties/);
    });
  });

  describe('profileFor', () => {
    it('throws the permanent UnknownDepartmentError for a department without a profile', () => {
      const profiles = parseAccessProfiles(valid(), ACCOUNT);

      expect(() => profileFor(profiles, { department: 'Sales' })).toThrow(UnknownDepartmentError);
    });
  });
});
