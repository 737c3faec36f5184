import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { totp } from '../../../local/iam/totp';
import { CERTIFICATE_A } from './fixtures/signingCertificates';
import { ACCOUNT, type IamEmulator, startIamEmulator } from './iamServer';

const run = promisify(execFile);

/** The aws CLI (v1 or v2) against the emulator, JSON output parsed; a failure resolves to its exit code and stderr. */
type CliResult = { ok: true; json: Record<string, unknown> } | { ok: false; code: number; stderr: string };

describe('the aws CLI against the IAM emulator', () => {
  let emulator: IamEmulator;
  let dir: string;

  const aws = async (...args: string[]): Promise<CliResult> => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
      AWS_PAGER: '',
    };
    try {
      const { stdout } = await run(
        'aws',
        ['iam', ...args, '--endpoint-url', emulator.endpoint, '--output', 'json'],
        {
          env,
        },
      );
      return { ok: true, json: stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>) };
    } catch (error) {
      const { code, stderr } = error as { code: number; stderr: string };
      return { ok: false, code, stderr };
    }
  };
  const ok = async (...args: string[]) => {
    const result = await aws(...args);
    if (!result.ok) throw new Error(`aws iam ${args.join(' ')} failed: ${result.stderr}`);
    return result.json;
  };
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return `file://${path}`;
  };

  beforeAll(async () => {
    emulator = await startIamEmulator(undefined);
    dir = mkdtempSync(join(tmpdir(), 'iam-cli-'));
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a user one of each dependent, refuses delete-user, then deletes it once they are removed in order', async () => {
    // Arrange: one of each kind of dependent, through the CLI.
    await ok('create-user', '--user-name', 'leaver', '--path', '/onboarded/');
    await ok('create-login-profile', '--user-name', 'leaver', '--password', 'Correct-Horse-7');
    const key = (await ok('create-access-key', '--user-name', 'leaver')).AccessKey as { AccessKeyId: string };
    const certificate = (
      await ok(
        'upload-signing-certificate',
        '--user-name',
        'leaver',
        '--certificate-body',
        file('cert.pem', CERTIFICATE_A),
      )
    ).Certificate as { CertificateId: string };
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const sshKey = (
      await ok(
        'upload-ssh-public-key',
        '--user-name',
        'leaver',
        '--ssh-public-key-body',
        file('key.pem', pem),
      )
    ).SSHPublicKey as { SSHPublicKeyId: string };
    const credential = (
      await ok(
        'create-service-specific-credential',
        '--user-name',
        'leaver',
        '--service-name',
        'codecommit.amazonaws.com',
      )
    ).ServiceSpecificCredential as { ServiceSpecificCredentialId: string; ServiceUserName: string };
    const seedFile = join(dir, 'seed.txt');
    const device = (
      await ok(
        'create-virtual-mfa-device',
        '--virtual-mfa-device-name',
        'leaver',
        '--path',
        '/onboarded/',
        '--outfile',
        seedFile,
        '--bootstrap-method',
        'Base32StringSeed',
      )
    ).VirtualMFADevice as { SerialNumber: string };
    const seed = readFileSync(seedFile, 'ascii');
    const now = Date.now();
    await ok(
      'enable-mfa-device',
      '--user-name',
      'leaver',
      '--serial-number',
      device.SerialNumber,
      '--authentication-code1',
      totp(seed, now - 30_000),
      '--authentication-code2',
      totp(seed, now),
    );
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'codecommit:GitPull', Resource: '*' }],
    });
    await ok(
      'put-user-policy',
      '--user-name',
      'leaver',
      '--policy-name',
      'git',
      '--policy-document',
      file('p.json', document),
    );
    await ok(
      'attach-user-policy',
      '--user-name',
      'leaver',
      '--policy-arn',
      'arn:aws:iam::aws:policy/IAMUserChangePassword',
    );
    await ok('create-group', '--group-name', 'Developers');
    await ok('add-user-to-group', '--user-name', 'leaver', '--group-name', 'Developers');

    // Act and assert: refused while any dependent remains.
    const refused = await aws('delete-user', '--user-name', 'leaver');
    expect(refused).toMatchObject({ ok: false });
    if (refused.ok) return;
    // aws CLI v1 exits 255 on a service error, v2 254.
    expect([254, 255]).toContain(refused.code);
    expect(refused.stderr).toContain(
      'An error occurred (DeleteConflict) when calling the DeleteUser operation: Cannot delete entity, must delete login profile first.',
    );

    // The API Reference's order: password, access keys, signing certificate, SSH key, Git
    // credentials, MFA device, inline policies, attached managed policies, group memberships.
    await ok('delete-login-profile', '--user-name', 'leaver');
    await ok('delete-access-key', '--user-name', 'leaver', '--access-key-id', key.AccessKeyId);
    await ok(
      'delete-signing-certificate',
      '--user-name',
      'leaver',
      '--certificate-id',
      certificate.CertificateId,
    );
    await ok('delete-ssh-public-key', '--user-name', 'leaver', '--ssh-public-key-id', sshKey.SSHPublicKeyId);
    await ok(
      'delete-service-specific-credential',
      '--user-name',
      'leaver',
      '--service-specific-credential-id',
      credential.ServiceSpecificCredentialId,
    );
    await ok('deactivate-mfa-device', '--user-name', 'leaver', '--serial-number', device.SerialNumber);
    await ok('delete-virtual-mfa-device', '--serial-number', device.SerialNumber);
    await ok('delete-user-policy', '--user-name', 'leaver', '--policy-name', 'git');
    await ok(
      'detach-user-policy',
      '--user-name',
      'leaver',
      '--policy-arn',
      'arn:aws:iam::aws:policy/IAMUserChangePassword',
    );
    const lastRefusal = await aws('delete-user', '--user-name', 'leaver');
    await ok('remove-user-from-group', '--user-name', 'leaver', '--group-name', 'Developers');
    const deleted = await aws('delete-user', '--user-name', 'leaver');
    const gone = await aws('get-user', '--user-name', 'leaver');

    expect(credential.ServiceUserName).toBe(`leaver-at-${ACCOUNT}`);
    expect(lastRefusal).toMatchObject({
      ok: false,
      stderr: expect.stringContaining('Cannot delete entity, must remove users from group first.'),
    });
    expect(deleted).toEqual({ ok: true, json: {} });
    expect(gone).toMatchObject({ ok: false, stderr: expect.stringContaining('(NoSuchEntity)') });
  }, 120_000);

  it('writes the QR code PNG with --bootstrap-method QRCodePNG', async () => {
    const outfile = join(dir, 'qr.png');

    await ok(
      'create-virtual-mfa-device',
      '--virtual-mfa-device-name',
      'qr',
      '--outfile',
      outfile,
      '--bootstrap-method',
      'QRCodePNG',
    );

    expect(readFileSync(outfile).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  }, 30_000);
});
