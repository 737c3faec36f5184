import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  EnableMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetSSHPublicKeyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListMFADeviceTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListVirtualMFADevicesCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  ResetServiceSpecificCredentialCommand,
  ResyncMFADeviceCommand,
  SimulatePrincipalPolicyCommand,
  TagMFADeviceCommand,
  UntagMFADeviceCommand,
  UpdateAccessKeyCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import type { Statement } from '../../../local/authz/policyEvaluation';
import type { Principal } from '../../../local/authz/principals';
import { totp } from '../../../local/iam/totp';
import { consecutiveCodes, sshRsa } from '../../support/userDependents';
import {
  CERTIFICATE_A,
  CERTIFICATE_B,
  CERTIFICATE_C,
  EXPIRED_CERTIFICATE,
} from './fixtures/signingCertificates';
import { ACCOUNT, failure, type IamEmulator, startIamEmulator } from './iamServer';

const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
const STRONG_PASSWORD = 'Correct-Horse-7';
const policy = (Action: string, Resource = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });

const roleSession = (name: string, statements: Statement[]): Principal => ({
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  type: 'AssumedRole',
  userId: `AROA${name.toUpperCase()}:session`,
  accountId: ACCOUNT,
  credentials: { accessKeyId: `ASIA${name.toUpperCase()}`, secretAccessKey: 'secret', sessionToken: 'token' },
  policies: () => ({ identity: [{ name, document: { Version: '2012-10-17', Statement: statements } }] }),
});

const userPrincipal = (userName: string): Principal => ({
  arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
  principalArn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
  type: 'User',
  userId: `AIDA${userName.toUpperCase()}`,
  userName,
  accountId: ACCOUNT,
  credentials: { accessKeyId: `AKIA${userName.toUpperCase()}KEY`, secretAccessKey: 'secret' },
  policies: () => ({
    identity: [
      {
        name: 'self',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] },
      },
    ],
  }),
});

