import { renderError } from '../aws/serviceErrors';
import type { AwsResponse, AwsService } from '../aws/types';
import { AwsError } from '../aws/types';
import type { Faults } from '../faults';
import { sesAction, sesAuthorizations } from './authorization';

/** Forwards SES calls to aws-ses-v2-local, after fault injection (SES v2 is REST-JSON). */
export function createSesProxy(
  target: string,
  faults: Faults,
  account: { accountId: string; region: string },
): AwsService {
  return async (request): Promise<AwsResponse> => {
    try {
      faults.check('ses', sesAction(request));
      await request.caller.authorize(sesAuthorizations(request, account));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return renderError('ses', error);
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([k, v]) =>
        typeof v === 'string' && k !== 'host' ? [[k, v]] : [],
      ),
    );
    const query = request.query.toString();
    const response = await fetch(`${target}${request.path}${query ? `?${query}` : ''}`, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
    });
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body: await response.text(),
    };
  };
}
