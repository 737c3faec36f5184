import type { XmlObject } from '../aws/xml';
import type { GroupRecord, ManagedPolicy, Tag, UserRecord } from './model';
import type { IamState } from './state';

export function tagsXml(tags: readonly Tag[]): XmlObject[] {
  return tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
}

/** List operations return a subset of a user's attributes: no tags, no permissions boundary. */
export function userXml(user: UserRecord, detail: 'full' | 'listing'): XmlObject {
  const boundary = user.permissionsBoundaryArn;
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: user.createDate,
    ...(detail === 'full' && {
      PermissionsBoundary: boundary && {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: boundary,
      },
      Tags: user.tags.length > 0 ? tagsXml(user.tags) : undefined,
    }),
  };
}

export function groupXml(group: GroupRecord): XmlObject {
  return {
    Path: group.path,
    GroupName: group.groupName,
    GroupId: group.groupId,
    Arn: group.arn,
    CreateDate: group.createDate,
  };
}

/** Description and tags appear in GetPolicy and CreatePolicy, not in ListPolicies. */
export function policyXml(policy: ManagedPolicy, state: IamState, detail: 'full' | 'listing'): XmlObject {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: state.attachmentCount(policy.arn),
    PermissionsBoundaryUsageCount: state.permissionsBoundaryUsageCount(policy.arn),
    IsAttachable: policy.isAttachable,
    ...(detail === 'full' && {
      Description: policy.description,
      Tags: policy.tags.length > 0 ? tagsXml(policy.tags) : undefined,
    }),
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
  };
}

export function attachedPolicyXml(policy: ManagedPolicy): XmlObject {
  return { PolicyName: policy.policyName, PolicyArn: policy.arn };
}
