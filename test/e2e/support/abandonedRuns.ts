import { resolve } from 'node:path';
import { GetLoginProfileCommand, type LoginProfile } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, type DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { loadServiceConfig } from '../../../local/serverlessConfig';
import type { hireEvent, TestStack } from './testStack';

type Hire = ReturnType<typeof hireEvent>;

/** serverless.yml as the local stack reads it (stage local). */
const config = loadServiceConfig(resolve(__dirname, '../../..'), { stage: 'local', region: 'us-east-1' });

/** serverless.yml's temporary-password secret prefix, as the functions get it. */
export const SECRET_PREFIX = String(
  config.functions.find((fn) => fn.key === 'generatePassword')?.environment.SECRET_PREFIX,
);
/** serverless.yml's default for the sweep's maximum age, in hours. */
export const MAX_AGE_HOURS = Number(
  config.functions.find((fn) => fn.key === 'sweepTemporaryPasswords')?.environment
    .TEMPORARY_PASSWORD_MAX_AGE_HOURS,
);
export const OPS_EMAIL = 'ops@example.com'; // serverless.yml params.default.opsEmail

/** The user name the hire derives (given.family, lower case): the tests' events have no clash. */
export const userNameOf = (event: Hire) =>
  `${event.employee.givenName}.${event.employee.familyName}`.toLowerCase();

/** The temporary-password secret of a user, or undefined when it does not exist. */
export async function secretOf(
  stack: TestStack,
  userName: string,
): Promise<DescribeSecretCommandOutput | undefined> {
  try {
    return await stack.secrets.send(new DescribeSecretCommand({ SecretId: `${SECRET_PREFIX}${userName}` }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** The user's login profile, or undefined when it has none. */
export async function loginProfileOf(stack: TestStack, userName: string): Promise<LoginProfile | undefined> {
  try {
    return (await stack.iam.send(new GetLoginProfileCommand({ UserName: userName }))).LoginProfile;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

/**
 * A hire whose NotifyUser fails until its retries run out (SES keeps failing): the execution ends
 * FAILED at NotifyUser, keeping its secret for a redrive, and the login profile has the password.
 */
export async function failAtNotifyUser(stack: TestStack, event: Hire): Promise<string> {
  stack.faults.addRule({ service: 'ses', action: 'SendEmail', code: 'ServiceFailure', count: 1000 });
  try {
    const { json } = await stack.postHire(event);
    const executionArn = String(json.executionArn);
    await stack.settle(executionArn);
    return executionArn;
  } finally {
    stack.faults.clear();
  }
}

/**
 * A hire that ends while NotifyUser is at work: the welcome email is out, and recording it on the
 * secret keeps failing (NotifyUser retries that in place for seconds), so the password is stored
 * and set but not sent when `end` (a StopExecution, or waiting for the timeout) ends the run.
 * Resolves once the run ended and every event it sent was handled; the faults are cleared only
 * then, so the still-running NotifyUser can never send the password.
 */
export async function endWhileNotifying(
  stack: TestStack,
  event: Hire,
  end: 'stop' | 'timeout',
): Promise<{ executionArn: string; status: string | undefined }> {
  stack.faults.addRule({
    service: 'secretsmanager',
    action: 'TagResource',
    code: 'InternalServiceError',
    count: 10_000,
  });
  try {
    const { json } = await stack.postHire(event);
    const executionArn = String(json.executionArn);
    const deadline = Date.now() + 20_000;
    while ((await stack.emailsTo(event.employee.workEmail)).length === 0) {
      if (Date.now() > deadline) throw new Error('no welcome email');
      const { status } = await stack.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (status !== 'RUNNING') throw new Error(`${status} before NotifyUser sent the welcome email`);
      await new Promise((wait) => setTimeout(wait, 20));
    }
    if (end === 'stop') await stack.sfn.send(new StopExecutionCommand({ executionArn }));
    const { status } = await stack.settle(executionArn);
    await stack.whenIdle();
    return { executionArn, status };
  } finally {
    stack.faults.clear();
  }
}
