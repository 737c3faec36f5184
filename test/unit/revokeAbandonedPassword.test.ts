import { DeleteLoginProfileCommand, GetLoginProfileCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { DeleteSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, type ExecutionStatus } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { type ExecutionStatusChange, handler } from '../../functions/revokeAbandonedPassword';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { ses } from '../../functions/shared/sesClient';
import { sfn } from '../../functions/shared/sfnClient';
import { captureLogLines, executionArn, lambdaContext, newHire, useEnv } from '../support/lambda';

const iamMock = mockClient(iam);
const secretsMock = mockClient(secretsManager);
const sesMock = mockClient(ses);
const sfnMock = mockClient(sfn);
const context = lambdaContext('revokeAbandonedPassword');
const PREFIX = 'iam-onboarding/dev/temporary-password/';
const secretArn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${PREFIX}ada.lovelace-AbCdEf`;
const hire = {
  eventId: 'evt-1',
  type: 'employee.hired',
  occurredAt: '2026-12-01T09:00:00Z',
  employee: newHire,
};

/** The event's detail as the Step Functions Developer Guide shows it ("Execution Aborted"). */
const statusChange = (status: string, overrides: Partial<ExecutionStatusChange> = {}) => ({
  detail: {
    executionArn,
    stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
    name: 'evt-1',
    status,
    startDate: 1551225014968,
    stopDate: 1551225017576,
    input: JSON.stringify(hire),
    inputDetails: { included: true },
    output: null,
    ...overrides,
  },
});
const listed = (eventId: string, userName = 'ada.lovelace') => ({
  ARN: secretArn.replace('ada.lovelace', userName),
  Name: `${PREFIX}${userName}`,
  LastChangedDate: new Date(),
  Tags: [
    { Key: 'purpose', Value: 'temporary-password' },
    { Key: 'employeeId', Value: newHire.id },
    { Key: 'eventId', Value: eventId },
  ],
});
const sent = () => sesMock.commandCalls(SendEmailCommand).map((call) => call.args[0].input);

useEnv({
  SECRET_PREFIX: PREFIX,
  SENDER_EMAIL: 'it@example.com',
  OPS_EMAIL: 'ops@example.com',
  AWS_REGION: 'eu-west-1',
  CONSOLE_URL: '',
});
beforeEach(() => {
  iamMock.reset();
  secretsMock.reset();
  sesMock.reset();
  sfnMock.reset();
  sfnMock.on(DescribeExecutionCommand, { executionArn }).resolves({ executionArn, status: 'ABORTED' });
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'message-1' });
  secretsMock.on(DeleteSecretCommand).resolves({});
  secretsMock
    .on(ListSecretsCommand)
    .resolves({ SecretList: [listed('evt-1'), listed('evt-2', 'charles.babbage')] });
  iamMock.on(GetUserCommand).resolves({
    User: {
      UserName: 'ada.lovelace',
      Path: '/onboarded/',
      UserId: 'AIDA',
      Arn: 'arn:aws:iam::123456789012:user/onboarded/ada.lovelace',
      CreateDate: new Date(),
      Tags: [
        { Key: 'managedBy', Value: 'iam-onboarding' },
        { Key: 'employeeId', Value: newHire.id },
      ],
    },
  });
  iamMock.on(GetLoginProfileCommand).resolves({
    LoginProfile: { UserName: 'ada.lovelace', CreateDate: new Date(), PasswordResetRequired: true },
  });
  iamMock.on(DeleteLoginProfileCommand).resolves({});
  captureLogLines();
});
afterEach(() => jest.restoreAllMocks());

describe('revokeAbandonedPassword', () => {
  describe.each<[ExecutionStatus, string]>([
    ['ABORTED', 'was stopped'],
    ['TIMED_OUT', 'timed out'],
  ])('when the execution is %s', (status, ended) => {
    it("revokes only this event's password and tells ops, with a link", async () => {
      sfnMock.on(DescribeExecutionCommand, { executionArn }).resolves({ executionArn, status });

      const output = await handler(statusChange(status), context);

      expect(output).toEqual({
        status,
        revoked: [{ userName: 'ada.lovelace', revocation: 'login profile deleted' }],
      });
      expect(iamMock.commandCalls(DeleteLoginProfileCommand).map((c) => c.args[0].input)).toEqual([
        { UserName: 'ada.lovelace' },
      ]);
      expect(secretsMock.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual([
        { SecretId: secretArn, ForceDeleteWithoutRecovery: true },
      ]);
      const [email] = sent();
      expect(email?.FromEmailAddress).toBe('it@example.com');
      expect(email?.Destination?.ToAddresses).toEqual(['ops@example.com']);
      expect(email?.Content?.Simple?.Subject?.Data).toBe(`Onboarding of Ada Lovelace (E1001) ${ended}`);
      const text = email?.Content?.Simple?.Body?.Text?.Data ?? '';
      expect(text).toContain('Temporary password of ada.lovelace revoked: login profile deleted.');
      expect(text).toContain(
        `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`,
      );
      expect(text).not.toContain(newHire.managerEmail);
      expect(text).not.toContain(newHire.workEmail);
    });
  });

  it('tells ops that no password was outstanding when the run had stored none', async () => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [listed('evt-2', 'charles.babbage')] });

    const output = await handler(statusChange('ABORTED'), context);

    expect(output.revoked).toEqual([]);
    expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(0);
    expect(sent()[0]?.Content?.Simple?.Body?.Text?.Data).toContain('No temporary password was outstanding.');
  });

  it.each(['RUNNING', 'SUCCEEDED', 'FAILED'])(
    'does nothing on %s (a FAILED run may be redriven)',
    async (status) => {
      expect(await handler(statusChange(status), context)).toEqual({ status, revoked: [] });
      expect(secretsMock.calls()).toHaveLength(0);
      expect(sent()).toEqual([]);
    },
  );

  it.each<[ExecutionStatus, string]>([
    ['RUNNING', 'being redriven'],
    ['SUCCEEDED', 'redriven to success'],
    ['FAILED', 'redriven and failed again'],
  ])(
    'revokes nothing and sends nothing when the execution is %s by the time the event arrives (%s): the redrive owns the password',
    async (current) => {
      sfnMock
        .on(DescribeExecutionCommand, { executionArn })
        .resolves({ executionArn, status: current, redriveCount: 1 });

      const output = await handler(statusChange('ABORTED'), context);

      expect(output).toEqual({ status: current, revoked: [] });
      expect(secretsMock.calls()).toHaveLength(0);
      expect(iamMock.calls()).toHaveLength(0);
      expect(sent()).toEqual([]);
    },
  );

  it('revokes nothing when the execution cannot be read: the event is retried', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(handler(statusChange('ABORTED'), context)).rejects.toThrow('Rate exceeded');
    expect(secretsMock.calls()).toHaveLength(0);
    expect(sent()).toEqual([]);
  });

  it('matches no secret, and still tells ops, when the event leaves the input out (over 248 KB)', async () => {
    const output = await handler(
      statusChange('TIMED_OUT', { input: null, inputDetails: { included: false } }),
      context,
    );

    expect(output.revoked).toEqual([]);
    expect(secretsMock.commandCalls(DeleteSecretCommand)).toHaveLength(0);
    expect(sent()).toHaveLength(1);
  });
});
