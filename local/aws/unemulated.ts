import { randomUUID } from 'node:crypto';
import { jsonError } from './jsonProtocol';
import { ec2Error, queryError, queryParameters } from './queryProtocol';
import { restJsonError } from './restJsonProtocol';
import { restXmlError } from './restXmlProtocol';
import { EMULATED_SERVICES } from './services';
import { AwsError, type AwsResponse, type UnauthenticatedRequest } from './types';

/**
 * The answer to a request for a service the local stack does not emulate, in that service's own
 * protocol, so a client reports it as that service's error and stops at once: every status here is
 * one neither the aws CLI nor the SDKs retry (they retry 500, 502, 503, 504 and throttling codes).
 *
 * - S3 (REST-XML): 501 `NotImplemented`, S3's code for functionality it does not implement.
 * - EC2: 400 `InvalidAction` in EC2's `<Response><Errors>` shape.
 * - Any other, by the request's shape: an `X-Amz-Target` is AWS JSON (400
 *   `UnknownOperationException`, as AWS answers an unknown target); an `Action` parameter is the
 *   query protocol (400 `InvalidAction`, AWS's common error); anything else is REST-JSON (404
 *   `UnknownOperationException` in `x-amzn-ErrorType`, as AWS answers an unknown route).
 */
export function unemulatedAnswer(service: string | undefined, request: UnauthenticatedRequest): AwsResponse {
  const requestId = randomUUID();
  const what = service
    ? `the ${service} service`
    : 'this request (neither a SigV4 credential scope nor an X-Amz-Target names a service)';
  const message = `The iam-onboarding local stack does not emulate ${what}. It emulates ${EMULATED_SERVICES}.`;
  if (service === 's3') {
    return restXmlError(new AwsError(501, 'NotImplemented', message), request.path, requestId);
  }
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') {
    const version = /x-amz-json-1\.0/.test(String(request.headers['content-type'])) ? '1.0' : '1.1';
    return jsonError({ version }, new AwsError(400, 'UnknownOperationException', message), requestId);
  }
  const parameters = queryParameters(request);
  if (parameters.has('Action')) {
    const invalid = new AwsError(400, 'InvalidAction', message);
    if (service === 'ec2') return ec2Error(invalid, requestId);
    const version = parameters.get('Version') ?? '';
    return queryError(`https://${service ?? 'aws'}.amazonaws.com/doc/${version}/`, invalid, requestId);
  }
  return restJsonError(new AwsError(404, 'UnknownOperationException', message), requestId);
}
