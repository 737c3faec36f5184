import type { AwsError, AwsResponse } from './types';
import { escapeXml } from './xml';

/**
 * AWS's REST-XML protocol as S3 speaks it: an error is an `<Error>` document (Code, Message,
 * Resource, RequestId) with `application/xml` and the error's status, the request id also in
 * `x-amz-request-id` (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
export function restXmlError(error: AwsError, resource: string, requestId: string): AwsResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body,
  };
}
