import type { AwsError, AwsResponse } from './types';

/** AWS's REST-JSON protocol (SES v2): an error is `{"message": ...}` with its code in `x-amzn-ErrorType`. */
export function restJsonError(error: AwsError, requestId: string): AwsResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': error.code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ message: error.message }),
  };
}
