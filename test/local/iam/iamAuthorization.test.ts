import type { Principal } from '../../../local/authz/principals';
import { iamAuthorizations } from '../../../local/iam/authorization';
import { Params } from '../../../local/iam/params';
import { IamState } from '../../../local/iam/state';
import { JournalStore } from '../../../local/store';

const ACCOUNT = '123456789012';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/iam-onboarding-boundary`;

const params = (values: Record<string, string>) =>
  Params.fromRequest({
    query: new URLSearchParams(),
    body: Buffer.from(new URLSearchParams(values).toString()),
  });

let state: IamState;
beforeEach(() => {
  state = new IamState(JournalStore.open(undefined, 'iam'), ACCOUNT);
  state.users.set('ada', {
    userName: 'Ada',
    path: '/onboarded/',
    userId: 'AIDAADA',
    arn: `arn:aws:iam::${ACCOUNT}:user/onboarded/Ada`,
    createDate: '2026-01-01T00:00:00Z',
    permissionsBoundaryArn: BOUNDARY,
    tags: [{ key: 'managedBy', value: 'iam-onboarding' }],
    groupKeys: [],
    attachedPolicyArns: [],
  });
});

/** The IAM User Guide and the Service Authorization Reference: what each request is authorized as. */
describe('iamAuthorizations', () => {
  it('authorizes CreateUser on the new user under its path, with the boundary, and its tags also as TagUser', async () => {
    const requests = await iamAuthorizations(
      'CreateUser',
      params({
        Action: 'CreateUser',
        UserName: 'grace',
        Path: '/onboarded/',
        PermissionsBoundary: BOUNDARY,
        'Tags.member.1.Key': 'managedBy',
        'Tags.member.1.Value': 'iam-onboarding',
      }),
      state,
    );
    const resource = `arn:aws:iam::${ACCOUNT}:user/onboarded/grace`;
    expect(requests).toEqual([
      {
        action: 'iam:CreateUser',
        resource,
        keys: expect.objectContaining({
          'iam:PermissionsBoundary': BOUNDARY,
          'aws:RequestTag/managedBy': 'iam-onboarding',
          'aws:TagKeys': ['managedBy'],
        }),
      },
      expect.objectContaining({ action: 'iam:TagUser', resource }),
    ]);
  });

  it('authorizes CreateUser without tags as CreateUser alone', async () => {
    const requests = await iamAuthorizations(
      'CreateUser',
      params({ Action: 'CreateUser', UserName: 'grace' }),
      state,
    );
    expect(requests.map((request) => request.action)).toEqual(['iam:CreateUser']);
    expect(requests[0]?.resource).toBe(`arn:aws:iam::${ACCOUNT}:user/grace`);
  });

  it("authorizes AttachUserPolicy on the existing user's ARN, path included, with the policy and its current boundary", async () => {
    const policy = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const [request] = await iamAuthorizations(
      'AttachUserPolicy',
      params({ Action: 'AttachUserPolicy', UserName: 'ada', PolicyArn: policy }),
      state,
    );
    expect(request).toMatchObject({
      action: 'iam:AttachUserPolicy',
      resource: `arn:aws:iam::${ACCOUNT}:user/onboarded/Ada`,
      keys: {
        'iam:PolicyARN': policy,
        'iam:PermissionsBoundary': BOUNDARY,
        'aws:ResourceTag/managedBy': 'iam-onboarding',
      },
    });
  });

  it('authorizes AddUserToGroup on the group, the only resource type AWS lists for it', async () => {
    const [request] = await iamAuthorizations(
      'AddUserToGroup',
      params({ Action: 'AddUserToGroup', UserName: 'ada', GroupName: 'Developers' }),
      state,
    );
    expect(request?.resource).toBe(`arn:aws:iam::${ACCOUNT}:group/Developers`);
  });

  it('authorizes an action on no resource type on "*"', async () => {
    const [request] = await iamAuthorizations(
      'ListAccountAliases',
      params({ Action: 'ListAccountAliases' }),
      state,
    );
    expect(request).toMatchObject({ action: 'iam:ListAccountAliases', resource: '*' });
  });

  it('authorizes UntagUser with the removed keys as aws:TagKeys', async () => {
    const [request] = await iamAuthorizations(
      'UntagUser',
      params({ Action: 'UntagUser', UserName: 'ada', 'TagKeys.member.1': 'managedBy' }),
      state,
    );
    expect(request?.keys?.['aws:TagKeys']).toEqual(['managedBy']);
  });

  describe('for the dependents of a user', () => {
    const ada = `arn:aws:iam::${ACCOUNT}:user/onboarded/Ada`;
    const signedByAda: Principal = {
      arn: ada,
      principalArn: ada,
      type: 'User',
      userId: 'AIDAADA',
      userName: 'Ada',
      accountId: ACCOUNT,
      credentials: { accessKeyId: 'AKIAADA', secretAccessKey: 'secret' },
      policies: () => ({ identity: [] }),
    };

    it('authorizes an action without UserName on the signing user, as IAM infers it', async () => {
      const [request] = await iamAuthorizations(
        'CreateAccessKey',
        params({ Action: 'CreateAccessKey' }),
        state,
        signedByAda,
      );
      expect(request).toMatchObject({ action: 'iam:CreateAccessKey', resource: ada });
    });

    it("authorizes GetAccessKeyLastUsed on the key's owner", async () => {
      state.accessKeys.set('AKIAOWNEDBYADA000000', {
        accessKeyId: 'AKIAOWNEDBYADA000000',
        userKey: 'ada',
        status: 'Active',
        secretAccessKey: 'secret',
        createDate: '2026-01-01T00:00:00Z',
      });
      const [request] = await iamAuthorizations(
        'GetAccessKeyLastUsed',
        params({ Action: 'GetAccessKeyLastUsed', AccessKeyId: 'AKIAOWNEDBYADA000000' }),
        state,
      );
      expect(request?.resource).toBe(ada);
    });

    it('authorizes CreateVirtualMFADevice on the new mfa ARN under its path, its tags also as TagMFADevice', async () => {
      const requests = await iamAuthorizations(
        'CreateVirtualMFADevice',
        params({
          Action: 'CreateVirtualMFADevice',
          VirtualMFADeviceName: 'ada-phone',
          Path: '/onboarded/',
          'Tags.member.1.Key': 'owner',
          'Tags.member.1.Value': 'ada',
        }),
        state,
      );
      const resource = `arn:aws:iam::${ACCOUNT}:mfa/onboarded/ada-phone`;
      expect(requests).toEqual([
        expect.objectContaining({ action: 'iam:CreateVirtualMFADevice', resource }),
        expect.objectContaining({ action: 'iam:TagMFADevice', resource }),
      ]);
    });

    it('authorizes DeleteVirtualMFADevice on the serial number, the mfa ARN', async () => {
      const serial = `arn:aws:iam::${ACCOUNT}:mfa/ada-phone`;
      const [request] = await iamAuthorizations(
        'DeleteVirtualMFADevice',
        params({ Action: 'DeleteVirtualMFADevice', SerialNumber: serial }),
        state,
      );
      expect(request).toMatchObject({ action: 'iam:DeleteVirtualMFADevice', resource: serial });
    });

    it("passes the credential's service as iam:ServiceSpecificCredentialServiceName", async () => {
      const [request] = await iamAuthorizations(
        'CreateServiceSpecificCredential',
        params({
          Action: 'CreateServiceSpecificCredential',
          UserName: 'ada',
          ServiceName: 'codecommit.amazonaws.com',
        }),
        state,
      );
      expect(request?.keys?.['iam:ServiceSpecificCredentialServiceName']).toBe('codecommit.amazonaws.com');
    });
  });
});
