import { ID_PREFIX, stableId } from './ids';
import type { ManagedPolicy } from './model';

type Statement = Record<string, unknown>;

type Definition = {
  name: string;
  path: string;
  description: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  statements: Statement[];
};

const allow = (action: string | string[], resource: string | string[] = '*'): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
});

/**
 * The AWS managed policies the access profiles use, with AWS's names, paths, default versions and
 * dates (AWS Managed Policy Reference). Large documents are abbreviated to a representative subset
 * of their actions; their ids are stable but not AWS's.
 */
const DEFINITIONS: Definition[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    defaultVersionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    statements: [allow('*')],
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    description:
      'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    defaultVersionId: 'v12',
    createDate: '2015-02-06T18:39:47Z',
    updateDate: '2026-02-12T17:59:14Z',
    statements: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      allow([
        'account:GetAccountInformation',
        'account:ListRegions',
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
      ]),
    ],
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    defaultVersionId: 'v182',
    createDate: '2015-02-06T18:39:48Z',
    updateDate: '2026-04-03T15:27:12Z',
    statements: [
      allow([
        'cloudwatch:Describe*',
        'cloudwatch:Get*',
        'cloudwatch:List*',
        'ec2:Describe*',
        'ec2:Get*',
        'iam:Generate*',
        'iam:Get*',
        'iam:List*',
        'iam:Simulate*',
        'logs:Describe*',
        'logs:Get*',
        's3:Get*',
        's3:List*',
      ]),
    ],
  },
  {
    name: 'AmazonEC2FullAccess',
    path: '/',
    description: 'Provides full access to Amazon EC2 via the AWS Management Console.',
    defaultVersionId: 'v5',
    createDate: '2015-02-06T18:40:15Z',
    updateDate: '2018-11-27T02:16:56Z',
    statements: [
      allow('ec2:*'),
      allow('elasticloadbalancing:*'),
      allow('cloudwatch:*'),
      allow('autoscaling:*'),
      {
        ...allow('iam:CreateServiceLinkedRole'),
        Condition: {
          StringEquals: {
            'iam:AWSServiceName': [
              'autoscaling.amazonaws.com',
              'ec2scheduled.amazonaws.com',
              'elasticloadbalancing.amazonaws.com',
              'spot.amazonaws.com',
              'spotfleet.amazonaws.com',
              'transitgateway.amazonaws.com',
            ],
          },
        },
      },
    ],
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    defaultVersionId: 'v3',
    createDate: '2015-02-06T18:40:59Z',
    updateDate: '2023-08-10T21:31:39Z',
    statements: [
      allow(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*']),
    ],
  },
  {
    name: 'AmazonS3FullAccess',
    path: '/',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    defaultVersionId: 'v2',
    createDate: '2015-02-06T18:40:58Z',
    updateDate: '2021-09-27T20:16:37Z',
    statements: [allow(['s3:*', 's3-object-lambda:*'])],
  },
  {
    name: 'CloudWatchReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to CloudWatch.',
    defaultVersionId: 'v24',
    createDate: '2015-02-06T18:40:01Z',
    updateDate: '2026-02-12T18:01:50Z',
    statements: [
      allow([
        'autoscaling:Describe*',
        'cloudwatch:BatchGet*',
        'cloudwatch:Describe*',
        'cloudwatch:Get*',
        'cloudwatch:List*',
        'logs:Get*',
        'logs:List*',
        'logs:StartQuery',
        'logs:StopQuery',
        'logs:Describe*',
        'sns:Get*',
        'sns:List*',
        'xray:BatchGet*',
        'xray:Get*',
        'xray:List*',
      ]),
    ],
  },
  {
    name: 'AWSBillingReadOnlyAccess',
    path: '/',
    description: 'Allows users to view bills on the Billing Console.',
    defaultVersionId: 'v27',
    createDate: '2020-08-27T20:08:51Z',
    updateDate: '2026-04-08T17:12:09Z',
    statements: [
      {
        Sid: 'VisualEditor0',
        ...allow([
          'account:GetAccountInformation',
          'aws-portal:ViewBilling',
          'billing:GetBillingData',
          'billing:GetBillingDetails',
          'budgets:ViewBudget',
          'ce:GetCostAndUsage',
          'cur:DescribeReportDefinitions',
          'invoicing:ListInvoiceSummaries',
          'tax:ListTaxRegistrations',
        ]),
      },
    ],
  },
  {
    name: 'IAMUserChangePassword',
    path: '/',
    description: 'Provides the ability for an IAM user to change their own password.',
    defaultVersionId: 'v5',
    createDate: '2016-11-15T00:25:16Z',
    updateDate: '2026-02-12T17:58:57Z',
    statements: [
      allow(
        ['iam:ChangePassword'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
        ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'],
      ),
      allow(['iam:GetAccountPasswordPolicy']),
    ],
  },
  {
    name: 'IAMReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    defaultVersionId: 'v4',
    createDate: '2015-02-06T18:40:39Z',
    updateDate: '2018-01-25T19:11:27Z',
    statements: [
      allow([
        'iam:GenerateCredentialReport',
        'iam:GenerateServiceLastAccessedDetails',
        'iam:Get*',
        'iam:List*',
        'iam:SimulateCustomPolicy',
        'iam:SimulatePrincipalPolicy',
      ]),
    ],
  },
  {
    name: 'ViewOnlyAccess',
    path: '/job-function/',
    description:
      'This policy grants permissions to view resources and basic metadata across all AWS services.',
    defaultVersionId: 'v45',
    createDate: '2016-11-10T17:20:15Z',
    updateDate: '2026-04-22T18:12:21Z',
    statements: [
      {
        Sid: 'GeneralViewOnlyAccessStatement',
        ...allow([
          'cloudwatch:Get*',
          'cloudwatch:List*',
          'ec2:DescribeInstance*',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeVpc*',
          'iam:GetAccountSummary',
          'iam:GetLoginProfile',
          'iam:List*',
          's3:ListAllMyBuckets',
          's3:ListBucket',
        ]),
      },
    ],
  },
  {
    name: 'AWSSupportServiceRolePolicy',
    path: '/aws-service-role/',
    description: 'Enables resource access for AWS to provide billing, administrative and support services',
    defaultVersionId: 'v57',
    createDate: '2018-04-19T18:04:44Z',
    updateDate: '2026-04-22T18:27:07Z',
    statements: [
      { Sid: 'AWSSupportAPIGatewayAccess', ...allow(['apigateway:GET'], ['arn:aws:apigateway:*::/account']) },
      { Sid: 'AWSSupportActionsGroup1', ...allow(['access-analyzer:getAnalyzer', 'ec2:describeInstances']) },
    ],
  },
];

/** Service-role policies may only be attached to their service-linked role. */
const SERVICE_ROLE_PATH = '/aws-service-role/';

export const AWS_MANAGED_POLICIES: readonly ManagedPolicy[] = DEFINITIONS.map(
  (definition): ManagedPolicy => ({
    policyName: definition.name,
    policyId: stableId(ID_PREFIX.policy, definition.name),
    arn: `arn:aws:iam::aws:policy${definition.path}${definition.name}`,
    path: definition.path,
    defaultVersionId: definition.defaultVersionId,
    description: definition.description,
    document: JSON.stringify({ Version: '2012-10-17', Statement: definition.statements }, null, 2),
    createDate: definition.createDate,
    updateDate: definition.updateDate,
    isAttachable: definition.path !== SERVICE_ROLE_PATH,
    tags: [],
    awsManaged: true,
  }),
);
