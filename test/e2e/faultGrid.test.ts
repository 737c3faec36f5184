import type { FaultRule } from '../../local/faults';
import { expectOnboarded } from './support/expectOnboarded';
import { attempts, executionHistory, redriveAndSettle, statesEntered } from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

type Step = 'CreateUser' | 'EnsureGroups' | 'AttachPolicies' | 'GeneratePassword' | 'NotifyUser';

/** One cell of the grid: a fault injected into one step, and the error the step must fail with. */
type Cell = {
  step: Step;
  fault: 'Throttling' | 'ServiceFailure' | 'NoSuchEntity right after create' | 'crash after the side effect';
  /** What is injected, for the test name. */
  what: string;
  rules: FaultRule[];
  /** The function that crashes once after its side effects. */
  crash?: string;
  /** The error name the step's failed attempts carry; none when the step absorbs the fault itself. */
  error?: string;
  /** The fault outlasts the step's retries: the execution fails there and is redriven. */
  exhausts?: boolean;
};

const iam = (action: string, code: string, count: number, skip?: number): FaultRule => ({
  service: 'iam',
  action,
  code,
  count,
  skip,
});
const secrets = (action: string, code: string, count: number): FaultRule => ({
  service: 'secretsmanager',
  action,
  code,
  count,
});
const ses = (code: string, count: number, skip?: number): FaultRule => ({
  service: 'ses',
  action: 'SendEmail',
  code,
  count,
  skip,
});
/** Far more failures than any Retry allows. */
const OUTAGE = 100;

