import type { AwsError, AwsResponse } from './types';
import { escapeXml, toXml, type XmlObject } from './xml';

const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

function xmlResponse(status: number, body: string, requestId: string): AwsResponse {
  return { status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
}

/** `<XxxResponse><XxxResult>…</XxxResult><ResponseMetadata/></XxxResponse>`; no Result element when `result` is undefined. */
export function successResponse(
  action: string,
  result: XmlObject | undefined,
  requestId: string,
): AwsResponse {
  const resultXml = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  const body =
    `<${action}Response xmlns="${NAMESPACE}">${resultXml}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return xmlResponse(200, body, requestId);
}

export function errorResponse(error: AwsError, requestId: string): AwsResponse {
  const body =
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlResponse(error.status, body, requestId);
}
