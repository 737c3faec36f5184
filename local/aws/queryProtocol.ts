import type { AwsError, AwsRequest, AwsResponse } from './types';
import { escapeXml, toXml, type XmlObject } from './xml';

/** AWS's query protocol (IAM, STS, SES v1): form-encoded parameters in, XML in the API version's namespace out. */

/** The parameters of one request: the URL's query string, then (when there is one) the form-encoded body. */
export function queryParameters(request: Pick<AwsRequest, 'query' | 'body'>): URLSearchParams {
  const values = new URLSearchParams(request.query);
  if (request.body.length > 0) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) values.set(name, value);
  }
  return values;
}

function xmlResponse(status: number, body: string, requestId: string): AwsResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** `<XxxResponse><XxxResult>…</XxxResult><ResponseMetadata/></XxxResponse>`; no Result element when `result` is undefined. */
export function querySuccess(
  namespace: string,
  action: string,
  result: XmlObject | undefined,
  requestId: string,
): AwsResponse {
  const resultXml = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  const body =
    `<${action}Response xmlns="${namespace}">${resultXml}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return xmlResponse(200, body, requestId);
}

export function queryError(namespace: string, error: AwsError, requestId: string): AwsResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlResponse(error.status, body, requestId);
}

/**
 * EC2's variant of the query protocol: errors are `<Response><Errors><Error>` with a `RequestID`,
 * and no namespace or Type.
 */
export function ec2Error(error: AwsError, requestId: string): AwsResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`;
  return xmlResponse(error.status, body, requestId);
}
