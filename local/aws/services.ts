/**
 * The wire protocol of each emulated service, by its SigV4 signing name: the query protocol (form
 * parameters in, XML out, with the API version's namespace), AWS JSON 1.0/1.1 (`X-Amz-Target:
 * <prefix>.<Action>`) or REST-JSON (SES v2, Lambda).
 */
export const SERVICE_PROTOCOLS = {
  iam: { protocol: 'query', namespace: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  sts: { protocol: 'query', namespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  secretsmanager: { protocol: 'json', version: '1.1', targetPrefix: 'secretsmanager' },
  states: { protocol: 'json', version: '1.0', targetPrefix: 'AWSStepFunctions' },
  dynamodb: { protocol: 'json', version: '1.0', targetPrefix: 'DynamoDB_20120810' },
  ses: { protocol: 'rest-json' },
  lambda: { protocol: 'rest-json' },
} as const;

export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[keyof typeof SERVICE_PROTOCOLS];

/** What the local AWS endpoint emulates, in the words every "not emulated" answer uses. */
export const EMULATED_SERVICES =
  'IAM, STS, Secrets Manager, Step Functions, DynamoDB (CreateTable, DescribeTable, ListTables, ' +
  'DeleteTable, GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan and TransactWriteItems), SES (v1 ' +
  'SendEmail and SendRawEmail; v2 SendEmail, SendBulkEmail and the email templates) and Lambda (Invoke)';
