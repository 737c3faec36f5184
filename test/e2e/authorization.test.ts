import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ADMIN_CREDENTIALS, LOCAL_ACCOUNT_ID } from '../../local/stack';
import { startTestStack, type TestStack } from './support/testStack';

const run = promisify(execFile);

/** The SDK error of a call that must fail: its AWS code, HTTP status and message. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name, message, status: $metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

let stack: TestStack;
type Clients = ReturnType<typeof clients>;
const clients = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => {
  const config = { ...stack.clientConfig, credentials, maxAttempts: 1 };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    secrets: new SecretsManagerClient(config),
    sfn: new SFNClient(config),
    ses: new SESv2Client(config),
  };
};

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the local AWS endpoint', () => {
  describe('when the access key is unknown', () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' };

    it.each([
      {
        service: 'IAM',
        call: (c: Clients) => c.iam.send(new ListUsersCommand({})),
        code: 'InvalidClientTokenId',
        status: 403,
      },
      {
        service: 'STS',
        call: (c: Clients) => c.sts.send(new GetCallerIdentityCommand({})),
        code: 'InvalidClientTokenId',
        status: 403,
      },
      {
        service: 'Secrets Manager',
        call: (c: Clients) => c.secrets.send(new ListSecretsCommand({})),
        code: 'UnrecognizedClientException',
        status: 400,
      },
      {
        service: 'Step Functions',
        call: (c: Clients) => c.sfn.send(new ListStateMachinesCommand({})),
        code: 'UnrecognizedClientException',
        status: 400,
      },
    ])('$service answers $code ($status)', async ({ call, code, status }) => {
      const error = await failure(call(clients(unknown)));
      expect(error).toMatchObject({
        name: code,
        status,
        message: 'The security token included in the request is invalid.',
      });
    });
  });

  describe('when the secret key is wrong', () => {
    const wrong = { ...ADMIN_CREDENTIALS, secretAccessKey: 'not-the-secret' };

    it.each([
      {
        service: 'IAM',
        call: (c: Clients) => c.iam.send(new ListUsersCommand({})),
        code: 'SignatureDoesNotMatch',
        status: 403,
      },
      {
        service: 'Secrets Manager',
        call: (c: Clients) => c.secrets.send(new ListSecretsCommand({})),
        code: 'InvalidSignatureException',
        status: 400,
      },
      {
        service: 'Step Functions',
        call: (c: Clients) => c.sfn.send(new ListStateMachinesCommand({})),
        code: 'InvalidSignatureException',
        status: 400,
      },
    ])('$service answers $code ($status)', async ({ call, code, status }) => {
      const error = await failure(call(clients(wrong)));
      expect(error).toMatchObject({ name: code, status });
      expect(error.message).toMatch(
        /^The request signature we calculated does not match the signature you provided/,
      );
    });
  });

  it('refuses a role session key presented without its session token', async () => {
    const { sessionToken: _dropped, ...withoutToken } = stack.functionCredentials('createUser');
    const error = await failure(clients(withoutToken).iam.send(new ListUsersCommand({})));
    expect(error.name).toBe('InvalidClientTokenId');
  });

  it('refuses a request signed more than 15 minutes ago', async () => {
    const late = new IAMClient({ ...stack.clientConfig, maxAttempts: 1, systemClockOffset: -16 * 60 * 1000 });
    const error = await failure(late.send(new ListUsersCommand({})));
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('refuses a signed request whose body was changed after signing', async () => {
    // Sign one body, send another: the signature covers the payload hash.
    const iam = new IAMClient({ ...stack.clientConfig, maxAttempts: 1 });
    iam.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string };
        request.body = String(request.body).replace('MaxItems=1', 'MaxItems=2');
        return next(args);
      },
      { step: 'deserialize' },
    );
    const error = await failure(iam.send(new ListUsersCommand({ MaxItems: 1 })));
    expect(error.name).toBe('SignatureDoesNotMatch');
  });

  it('answers a request without any signature with MissingAuthenticationToken', async () => {
    const response = await fetch(stack.urls.aws, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.ListSecrets',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  describe('GetCallerIdentity', () => {
    it('names the ops user for the admin keys', async () => {
      const identity = await clients(ADMIN_CREDENTIALS).sts.send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({
        Account: LOCAL_ACCOUNT_ID,
        Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-admin`,
      });
    });

    it("names a function's assumed-role session, as Lambda's credentials do", async () => {
      const identity = await clients(stack.functionCredentials('createUser')).sts.send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toMatch(
        new RegExp(
          `^arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/iam-onboarding-local-CreateUserRole-[A-Z2-7]{12}/iam-onboarding-local-createUser$`,
        ),
      );
      expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:iam-onboarding-local-createUser$/);
    });
  });

  describe("when a function's role does not allow the call", () => {
    const roleSession =
      /^User: arn:aws:sts::000000000000:assumed-role\/iam-onboarding-local-CreateUserRole-[A-Z2-7]{12}\/iam-onboarding-local-createUser is not authorized to perform: /;

    it('IAM answers AccessDenied (403) with AWS’s explanation', async () => {
      const error = await failure(
        clients(stack.functionCredentials('createUser')).iam.send(
          new DeleteUserCommand({ UserName: 'nobody' }),
        ),
      );
      expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(error.message).toMatch(roleSession);
      expect(error.message).toMatch(
        / iam:DeleteUser on resource: arn:aws:iam::000000000000:user\/nobody because no identity-based policy allows the iam:DeleteUser action$/,
      );
    });

    it('Secrets Manager answers AccessDeniedException (400)', async () => {
      const error = await failure(
        clients(stack.functionCredentials('createUser')).secrets.send(
          new GetSecretValueCommand({ SecretId: 'iam-onboarding/local/webhook-signing-secret' }),
        ),
      );
      expect(error).toMatchObject({ name: 'AccessDeniedException', status: 400 });
      expect(error.message).toMatch(roleSession);
      expect(error.message).toContain(
        'secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:iam-onboarding/local/webhook-signing-secret-',
      );
    });

    it('Step Functions answers AccessDeniedException (400)', async () => {
      const error = await failure(
        clients(stack.functionCredentials('createUser')).sfn.send(new ListStateMachinesCommand({})),
      );
      expect(error).toMatchObject({ name: 'AccessDeniedException', status: 400 });
      expect(error.message).toMatch(
        /states:ListStateMachines on resource: \* because no identity-based policy/,
      );
    });

    it('SES answers AccessDeniedException (403) when the sender is not the configured one', async () => {
      const error = await failure(
        clients(stack.functionCredentials('notifyUser')).ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'ceo@example.com',
            Destination: { ToAddresses: ['victim@example.com'] },
            Content: { Simple: { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hi' } } } },
          }),
        ),
      );
      expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
      expect(error.message).toContain(
        'ses:SendEmail on resource: arn:aws:ses:us-east-1:000000000000:identity/example.com',
      );
    });

    it('allows what the role allows', async () => {
      const { User } = await clients(stack.functionCredentials('createUser'))
        .iam.send(new GetUserCommand({ UserName: 'nobody' }))
        .catch((error: Error) => ({ User: error.name }));
      expect(User).toBe('NoSuchEntityException');
    });
  });

  describe('with the aws CLI', () => {
    const cli = (args: string[], env: Record<string, string> = {}) =>
      run('aws', [...args, '--output', 'json'], { env: { ...process.env, ...stack.environment, ...env } });

    it('signs in with the keys the stack prints', async () => {
      const { stdout } = await cli(['sts', 'get-caller-identity']);
      expect(JSON.parse(stdout)).toMatchObject({ Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-admin` });
    });

    it('is refused with a wrong secret key', async () => {
      const result = await cli(['iam', 'list-users'], { AWS_SECRET_ACCESS_KEY: 'wrong' }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      // aws CLI v1 exits 255 on a service error, v2 254.
      expect(result).toMatchObject({
        code: expect.any(Number),
        stderr: expect.stringContaining('SignatureDoesNotMatch'),
      });
      expect([254, 255]).toContain((result as { code: number }).code);
    });
  });
});
