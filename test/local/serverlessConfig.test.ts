import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type FunctionConfig, loadServiceConfig, resolveIntrinsics } from '../../local/serverlessConfig';

const root = resolve(__dirname, '../..');
const iamConditions = (require(join(root, 'config/iamConditions.js')) as () => Record<string, unknown>)();

const fn = (functions: FunctionConfig[], key: string): FunctionConfig => {
  const found = functions.find((f) => f.key === key);
  if (!found) throw new Error(`no function ${key}`);
  return found;
};

type Statement = { Sid?: string; Condition?: Record<string, Record<string, unknown>> };
const statementOf = (
  resources: Record<string, { Properties?: Record<string, unknown> }>,
  role: string,
  sid: string,
) => {
  const policies = resources[role]?.Properties?.Policies as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  const statement = policies[0]?.PolicyDocument.Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid} in ${role}`);
  return statement;
};

describe('loadServiceConfig', () => {
  describe('on the project serverless.yml', () => {
    it('reads each function with its handler, its timeout and memory size or the provider ones, and httpApi events', () => {
      const config = loadServiceConfig(root);

      expect(config.service).toBe('iam-onboarding');
      expect(config.stage).toBe('dev');
      expect(config.region).toBe('us-east-1');
      expect(config.functions.map((f) => f.key)).toEqual([
        'webhook',
        'eventStatus',
        'createUser',
        'ensureGroups',
        'attachPolicies',
        'generatePassword',
        'notifyUser',
        'notifyOps',
        'findUser',
        'removeOldAccess',
        'recordEvent',
        'disableUser',
        'deleteUser',
        'sweepTemporaryPasswords',
        'revokeAbandonedPassword',
      ]);
      expect(fn(config.functions, 'webhook')).toMatchObject({
        handler: 'functions/webhook.handler',
        timeout: 10,
        httpApi: [
          { method: 'POST', path: '/hires' },
          { method: 'POST', path: '/events' },
        ],
      });
      expect(fn(config.functions, 'createUser')).toMatchObject({ timeout: 20, memorySize: 256, httpApi: [] });
      expect(fn(config.functions, 'ensureGroups').timeout).toBe(50);
    });

    it('reads schedule and eventBridge events, their intrinsics left for the stack', () => {
      const config = loadServiceConfig(root);

      expect(fn(config.functions, 'sweepTemporaryPasswords')).toMatchObject({
        schedules: ['rate(1 hour)'],
        eventPatterns: [],
      });
      expect(fn(config.functions, 'revokeAbandonedPassword').eventPatterns).toEqual([
        {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['ABORTED', 'TIMED_OUT'], stateMachineArn: [{ Ref: 'OnboardingStateMachine' }] },
        },
      ]);
      expect(fn(config.functions, 'createUser')).toMatchObject({ schedules: [], eventPatterns: [] });
    });

    it('merges the provider environment under each function environment', () => {
      const config = loadServiceConfig(root);

      expect(fn(config.functions, 'webhook').environment).toEqual({
        ACCOUNT_ID: { Ref: 'AWS::AccountId' },
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STATE_MACHINE_ARN: { Ref: 'OnboardingStateMachine' },
        MOVER_STATE_MACHINE_ARN: { Ref: 'MoverStateMachine' },
        LEAVER_STATE_MACHINE_ARN: { Ref: 'LeaverStateMachine' },
        WEBHOOK_SECRET_ARN: { Ref: 'WebhookSigningSecret' },
      });
      expect(fn(config.functions, 'generatePassword').environment).toMatchObject({
        POWERTOOLS_LOG_LEVEL: 'INFO',
        SECRET_PREFIX: 'iam-onboarding/dev/temporary-password/',
      });
    });

    it(`fills \${param:...} from params.default`, () => {
      const config = loadServiceConfig(root);

      expect(fn(config.functions, 'notifyOps').environment).toMatchObject({
        SENDER_EMAIL: 'onboarding@example.com',
        OPS_EMAIL: 'ops@example.com',
      });
      expect(config.resources.OnboardingStateMachineLogGroup?.Properties?.RetentionInDays).toBe(30);
    });

    it('loads each state machine definition from its file and keeps Fn::GetAtt for the local stack', () => {
      const config = loadServiceConfig(root);

      expect(config.stateMachines.map(({ key, id, name }) => ({ key, id, name }))).toEqual([
        { key: 'onboarding', id: 'OnboardingStateMachine', name: 'iam-onboarding-dev' },
        { key: 'mover', id: 'MoverStateMachine', name: 'iam-onboarding-dev-mover' },
        { key: 'leaver', id: 'LeaverStateMachine', name: 'iam-onboarding-dev-leaver' },
      ]);
      const [machine] = config.stateMachines;
      expect(machine).toMatchObject({
        key: 'onboarding',
        id: 'OnboardingStateMachine',
        name: 'iam-onboarding-dev',
      });
      const definition = machine?.definition as {
        StartAt: string;
        States: Record<string, { Resource?: unknown }>;
      };
      expect(definition.StartAt).toBe('CreateUser');
      expect(definition.States.CreateUser?.Resource).toEqual({ 'Fn::GetAtt': ['createUser', 'Arn'] });
    });

    it(`fills values from \${file(./config/iamConditions.js)} with the Fn::Sub it returns`, () => {
      const config = loadServiceConfig(root);

      const createOnly = statementOf(
        config.resources,
        'CreateUserRole',
        'CreateOnlyBoundedUsersUnderOnboardedPath',
      );
      expect(createOnly.Condition?.StringEquals?.['iam:PermissionsBoundary']).toEqual(
        iamConditions.permissionsBoundaries,
      );
      expect(createOnly.Condition?.StringEquals?.['iam:PermissionsBoundary']).toContainEqual({
        'Fn::Sub': `arn:aws:iam::\${AWS::AccountId}:policy/iam-onboarding-boundary`,
      });
      const attachOnly = statementOf(config.resources, 'AttachPoliciesRole', 'AttachOnlyAllowListedPolicies');
      expect(attachOnly.Condition?.ArnEquals?.['iam:PolicyARN']).toEqual(iamConditions.allowedPolicies);
    });

    it("reads custom.esbuild, serverless-esbuild's options, as written", () => {
      const written = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
        custom: { esbuild: unknown };
      };

      const config = loadServiceConfig(root);

      expect(config.esbuild).toEqual(written.custom.esbuild);
      expect(config.esbuild).toMatchObject({ bundle: true, plugins: './config/esbuildPlugins.js' });
    });

    it('uses options.stage and options.params over the defaults', () => {
      const config = loadServiceConfig(root, {
        stage: 'prod',
        region: 'eu-west-1',
        params: { senderEmail: 'hr@corp.example', logRetentionInDays: '90' },
      });

      expect(config.stage).toBe('prod');
      expect(config.region).toBe('eu-west-1');
      expect(config.stateMachines[0]?.name).toBe('iam-onboarding-prod');
      expect(fn(config.functions, 'generatePassword').environment.SECRET_PREFIX).toBe(
        'iam-onboarding/prod/temporary-password/',
      );
      expect(fn(config.functions, 'notifyUser').environment.SENDER_EMAIL).toBe('hr@corp.example');
      expect(fn(config.functions, 'notifyOps').environment.OPS_EMAIL).toBe('ops@example.com');
      expect(config.resources.OnboardingStateMachineLogGroup?.Properties?.RetentionInDays).toBe('90');
      expect(config.resources.WebhookSigningSecret?.Properties?.Name).toBe(
        'iam-onboarding/prod/webhook-signing-secret',
      );
    });
  });

  describe('on a small serverless.yml', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'serverless-config-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    const write = (environment: Record<string, string>) =>
      writeFileSync(
        join(dir, 'serverless.yml'),
        [
          'service: tiny',
          'provider:',
          `  stage: \${opt:stage, 'dev'}`,
          '  region: eu-west-1',
          'functions:',
          '  only:',
          '    handler: functions/only.handler',
          '    environment:',
          ...Object.entries(environment).map(([name, value]) => `      ${name}: ${JSON.stringify(value)}`),
          '',
        ].join('\n'),
      );

    it(`falls back to 'dev' for \${opt:stage, 'dev'} without a stage option`, () => {
      write({ STAGE: `\${sls:stage}` });

      const config = loadServiceConfig(dir);

      expect(config.stage).toBe('dev');
      expect(config.functions[0]?.environment.STAGE).toBe('dev');
      expect(config.functions[0]?.timeout).toBe(6);
      expect(config.functions[0]?.memorySize).toBe(1024);
      expect(config.esbuild).toBeUndefined();
    });

    it(`reads one key of a \${file(...):key} YAML file`, () => {
      writeFileSync(join(dir, 'extra.yml'), 'greeting: hello\nother: no\n');
      write({ GREETING: `\${file(./extra.yml):greeting} world` });

      const config = loadServiceConfig(dir);

      expect(config.functions[0]?.environment.GREETING).toBe('hello world');
    });

    it('fails clearly on an unsupported variable', () => {
      write({ ID: `\${sls:instanceId}` });

      expect(() => loadServiceConfig(dir)).toThrow(`serverless.yml: unsupported variable \${sls:instanceId}`);
    });

    it('fails clearly on a variable with no value and no fallback', () => {
      write({ MISSING: `\${env:IAM_ONBOARDING_TEST_UNSET_VARIABLE}` });

      expect(() => loadServiceConfig(dir)).toThrow(
        `serverless.yml: \${env:IAM_ONBOARDING_TEST_UNSET_VARIABLE} has no value`,
      );
    });

    it('fails clearly on a param with no default and none given', () => {
      write({ MISSING: `\${param:nowhere}` });

      expect(() => loadServiceConfig(dir)).toThrow(`serverless.yml: \${param:nowhere} has no value`);
    });
  });
});

describe('resolveIntrinsics', () => {
  const values = {
    accountId: '123456789012',
    region: 'eu-west-1',
    refs: {
      OnboardingStateMachine: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
      createUser: 'arn:aws:lambda:eu-west-1:123456789012:function:createUser',
    },
  };

  it('resolves Ref to pseudo parameters', () => {
    expect(
      resolveIntrinsics(
        [{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }],
        values,
      ),
    ).toEqual(['123456789012', 'eu-west-1', 'aws']);
  });

  it('resolves Ref to the given logical ids, deep inside objects and arrays', () => {
    const env = { A: { Ref: 'OnboardingStateMachine' }, B: [1, 'plain', { C: { Ref: 'createUser' } }] };

    expect(resolveIntrinsics(env, values)).toEqual({
      A: values.refs.OnboardingStateMachine,
      B: [1, 'plain', { C: values.refs.createUser }],
    });
  });

  it(`substitutes every \${name} of Fn::Sub`, () => {
    const sub = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/x in \${AWS::Region}` };

    expect(resolveIntrinsics(sub, values)).toBe('arn:aws:iam::123456789012:policy/x in eu-west-1');
  });

  it('resolves Fn::GetAtt to the Ref value of its logical id', () => {
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['createUser', 'Arn'] }, values)).toBe(values.refs.createUser);
  });

  it.each([[{ Ref: 'Nowhere' }], [{ 'Fn::Sub': `arn:\${Nowhere}` }], [{ 'Fn::GetAtt': ['Nowhere', 'Arn'] }]])(
    'fails naming an unknown name in %j',
    (value) => {
      expect(() => resolveIntrinsics(value, values)).toThrow('serverless.yml: no local value for Nowhere');
    },
  );
});
