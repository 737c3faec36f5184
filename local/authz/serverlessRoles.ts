import { type IntrinsicValues, resolveIntrinsics, type ServiceConfig } from '../serverlessConfig';
import type { PolicyDocument } from './policyEvaluation';
import { type Role, roleId, roleName } from './principals';

type RoleProperties = {
  Policies?: Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>;
  ManagedPolicyArns?: unknown;
  PermissionsBoundary?: unknown;
  RoleName?: string;
  Path?: string;
};

/**
 * The IAM roles of serverless.yml's resources as CloudFormation creates them: the name it generates
 * (or RoleName), the ARN, and each inline policy with every intrinsic resolved to local values, so
 * the local stack enforces the documents that deploy.
 */
export function rolesOf(
  resources: ServiceConfig['resources'],
  stackName: string,
  values: IntrinsicValues,
): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const properties = resolveIntrinsics(resource.Properties ?? {}, values) as RoleProperties;
    // Not modelled: refuse rather than enforce less than deploys.
    if (properties.ManagedPolicyArns !== undefined || properties.PermissionsBoundary !== undefined) {
      throw new Error(
        `${logicalId}: ManagedPolicyArns and PermissionsBoundary are not supported by the local stack`,
      );
    }
    const name = properties.RoleName ?? roleName(stackName, logicalId);
    const arn = `arn:aws:iam::${values.accountId}:role${properties.Path ?? '/'}${name}`;
    roles.set(logicalId, {
      logicalId,
      name,
      arn,
      id: roleId(arn),
      policies: (properties.Policies ?? []).map((policy) => ({
        name: `${name}/${policy.PolicyName}`,
        document: policy.PolicyDocument,
      })),
    });
  }
  return roles;
}
