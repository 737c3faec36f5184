import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateVirtualMFADeviceCommand,
  DeleteSigningCertificateCommand,
  EnableMFADeviceCommand,
  type IAMClient,
  ListSigningCertificatesCommand,
  PutUserPolicyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { totp } from '../../local/iam/totp';
import { CERTIFICATE_A } from '../local/iam/fixtures/signingCertificates';

/** An RSA public key in OpenSSH form, built from the key's modulus and exponent (RFC 4253 6.6). */
export function sshRsa(bits = 2048): { openSsh: string; pem: string; md5: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (bytes: Buffer) => {
    const out = Buffer.alloc(4 + bytes.length);
    out.writeUInt32BE(bytes.length);
    bytes.copy(out, 4);
    return out;
  };
  const mpint = (base64url: string) => {
    const bytes = Buffer.from(base64url, 'base64url');
    return field((bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e ?? ''), mpint(jwk.n ?? '')]);
  const md5 = createHash('md5')
    .update(blob)
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:');
  return {
    openSsh: `ssh-rsa ${blob.toString('base64')} ada@laptop`,
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    md5,
  };
}

/** Two consecutive codes of a seed, as an authenticator app shows them: the previous and the current. */
export function consecutiveCodes(seed: string): { AuthenticationCode1: string; AuthenticationCode2: string } {
  const now = Date.now();
  return { AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) };
}

/**
 * Gives `userName` one of every dependent IAM's DeleteUser refuses to delete a user with, as ops or
 * the employee could through the SDK: an access key, a signing certificate, an SSH public key, a
 * CodeCommit credential, an enabled virtual MFA device, an inline policy, a group joined by hand and
 * a policy attached by hand (`groupName`, `policyArn`), and a login profile unless `loginProfile` is false.
 */
export async function giveEveryDependent(
  iam: IAMClient,
  userName: string,
  {
    groupName,
    policyArn,
    loginProfile = true,
  }: { groupName: string; policyArn: string; loginProfile?: boolean },
): Promise<{ accessKeyId: string; mfaSerial: string }> {
  const UserName = userName;
  if (loginProfile)
    await iam.send(
      new CreateLoginProfileCommand({
        UserName,
        Password: 'Correct-Horse-Battery-7',
        PasswordResetRequired: false,
      }),
    );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
  await iam.send(new UploadSigningCertificateCommand({ UserName, CertificateBody: CERTIFICATE_A }));
  await iam.send(new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody: sshRsa().openSsh }));
  await iam.send(
    new CreateServiceSpecificCredentialCommand({ UserName, ServiceName: 'codecommit.amazonaws.com' }),
  );
  const { VirtualMFADevice } = await iam.send(
    new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName}-phone` }),
  );
  const mfaSerial = String(VirtualMFADevice?.SerialNumber);
  const seed = Buffer.from(VirtualMFADevice?.Base32StringSeed ?? new Uint8Array()).toString('utf8');
  await iam.send(
    new EnableMFADeviceCommand({ UserName, SerialNumber: mfaSerial, ...consecutiveCodes(seed) }),
  );
  await iam.send(
    new PutUserPolicyCommand({
      UserName,
      PolicyName: 'handwritten',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
      }),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: groupName })).catch((error: Error) => {
    if (error.name !== 'EntityAlreadyExistsException') throw error;
  });
  await iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName }));
  await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: policyArn }));
  return { accessKeyId: String(AccessKey?.AccessKeyId), mfaSerial };
}

/**
 * Deletes the user's signing certificates, if the user is still there: the fixed certificate
 * giveEveryDependent uploads may belong to one user at a time, so a run that left its user behind
 * must release it before the next run gives it to another.
 */
export async function releaseSigningCertificates(iam: IAMClient, userName: string): Promise<void> {
  const { Certificates = [] } = await iam
    .send(new ListSigningCertificatesCommand({ UserName: userName }))
    .catch(() => ({ Certificates: [] }));
  for (const { CertificateId } of Certificates)
    await iam.send(new DeleteSigningCertificateCommand({ UserName: userName, CertificateId }));
}
