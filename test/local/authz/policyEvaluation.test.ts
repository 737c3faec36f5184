// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables, not JS templates
import {
  type Decision,
  evaluate,
  type NamedPolicy,
  type PolicyDocument,
  type RequestContext,
  type Statement,
} from '../../../local/authz/policyEvaluation';

const policy = (name: string, ...Statement: Statement[]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement },
});
const request = (action: string, resource = '*', keys: RequestContext['keys'] = {}): RequestContext => ({
  action,
  resource,
  keys,
});
const allow = (policyName: string, index: number, sid?: string): Decision => ({
  decision: 'Allow',
  by: 'identity',
  statement: { policy: policyName, sid, index },
});
const explicitDeny = (
  by: 'identity' | 'boundary',
  policyName: string,
  index: number,
  sid?: string,
): Decision => ({
  decision: 'ExplicitDeny',
  by,
  statement: { policy: policyName, sid, index },
});
const implicitDeny = (by: 'identity' | 'boundary'): Decision => ({ decision: 'ImplicitDeny', by });

type Row = [string, RequestContext, Decision];

describe('evaluate', () => {
  describe('with identity-based policies only', () => {
    // Policy evaluation logic: Carlos's policy (identity-based and resource-based policy evaluation).
    const carlos = policy(
      'carlossalazar',
      {
        Sid: 'AllowS3ListRead',
        Effect: 'Allow',
        Action: [
          's3:GetBucketLocation',
          's3:GetAccountPublicAccessBlock',
          's3:ListAccessPoints',
          's3:ListAllMyBuckets',
        ],
        Resource: 'arn:aws:s3:::*',
      },
      {
        Sid: 'AllowS3Self',
        Effect: 'Allow',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'],
      },
      { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
    );

    it.each<Row>([
      [
        'denies saving to the logs bucket explicitly',
        request('s3:PutObject', 'arn:aws:s3:::carlossalazar-logs/file.txt'),
        explicitDeny('identity', 'carlossalazar', 2, 'DenyS3Logs'),
      ],
      [
        'allows saving to his own bucket',
        request('s3:PutObject', 'arn:aws:s3:::carlossalazar/file.txt'),
        allow('carlossalazar', 1, 'AllowS3Self'),
      ],
      [
        'names the first Allow that matched',
        request('s3:GetBucketLocation', 'arn:aws:s3:::carlossalazar'),
        allow('carlossalazar', 0, 'AllowS3ListRead'),
      ],
      [
        'lets the Deny override an Allow in the same policy',
        request('s3:GetBucketLocation', 'arn:aws:s3:::carlossalazar-logs'),
        explicitDeny('identity', 'carlossalazar', 2, 'DenyS3Logs'),
      ],
      ['denies implicitly what no statement allows', request('ec2:RunInstances'), implicitDeny('identity')],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [carlos] })).toEqual(expected);
    });

    // Policy evaluation logic: the difference between explicit and implicit denies.
    const readOnly = policy(
      'ReadOnlyIam',
      { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
    );
    const reports = policy('Reports', {
      Effect: 'Allow',
      Action: 'iam:GenerateCredentialReport',
      Resource: '*',
    });

    it.each<Row>([
      [
        'allows a Get action',
        request('iam:GetUser', 'arn:aws:iam::111122223333:user/Bob'),
        allow('ReadOnlyIam', 0, 'AllowGetList'),
      ],
      [
        'denies implicitly an action no statement lists',
        request('iam:CreatePolicy'),
        implicitDeny('identity'),
      ],
      [
        'denies explicitly a report action',
        request('iam:GetOrganizationsAccessReport'),
        explicitDeny('identity', 'ReadOnlyIam', 1, 'DenyReports'),
      ],
      [
        'keeps the explicit deny when another policy allows the action',
        request('iam:GenerateCredentialReport'),
        explicitDeny('identity', 'ReadOnlyIam', 1, 'DenyReports'),
      ],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [reports, readOnly] })).toEqual(expected);
    });

    it('names a statement without Sid by its index', () => {
      expect(evaluate(request('iam:GenerateCredentialReport'), { identity: [reports] })).toEqual(
        allow('Reports', 0),
      );
    });

    it('denies implicitly when the principal has no policies', () => {
      expect(evaluate(request('iam:GetUser'), { identity: [] })).toEqual(implicitDeny('identity'));
    });

    it('matches actions case-insensitively and ARNs case-sensitively', () => {
      const bucket = policy('Bucket', {
        Effect: 'Allow',
        Action: 'S3:getobject',
        Resource: 'arn:aws:s3:::HRBucket/*',
      });
      expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::HRBucket/a'), { identity: [bucket] })).toEqual(
        allow('Bucket', 0),
      );
      expect(evaluate(request('s3:GetObject', 'arn:aws:s3:::hrbucket/a'), { identity: [bucket] })).toEqual(
        implicitDeny('identity'),
      );
    });
  });

  describe('when a permissions boundary is set', () => {
    // Permissions boundaries for IAM entities: ShirleyRodriguez.
    const shirleyBoundary = policy('ShirleyBoundary', {
      Effect: 'Allow',
      Action: ['s3:*', 'cloudwatch:*', 'ec2:*'],
      Resource: '*',
    });
    const createUser = policy('CreateUser', { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' });
    const s3Read = policy('S3Read', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

    it.each<Row>([
      [
        'denies what the identity policies allow but the boundary does not',
        request('iam:CreateUser'),
        implicitDeny('boundary'),
      ],
      ['allows what both allow', request('s3:GetObject', 'arn:aws:s3:::reports/q1.csv'), allow('S3Read', 0)],
      [
        'denies what the boundary allows but no identity policy grants',
        request('ec2:RunInstances'),
        implicitDeny('identity'),
      ],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [createUser, s3Read], boundary: shirleyBoundary })).toEqual(
        expected,
      );
    });

    // Permissions boundaries for IAM entities: delegating responsibility to Zhang.
    const delegatedUserBoundary = policy(
      'DelegatedUserBoundary',
      {
        Sid: 'CreateOrChangeOnlyWithBoundary',
        Effect: 'Allow',
        Action: [
          'iam:CreateUser',
          'iam:DeleteUserPolicy',
          'iam:AttachUserPolicy',
          'iam:DetachUserPolicy',
          'iam:PutUserPermissionsBoundary',
        ],
        Resource: '*',
        Condition: {
          StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/XCompanyBoundaries' },
        },
      },
      {
        Sid: 'CloudWatchAndOtherIAMTasks',
        Effect: 'Allow',
        Action: ['cloudwatch:*', 'iam:GetUser', 'iam:ListUsers', 'iam:DeleteUser', 'iam:DeletePolicy'],
        Resource: '*',
      },
      {
        Sid: 'NoBoundaryPolicyEdit',
        Effect: 'Deny',
        Action: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: [
          'arn:aws:iam::123456789012:policy/XCompanyBoundaries',
          'arn:aws:iam::123456789012:policy/DelegatedUserBoundary',
        ],
      },
      {
        Sid: 'NoBoundaryUserDelete',
        Effect: 'Deny',
        Action: 'iam:DeleteUserPermissionsBoundary',
        Resource: '*',
      },
    );
    const delegatedUserPermissions = policy(
      'DelegatedUserPermissions',
      { Sid: 'IAM', Effect: 'Allow', Action: 'iam:*', Resource: '*' },
      {
        Sid: 'CloudWatchLimited',
        Effect: 'Allow',
        Action: [
          'cloudwatch:GetDashboard',
          'cloudwatch:GetMetricData',
          'cloudwatch:ListDashboards',
          'cloudwatch:GetMetricStatistics',
          'cloudwatch:ListMetrics',
        ],
        Resource: '*',
      },
      {
        Sid: 'S3BucketContents',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::ZhangBucket',
      },
    );
    const nikhil = 'arn:aws:iam::111122223333:user/Nikhil';

    it.each<Row>([
      [
        'allows creating a user with the XCompanyBoundaries boundary',
        request('iam:CreateUser', nikhil, {
          'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/XCompanyBoundaries',
        }),
        allow('DelegatedUserPermissions', 0, 'IAM'),
      ],
      [
        'denies creating a user without a boundary',
        request('iam:CreateUser', nikhil),
        implicitDeny('boundary'),
      ],
      [
        'denies creating a user with another boundary',
        request('iam:CreateUser', nikhil, {
          'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/Other',
        }),
        implicitDeny('boundary'),
      ],
      [
        'denies explicitly deleting a permissions boundary',
        request('iam:DeleteUserPermissionsBoundary', nikhil),
        explicitDeny('boundary', 'DelegatedUserBoundary', 3, 'NoBoundaryUserDelete'),
      ],
      [
        'denies explicitly deleting the boundary policy even though the boundary also allows DeletePolicy',
        request('iam:DeletePolicy', 'arn:aws:iam::123456789012:policy/XCompanyBoundaries'),
        explicitDeny('boundary', 'DelegatedUserBoundary', 2, 'NoBoundaryPolicyEdit'),
      ],
      [
        'allows a CloudWatch action both allow',
        request('cloudwatch:GetDashboard'),
        allow('DelegatedUserPermissions', 1, 'CloudWatchLimited'),
      ],
      [
        'denies a CloudWatch action only the boundary allows',
        request('cloudwatch:DeleteDashboards'),
        implicitDeny('identity'),
      ],
      [
        'denies listing his bucket, which the boundary does not allow',
        request('s3:ListBucket', 'arn:aws:s3:::ZhangBucket'),
        implicitDeny('boundary'),
      ],
    ])('%s', (_, context, expected) => {
      expect(
        evaluate(context, { identity: [delegatedUserPermissions], boundary: delegatedUserBoundary }),
      ).toEqual(expected);
    });

    // Permissions boundaries for IAM entities: Nikhil inside XCompanyBoundaries. The managed policies
    // are reduced to the statements that matter here.
    const xCompanyBoundaries = policy(
      'XCompanyBoundaries',
      {
        Sid: 'ServiceBoundaries',
        Effect: 'Allow',
        Action: ['s3:*', 'cloudwatch:*', 'ec2:*', 'dynamodb:*'],
        Resource: '*',
      },
      {
        Sid: 'AllowIAMConsoleForCredentials',
        Effect: 'Allow',
        Action: ['iam:ListUsers', 'iam:GetAccountPasswordPolicy'],
        Resource: '*',
      },
      {
        Sid: 'AllowManageOwnPasswordAndAccessKeys',
        Effect: 'Allow',
        Action: [
          'iam:*AccessKey*',
          'iam:ChangePassword',
          'iam:GetUser',
          'iam:*ServiceSpecificCredential*',
          'iam:*SigningCertificate*',
        ],
        Resource: ['arn:aws:iam::*:user/${aws:username}'],
      },
      {
        Sid: 'DenyS3Logs',
        Effect: 'Deny',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'],
      },
      {
        Sid: 'DenyEC2Production',
        Effect: 'Deny',
        Action: 'ec2:*',
        Resource: 'arn:aws:ec2:*:*:instance/i-1234567890abcdef0',
      },
    );
    const iamFullAccess = policy('arn:aws:iam::aws:policy/IAMFullAccess', {
      Effect: 'Allow',
      Action: 'iam:*',
      Resource: '*',
    });
    const s3ReadOnly = policy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', {
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*'],
      Resource: '*',
    });
    const asNikhil = { 'aws:username': 'Nikhil' };

    it.each<Row>([
      [
        'allows changing his own password',
        request('iam:ChangePassword', nikhil, asNikhil),
        allow('arn:aws:iam::aws:policy/IAMFullAccess', 0),
      ],
      [
        "denies changing another user's password",
        request('iam:ChangePassword', 'arn:aws:iam::111122223333:user/Adele', asNikhil),
        implicitDeny('boundary'),
      ],
      [
        'denies creating another user',
        request('iam:CreateUser', 'arn:aws:iam::111122223333:user/Adele', asNikhil),
        implicitDeny('boundary'),
      ],
      [
        'allows reading his own bucket',
        request('s3:GetObject', 'arn:aws:s3:::nikhil-bucket/notes.txt', asNikhil),
        allow('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 0),
      ],
      [
        'denies explicitly reading the logs bucket',
        request('s3:GetObject', 'arn:aws:s3:::logs/today.txt', asNikhil),
        explicitDeny('boundary', 'XCompanyBoundaries', 3, 'DenyS3Logs'),
      ],
      [
        'denies explicitly managing the production instance, before looking for an Allow',
        request(
          'ec2:StartInstances',
          'arn:aws:ec2:us-east-2:111122223333:instance/i-1234567890abcdef0',
          asNikhil,
        ),
        explicitDeny('boundary', 'XCompanyBoundaries', 4, 'DenyEC2Production'),
      ],
    ])('%s', (_, context, expected) => {
      expect(
        evaluate(context, { identity: [iamFullAccess, s3ReadOnly], boundary: xCompanyBoundaries }),
      ).toEqual(expected);
    });
  });

  describe('with NotAction', () => {
    // IAM JSON policy elements: NotAction (NotAction with Allow).
    const allButDeleteBucket = policy('AllButDeleteBucket', {
      Effect: 'Allow',
      NotAction: 's3:DeleteBucket',
      Resource: 'arn:aws:s3:::*',
    });

    it.each<Row>([
      [
        'allows an S3 action on an S3 resource',
        request('s3:GetObject', 'arn:aws:s3:::bucket/key'),
        allow('AllButDeleteBucket', 0),
      ],
      [
        'denies the listed action',
        request('s3:DeleteBucket', 'arn:aws:s3:::bucket'),
        implicitDeny('identity'),
      ],
      [
        'denies ListAllMyBuckets, which needs the * resource',
        request('s3:ListAllMyBuckets', '*'),
        implicitDeny('identity'),
      ],
      [
        'denies other services, whose resources are not S3 ARNs',
        request('iam:CreateUser', 'arn:aws:iam::111122223333:user/Bob'),
        implicitDeny('identity'),
      ],
    ])('with Allow and an S3 Resource, %s', (_, context, expected) => {
      expect(evaluate(context, { identity: [allButDeleteBucket] })).toEqual(expected);
    });

    const allButIam = policy('AllButIam', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });

    it.each<Row>([
      ['allows every other service', request('ec2:RunInstances'), allow('AllButIam', 0)],
      [
        'denies IAM',
        request('iam:CreateUser', 'arn:aws:iam::111122223333:user/Bob'),
        implicitDeny('identity'),
      ],
    ])('with Allow and Resource *, %s', (_, context, expected) => {
      expect(evaluate(context, { identity: [allButIam] })).toEqual(expected);
    });

    // IAM JSON policy elements: NotAction (NotAction with Deny): DenyAllUsersNotUsingMFA.
    const denyWithoutMfa = policy('DenyWithoutMfa', {
      Sid: 'DenyAllUsersNotUsingMFA',
      Effect: 'Deny',
      NotAction: 'iam:*',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    const admin = policy('AdministratorAccess', { Effect: 'Allow', Action: '*', Resource: '*' });

    it.each<Row>([
      [
        'denies a non-IAM action without MFA',
        request('s3:GetObject', 'arn:aws:s3:::b/k'),
        explicitDeny('identity', 'DenyWithoutMfa', 0, 'DenyAllUsersNotUsingMFA'),
      ],
      [
        'denies a non-IAM action when MFA is false',
        request('s3:GetObject', 'arn:aws:s3:::b/k', { 'aws:MultiFactorAuthPresent': false }),
        explicitDeny('identity', 'DenyWithoutMfa', 0, 'DenyAllUsersNotUsingMFA'),
      ],
      [
        'does not deny with MFA',
        request('s3:GetObject', 'arn:aws:s3:::b/k', { 'aws:MultiFactorAuthPresent': true }),
        allow('AdministratorAccess', 0),
      ],
      [
        'does not deny the listed IAM actions',
        request('iam:CreateUser', 'arn:aws:iam::111122223333:user/Bob'),
        allow('AdministratorAccess', 0),
      ],
    ])('with Deny, %s', (_, context, expected) => {
      expect(evaluate(context, { identity: [denyWithoutMfa, admin] })).toEqual(expected);
    });
  });

  describe('with NotResource', () => {
    // IAM JSON policy elements: NotResource: the HRPayroll group.
    const payrollOnly = policy('HRPayroll', {
      Effect: 'Deny',
      Action: 's3:*',
      NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
    });
    const admin = policy('AdministratorAccess', { Effect: 'Allow', Action: '*', Resource: '*' });

    it.each<Row>([
      [
        'allows the listed folder',
        request('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/salaries.csv'),
        allow('AdministratorAccess', 0),
      ],
      [
        'denies explicitly another folder',
        request('s3:GetObject', 'arn:aws:s3:::HRBucket/Reviews/2024.csv'),
        explicitDeny('identity', 'HRPayroll', 0),
      ],
      [
        'denies explicitly an S3 action on *',
        request('s3:ListAllMyBuckets', '*'),
        explicitDeny('identity', 'HRPayroll', 0),
      ],
      ['does not deny other services', request('ec2:DescribeInstances'), allow('AdministratorAccess', 0)],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [payrollOnly, admin] })).toEqual(expected);
    });
  });

  describe('with policy variables', () => {
    // IAM: Allows IAM users to self-manage an MFA device.
    const selfManageMfa: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowListActions',
          Effect: 'Allow',
          Action: ['iam:ListUsers', 'iam:ListVirtualMFADevices'],
          Resource: '*',
        },
        {
          Sid: 'AllowIndividualUserToListOnlyTheirOwnMFA',
          Effect: 'Allow',
          Action: ['iam:ListMFADevices'],
          Resource: ['arn:aws:iam::*:mfa/*', 'arn:aws:iam::*:user/${aws:username}'],
        },
        {
          Sid: 'AllowIndividualUserToManageTheirOwnMFA',
          Effect: 'Allow',
          Action: [
            'iam:CreateVirtualMFADevice',
            'iam:DeleteVirtualMFADevice',
            'iam:EnableMFADevice',
            'iam:ResyncMFADevice',
          ],
          Resource: ['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}'],
        },
        {
          Sid: 'AllowIndividualUserToDeactivateOnlyTheirOwnMFAOnlyWhenUsingMFA',
          Effect: 'Allow',
          Action: ['iam:DeactivateMFADevice'],
          Resource: ['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}'],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
        {
          Sid: 'BlockMostAccessUnlessSignedInWithMFA',
          Effect: 'Deny',
          NotAction: [
            'iam:CreateVirtualMFADevice',
            'iam:EnableMFADevice',
            'iam:ListMFADevices',
            'iam:ListUsers',
            'iam:ListVirtualMFADevices',
            'iam:ResyncMFADevice',
          ],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    };
    const mfaPolicy: NamedPolicy = { name: 'SelfManageMfa', document: selfManageMfa };
    const alice = { 'aws:username': 'Alice' };
    const aliceUser = 'arn:aws:iam::111122223333:user/Alice';

    it.each<Row>([
      [
        'allows creating her own virtual MFA device without MFA',
        request('iam:CreateVirtualMFADevice', 'arn:aws:iam::111122223333:mfa/Alice', alice),
        allow('SelfManageMfa', 2, 'AllowIndividualUserToManageTheirOwnMFA'),
      ],
      [
        "denies creating another user's device",
        request('iam:CreateVirtualMFADevice', 'arn:aws:iam::111122223333:mfa/Bob', alice),
        implicitDeny('identity'),
      ],
      [
        'allows listing her own MFA devices',
        request('iam:ListMFADevices', aliceUser, alice),
        allow('SelfManageMfa', 1, 'AllowIndividualUserToListOnlyTheirOwnMFA'),
      ],
      [
        "denies listing another user's devices",
        request('iam:ListMFADevices', 'arn:aws:iam::111122223333:user/Bob', alice),
        implicitDeny('identity'),
      ],
      [
        'denies explicitly deactivating her device without MFA',
        request('iam:DeactivateMFADevice', aliceUser, alice),
        explicitDeny('identity', 'SelfManageMfa', 4, 'BlockMostAccessUnlessSignedInWithMFA'),
      ],
      [
        'allows deactivating her device with MFA',
        request('iam:DeactivateMFADevice', aliceUser, { ...alice, 'aws:MultiFactorAuthPresent': true }),
        allow('SelfManageMfa', 3, 'AllowIndividualUserToDeactivateOnlyTheirOwnMFAOnlyWhenUsingMFA'),
      ],
      [
        'denies a principal without aws:username, such as a role session',
        request('iam:EnableMFADevice', aliceUser, { 'aws:MultiFactorAuthPresent': true }),
        implicitDeny('identity'),
      ],
      [
        'denies explicitly any other action without MFA',
        request('s3:GetObject', 'arn:aws:s3:::bucket/key', alice),
        explicitDeny('identity', 'SelfManageMfa', 4, 'BlockMostAccessUnlessSignedInWithMFA'),
      ],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [mfaPolicy] })).toEqual(expected);
    });

    it('reads ${aws:username} as literal text in a policy without Version', () => {
      const { Version: _, ...unversioned } = selfManageMfa;
      const old: NamedPolicy = { name: 'SelfManageMfa', document: unversioned };
      const literal = 'arn:aws:iam::111122223333:user/${aws:username}';
      expect(evaluate(request('iam:EnableMFADevice', aliceUser, alice), { identity: [old] })).toEqual(
        implicitDeny('identity'),
      );
      expect(evaluate(request('iam:EnableMFADevice', literal, alice), { identity: [old] })).toEqual(
        allow('SelfManageMfa', 2, 'AllowIndividualUserToManageTheirOwnMFA'),
      );
    });

    // IAM policy elements: Variables and tags: queues named after the user in us-east-2.
    const queues = policy(
      'Queues',
      { Sid: 'ListForConsole', Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' },
      {
        Sid: 'AllQueueActions',
        Effect: 'Allow',
        Action: 'sqs:*',
        Resource: 'arn:aws:sqs:us-east-2:*:${aws:username}-queue',
      },
    );

    it.each<Row>([
      [
        'allows her own queue',
        request('sqs:SendMessage', 'arn:aws:sqs:us-east-2:111122223333:Alice-queue', alice),
        allow('Queues', 1, 'AllQueueActions'),
      ],
      [
        "denies another user's queue",
        request('sqs:SendMessage', 'arn:aws:sqs:us-east-2:111122223333:Bob-queue', alice),
        implicitDeny('identity'),
      ],
      [
        'denies her queue in another Region',
        request('sqs:SendMessage', 'arn:aws:sqs:eu-west-1:111122223333:Alice-queue', alice),
        implicitDeny('identity'),
      ],
    ])('%s', (_, context, expected) => {
      expect(evaluate(context, { identity: [queues] })).toEqual(expected);
    });
  });

  describe('when a document is malformed', () => {
    const statement: Statement = { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' };
    const named = (document: unknown) => ({ name: 'Broken', document }) as NamedPolicy;

    it.each([
      ['has no Statement', named({ Version: '2012-10-17' }), /Broken has no Statement/],
      [
        'has an Effect other than Allow or Deny',
        policy('Broken', { ...statement, Effect: 'allow' as 'Allow' }),
        /Effect must be Allow or Deny/,
      ],
      [
        'has both Action and NotAction',
        policy('Broken', { ...statement, NotAction: 'iam:CreateUser' }),
        /exactly one of Action and NotAction/,
      ],
      [
        'has neither Action nor NotAction',
        policy('Broken', { Effect: 'Allow', Resource: '*' }),
        /exactly one of Action and NotAction/,
      ],
      [
        'has both Resource and NotResource',
        policy('Broken', { ...statement, NotResource: '*' }),
        /exactly one of Resource and NotResource/,
      ],
    ])('throws when a policy %s', (_, broken, message) => {
      expect(() => evaluate(request('iam:GetUser'), { identity: [broken] })).toThrow(message);
    });

    it('throws for a malformed boundary even when an identity Deny decides', () => {
      const deny = policy('Deny', { Effect: 'Deny', Action: '*', Resource: '*' });
      expect(() => evaluate(request('iam:GetUser'), { identity: [deny], boundary: named({}) })).toThrow(
        /Broken has no Statement/,
      );
    });
  });
});
