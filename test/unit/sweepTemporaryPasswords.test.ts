import {
  DeleteLoginProfileCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { DeleteSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { iam } from '../../functions/shared/iamClient';
import { secretsManager } from '../../functions/shared/secretsManagerClient';
import { handler } from '../../functions/sweepTemporaryPasswords';
import { $metadata, captureLogLines, lambdaContext, unmodelledIamError, useEnv } from '../support/lambda';

const iamMock = mockClient(iam);
const secretsMock = mockClient(secretsManager);
const context = lambdaContext('sweepTemporaryPasswords');
const PREFIX = 'iam-onboarding/dev/temporary-password/';
const arnOf = (userName: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${PREFIX}${userName}-AbCdEf`;

/** The scheduled time of the sweep's event, and dates relative to it. */
const NOW = '2026-12-01T12:00:00Z';
const hoursBefore = (hours: number) => new Date(Date.parse(NOW) - hours * 3_600_000);

const secret = (userName: string, changed: Date, tags: Record<string, string> = {}) => ({
  ARN: arnOf(userName),
  Name: `${PREFIX}${userName}`,
  CreatedDate: changed,
  LastChangedDate: changed,
  Tags: Object.entries({ purpose: 'temporary-password', employeeId: 'E1001', ...tags }).map(
    ([Key, Value]) => ({ Key, Value }),
  ),
});
const managedUser = (userName: string, employeeId = 'E1001', path = '/onboarded/') =>
  iamMock.on(GetUserCommand, { UserName: userName }).resolves({
    User: {
      UserName: userName,
      Path: path,
      UserId: 'AIDA',
      Arn: `arn:aws:iam::123456789012:user${path}${userName}`,
      CreateDate: hoursBefore(30),
      Tags: [
        { Key: 'managedBy', Value: 'iam-onboarding' },
        { Key: 'employeeId', Value: employeeId },
      ],
    },
  });
const pendingProfile = (userName: string, PasswordResetRequired = true) =>
  iamMock
    .on(GetLoginProfileCommand, { UserName: userName })
    .resolves({ LoginProfile: { UserName: userName, CreateDate: hoursBefore(30), PasswordResetRequired } });
const deletedSecrets = () => secretsMock.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input);
const deletedProfiles = () =>
  iamMock.commandCalls(DeleteLoginProfileCommand).map((c) => c.args[0].input.UserName);

useEnv({ SECRET_PREFIX: PREFIX, TEMPORARY_PASSWORD_MAX_AGE_HOURS: '24' });
beforeEach(() => {
  iamMock.reset();
  secretsMock.reset();
  iamMock.on(DeleteLoginProfileCommand).resolves({});
  secretsMock.on(DeleteSecretCommand).resolves({});
  captureLogLines();
});
afterEach(() => jest.restoreAllMocks());

describe('sweepTemporaryPasswords', () => {
  it('lists only temporary passwords: the name prefix and the purpose tag, as ListSecrets filters', async () => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [] });

    await handler({ time: NOW }, context);

    expect(secretsMock.commandCalls(ListSecretsCommand)[0]?.args[0].input).toEqual({
      Filters: [
        { Key: 'name', Values: [PREFIX] },
        { Key: 'tag-key', Values: ['purpose'] },
        { Key: 'tag-value', Values: ['temporary-password'] },
      ],
    });
  });

  it('revokes a password past 24 hours: login profile, then the secret, for good', async () => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [secret('ada.lovelace', hoursBefore(25))] });
    managedUser('ada.lovelace');
    pendingProfile('ada.lovelace');

    const output = await handler({ time: NOW }, context);

    expect(output).toEqual({
      swept: [{ userName: 'ada.lovelace', revocation: 'login profile deleted' }],
      kept: 0,
    });
    expect(deletedProfiles()).toEqual(['ada.lovelace']);
    expect(deletedSecrets()).toEqual([{ SecretId: arnOf('ada.lovelace'), ForceDeleteWithoutRecovery: true }]);
  });

  it('keeps a password younger than 24 hours as of the scheduled time', async () => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [secret('ada.lovelace', hoursBefore(23.9))] });

    expect(await handler({ time: NOW }, context)).toEqual({ swept: [], kept: 1 });
    expect(deletedSecrets()).toEqual([]);
    expect(iamMock.calls()).toHaveLength(0);
  });

  it('reads every page of ListSecrets', async () => {
    secretsMock
      .on(ListSecretsCommand)
      .resolvesOnce({ SecretList: [secret('a.one', hoursBefore(30))], NextToken: 'page-2' })
      .resolvesOnce({ SecretList: [secret('b.two', hoursBefore(30))] });
    for (const name of ['a.one', 'b.two']) {
      managedUser(name);
      pendingProfile(name);
    }

    const output = await handler({ time: NOW }, context);

    expect(output.swept.map((s) => s.userName)).toEqual(['a.one', 'b.two']);
  });

  it.each([
    ['not under /onboarded/', () => managedUser('bob', 'E1001', '/')],
    ['of another employee', () => managedUser('bob', 'E-OTHER')],
  ])('deletes the secret but never touches a user %s', async (_, arrange) => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [secret('bob', hoursBefore(48))] });
    arrange();

    const output = await handler({ time: NOW }, context);

    expect(output.swept).toEqual([{ userName: 'bob', revocation: 'user not managed by this project' }]);
    expect(iamMock.commandCalls(GetLoginProfileCommand)).toHaveLength(0);
    expect(deletedProfiles()).toEqual([]);
    expect(deletedSecrets()).toHaveLength(1);
  });

  it('keeps the login profile of a user who already chose their own password', async () => {
    secretsMock.on(ListSecretsCommand).resolves({ SecretList: [secret('ada.lovelace', hoursBefore(48))] });
    managedUser('ada.lovelace');
    pendingProfile('ada.lovelace', false);

    const output = await handler({ time: NOW }, context);

    expect(output.swept).toEqual([{ userName: 'ada.lovelace', revocation: 'password already changed' }]);
    expect(deletedProfiles()).toEqual([]);
  });

  it('deletes the secret of a user or login profile that is gone (NoSuchEntity)', async () => {
    secretsMock.on(ListSecretsCommand).resolves({
      SecretList: [secret('gone.user', hoursBefore(48)), secret('no.profile', hoursBefore(48))],
    });
    iamMock
      .on(GetUserCommand, { UserName: 'gone.user' })
      .rejects(
        new NoSuchEntityException({ message: 'The user with name gone.user cannot be found.', $metadata }),
      );
    managedUser('no.profile');
    iamMock.on(GetLoginProfileCommand).rejects(
      new NoSuchEntityException({
        message: 'Login Profile for User no.profile cannot be found.',
        $metadata,
      }),
    );

    const output = await handler({ time: NOW }, context);

    expect(output.swept).toEqual([
      { userName: 'gone.user', revocation: 'user not found' },
      { userName: 'no.profile', revocation: 'no login profile' },
    ]);
    expect(deletedSecrets()).toHaveLength(2);
  });

  it('ignores a listed secret without the exact purpose tag (filters match prefixes)', async () => {
    secretsMock.on(ListSecretsCommand).resolves({
      SecretList: [secret('ada.lovelace', hoursBefore(48), { purpose: 'temporary-password-x' })],
    });

    expect(await handler({ time: NOW }, context)).toEqual({ swept: [], kept: 0 });
    expect(deletedSecrets()).toEqual([]);
  });

  it('keeps the secret when the login profile cannot be revoked, goes on with the others, then fails', async () => {
    secretsMock.on(ListSecretsCommand).resolves({
      SecretList: [secret('a.one', hoursBefore(48)), secret('b.two', hoursBefore(48))],
    });
    managedUser('a.one');
    managedUser('b.two');
    pendingProfile('b.two');
    iamMock
      .on(GetLoginProfileCommand, { UserName: 'a.one' })
      .rejects(unmodelledIamError('ServiceFailure', 500));

    await expect(handler({ time: NOW }, context)).rejects.toMatchObject({ name: 'IamServiceError' });

    expect(deletedSecrets()).toEqual([{ SecretId: arnOf('b.two'), ForceDeleteWithoutRecovery: true }]);
    expect(deletedProfiles()).toEqual(['b.two']);
  });

  it('refuses a maximum age under 2 hours (a run may last an hour)', async () => {
    process.env.TEMPORARY_PASSWORD_MAX_AGE_HOURS = '1';

    await expect(handler({ time: NOW }, context)).rejects.toMatchObject({ name: 'ConfigurationError' });
    expect(secretsMock.calls()).toHaveLength(0);
  });
});