describe('IAM user dependents', () => {
  let dataDir: string;
  let emulator: IamEmulator;
  let iam: IAMClient;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-dependents-'));
    emulator = await startIamEmulator(dataDir);
    iam = emulator.iam;
    await iam.send(new CreateUserCommand({ UserName: 'ada' }));
  });

  afterEach(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('access keys', () => {
    it('returns the secret only from CreateAccessKey and lists the key without it', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'ada' }));

      expect(AccessKey).toMatchObject({ UserName: 'ada', Status: 'Active' });
      expect(AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(AccessKey?.SecretAccessKey).toHaveLength(40);
      expect(AccessKey?.CreateDate).toBeInstanceOf(Date);
      expect(AccessKeyMetadata).toEqual([
        {
          UserName: 'ada',
          AccessKeyId: AccessKey?.AccessKeyId,
          Status: 'Active',
          CreateDate: AccessKey?.CreateDate,
        },
      ]);
    });

    it('refuses a third key with LimitExceeded', async () => {
      await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));

      const error = await failure(iam.send(new CreateAccessKeyCommand({ UserName: 'ada' })));

      expect(error.name).toBe('LimitExceededException');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
    });

    it('deactivates, pages and deletes keys', async () => {
      const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      const second = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      const id = first.AccessKey?.AccessKeyId;

      await iam.send(new UpdateAccessKeyCommand({ UserName: 'ada', AccessKeyId: id, Status: 'Inactive' }));
      const page1 = await iam.send(new ListAccessKeysCommand({ UserName: 'ada', MaxItems: 1 }));
      const page2 = await iam.send(new ListAccessKeysCommand({ UserName: 'ada', Marker: page1.Marker }));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'ada', AccessKeyId: id }));
      const after = await iam.send(new ListAccessKeysCommand({ UserName: 'ada' }));

      // Keys created in the same second may list in either order; the two pages hold both, once.
      const listed = [...(page1.AccessKeyMetadata ?? []), ...(page2.AccessKeyMetadata ?? [])];
      expect(page1.IsTruncated).toBe(true);
      expect(page1.AccessKeyMetadata).toHaveLength(1);
      expect(page2.IsTruncated).toBe(false);
      expect(listed.map((key) => key.AccessKeyId).sort()).toEqual([id, second.AccessKey?.AccessKeyId].sort());
      expect(listed.find((key) => key.AccessKeyId === id)?.Status).toBe('Inactive');
      expect(after.AccessKeyMetadata?.map((key) => key.AccessKeyId)).not.toContain(id);
    });

    it("answers NoSuchEntity for an unknown key and for another user's key", async () => {
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));

      const unknown = await failure(
        iam.send(new DeleteAccessKeyCommand({ UserName: 'ada', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA' })),
      );
      const others = await failure(
        iam.send(
          new UpdateAccessKeyCommand({
            UserName: 'ada',
            AccessKeyId: AccessKey?.AccessKeyId,
            Status: 'Inactive',
          }),
        ),
      );

      expect(unknown.name).toBe('NoSuchEntityException');
      expect(unknown.message).toBe('The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.');
      expect(others.name).toBe('NoSuchEntityException');
    });

    it('rejects a status outside Active, Inactive and Expired as ValidationError', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));

      const error = await failure(
        iam.send(
          new UpdateAccessKeyCommand({
            UserName: 'ada',
            AccessKeyId: AccessKey?.AccessKeyId,
            Status: 'Disabled' as 'Inactive',
          }),
        ),
      );

      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe(
        "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set",
      );
    });

    it('reports a key never used with N/A for service and Region', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));

      const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey?.AccessKeyId }));

      expect(used.UserName).toBe('ada');
      expect(used.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    });

    it('creates and lists keys of the signing user when UserName is omitted', async () => {
      const asAda = emulator.clientFor(userPrincipal('ada'));

      const { AccessKey } = await asAda.send(new CreateAccessKeyCommand({}));
      const { AccessKeyMetadata } = await asAda.send(new ListAccessKeysCommand({}));

      expect(AccessKey?.UserName).toBe('ada');
      expect(AccessKeyMetadata?.map((key) => key.UserName)).toEqual(['ada']);
    });

    it('asks a role session to name the user', async () => {
      const asRole = emulator.clientFor(
        roleSession('Ops', [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]),
      );

      const error = await failure(asRole.send(new CreateAccessKeyCommand({})));

      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('Must specify userName when calling with non-User credentials');
    });
  });

  describe('signing certificates', () => {
    const upload = (CertificateBody: string) =>
      iam.send(new UploadSigningCertificateCommand({ UserName: 'ada', CertificateBody }));

    it('uploads a PEM certificate as Active and lists it', async () => {
      const { Certificate } = await upload(CERTIFICATE_A);
      const { Certificates } = await iam.send(new ListSigningCertificatesCommand({ UserName: 'ada' }));

      expect(Certificate).toMatchObject({
        UserName: 'ada',
        CertificateBody: CERTIFICATE_A,
        Status: 'Active',
      });
      expect(Certificate?.CertificateId).toMatch(/^[A-Z2-7]{32}$/);
      expect(Certificate?.UploadDate).toBeInstanceOf(Date);
      expect(Certificates).toEqual([Certificate]);
    });

    it.each([
      ['garbage', 'not a certificate'],
      ['a truncated PEM', CERTIFICATE_A.slice(0, 200)],
      ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'],
    ])('refuses %s with MalformedCertificate', async (_case, body) => {
      const error = await failure(upload(body));

      expect(error.name).toBe('MalformedCertificateException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        'Unable to parse certificate. Please ensure the certificate is in PEM format.',
      );
    });

    it('refuses an expired certificate with MalformedCertificate', async () => {
      const error = await failure(upload(EXPIRED_CERTIFICATE));

      expect(error.name).toBe('MalformedCertificateException');
    });

    it('refuses a certificate already held in the account with DuplicateCertificate', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      await upload(CERTIFICATE_A);

      const error = await failure(
        iam.send(new UploadSigningCertificateCommand({ UserName: 'bob', CertificateBody: CERTIFICATE_A })),
      );

      expect(error.name).toBe('DuplicateCertificateException');
      expect(error.$metadata.httpStatusCode).toBe(409);
    });

    it('refuses a third certificate with LimitExceeded', async () => {
      await upload(CERTIFICATE_A);
      await upload(CERTIFICATE_B);

      const error = await failure(upload(CERTIFICATE_C));

      expect(error.name).toBe('LimitExceededException');
      expect(error.message).toBe('Cannot exceed quota for CertificatesPerUser: 2');
    });

    it('deactivates and deletes a certificate, then answers NoSuchEntity for it', async () => {
      const { Certificate } = await upload(CERTIFICATE_A);
      const CertificateId = Certificate?.CertificateId;

      await iam.send(
        new UpdateSigningCertificateCommand({ UserName: 'ada', CertificateId, Status: 'Inactive' }),
      );
      const { Certificates } = await iam.send(new ListSigningCertificatesCommand({ UserName: 'ada' }));
      await iam.send(new DeleteSigningCertificateCommand({ UserName: 'ada', CertificateId }));
      const error = await failure(
        iam.send(new DeleteSigningCertificateCommand({ UserName: 'ada', CertificateId })),
      );

      expect(Certificates?.[0]?.Status).toBe('Inactive');
      expect(error.name).toBe('NoSuchEntityException');
      expect(error.message).toBe(`The Certificate with id ${CertificateId} cannot be found.`);
    });
  });

  describe('SSH public keys', () => {
    const upload = (SSHPublicKeyBody: string, UserName = 'ada') =>
      iam.send(new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody }));

    it('uploads an ssh-rsa key with its MD5 fingerprint and returns it in SSH and PEM encodings', async () => {
      const key = sshRsa();

      const { SSHPublicKey } = await upload(key.openSsh);
      const id = SSHPublicKey?.SSHPublicKeyId;
      const ssh = await iam.send(
        new GetSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyId: id, Encoding: 'SSH' }),
      );
      const pem = await iam.send(
        new GetSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyId: id, Encoding: 'PEM' }),
      );

      expect(SSHPublicKey).toMatchObject({ UserName: 'ada', Status: 'Active', Fingerprint: key.md5 });
      expect(id).toMatch(/^APKA[A-Z2-7]{16}$/);
      expect(ssh.SSHPublicKey?.SSHPublicKeyBody).toBe(key.openSsh.replace(/ ada@laptop$/, ''));
      expect(pem.SSHPublicKey?.SSHPublicKeyBody).toBe(key.pem);
    });

    it('accepts a PEM public key and fingerprints it like the same key in OpenSSH form', async () => {
      const key = sshRsa();

      const { SSHPublicKey } = await upload(key.pem);

      expect(SSHPublicKey?.Fingerprint).toBe(key.md5);
    });

    it('refuses a key shorter than 2048 bits and a malformed ssh-rsa key with InvalidPublicKey', async () => {
      const short = await failure(upload(sshRsa(1024).openSsh));
      const torn = await failure(upload('ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB'));

      expect(short.name).toBe('InvalidPublicKeyException');
      expect(short.$metadata.httpStatusCode).toBe(400);
      expect(torn.name).toBe('InvalidPublicKeyException');
    });

    it('refuses an ed25519 key with UnrecognizedPublicKeyEncoding', async () => {
      const { publicKey } = generateKeyPairSync('ed25519');
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
      const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
      const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);

      const error = await failure(upload(`ssh-ed25519 ${blob.toString('base64')}`));

      expect(error.name).toBe('UnrecognizedPublicKeyEncodingException');
    });

    it('refuses the same key twice for a user with DuplicateSSHPublicKey', async () => {
      const key = sshRsa();
      await upload(key.openSsh);

      const error = await failure(upload(key.pem));

      expect(error.name).toBe('DuplicateSSHPublicKeyException');
    });

    it('refuses a sixth key with LimitExceeded', async () => {
      for (let i = 0; i < 5; i++) await upload(sshRsa().openSsh);

      const error = await failure(upload(sshRsa().openSsh));

      expect(error.name).toBe('LimitExceededException');
      expect(error.message).toBe('Cannot exceed quota for SSHPublicKeysPerUser: 5');
    });

    it('deactivates, lists and deletes a key', async () => {
      const { SSHPublicKey } = await upload(sshRsa().openSsh);
      const SSHPublicKeyId = SSHPublicKey?.SSHPublicKeyId;

      await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyId, Status: 'Inactive' }));
      const { SSHPublicKeys } = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'ada' }));
      await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyId }));
      const error = await failure(
        iam.send(new GetSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyId, Encoding: 'SSH' })),
      );

      expect(SSHPublicKeys).toEqual([
        { UserName: 'ada', SSHPublicKeyId, Status: 'Inactive', UploadDate: SSHPublicKey?.UploadDate },
      ]);
      expect(error.name).toBe('NoSuchEntityException');
    });
  });

  describe('service-specific credentials', () => {
    const create = (ServiceName: string) =>
      iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'ada', ServiceName }));

    it('creates Git credentials for CodeCommit named <user>-at-<account>, the password only in the answer', async () => {
      const { ServiceSpecificCredential } = await create('codecommit.amazonaws.com');
      const { ServiceSpecificCredentials } = await iam.send(
        new ListServiceSpecificCredentialsCommand({ UserName: 'ada' }),
      );

      expect(ServiceSpecificCredential).toMatchObject({
        UserName: 'ada',
        ServiceName: 'codecommit.amazonaws.com',
        ServiceUserName: `ada-at-${ACCOUNT}`,
        Status: 'Active',
      });
      expect(ServiceSpecificCredential?.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
      expect(ServiceSpecificCredential?.ServicePassword).toMatch(/^[A-Za-z0-9+/]{59}=$/);
      expect(ServiceSpecificCredentials).toHaveLength(1);
      expect(ServiceSpecificCredentials?.[0]).not.toHaveProperty('ServicePassword');
    });

    it('allows two credentials per service and refuses a third with LimitExceeded', async () => {
      await create('codecommit.amazonaws.com');
      await create('codecommit.amazonaws.com');
      await create('cassandra.amazonaws.com');

      const error = await failure(create('codecommit.amazonaws.com'));

      expect(error.name).toBe('LimitExceededException');
      expect(error.message).toBe('Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2');
    });

    it('answers NoSuchEntity for a service without service-specific credentials, as IAM does', async () => {
      const error = await failure(create('lambda.amazonaws.com'));

      expect(error.name).toBe('NoSuchEntityException');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe(
        'No such service lambda.amazonaws.com is supported for Service Specific Credentials',
      );
    });

    it('answers a malformed credential id with ValidationError, without echoing it, and an unknown one with NoSuchEntity', async () => {
      const malformed = await failure(
        iam.send(
          new ResetServiceSpecificCredentialCommand({
            UserName: 'ada',
            ServiceSpecificCredentialId: 'totally-wrong-credential-id-with-hyphens',
          }),
        ),
      );
      const unknown = await failure(
        iam.send(
          new ResetServiceSpecificCredentialCommand({
            UserName: 'ada',
            ServiceSpecificCredentialId: 'satisfiesregexbutstillinvalid',
          }),
        ),
      );

      expect(malformed.name).toBe('ValidationError');
      expect(malformed.message).toBe(
        "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
      );
      expect(unknown.name).toBe('NoSuchEntityException');
      expect(unknown.message).toBe('No such credential satisfiesregexbutstillinvalid exists');
    });

    it('resets the password, deactivates and deletes a credential', async () => {
      const { ServiceSpecificCredential: created } = await create('codecommit.amazonaws.com');
      const ServiceSpecificCredentialId = created?.ServiceSpecificCredentialId;

      const { ServiceSpecificCredential: reset } = await iam.send(
        new ResetServiceSpecificCredentialCommand({ UserName: 'ada', ServiceSpecificCredentialId }),
      );
      await iam.send(
        new UpdateServiceSpecificCredentialCommand({
          UserName: 'ada',
          ServiceSpecificCredentialId,
          Status: 'Inactive',
        }),
      );
      const listed = await iam.send(
        new ListServiceSpecificCredentialsCommand({
          UserName: 'ada',
          ServiceName: 'codecommit.amazonaws.com',
        }),
      );
      await iam.send(
        new DeleteServiceSpecificCredentialCommand({ UserName: 'ada', ServiceSpecificCredentialId }),
      );
      const error = await failure(
        iam.send(
          new DeleteServiceSpecificCredentialCommand({ UserName: 'ada', ServiceSpecificCredentialId }),
        ),
      );

      expect(reset?.ServiceUserName).toBe(created?.ServiceUserName);
      expect(reset?.ServicePassword).toMatch(/^[A-Za-z0-9+/]{59}=$/);
      expect(reset?.ServicePassword).not.toBe(created?.ServicePassword);
      expect(listed.ServiceSpecificCredentials?.[0]?.Status).toBe('Inactive');
      expect(error.name).toBe('NoSuchEntityException');
    });
  });

  describe('virtual MFA devices', () => {
    const createDevice = async (VirtualMFADeviceName = 'ada-phone', Path?: string) => {
      const { VirtualMFADevice } = await iam.send(
        new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName, Path }),
      );
      return {
        serialNumber: VirtualMFADevice?.SerialNumber ?? '',
        seed: Buffer.from(VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii'),
        png: Buffer.from(VirtualMFADevice?.QRCodePNG ?? new Uint8Array()),
      };
    };

    it('creates a device with its mfa ARN, a base32 seed and a QR code PNG', async () => {
      const device = await createDevice('ada-phone', '/onboarded/');

      expect(device.serialNumber).toBe(`arn:aws:iam::${ACCOUNT}:mfa/onboarded/ada-phone`);
      expect(device.seed).toMatch(/^[A-Z2-7]{64}$/);
      expect(device.png.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    });

    it('refuses a second device at the same path and name with EntityAlreadyExists', async () => {
      await createDevice('ada-phone');

      const error = await failure(
        iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ADA-PHONE' })),
      );

      expect(error.name).toBe('EntityAlreadyExistsException');
      expect(error.message).toBe('MFADevice entity at the same path and name already exists.');
    });

    it('refuses codes that are not two consecutive codes of the seed with InvalidAuthenticationCode', async () => {
      const device = await createDevice();
      const now = Date.now();

      const wrong = await failure(
        iam.send(
          new EnableMFADeviceCommand({
            UserName: 'ada',
            SerialNumber: device.serialNumber,
            AuthenticationCode1: totp(device.seed, now),
            AuthenticationCode2: totp(device.seed, now - 30_000),
          }),
        ),
      );

      expect(wrong.name).toBe('InvalidAuthenticationCodeException');
      expect(wrong.$metadata.httpStatusCode).toBe(403);
      expect(wrong.message).toBe('Authentication code for device is not valid.');
    });

    it('enables a device with two consecutive codes and lists it for the user and as Assigned', async () => {
      const device = await createDevice();
      await createDevice('spare');

      await iam.send(
        new EnableMFADeviceCommand({
          UserName: 'ada',
          SerialNumber: device.serialNumber,
          ...consecutiveCodes(device.seed),
        }),
      );
      const { MFADevices } = await iam.send(new ListMFADevicesCommand({ UserName: 'ada' }));
      const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
      const unassigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
      const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));

      expect(MFADevices).toEqual([
        { UserName: 'ada', SerialNumber: device.serialNumber, EnableDate: expect.any(Date) },
      ]);
      expect(assigned.VirtualMFADevices).toEqual([
        {
          SerialNumber: device.serialNumber,
          User: expect.objectContaining({ UserName: 'ada' }),
          EnableDate: expect.any(Date),
        },
      ]);
      expect(assigned.VirtualMFADevices?.[0]).not.toHaveProperty('Base32StringSeed');
      expect(unassigned.VirtualMFADevices?.map((d) => d.SerialNumber)).toEqual([
        `arn:aws:iam::${ACCOUNT}:mfa/spare`,
      ]);
      expect(SummaryMap).toMatchObject({ MFADevices: 2, MFADevicesInUse: 1 });
    });

    it('resyncs an enabled device with two consecutive codes', async () => {
      const device = await createDevice();
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: 'ada',
          SerialNumber: device.serialNumber,
          ...consecutiveCodes(device.seed),
        }),
      );

      const resync = iam.send(
        new ResyncMFADeviceCommand({
          UserName: 'ada',
          SerialNumber: device.serialNumber,
          ...consecutiveCodes(device.seed),
        }),
      );

      await expect(resync).resolves.toBeDefined();
    });

    it('refuses to delete an assigned device with DeleteConflict until it is deactivated', async () => {
      const device = await createDevice();
      const SerialNumber = device.serialNumber;
      await iam.send(
        new EnableMFADeviceCommand({ UserName: 'ada', SerialNumber, ...consecutiveCodes(device.seed) }),
      );

      const conflict = await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber })));
      await iam.send(new DeactivateMFADeviceCommand({ UserName: 'ada', SerialNumber }));
      await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber }));
      const gone = await failure(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber })));

      expect(conflict.name).toBe('DeleteConflictException');
      expect(conflict.$metadata.httpStatusCode).toBe(409);
      expect(conflict.message).toBe('MFA VirtualDevice in use. Must deactivate first.');
      expect(gone.name).toBe('NoSuchEntityException');
    });

    it('keeps the tags given at creation and changes them with TagMFADevice and UntagMFADevice', async () => {
      const { VirtualMFADevice } = await iam.send(
        new CreateVirtualMFADeviceCommand({
          VirtualMFADeviceName: 'ada',
          Tags: [{ Key: 'Owner', Value: 'ada' }],
        }),
      );
      const SerialNumber = VirtualMFADevice?.SerialNumber;

      await iam.send(
        new TagMFADeviceCommand({
          SerialNumber,
          Tags: [
            { Key: 'owner', Value: 'grace' },
            { Key: 'team', Value: 'ops' },
          ],
        }),
      );
      await iam.send(new UntagMFADeviceCommand({ SerialNumber, TagKeys: ['TEAM'] }));
      const { Tags } = await iam.send(new ListMFADeviceTagsCommand({ SerialNumber }));

      expect(VirtualMFADevice?.Tags).toEqual([{ Key: 'Owner', Value: 'ada' }]);
      expect(Tags).toEqual([{ Key: 'owner', Value: 'grace' }]);
    });

    it('refuses to enable a device already enabled for another user', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      const device = await createDevice();
      const SerialNumber = device.serialNumber;
      await iam.send(
        new EnableMFADeviceCommand({ UserName: 'ada', SerialNumber, ...consecutiveCodes(device.seed) }),
      );

      const error = await failure(
        iam.send(
          new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber, ...consecutiveCodes(device.seed) }),
        ),
      );

      expect(error.name).toBe('EntityAlreadyExistsException');
    });
  });

  describe('inline user policies', () => {
    it('puts, lists, returns URL-encoded and deletes an inline policy', async () => {
      const document = policy('s3:GetObject', 'arn:aws:s3:::reports/*');

      await iam.send(
        new PutUserPolicyCommand({ UserName: 'ada', PolicyName: 'reports', PolicyDocument: document }),
      );
      const got = await iam.send(new GetUserPolicyCommand({ UserName: 'ada', PolicyName: 'reports' }));
      const { PolicyNames } = await iam.send(new ListUserPoliciesCommand({ UserName: 'ada' }));
      await iam.send(new DeleteUserPolicyCommand({ UserName: 'ada', PolicyName: 'reports' }));
      const error = await failure(
        iam.send(new GetUserPolicyCommand({ UserName: 'ada', PolicyName: 'reports' })),
      );

      expect(got).toMatchObject({ UserName: 'ada', PolicyName: 'reports' });
      expect(got.PolicyDocument).toContain('%22Version%22');
      expect(decodeURIComponent(got.PolicyDocument ?? '')).toBe(document);
      expect(PolicyNames).toEqual(['reports']);
      expect(error.name).toBe('NoSuchEntityException');
      expect(error.message).toBe('The user policy with name reports cannot be found.');
    });

    it('validates the document as for managed policies', async () => {
      const error = await failure(
        iam.send(
          new PutUserPolicyCommand({ UserName: 'ada', PolicyName: 'bad', PolicyDocument: '{"Version":' }),
        ),
      );

      expect(error.name).toBe('MalformedPolicyDocumentException');
      expect(error.message).toBe('Syntax errors in policy.');
    });

    it("refuses a policy that takes the user's inline policies over 2,048 characters, whitespace not counted", async () => {
      const big = (n: number) => policy('s3:GetObject', `arn:aws:s3:::${'x'.repeat(n)}`);
      const overhead = big(0).length;
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'one',
          PolicyDocument: big(1000 - overhead),
        }),
      );
      // Replacing a policy counts its new size only; spaces are free.
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'two',
          PolicyDocument: ` ${big(1048 - overhead)}  `,
        }),
      );
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'two',
          PolicyDocument: big(1048 - overhead),
        }),
      );

      const error = await failure(
        iam.send(
          new PutUserPolicyCommand({ UserName: 'ada', PolicyName: 'three', PolicyDocument: policy('s3:*') }),
        ),
      );

      expect(error.name).toBe('LimitExceededException');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe('Maximum policy size of 2048 bytes exceeded for user ada');
    });

    it('counts inline policies in SimulatePrincipalPolicy', async () => {
      const { User } = await iam.send(new GetUserCommand({ UserName: 'ada' }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'read',
          PolicyDocument: policy('s3:GetObject'),
        }),
      );

      const { EvaluationResults } = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: User?.Arn,
          ActionNames: ['s3:GetObject', 's3:PutObject'],
        }),
      );

      expect(EvaluationResults?.map((result) => result.EvalDecision)).toEqual(['allowed', 'implicitDeny']);
    });
  });

  describe('DeleteUser', () => {
    it('refuses with DeleteConflict, naming each kind of dependent in turn, and deletes the user once all are gone', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'Developers' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'ada' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'ada', PolicyArn: CHANGE_PASSWORD }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'read',
          PolicyDocument: policy('s3:GetObject'),
        }),
      );
      const { VirtualMFADevice } = await iam.send(
        new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ada' }),
      );
      const SerialNumber = VirtualMFADevice?.SerialNumber;
      const seed = Buffer.from(VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii');
      await iam.send(
        new EnableMFADeviceCommand({ UserName: 'ada', SerialNumber, ...consecutiveCodes(seed) }),
      );
      const { ServiceSpecificCredential } = await iam.send(
        new CreateServiceSpecificCredentialCommand({
          UserName: 'ada',
          ServiceName: 'codecommit.amazonaws.com',
        }),
      );
      const { SSHPublicKey } = await iam.send(
        new UploadSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyBody: sshRsa().openSsh }),
      );
      const { Certificate } = await iam.send(
        new UploadSigningCertificateCommand({ UserName: 'ada', CertificateBody: CERTIFICATE_A }),
      );
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'ada', Password: STRONG_PASSWORD }));

      const removals: Array<[string, () => Promise<unknown>]> = [
        [
          'must delete login profile first.',
          () => iam.send(new DeleteLoginProfileCommand({ UserName: 'ada' })),
        ],
        [
          'must delete access keys first.',
          () =>
            iam.send(new DeleteAccessKeyCommand({ UserName: 'ada', AccessKeyId: AccessKey?.AccessKeyId })),
        ],
        [
          'must delete certificates first.',
          () =>
            iam.send(
              new DeleteSigningCertificateCommand({
                UserName: 'ada',
                CertificateId: Certificate?.CertificateId,
              }),
            ),
        ],
        [
          'must remove referenced objects first.',
          () =>
            iam.send(
              new DeleteSSHPublicKeyCommand({
                UserName: 'ada',
                SSHPublicKeyId: SSHPublicKey?.SSHPublicKeyId,
              }),
            ),
        ],
        [
          'must remove referenced objects first.',
          () =>
            iam.send(
              new DeleteServiceSpecificCredentialCommand({
                UserName: 'ada',
                ServiceSpecificCredentialId: ServiceSpecificCredential?.ServiceSpecificCredentialId,
              }),
            ),
        ],
        [
          'must delete MFA device first.',
          () => iam.send(new DeactivateMFADeviceCommand({ UserName: 'ada', SerialNumber })),
        ],
        [
          'must delete policies first.',
          () => iam.send(new DeleteUserPolicyCommand({ UserName: 'ada', PolicyName: 'read' })),
        ],
        [
          'must detach all policies first.',
          () => iam.send(new DetachUserPolicyCommand({ UserName: 'ada', PolicyArn: CHANGE_PASSWORD })),
        ],
        [
          'must remove users from group first.',
          () => iam.send(new RemoveUserFromGroupCommand({ UserName: 'ada', GroupName: 'Developers' })),
        ],
      ];
      const refusals: string[] = [];
      for (const [, remove] of removals) {
        const error = await failure(iam.send(new DeleteUserCommand({ UserName: 'ada' })));
        expect(error.name).toBe('DeleteConflictException');
        expect(error.$metadata.httpStatusCode).toBe(409);
        refusals.push(error.message);
        await remove();
      }
      await iam.send(new DeleteUserCommand({ UserName: 'ada' }));

      expect(refusals).toEqual(removals.map(([message]) => `Cannot delete entity, ${message}`));
      expect((await failure(iam.send(new GetUserCommand({ UserName: 'ada' })))).name).toBe(
        'NoSuchEntityException',
      );
      // The deactivated virtual device outlives the user, unassigned, until DeleteVirtualMFADevice.
      const { VirtualMFADevices } = await iam.send(
        new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }),
      );
      expect(VirtualMFADevices?.map((device) => device.SerialNumber)).toEqual([SerialNumber]);
    });
  });

  describe('durability', () => {
    it('restores every kind of dependent from the data folder, and writes no service password to it', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ada' }));
      await iam.send(
        new UploadSigningCertificateCommand({ UserName: 'ada', CertificateBody: CERTIFICATE_A }),
      );
      const key = sshRsa();
      await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyBody: key.openSsh }));
      const { ServiceSpecificCredential } = await iam.send(
        new CreateServiceSpecificCredentialCommand({
          UserName: 'ada',
          ServiceName: 'cassandra.amazonaws.com',
        }),
      );
      const { VirtualMFADevice } = await iam.send(
        new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ada' }),
      );
      const seed = Buffer.from(VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('ascii');
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: 'ada',
          SerialNumber: VirtualMFADevice?.SerialNumber,
          ...consecutiveCodes(seed),
        }),
      );
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'ada',
          PolicyName: 'read',
          PolicyDocument: policy('s3:GetObject'),
        }),
      );
      await emulator.close();

      emulator = await startIamEmulator(dataDir);
      iam = emulator.iam;
      const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'ada' }));
      const certificates = await iam.send(new ListSigningCertificatesCommand({ UserName: 'ada' }));
      const sshKeys = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'ada' }));
      const credentials = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'ada' }));
      const mfa = await iam.send(new ListMFADevicesCommand({ UserName: 'ada' }));
      const inline = await iam.send(new ListUserPoliciesCommand({ UserName: 'ada' }));
      const journal = readFileSync(join(dataDir, 'iam.jsonl'), 'utf8');

      expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([AccessKey?.AccessKeyId]);
      expect(certificates.Certificates?.[0]?.CertificateBody).toBe(CERTIFICATE_A);
      expect(sshKeys.SSHPublicKeys).toHaveLength(1);
      expect(credentials.ServiceSpecificCredentials?.[0]?.ServiceName).toBe('cassandra.amazonaws.com');
      expect(mfa.MFADevices?.map((device) => device.SerialNumber)).toEqual([VirtualMFADevice?.SerialNumber]);
      expect(inline.PolicyNames).toEqual(['read']);
      expect(journal).not.toContain(ServiceSpecificCredential?.ServicePassword);
    });
  });

  describe('authorization', () => {
    it('denies a principal whose policies do not allow the action, with AccessDenied on the user ARN', async () => {
      const reader = emulator.clientFor(
        roleSession('Reader', [{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }]),
      );

      const error = await failure(reader.send(new CreateAccessKeyCommand({ UserName: 'ada' })));

      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toBe(
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/Reader/session is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::${ACCOUNT}:user/ada because no identity-based policy allows the iam:CreateAccessKey action`,
      );
    });

    describe('for a role scoped to /onboarded/ users and MFA devices', () => {
      const scoped = () =>
        emulator.clientFor(
          roleSession('Leaver', [
            {
              Effect: 'Allow',
              Action: [
                'iam:CreateAccessKey',
                'iam:DeleteAccessKey',
                'iam:ListAccessKeys',
                'iam:UploadSSHPublicKey',
                'iam:PutUserPolicy',
                'iam:DeleteUserPolicy',
                'iam:CreateServiceSpecificCredential',
                'iam:EnableMFADevice',
                'iam:DeactivateMFADevice',
              ],
              Resource: `arn:aws:iam::${ACCOUNT}:user/onboarded/*`,
            },
            {
              Effect: 'Allow',
              Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
              Resource: `arn:aws:iam::${ACCOUNT}:mfa/onboarded/*`,
            },
          ]),
        );

      beforeEach(async () => {
        await iam.send(new CreateUserCommand({ UserName: 'grace', Path: '/onboarded/' }));
      });

      it('manages the dependents of an /onboarded/ user', async () => {
        const leaver = scoped();

        const { AccessKey } = await leaver.send(new CreateAccessKeyCommand({ UserName: 'grace' }));
        await leaver.send(
          new DeleteAccessKeyCommand({ UserName: 'grace', AccessKeyId: AccessKey?.AccessKeyId }),
        );
        await leaver.send(
          new PutUserPolicyCommand({ UserName: 'grace', PolicyName: 'p', PolicyDocument: policy('s3:*') }),
        );
        await leaver.send(new DeleteUserPolicyCommand({ UserName: 'grace', PolicyName: 'p' }));
        const { VirtualMFADevice } = await leaver.send(
          new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'grace', Path: '/onboarded/' }),
        );
        await leaver.send(
          new DeleteVirtualMFADeviceCommand({ SerialNumber: VirtualMFADevice?.SerialNumber }),
        );

        expect(AccessKey?.UserName).toBe('grace');
      });

      it.each([
        ['CreateAccessKey', (c: IAMClient) => c.send(new CreateAccessKeyCommand({ UserName: 'ada' }))],
        ['ListAccessKeys', (c: IAMClient) => c.send(new ListAccessKeysCommand({ UserName: 'ada' }))],
        [
          'UploadSSHPublicKey',
          (c: IAMClient) =>
            c.send(new UploadSSHPublicKeyCommand({ UserName: 'ada', SSHPublicKeyBody: sshRsa().openSsh })),
        ],
        [
          'PutUserPolicy',
          (c: IAMClient) =>
            c.send(
              new PutUserPolicyCommand({ UserName: 'ada', PolicyName: 'p', PolicyDocument: policy('s3:*') }),
            ),
        ],
        [
          'CreateServiceSpecificCredential',
          (c: IAMClient) =>
            c.send(
              new CreateServiceSpecificCredentialCommand({
                UserName: 'ada',
                ServiceName: 'codecommit.amazonaws.com',
              }),
            ),
        ],
        [
          'DeactivateMFADevice',
          (c: IAMClient) =>
            c.send(
              new DeactivateMFADeviceCommand({
                UserName: 'ada',
                SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/ada`,
              }),
            ),
        ],
      ])('is denied %s on a user outside /onboarded/', async (action, call) => {
        const error = await failure(call(scoped()));

        expect(error.name).toBe('AccessDenied');
        expect(error.message).toContain(`iam:${action} on resource: arn:aws:iam::${ACCOUNT}:user/ada `);
      });

      it('is denied a virtual MFA device outside /onboarded/, on its mfa ARN', async () => {
        const error = await failure(
          scoped().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ada' })),
        );

        expect(error.name).toBe('AccessDenied');
        expect(error.message).toContain(
          `iam:CreateVirtualMFADevice on resource: arn:aws:iam::${ACCOUNT}:mfa/ada `,
        );
      });
    });
  });
});