const GRID: Cell[] = [
  // CreateUser: iam:CreateUser (and GetUser when the name exists).
  {
    step: 'CreateUser',
    fault: 'Throttling',
    what: 'CreateUser Throttling x3',
    rules: [iam('CreateUser', 'Throttling', 3)],
    error: 'IamThrottledError',
  },
  {
    step: 'CreateUser',
    fault: 'ServiceFailure',
    what: 'CreateUser ServiceFailure until redrive',
    rules: [iam('CreateUser', 'ServiceFailure', OUTAGE)],
    error: 'IamServiceError',
    exhausts: true,
  },
  {
    step: 'CreateUser',
    fault: 'NoSuchEntity right after create',
    what: 'crash after CreateUser, then GetUser NoSuchEntity on the rerun',
    rules: [iam('GetUser', 'NoSuchEntity', 1)],
    crash: 'createUser',
    error: 'IamNotYetConsistentError',
  },
  {
    step: 'CreateUser',
    fault: 'crash after the side effect',
    what: 'createUser crashes once',
    rules: [],
    crash: 'createUser',
    error: 'Lambda.Unknown',
  },
  // EnsureGroups: iam:CreateGroup, AttachGroupPolicy, AddUserToGroup.
  {
    step: 'EnsureGroups',
    fault: 'Throttling',
    what: 'AddUserToGroup Throttling x3',
    rules: [iam('AddUserToGroup', 'Throttling', 3)],
    error: 'IamThrottledError',
  },
  {
    step: 'EnsureGroups',
    fault: 'ServiceFailure',
    what: 'AttachGroupPolicy ServiceFailure until redrive',
    rules: [iam('AttachGroupPolicy', 'ServiceFailure', OUTAGE)],
    error: 'IamServiceError',
    exhausts: true,
  },
  {
    step: 'EnsureGroups',
    fault: 'NoSuchEntity right after create',
    what: 'AddUserToGroup NoSuchEntity x1',
    rules: [iam('AddUserToGroup', 'NoSuchEntity', 1)],
    error: 'IamNotYetConsistentError',
  },
  {
    step: 'EnsureGroups',
    fault: 'crash after the side effect',
    what: 'ensureGroups crashes once',
    rules: [],
    crash: 'ensureGroups',
    error: 'Lambda.Unknown',
  },
  // AttachPolicies: iam:AttachUserPolicy, GetUser.
  {
    step: 'AttachPolicies',
    fault: 'Throttling',
    what: 'AttachUserPolicy Throttling x3',
    rules: [iam('AttachUserPolicy', 'Throttling', 3)],
    error: 'IamThrottledError',
  },
  {
    step: 'AttachPolicies',
    fault: 'ServiceFailure',
    what: 'AttachUserPolicy ServiceFailure until redrive',
    rules: [iam('AttachUserPolicy', 'ServiceFailure', OUTAGE)],
    error: 'IamServiceError',
    exhausts: true,
  },
  {
    step: 'AttachPolicies',
    fault: 'NoSuchEntity right after create',
    what: 'AttachUserPolicy NoSuchEntity x1',
    rules: [iam('AttachUserPolicy', 'NoSuchEntity', 1)],
    error: 'IamNotYetConsistentError',
  },
  {
    step: 'AttachPolicies',
    fault: 'crash after the side effect',
    what: 'attachPolicies crashes once',
    rules: [],
    crash: 'attachPolicies',
    error: 'Lambda.Unknown',
  },
  // GeneratePassword: iam:GetAccountPasswordPolicy, secretsmanager:CreateSecret, iam:CreateLoginProfile.
  {
    step: 'GeneratePassword',
    fault: 'Throttling',
    what: 'CreateLoginProfile Throttling x3',
    rules: [iam('CreateLoginProfile', 'Throttling', 3)],
    error: 'IamThrottledError',
  },
  {
    step: 'GeneratePassword',
    fault: 'Throttling',
    what: 'Secrets Manager CreateSecret ThrottlingException x3',
    rules: [secrets('CreateSecret', 'ThrottlingException', 3)],
    error: 'SecretsServiceError',
  },
  {
    step: 'GeneratePassword',
    fault: 'ServiceFailure',
    what: 'CreateLoginProfile ServiceFailure until redrive',
    rules: [iam('CreateLoginProfile', 'ServiceFailure', OUTAGE)],
    error: 'IamServiceError',
    exhausts: true,
  },
  {
    step: 'GeneratePassword',
    fault: 'ServiceFailure',
    what: 'Secrets Manager CreateSecret InternalServiceError until redrive',
    rules: [secrets('CreateSecret', 'InternalServiceError', OUTAGE)],
    error: 'SecretsServiceError',
    exhausts: true,
  },
  {
    step: 'GeneratePassword',
    fault: 'NoSuchEntity right after create',
    what: 'CreateLoginProfile NoSuchEntity x1',
    rules: [iam('CreateLoginProfile', 'NoSuchEntity', 1)],
    error: 'IamNotYetConsistentError',
  },
  {
    step: 'GeneratePassword',
    fault: 'crash after the side effect',
    what: 'generatePassword crashes once (its password is lost)',
    rules: [],
    crash: 'generatePassword',
    error: 'Lambda.Unknown',
  },
  // NotifyUser: secretsmanager:DescribeSecret, GetSecretValue, TagResource, DeleteSecret; iam:ListAccountAliases,
  // TagUser (and ListUserTags when the secret is gone); ses:SendEmail.
  {
    step: 'NotifyUser',
    fault: 'Throttling',
    what: 'SES TooManyRequestsException x3 on the welcome email',
    rules: [ses('TooManyRequestsException', 3)],
    error: 'MailServiceError',
  },
  {
    step: 'NotifyUser',
    fault: 'Throttling',
    what: 'SES TooManyRequestsException x3 on the password email, after the welcome email went out',
    rules: [ses('TooManyRequestsException', 3, 1)],
    error: 'MailServiceError',
  },
  {
    step: 'NotifyUser',
    fault: 'Throttling',
    // The email is out: notifyUser retries its record in place rather than fail and send it again.
    what: 'Secrets Manager TagResource ThrottlingException x3 right after the welcome email went out',
    rules: [secrets('TagResource', 'ThrottlingException', 3)],
  },
  {
    step: 'NotifyUser',
    fault: 'Throttling',
    // Both emails are recorded on the secret: the retry only tags the user and deletes the secret.
    what: 'TagUser Throttling x3, after both emails went out',
    rules: [iam('TagUser', 'Throttling', 3)],
    error: 'IamThrottledError',
  },
  {
    step: 'NotifyUser',
    fault: 'Throttling',
    what: 'Secrets Manager DeleteSecret ThrottlingException x3, after both emails went out',
    rules: [secrets('DeleteSecret', 'ThrottlingException', 3)],
    error: 'SecretsServiceError',
  },
  {
    step: 'NotifyUser',
    fault: 'ServiceFailure',
    what: 'SES InternalFailure until redrive',
    rules: [ses('InternalFailure', OUTAGE)],
    error: 'MailServiceError',
    exhausts: true,
  },
  {
    step: 'NotifyUser',
    fault: 'ServiceFailure',
    what: 'SES InternalFailure on the password email until redrive, after the welcome email went out',
    rules: [ses('InternalFailure', OUTAGE, 1)],
    error: 'MailServiceError',
    exhausts: true,
  },
  {
    step: 'NotifyUser',
    fault: 'ServiceFailure',
    what: 'Secrets Manager GetSecretValue InternalServiceError until redrive',
    rules: [secrets('GetSecretValue', 'InternalServiceError', OUTAGE)],
    error: 'SecretsServiceError',
    exhausts: true,
  },
  {
    step: 'NotifyUser',
    fault: 'NoSuchEntity right after create',
    what: 'TagUser NoSuchEntity x1, after both emails went out',
    rules: [iam('TagUser', 'NoSuchEntity', 1)],
    error: 'IamNotYetConsistentError',
  },
  {
    step: 'NotifyUser',
    fault: 'crash after the side effect',
    what: 'notifyUser crashes once after both emails',
    rules: [],
    crash: 'notifyUser',
    error: 'Lambda.Unknown',
  },
];

