import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, AwsService } from '../aws/types';
import { AwsError } from '../aws/types';

const VERSION = '2011-06-15';
const NAMESPACE = `https://sts.amazonaws.com/doc/${VERSION}/`;

/**
 * STS emulator (query protocol, XML answers) with the one action the project uses:
 * GetCallerIdentity, answered with the signing principal (a role session's assumed-role ARN and
 * `AROA…:<session>` id, or a user's ARN and id). Like AWS, it needs no permission. Any other action
 * is InvalidAction, as AWS answers an operation it does not know.
 */
export function createStsService(options: { accountId: string }): AwsService {
  const { accountId } = options;
  return async (request) => {
    const requestId = randomUUID();
    try {
      const params = parameters(request);
      const action = params.get('Action');
      if (!action) throw new AwsError(400, 'MissingAction', 'Missing Action');
      const version = params.get('Version') ?? VERSION;
      if (action !== 'GetCallerIdentity' || version !== VERSION) {
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`);
      }
      const caller = request.caller.principal;
      const result = [
        `<Arn>${escapeXml(caller.arn)}</Arn>`,
        `<UserId>${escapeXml(caller.userId)}</UserId>`,
        `<Account>${escapeXml(accountId)}</Account>`,
      ].join('');
      return xml(
        200,
        requestId,
        `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>${result}</GetCallerIdentityResult>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    } catch (error) {
      const failure =
        error instanceof AwsError
          ? error
          : new AwsError(500, 'InternalFailure', 'An internal error occurred.');
      return xml(
        failure.status,
        requestId,
        `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${failure.type}</Type><Code>${escapeXml(failure.code)}</Code>` +
          `<Message>${escapeXml(failure.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  };
}

/** Query-protocol parameters: the URL's query string, then (for POST) the form-encoded body. */
function parameters(request: AwsRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  if (request.method === 'POST') {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

function xml(status: number, requestId: string, body: string): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
