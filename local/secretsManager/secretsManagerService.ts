import { parseJsonBody, serveJson } from '../aws/jsonProtocol';
import { SERVICE_PROTOCOLS } from '../aws/services';
import type { AwsService } from '../aws/types';
import { AwsError } from '../aws/types';
import type { Faults } from '../faults';
import type { JournalStore } from '../store';
import { authorizations } from './authorization';
import { listSecrets } from './listActions';
import type { StoredSecret } from './model';
import {
  createSecret,
  deleteSecret,
  describeSecret,
  getSecretValue,
  putSecretValue,
  restoreSecret,
} from './secretActions';
import { purgeExpired, type SecretsAction, type SecretsState } from './state';
import { tagResource, untagResource } from './tagActions';

/**
 * Secrets Manager emulator (AWS JSON 1.1, `X-Amz-Target: secretsmanager.<Action>`): CreateSecret,
 * GetSecretValue, PutSecretValue, DescribeSecret, DeleteSecret, RestoreSecret, ListSecrets,
 * TagResource and UntagResource, with the API reference's validation rules, staging labels,
 * ClientRequestToken idempotency and the recovery window. Secrets (values included) live in the
 * JournalStore so a restart loses nothing; a secret whose recovery window has ended is purged the
 * next time the service is called.
 */

const PROTOCOL = SERVICE_PROTOCOLS.secretsmanager;
const INTERNAL_ERROR = new AwsError(500, 'InternalServiceError', 'An error occurred on the server side.');

export function createSecretsManagerService(options: {
  store: JournalStore;
  faults: Faults;
  accountId: string;
  region: string;
}): AwsService {
  const context: SecretsState = {
    secrets: options.store.collection<StoredSecret>('secrets'),
    accountId: options.accountId,
    region: options.region,
  };
  return (request) =>
    serveJson(
      request,
      PROTOCOL,
      async (action) => {
        if (request.method !== 'POST' || !action) {
          throw new AwsError(400, 'UnknownOperationException', 'The requested operation is not supported.');
        }
        options.faults.check('secretsmanager', action);
        const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
        if (!handler) throw new AwsError(400, 'UnknownOperationException', `Unknown operation ${action}.`);
        const input = parseJsonBody(request.body);
        purgeExpired(context);
        await request.caller.authorize(authorizations(context, action, input));
        return handler(context, input);
      },
      { error: INTERNAL_ERROR },
    );
}

const ACTIONS: Record<string, SecretsAction> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DescribeSecret: describeSecret,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  ListSecrets: listSecrets,
  TagResource: tagResource,
  UntagResource: untagResource,
};