const STEPS: Step[] = ['CreateUser', 'EnsureGroups', 'AttachPolicies', 'GeneratePassword', 'NotifyUser'];

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
});

afterEach(() => {
  stack.faults.clear();
});

afterAll(async () => {
  await stack.close();
});

describe('fault grid: every task step under every kind of fault', () => {
  describe.each(STEPS)('%s', (step) => {
    it.each(GRID.filter((cell) => cell.step === step))(
      'converges to one onboarded user under $fault ($what)',
      async (cell) => {
        const event = hireEvent();
        for (const rule of cell.rules) stack.faults.addRule(rule);
        if (cell.crash) stack.faults.addCrash({ function: cell.crash, count: 1 });

        const { json } = await stack.postHire(event);
        const executionArn = String(json.executionArn);
        let execution = await stack.settle(executionArn);
        if (cell.exhausts) {
          expect(execution).toMatchObject({ status: 'FAILED', error: cell.error });
          expect(statesEntered(await executionHistory(stack.sfn, executionArn)).at(-1)).toBe(step);
          stack.faults.clear();
          execution = await redriveAndSettle(stack, executionArn);
        }

        expect(execution.status).toBe('SUCCEEDED');
        // The fault hit this step (every injected fault was used) and nothing reached NotifyOps.
        const history = await executionHistory(stack.sfn, executionArn);
        const failed = attempts(history).filter((a) => a.outcome === 'failed');
        expect(failed.every((a) => a.state === step)).toBe(true);
        if (cell.error) expect(failed.map((a) => a.error)).toContain(cell.error);
        else expect(failed).toEqual([]);
        expect(stack.faults.describe()).toEqual({ rules: [], crashes: [], rates: {} });
        expect(statesEntered(history)).not.toContain('NotifyOps');
        await expectOnboarded(stack, event);
      },
    );
  });
});
