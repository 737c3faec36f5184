import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AdmZip from 'adm-zip';
import profiles from '../../config/access-profiles.json';
import { rolesOf } from '../../local/authz/serverlessRoles';
import { loadServiceConfig, resolveIntrinsics } from '../../local/serverlessConfig';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Resource = { Type: string; Properties: Record<string, unknown> };

const root = resolve(__dirname, '../..');
const INLINE_POLICY_ACTIONS = [
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicy',
  'iam:CreatePolicyVersion',
  'iam:CreateAccessKey',
];
let dir: string;
let resources: Record<string, Resource>;

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);
/** A CloudFormation value as text: Fn::Sub strings keep their ${AWS::...} placeholders. */
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const functionStatements = () =>
  Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id !== 'OnboardingStateMachineRole')
    .flatMap(([id, r]) =>
      (r.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap((p) =>
        p.PolicyDocument.Statement.map((statement) => ({ role: id, statement })),
      ),
    );
const statementsWith = (action: string) =>
  functionStatements().filter(({ statement }) => actionsOf(statement).includes(action));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-package-'));
  execFileSync(
    'npx',
    ['serverless', 'package', '--stage', 'test', '--region', 'eu-west-1', '--package', dir],
    {
      cwd: root,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      stdio: 'pipe',
    },
  );
  resources = JSON.parse(
    readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ).Resources;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('packaged CloudFormation template', () => {
  it('gives every function its own role and the nodejs22.x runtime', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // The webhook, HR's status read-back, the onboarding's six task functions, the mover's and
    // leaver's five more, the sweep and the stop/timeout revocation.
    expect(functions).toHaveLength(15);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(JSON.stringify(fn.Properties.Role)).toMatch(/Role/);
    }
    expect(new Set(functions.map((fn) => JSON.stringify(fn.Properties.Role))).size).toBe(15);
  });

  it('packages each function on its own: its artifact holds only its bundle and source map', () => {
    const artifacts = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([, r]) =>
        String((r.Properties.Code as { S3Key: string }).S3Key)
          .split('/')
          .pop(),
      );
    const names = [
      'attachPolicies',
      'createUser',
      'deleteUser',
      'disableUser',
      'ensureGroups',
      'eventStatus',
      'findUser',
      'generatePassword',
      'notifyOps',
      'notifyUser',
      'recordEvent',
      'removeOldAccess',
      'revokeAbandonedPassword',
      'sweepTemporaryPasswords',
      'webhook',
    ];
    expect(artifacts.sort()).toEqual(names.map((name) => `${name}.zip`));
    for (const name of names) {
      const entries = new AdmZip(join(dir, `${name}.zip`)).getEntries().map((entry) => entry.entryName);
      expect(entries.sort()).toEqual([`functions/${name}.js`, `functions/${name}.js.map`]);
    }
  });

  it('allows no wildcard action in any role', () => {
    const allows = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) =>
        (r.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
          (p) => p.PolicyDocument.Statement,
        ),
      )
      .filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(10);
    for (const statement of allows)
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
  });

  it('allows no inline-policy or access-key action', () => {
    for (const action of INLINE_POLICY_ACTIONS) expect(statementsWith(action)).toEqual([]);
  });

  it('lets users be created or re-bounded only under /onboarded/ with a profile boundary', () => {
    const boundaries = [...new Set(profiles.profiles.map((p) => p.permissionsBoundary))];
    const statements = [
      ...statementsWith('iam:CreateUser'),
      ...statementsWith('iam:PutUserPermissionsBoundary'),
    ];
    expect(statements.length).toBe(2);
    for (const { statement } of statements) {
      expect(text(statement.Resource)).toContain(':user/onboarded/*');
      const condition = asList(statement.Condition?.StringEquals?.['iam:PermissionsBoundary']).map(text);
      expect(condition.sort()).toEqual(boundaries.map((b) => text({ 'Fn::Sub': b })).sort());
    }
  });

  it('lets only the allow-listed policies be attached, and they are exactly what the profiles grant', () => {
    const granted = new Set<string>();
    for (const profile of profiles.profiles) {
      for (const group of profile.groups)
        for (const arn of profiles.groups[group as keyof typeof profiles.groups].policies) granted.add(arn);
      for (const arn of profile.userPolicies ?? []) granted.add(arn);
    }
    const statements = [
      ...statementsWith('iam:AttachUserPolicy'),
      ...statementsWith('iam:AttachGroupPolicy'),
    ];
    expect(statements.map(({ role }) => role).sort()).toEqual([
      'AttachPoliciesRole',
      'EnsureGroupsRole',
      'EnsureGroupsRole',
    ]);
    for (const { statement } of statements) {
      // Account-relative ARNs deploy as Fn::Sub, so CloudFormation fills in the account id.
      const allowed = asList(statement.Condition?.ArnEquals?.['iam:PolicyARN']).map((arn) =>
        typeof arn === 'string' ? arn : (arn as { 'Fn::Sub': string })['Fn::Sub'],
      );
      expect(allowed.sort()).toEqual([...granted].sort());
      expect(text(statement.Resource)).toMatch(/:(user|group)\/onboarded\/\*/);
    }
  });

  it('scopes Secrets Manager to the temporary-password prefix and the webhook secret', () => {
    const prefix = {
      'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:iam-onboarding/test/temporary-password/*`,
    };
    const grants = functionStatements()
      .filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('secretsmanager:')))
      .map(({ role, statement }) => ({
        role,
        actions: [...actionsOf(statement)].sort(),
        resource: statement.Resource,
      }));
    expect(grants).toEqual([
      {
        role: 'WebhookRole',
        actions: ['secretsmanager:GetSecretValue'],
        resource: { Ref: 'WebhookSigningSecret' },
      },
      {
        role: 'EventStatusRole',
        actions: ['secretsmanager:GetSecretValue'],
        resource: { Ref: 'WebhookSigningSecret' },
      },
      {
        role: 'GeneratePasswordRole',
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
        ],
        resource: prefix,
      },
      {
        role: 'NotifyUserRole',
        actions: [
          'secretsmanager:DeleteSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:TagResource',
        ],
        resource: prefix,
      },
      // ListSecrets has no resource-level permission (Service Authorization Reference): "*", alone.
      ...['SweepTemporaryPasswordsRole', 'RevokeAbandonedPasswordRole'].flatMap((role) => [
        { role, actions: ['secretsmanager:ListSecrets'], resource: '*' },
        { role, actions: ['secretsmanager:DeleteSecret'], resource: prefix },
      ]),
    ]);
  });

  it('lets only the notify functions send email, as the sender identity and address', () => {
    const senders = statementsWith('ses:SendEmail');
    expect(senders.map((s) => s.role).sort()).toEqual([
      'NotifyOpsRole',
      'NotifyUserRole',
      'RevokeAbandonedPasswordRole',
    ]);
    for (const { statement } of senders) {
      // The defaults of serverless.yml's params: sesIdentity example.com, senderEmail onboarding@example.com.
      expect(statement.Resource).toEqual({
        'Fn::Sub': `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/example.com`,
      });
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'onboarding@example.com' } });
    }
  });

  it('lets the revoking roles delete only tagged temporary passwords and pending login profiles of managed users', () => {
    const deleters = [
      ...statementsWith('secretsmanager:DeleteSecret'),
      ...statementsWith('iam:DeleteLoginProfile'),
    ].filter(({ role }) => role === 'SweepTemporaryPasswordsRole' || role === 'RevokeAbandonedPasswordRole');
    expect(deleters).toHaveLength(4);
    for (const { statement } of deleters) {
      if (actionsOf(statement).includes('iam:DeleteLoginProfile')) {
        expect(text(statement.Resource)).toContain(':user/onboarded/*');
        expect(statement.Condition).toEqual({
          StringEquals: { 'iam:ResourceTag/managedBy': 'iam-onboarding' },
        });
      } else {
        expect(statement.Condition).toEqual({
          StringEquals: { 'secretsmanager:ResourceTag/purpose': 'temporary-password' },
        });
      }
    }
  });

  it("runs the sweep hourly and the revocation on this state machine's stopped or timed-out executions", () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    const schedules = rules.filter((r) => r.Properties.ScheduleExpression !== undefined);
    expect(schedules.map((r) => r.Properties.ScheduleExpression)).toEqual(['rate(1 hour)']);
    expect(JSON.stringify(schedules[0]?.Properties.Targets)).toContain(
      'SweepTemporaryPasswordsLambdaFunction',
    );
    const patterns = rules.filter((r) => r.Properties.EventPattern !== undefined);
    expect(patterns.map((r) => r.Properties.EventPattern)).toEqual([
      {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['ABORTED', 'TIMED_OUT'], stateMachineArn: [{ Ref: 'OnboardingStateMachine' }] },
      },
    ]);
    expect(JSON.stringify(patterns[0]?.Properties.Targets)).toContain(
      'RevokeAbandonedPasswordLambdaFunction',
    );
  });

  it("lets the webhook start executions of this service's three workflows only", () => {
    const starters = statementsWith('states:StartExecution');
    expect(starters.map((s) => s.role)).toEqual(['WebhookRole']);
    expect(starters[0]?.statement.Resource).toEqual([
      { Ref: 'OnboardingStateMachine' },
      { Ref: 'MoverStateMachine' },
      { Ref: 'LeaverStateMachine' },
    ]);
  });

  it("lets HR's status read-back only read: executions of the three workflows, the leaver's history, the alias, the secret", () => {
    const role = resources.EventStatusRole?.Properties.Policies as Array<{
      PolicyDocument: { Statement: Statement[] };
    }>;
    const grants = role
      .flatMap((policy) => policy.PolicyDocument.Statement)
      .map((statement) => ({ actions: actionsOf(statement), resource: text(statement.Resource) }));
    const execution = (suffix: string) =>
      `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:iam-onboarding-test${suffix}:*`;

    expect(grants.map((grant) => grant.actions)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['states:DescribeExecution'],
      ['states:GetExecutionHistory'],
      ['iam:ListAccountAliases'],
      ['secretsmanager:GetSecretValue'],
    ]);
    for (const suffix of ['', '-mover', '-leaver']) expect(grants[1]?.resource).toContain(execution(suffix));
    expect(grants[2]?.resource).toContain(execution('-leaver'));
    expect(grants[2]?.resource).not.toContain(execution(''));
    expect(grants[4]?.resource).toBe(JSON.stringify({ Ref: 'WebhookSigningSecret' }));
    const route = Object.values(resources).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === 'GET /events/{eventId}',
    );
    expect(JSON.stringify(route?.Properties.Target)).toContain('EventStatus');
  });

  it.each(['OnboardingStateMachine', 'MoverStateMachine', 'LeaverStateMachine'])(
    'keeps execution data out of the %s logs and alarms ops on its failed executions',
    (id) => {
      const machine = resources[id];
      expect(machine?.Type).toBe('AWS::StepFunctions::StateMachine');
      expect(machine?.Properties.LoggingConfiguration).toMatchObject({ IncludeExecutionData: false });
      const alarm = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          r.Properties.MetricName === 'ExecutionsFailed' &&
          JSON.stringify(r.Properties.Dimensions).includes(id),
      );
      expect(alarm?.Properties.AlarmActions).toEqual([{ Ref: 'OpsAlertsTopic' }]);
    },
  );
});

