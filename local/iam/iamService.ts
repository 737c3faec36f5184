import { randomUUID } from 'node:crypto';
import { queryError, querySuccess } from '../aws/queryProtocol';
import { SERVICE_PROTOCOLS } from '../aws/services';
import { AwsError, type AwsService } from '../aws/types';
import type { Faults } from '../faults';
import type { JournalStore } from '../store';
import { accessKeyActions } from './accessKeyActions';
import { accountActions } from './accountActions';
import { attachmentActions } from './attachmentActions';
import { iamAuthorizations } from './authorization';
import { invalidAction, serviceFailure } from './errors';
import { groupActions } from './groupActions';
import { loginProfileActions } from './loginProfileActions';
import { mfaActions } from './mfaActions';
import { type Handlers, Params } from './params';
import { policyActions } from './policyActions';
import { serviceCredentialActions } from './serviceCredentialActions';
import { signingCertificateActions } from './signingCertificateActions';
import { simulationActions } from './simulationActions';
import { sshPublicKeyActions } from './sshPublicKeyActions';
import { IamState } from './state';
import { userActions } from './userActions';
import { userPolicyActions } from './userPolicyActions';

const { namespace: NAMESPACE } = SERVICE_PROTOCOLS.iam;

const HANDLERS: Handlers = {
  ...userActions,
  ...groupActions,
  ...policyActions,
  ...attachmentActions,
  ...loginProfileActions,
  ...accountActions,
  ...simulationActions,
  ...userPolicyActions,
  ...accessKeyActions,
  ...signingCertificateActions,
  ...sshPublicKeyActions,
  ...serviceCredentialActions,
  ...mfaActions,
};

/**
 * The local IAM: AWS's query protocol (API 2010-05-08, XML) over durable state in `store`, with
 * IAM's validation, quotas and error codes. Every request first passes `faults.check('iam', Action)`,
 * then the caller's policies.
 */
export function createIamService(options: {
  store: JournalStore;
  faults: Faults;
  accountId: string;
}): AwsService {
  const state = new IamState(options.store, options.accountId);
  return async (request) => {
    const requestId = randomUUID();
    const params = Params.fromRequest(request);
    const action = params.action ?? '';
    try {
      options.faults.check('iam', action);
      const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
      if (!handler) throw invalidAction(action);
      const { principal } = request.caller;
      await request.caller.authorize(await iamAuthorizations(action, params, state, principal));
      return querySuccess(NAMESPACE, action, await handler(params, state, principal), requestId);
    } catch (error) {
      if (error instanceof AwsError) return queryError(NAMESPACE, error, requestId);
      console.error(`iam: ${action} failed unexpectedly`, error);
      return queryError(NAMESPACE, serviceFailure(), requestId);
    }
  };
}
