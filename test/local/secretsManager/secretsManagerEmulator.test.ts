import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  PutSecretValueCommand,
  paginateListSecrets,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { Faults } from '../../../local/faults';
import { createSecretsManagerService } from '../../../local/secretsManager/secretsManagerService';
import { JournalStore } from '../../../local/store';
import { clientConfig, rejection, type ServiceServer, startServiceServer } from '../support/serviceServer';

const ACCOUNT_ID = '123456789012';
const REGION = 'us-east-1';
const DAY_MS = 86_400_000;
const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";

const failure = (call: Promise<unknown>) => rejection(call, SecretsManagerServiceException);

/** A fresh emulator on its own data folder; `restart()` reopens the same folder in a new process-like instance. */
class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'secretsmanager-'));
  faults = new Faults();
  client!: SecretsManagerClient;
  private server: ServiceServer | undefined;

  async start(): Promise<void> {
    const store = JournalStore.open(this.dir, 'secretsmanager');
    this.server = await startServiceServer(
      createSecretsManagerService({ store, faults: this.faults, accountId: ACCOUNT_ID, region: REGION }),
    );
    this.client = new SecretsManagerClient(clientConfig(this.server.endpoint, REGION));
  }

  get url(): string {
    if (!this.server) throw new Error('not started');
    return this.server.endpoint;
  }

  async stop(): Promise<void> {
    this.client.destroy();
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.faults = new Faults();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A raw JSON 1.1 call, to check the wire format the SDK hides. */
  async raw(
    action: string,
    body: unknown,
  ): Promise<{ status: number; contentType: string | null; json: unknown }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${action}` },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      json: await response.json(),
    };
  }
}

const token = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('Secrets Manager emulator', () => {
  let harness: Harness;
  let client: SecretsManagerClient;

  beforeEach(async () => {
    harness = new Harness();
    await harness.start();
    client = harness.client;
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.dispose();
  });

  const create = (
    name: string,
    value = 'value',
    extra: Partial<ConstructorParameters<typeof CreateSecretCommand>[0]> = {},
  ) => client.send(new CreateSecretCommand({ Name: name, SecretString: value, ...extra }));

  describe('CreateSecret', () => {
    it('returns an ARN of the name plus a hyphen and six random alphanumerics, and the version id', async () => {
      const created = await create('onboarding/jdoe', 's3cret', { ClientRequestToken: token(1) });

      expect(created.Name).toBe('onboarding/jdoe');
      expect(created.ARN).toMatch(
        /^arn:aws:secretsmanager:us-east-1:123456789012:secret:onboarding\/jdoe-[A-Za-z0-9]{6}$/,
      );
      expect(created.VersionId).toBe(token(1));
    });

    it('answers a retry with the same ClientRequestToken and value with the existing version', async () => {
      const first = await create('retry/me', 'v', { ClientRequestToken: token(2) });

      const second = await create('retry/me', 'v', { ClientRequestToken: token(2) });

      expect(second).toMatchObject({ ARN: first.ARN, Name: 'retry/me', VersionId: token(2) });
    });

    it('rejects the same ClientRequestToken with a different value', async () => {
      await create('retry/other', 'v1', { ClientRequestToken: token(3) });

      const error = await failure(create('retry/other', 'v2', { ClientRequestToken: token(3) }));

      expect(error).toBeInstanceOf(ResourceExistsException);
    });

    it('rejects a name that already exists with ResourceExistsException', async () => {
      await create('taken');

      const error = await failure(create('taken'));

      expect(error).toBeInstanceOf(ResourceExistsException);
      expect(error.name).toBe('ResourceExistsException');
      expect(error.message).toBe('The operation failed because the secret taken already exists.');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('rejects a name scheduled for deletion with InvalidRequestException', async () => {
      await create('scheduled');
      await client.send(new DeleteSecretCommand({ SecretId: 'scheduled' }));

      const error = await failure(create('scheduled'));

      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.message).toBe(
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    });

    it('accepts names of 512 characters from [A-Za-z0-9/_+=.@-] and rejects other characters or longer names', async () => {
      const longest = `a/_+=.@-${'x'.repeat(504)}`;
      await expect(create(longest)).resolves.toMatchObject({ Name: longest });

      const badCharacter = await failure(create('has space'));
      const tooLong = await failure(create('y'.repeat(513)));

      expect(badCharacter.name).toBe('ValidationException');
      expect(badCharacter.message).toBe(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
      expect(tooLong.name).toBe('ValidationException');
      expect(tooLong.message).toContain(
        "at 'name' failed to satisfy constraint: Member must have length less than or equal to 512",
      );
    });

    it('rejects SecretString and SecretBinary together with InvalidParameterException', async () => {
      const error = await failure(create('both', 'text', { SecretBinary: Uint8Array.from([1, 2]) }));

      expect(error).toBeInstanceOf(InvalidParameterException);
    });

    it('stores a binary secret and returns the same bytes', async () => {
      const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
      await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));

      const value = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));

      expect(value.SecretString).toBeUndefined();
      expect(Array.from(value.SecretBinary ?? [])).toEqual(Array.from(bytes));
    });

    it('creates a secret without a value, which gets its first version from PutSecretValue', async () => {
      const created = await client.send(new CreateSecretCommand({ Name: 'empty' }));
      expect(created.VersionId).toBeUndefined();
      const missing = await failure(client.send(new GetSecretValueCommand({ SecretId: 'empty' })));
      expect(missing).toBeInstanceOf(ResourceNotFoundException);

      await client.send(new PutSecretValueCommand({ SecretId: 'empty', SecretString: 'first' }));

      const value = await client.send(new GetSecretValueCommand({ SecretId: 'empty' }));
      expect(value).toMatchObject({ SecretString: 'first', VersionStages: ['AWSCURRENT'] });
    });
  });

  describe('GetSecretValue', () => {
    it('returns the AWSCURRENT value by name, full ARN and partial ARN, with its creation date', async () => {
      const before = Date.now();
      const created = await create('by/id', 'the-value', { ClientRequestToken: token(4) });
      const arn = created.ARN ?? '';

      for (const secretId of ['by/id', arn, arn.slice(0, -7)]) {
        const value = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        expect(value).toMatchObject({
          ARN: arn,
          Name: 'by/id',
          VersionId: token(4),
          SecretString: 'the-value',
          VersionStages: ['AWSCURRENT'],
        });
        expect(value.CreatedDate).toBeInstanceOf(Date);
        expect(value.CreatedDate?.getTime()).toBeGreaterThanOrEqual(before - 1000);
      }
    });

    it('returns the previous value for VersionStage AWSPREVIOUS and a version by VersionId', async () => {
      await create('staged', 'one', { ClientRequestToken: token(5) });
      await client.send(
        new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'two', ClientRequestToken: token(6) }),
      );

      const previous = await client.send(
        new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'AWSPREVIOUS' }),
      );
      const byId = await client.send(new GetSecretValueCommand({ SecretId: 'staged', VersionId: token(6) }));

      expect(previous).toMatchObject({
        SecretString: 'one',
        VersionId: token(5),
        VersionStages: ['AWSPREVIOUS'],
      });
      expect(byId).toMatchObject({ SecretString: 'two', VersionStages: ['AWSCURRENT'] });
    });

    it('fails with ResourceNotFoundException, status 400, for an unknown secret', async () => {
      const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'nope' })));

      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe(NOT_FOUND);
      expect(error.$fault).toBe('client');
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('fails with InvalidRequestException for a secret scheduled for deletion', async () => {
      await create('going');
      await client.send(new DeleteSecretCommand({ SecretId: 'going', RecoveryWindowInDays: 7 }));

      const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'going' })));

      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.message).toBe(MARKED_FOR_DELETION);
    });

    it('rejects a VersionStage that is not attached to the given VersionId', async () => {
      await create('mismatch', 'v', { ClientRequestToken: token(7) });

      const error = await failure(
        client.send(
          new GetSecretValueCommand({
            SecretId: 'mismatch',
            VersionId: token(7),
            VersionStage: 'AWSPREVIOUS',
          }),
        ),
      );

      expect(error).toBeInstanceOf(InvalidRequestException);
    });
  });

  describe('PutSecretValue', () => {
    it('makes the new version AWSCURRENT, the previous one AWSPREVIOUS, and unlabels older ones', async () => {
      await create('rotating', 'v1', { ClientRequestToken: token(10) });
      await client.send(
        new PutSecretValueCommand({
          SecretId: 'rotating',
          SecretString: 'v2',
          ClientRequestToken: token(11),
        }),
      );

      const put = await client.send(
        new PutSecretValueCommand({
          SecretId: 'rotating',
          SecretString: 'v3',
          ClientRequestToken: token(12),
        }),
      );

      expect(put).toMatchObject({ Name: 'rotating', VersionId: token(12), VersionStages: ['AWSCURRENT'] });
      const described = await client.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
      expect(described.VersionIdsToStages).toEqual({
        [token(11)]: ['AWSPREVIOUS'],
        [token(12)]: ['AWSCURRENT'],
      });
      const current = await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }));
      expect(current.SecretString).toBe('v3');
    });

    it('does nothing for a repeated ClientRequestToken with the same value and rejects it with another value', async () => {
      await create('idem', 'v1');
      const first = await client.send(
        new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'v2', ClientRequestToken: token(13) }),
      );

      const again = await client.send(
        new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'v2', ClientRequestToken: token(13) }),
      );
      const conflict = await failure(
        client.send(
          new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'v3', ClientRequestToken: token(13) }),
        ),
      );

      expect(again).toMatchObject({ VersionId: first.VersionId, VersionStages: ['AWSCURRENT'] });
      expect(conflict).toBeInstanceOf(ResourceExistsException);
      const described = await client.send(new DescribeSecretCommand({ SecretId: 'idem' }));
      expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(2);
    });

    it('fails with ResourceNotFoundException for an unknown secret and InvalidRequestException for a deleted one', async () => {
      await create('deleted');
      await client.send(new DeleteSecretCommand({ SecretId: 'deleted' }));

      const unknown = await failure(
        client.send(new PutSecretValueCommand({ SecretId: 'unknown', SecretString: 'x' })),
      );
      const deleted = await failure(
        client.send(new PutSecretValueCommand({ SecretId: 'deleted', SecretString: 'x' })),
      );

      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
      expect(deleted).toBeInstanceOf(InvalidRequestException);
      expect(deleted.message).toBe(MARKED_FOR_DELETION);
    });
  });

  describe('DescribeSecret', () => {
    it('describes the name, description, tags, dates and version stages but never the value', async () => {
      const created = await create('described', 'hidden-value', {
        Description: 'Temporary console password',
        Tags: [{ Key: 'purpose', Value: 'onboarding' }],
        ClientRequestToken: token(20),
      });

      const described = await client.send(new DescribeSecretCommand({ SecretId: 'described' }));

      expect(described).toMatchObject({
        ARN: created.ARN,
        Name: 'described',
        Description: 'Temporary console password',
        Tags: [{ Key: 'purpose', Value: 'onboarding' }],
        VersionIdsToStages: { [token(20)]: ['AWSCURRENT'] },
      });
      expect(described.CreatedDate).toBeInstanceOf(Date);
      expect(described.LastChangedDate).toBeInstanceOf(Date);
      expect(described.DeletedDate).toBeUndefined();
      expect(JSON.stringify(described)).not.toContain('hidden-value');
    });

    it('reports DeletedDate for a secret scheduled for deletion', async () => {
      await create('with-deleted-date');
      await client.send(new DeleteSecretCommand({ SecretId: 'with-deleted-date' }));

      const described = await client.send(new DescribeSecretCommand({ SecretId: 'with-deleted-date' }));

      expect(described.DeletedDate).toBeInstanceOf(Date);
    });

    it('fails with ResourceNotFoundException for an unknown secret', async () => {
      const error = await failure(client.send(new DescribeSecretCommand({ SecretId: 'unknown' })));

      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('DeleteSecret', () => {
    it('schedules the deletion 30 days ahead by default', async () => {
      const created = await create('default-window');

      const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'default-window' }));

      expect(deleted).toMatchObject({ ARN: created.ARN, Name: 'default-window' });
      expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeGreaterThan(30 * DAY_MS - 60_000);
      expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(30 * DAY_MS);
    });

    it('accepts RecoveryWindowInDays from 7 to 30 and rejects values outside', async () => {
      await create('window');

      const tooShort = await failure(
        client.send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 6 })),
      );
      const tooLong = await failure(
        client.send(new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 31 })),
      );
      const deleted = await client.send(
        new DeleteSecretCommand({ SecretId: 'window', RecoveryWindowInDays: 7 }),
      );

      expect(tooShort).toBeInstanceOf(InvalidParameterException);
      expect(tooLong).toBeInstanceOf(InvalidParameterException);
      expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7 * DAY_MS - 60_000);
      expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(7 * DAY_MS);
    });

    it('rejects ForceDeleteWithoutRecovery together with RecoveryWindowInDays', async () => {
      await create('both-options');

      const error = await failure(
        client.send(
          new DeleteSecretCommand({
            SecretId: 'both-options',
            ForceDeleteWithoutRecovery: true,
            RecoveryWindowInDays: 7,
          }),
        ),
      );

      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
      await expect(
        client.send(new GetSecretValueCommand({ SecretId: 'both-options' })),
      ).resolves.toBeDefined();
    });

    it('deletes at once with ForceDeleteWithoutRecovery, so the name is free again', async () => {
      const first = await create('forced', 'old');

      await client.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));

      const gone = await failure(client.send(new DescribeSecretCommand({ SecretId: 'forced' })));
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      const second = await create('forced', 'new');
      expect(second.ARN).not.toBe(first.ARN);
    });

    it('force-deletes a secret already scheduled for deletion and succeeds for an unknown secret', async () => {
      await create('twice');
      await client.send(new DeleteSecretCommand({ SecretId: 'twice' }));

      await client.send(new DeleteSecretCommand({ SecretId: 'twice', ForceDeleteWithoutRecovery: true }));
      const unknown = await client.send(
        new DeleteSecretCommand({ SecretId: 'never-was', ForceDeleteWithoutRecovery: true }),
      );

      expect(unknown.Name).toBe('never-was');
      const gone = await failure(client.send(new RestoreSecretCommand({ SecretId: 'twice' })));
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
    });

    it('rejects scheduling a deletion twice and an unknown secret without force', async () => {
      await create('scheduled-twice');
      await client.send(new DeleteSecretCommand({ SecretId: 'scheduled-twice' }));

      const again = await failure(client.send(new DeleteSecretCommand({ SecretId: 'scheduled-twice' })));
      const unknown = await failure(client.send(new DeleteSecretCommand({ SecretId: 'never-was' })));

      expect(again).toBeInstanceOf(InvalidRequestException);
      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    });

    it('removes the secret for good once its recovery window has ended', async () => {
      await create('expiring');
      await client.send(new DeleteSecretCommand({ SecretId: 'expiring', RecoveryWindowInDays: 7 }));
      const now = Date.now();

      jest.spyOn(Date, 'now').mockReturnValue(now + 7 * DAY_MS + 1000);

      const gone = await failure(client.send(new DescribeSecretCommand({ SecretId: 'expiring' })));
      expect(gone).toBeInstanceOf(ResourceNotFoundException);
      await expect(create('expiring')).resolves.toMatchObject({ Name: 'expiring' });
    });
  });

  describe('RestoreSecret', () => {
    it('cancels a scheduled deletion so the value can be read again', async () => {
      const created = await create('restorable', 'kept');
      await client.send(new DeleteSecretCommand({ SecretId: 'restorable' }));

      const restored = await client.send(new RestoreSecretCommand({ SecretId: 'restorable' }));

      expect(restored).toMatchObject({ ARN: created.ARN, Name: 'restorable' });
      const value = await client.send(new GetSecretValueCommand({ SecretId: 'restorable' }));
      expect(value.SecretString).toBe('kept');
      const described = await client.send(new DescribeSecretCommand({ SecretId: 'restorable' }));
      expect(described.DeletedDate).toBeUndefined();
    });

    it('fails with ResourceNotFoundException for an unknown secret', async () => {
      const error = await failure(client.send(new RestoreSecretCommand({ SecretId: 'unknown' })));

      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('ListSecrets', () => {
    const names = async (input: ListSecretsCommandInput = {}) =>
      (await client.send(new ListSecretsCommand(input))).SecretList?.map((s) => s.Name);

    it('leaves out secrets scheduled for deletion unless IncludePlannedDeletion is true', async () => {
      await create('live');
      await create('planned');
      await client.send(new DeleteSecretCommand({ SecretId: 'planned' }));

      expect(await names()).toEqual(['live']);
      const all = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
      expect(all.SecretList?.map((s) => s.Name)).toEqual(['live', 'planned']);
      expect(all.SecretList?.[1]?.DeletedDate).toBeInstanceOf(Date);
    });

    it('lists entries without values, with tags and version stages', async () => {
      await create('entry', 'not-listed', {
        Tags: [{ Key: 'k', Value: 'v' }],
        ClientRequestToken: token(30),
      });

      const listed = await client.send(new ListSecretsCommand({}));

      expect(listed.SecretList).toEqual([
        expect.objectContaining({
          Name: 'entry',
          Tags: [{ Key: 'k', Value: 'v' }],
          SecretVersionsToStages: { [token(30)]: ['AWSCURRENT'] },
          CreatedDate: expect.any(Date),
        }),
      ]);
      expect(JSON.stringify(listed)).not.toContain('not-listed');
    });

    it('pages with MaxResults and NextToken', async () => {
      for (const n of [1, 2, 3, 4, 5]) await create(`page/${n}`);

      const first = await client.send(new ListSecretsCommand({ MaxResults: 2 }));
      const pages: string[][] = [];
      for await (const page of paginateListSecrets({ client, pageSize: 2 }, {})) {
        pages.push(page.SecretList?.map((s) => s.Name ?? '') ?? []);
      }

      expect(first.SecretList).toHaveLength(2);
      expect(first.NextToken).toEqual(expect.any(String));
      expect(pages).toEqual([['page/1', 'page/2'], ['page/3', 'page/4'], ['page/5']]);
    });

    it('filters by name prefix case-sensitively, with ! negation', async () => {
      for (const name of ['onboarding/alice', 'onboarding/bob', 'Onboarding/carol', 'other'])
        await create(name);

      expect(await names({ Filters: [{ Key: 'name', Values: ['onboarding/'] }] })).toEqual([
        'onboarding/alice',
        'onboarding/bob',
      ]);
      expect(await names({ Filters: [{ Key: 'name', Values: ['onboarding/', '!onboarding/b'] }] })).toEqual([
        'onboarding/alice',
      ]);
      expect(await names({ Filters: [{ Key: 'name', Values: ['!onboarding'] }] })).toEqual([
        'Onboarding/carol',
        'other',
      ]);
    });

    it('filters by tag-key and tag-value prefix, all filters together', async () => {
      await create('a', 'v', { Tags: [{ Key: 'purpose', Value: 'onboarding' }] });
      await create('b', 'v', { Tags: [{ Key: 'purpose', Value: 'billing' }] });
      await create('c', 'v', { Tags: [{ Key: 'team', Value: 'onboarding' }] });

      expect(await names({ Filters: [{ Key: 'tag-key', Values: ['purp'] }] })).toEqual(['a', 'b']);
      expect(await names({ Filters: [{ Key: 'tag-value', Values: ['onboard'] }] })).toEqual(['a', 'c']);
      expect(
        await names({
          Filters: [
            { Key: 'tag-key', Values: ['purpose'] },
            { Key: 'tag-value', Values: ['onboarding'] },
          ],
        }),
      ).toEqual(['a']);
    });

    it('filters descriptions by prefix without regard to case', async () => {
      await create('described', 'v', { Description: 'Temporary password' });
      await create('plain');

      expect(await names({ Filters: [{ Key: 'description', Values: ['temporary'] }] })).toEqual([
        'described',
      ]);
    });

    it('rejects MaxResults over 100 with ValidationException and an unknown NextToken', async () => {
      const tooMany = await failure(client.send(new ListSecretsCommand({ MaxResults: 101 })));
      const badToken = await failure(client.send(new ListSecretsCommand({ NextToken: 'not-a-token' })));

      expect(tooMany.name).toBe('ValidationException');
      expect(tooMany.message).toBe(
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
      expect(badToken).toBeInstanceOf(InvalidNextTokenException);
    });
  });

  describe('TagResource and UntagResource', () => {
    it('adds tags, overwrites the value of an existing key, and removes tags by key', async () => {
      await create('tagged', 'v', { Tags: [{ Key: 'purpose', Value: 'old' }] });

      await client.send(
        new TagResourceCommand({
          SecretId: 'tagged',
          Tags: [
            { Key: 'purpose', Value: 'onboarding' },
            { Key: 'employeeId', Value: 'E123' },
          ],
        }),
      );
      const tagged = await client.send(new DescribeSecretCommand({ SecretId: 'tagged' }));
      await client.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['purpose', 'absent'] }));
      const untagged = await client.send(new DescribeSecretCommand({ SecretId: 'tagged' }));

      expect(tagged.Tags).toEqual([
        { Key: 'purpose', Value: 'onboarding' },
        { Key: 'employeeId', Value: 'E123' },
      ]);
      expect(untagged.Tags).toEqual([{ Key: 'employeeId', Value: 'E123' }]);
    });

    it('rejects a 51st tag with InvalidParameterException', async () => {
      const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await create('full', 'v', { Tags: fifty });

      const error = await failure(
        client.send(new TagResourceCommand({ SecretId: 'full', Tags: [{ Key: 'one-more', Value: 'v' }] })),
      );

      expect(error).toBeInstanceOf(InvalidParameterException);
    });

    it('fails for unknown secrets and for secrets scheduled for deletion', async () => {
      await create('deleted-tags');
      await client.send(new DeleteSecretCommand({ SecretId: 'deleted-tags' }));

      const unknown = await failure(client.send(new TagResourceCommand({ SecretId: 'unknown', Tags: [] })));
      const tag = await failure(
        client.send(new TagResourceCommand({ SecretId: 'deleted-tags', Tags: [{ Key: 'a', Value: 'b' }] })),
      );
      const untag = await failure(
        client.send(new UntagResourceCommand({ SecretId: 'deleted-tags', TagKeys: ['a'] })),
      );

      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
      expect(tag).toBeInstanceOf(InvalidRequestException);
      expect(untag).toBeInstanceOf(InvalidRequestException);
    });
  });

  describe('fault injection', () => {
    it('fails the next GetSecretValue with ThrottlingException once, then answers normally', async () => {
      await create('throttled', 'v');
      harness.faults.addRule({
        service: 'secretsmanager',
        action: 'GetSecretValue',
        code: 'ThrottlingException',
        count: 1,
      });

      const error = await failure(client.send(new GetSecretValueCommand({ SecretId: 'throttled' })));
      const value = await client.send(new GetSecretValueCommand({ SecretId: 'throttled' }));

      expect(error.name).toBe('ThrottlingException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(value.SecretString).toBe('v');
    });

    it('reports the shared rate limit as ThrottlingException, the code Secrets Manager uses', async () => {
      harness.faults.setRate('secretsmanager', 1);
      await client.send(new ListSecretsCommand({}));

      const error = await failure(client.send(new ListSecretsCommand({})));

      expect(error.name).toBe('ThrottlingException');
    });

    it('injects a fault before the request is even looked at', async () => {
      harness.faults.addRule({
        service: 'secretsmanager',
        action: 'CreateSecret',
        code: 'InternalServiceError',
        count: 1,
      });

      const error = await failure(create('never-created'));

      expect(error.name).toBe('InternalServiceError');
      expect(error.$fault).toBe('server');
      expect(error.$metadata.httpStatusCode).toBe(500);
      await expect(create('never-created')).resolves.toMatchObject({ Name: 'never-created' });
    });
  });

  describe('durability', () => {
    it('keeps values, versions, tags and scheduled deletions after a restart; force-deleted secrets stay gone', async () => {
      await create('durable', 'v1', { Tags: [{ Key: 't', Value: '1' }], ClientRequestToken: token(40) });
      await client.send(
        new PutSecretValueCommand({ SecretId: 'durable', SecretString: 'v2', ClientRequestToken: token(41) }),
      );
      await create('scheduled', 'kept');
      await client.send(new DeleteSecretCommand({ SecretId: 'scheduled', RecoveryWindowInDays: 7 }));
      await create('forced', 'gone');
      await client.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));

      await harness.restart();
      client = harness.client;

      const current = await client.send(new GetSecretValueCommand({ SecretId: 'durable' }));
      const previous = await client.send(
        new GetSecretValueCommand({ SecretId: 'durable', VersionStage: 'AWSPREVIOUS' }),
      );
      const described = await client.send(new DescribeSecretCommand({ SecretId: 'durable' }));
      expect(current).toMatchObject({ SecretString: 'v2', VersionId: token(41) });
      expect(previous).toMatchObject({ SecretString: 'v1', VersionId: token(40) });
      expect(described.Tags).toEqual([{ Key: 't', Value: '1' }]);
      const scheduled = await failure(client.send(new GetSecretValueCommand({ SecretId: 'scheduled' })));
      expect(scheduled).toBeInstanceOf(InvalidRequestException);
      await client.send(new RestoreSecretCommand({ SecretId: 'scheduled' }));
      expect((await client.send(new GetSecretValueCommand({ SecretId: 'scheduled' }))).SecretString).toBe(
        'kept',
      );
      const forced = await failure(client.send(new GetSecretValueCommand({ SecretId: 'forced' })));
      expect(forced).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('wire protocol', () => {
    it('renders errors as JSON 1.1 with __type and message and status 400', async () => {
      const response = await harness.raw('GetSecretValue', { SecretId: 'missing' });

      expect(response.status).toBe(400);
      expect(response.contentType).toBe('application/x-amz-json-1.1');
      expect(response.json).toEqual({ __type: 'ResourceNotFoundException', message: NOT_FOUND });
    });

    it('answers timestamps in epoch seconds', async () => {
      await create('timestamps');

      const response = await harness.raw('DescribeSecret', { SecretId: 'timestamps' });

      const body = response.json as { CreatedDate: unknown; LastChangedDate: unknown };
      expect(typeof body.CreatedDate).toBe('number');
      expect(Math.abs((body.CreatedDate as number) - Date.now() / 1000)).toBeLessThan(60);
    });

    it('requires a ClientRequestToken from clients that do not generate one', async () => {
      const response = await harness.raw('CreateSecret', { Name: 'raw', SecretString: 'v' });

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ __type: 'InvalidRequestException' });
    });

    it('answers an unknown action with UnknownOperationException', async () => {
      const response = await harness.raw('RotateEverything', {});

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ __type: 'UnknownOperationException' });
    });
  });
});