describe('the roles the local stack enforces', () => {
  it('are the packaged roles, statement for statement, with the same values for every reference', () => {
    // Arrange: local values for everything the templates reference.
    const config = loadServiceConfig(root, { stage: 'test', region: 'eu-west-1' });
    const refs: Record<string, string> = {};
    for (const [id, resource] of Object.entries(resources)) {
      refs[id] = `ref:${id}`;
      if (resource.Type === 'AWS::Lambda::Function') refs[`${id}.Arn`] = `arn:${id}`;
    }
    for (const machine of config.stateMachines) refs[machine.id] = `ref:${machine.id}`;
    const values = { accountId: '123456789012', region: 'eu-west-1', refs };

    // Act
    const local = rolesOf(config.resources, 'iam-onboarding-test', values);
    const packaged = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::IAM::Role');

    // Assert
    expect([...local.keys()].sort()).toEqual(packaged.map(([id]) => id).sort());
    for (const [id, resource] of packaged) {
      const deployed = resolveIntrinsics(resource.Properties.Policies, values) as Array<{
        PolicyName: string;
        PolicyDocument: unknown;
      }>;
      expect(local.get(id)?.policies.map((policy) => policy.document)).toEqual(
        deployed.map((policy) => policy.PolicyDocument),
      );
    }
  });
});
