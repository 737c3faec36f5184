import { randomUUID } from 'node:crypto';
import { queryError, queryParameters, querySuccess } from '../aws/queryProtocol';
import { SERVICE_PROTOCOLS } from '../aws/services';
import { AwsError, type AwsService } from '../aws/types';
import { internalFailure, invalidAction, missingAction, VERSION } from './errors';
import { identityActions } from './identityActions';

const { namespace: NAMESPACE } = SERVICE_PROTOCOLS.sts;

/**
 * STS emulator (query protocol, XML answers) with the one action the project uses:
 * GetCallerIdentity, answered with the signing principal. Like AWS, it needs no permission. Any
 * other action is InvalidAction, as AWS answers an operation it does not know.
 */
export function createStsService(options: { accountId: string }): AwsService {
  const actions = identityActions(options);
  return async (request) => {
    const requestId = randomUUID();
    try {
      const params = queryParameters(request);
      const action = params.get('Action');
      if (!action) throw missingAction();
      const version = params.get('Version') ?? VERSION;
      const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!handler || version !== VERSION) throw invalidAction(action, version);
      return querySuccess(NAMESPACE, action, handler(request.caller), requestId);
    } catch (error) {
      return queryError(NAMESPACE, error instanceof AwsError ? error : internalFailure(), requestId);
    }
  };
}
