import type { AuthorizationRequest } from '../authz/authorizer';
import type { AwsRequest } from '../aws/types';

/**
 * SendEmail is authorized on the sending identity (here the From address's domain, the identity the
 * deployment verifies) with the From address and every recipient as condition keys.
 */
export function sesAuthorizations(
  request: AwsRequest,
  { accountId, region }: { accountId: string; region: string },
): AuthorizationRequest[] {
  const name = sesAction(request);
  // Operations SES does not have are answered by the SES emulator, as AWS answers them.
  if (!/^[A-Za-z]+$/.test(name)) return [];
  const action = `ses:${name}`;
  if (action !== 'ses:SendEmail') return [{ action, resource: '*' }];
  let input: {
    FromEmailAddress?: unknown;
    Destination?: { ToAddresses?: unknown; CcAddresses?: unknown; BccAddresses?: unknown };
  } = {};
  try {
    input = JSON.parse(request.body.toString('utf8')) as typeof input;
  } catch {
    // SES answers the malformed body itself.
  }
  const from = typeof input.FromEmailAddress === 'string' ? input.FromEmailAddress : '';
  const address = /<([^>]*)>\s*$/.exec(from)?.[1] ?? from.trim();
  const displayName = from.includes('<') ? from.slice(0, from.indexOf('<')).trim().replace(/^"|"$/g, '') : '';
  const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) => {
    const list = input.Destination?.[field as keyof NonNullable<typeof input.Destination>];
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  });
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return [
    {
      action,
      resource: `arn:aws:ses:${region}:${accountId}:identity/${domain}`,
      keys: {
        'ses:ApiVersion': '2',
        'ses:FromAddress': address,
        'ses:Recipients': recipients,
        ...(displayName ? { 'ses:FromDisplayName': displayName } : {}),
      },
    },
  ];
}

/** The SES action a request calls: the SES v2 path's operation, else the v1 query `Action`. */
export function sesAction(request: AwsRequest): string {
  if (request.path === '/v2/email/outbound-emails') return 'SendEmail';
  if (request.path === '/v2/email/outbound-bulk-emails') return 'SendBulkEmail';
  return new URLSearchParams(request.body.toString('utf8')).get('Action') ?? request.path;
}
