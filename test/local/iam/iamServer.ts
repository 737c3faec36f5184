import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { Authorizer } from '../../../local/authz/authorizer';
import type { Principal } from '../../../local/authz/principals';
import { deniedError } from '../../../local/aws/serviceErrors';
import type { Caller } from '../../../local/aws/types';
import { Faults } from '../../../local/faults';
import { createIamService } from '../../../local/iam/iamService';
import { JournalStore } from '../../../local/store';
import { clientConfig, rejection, startServiceServer, TEST_CALLER } from '../support/serviceServer';

export const ACCOUNT = '000000000000';

export type IamEmulator = {
  /** A client whose calls are all allowed (TEST_CALLER). */
  iam: IAMClient;
  faults: Faults;
  endpoint: string;
  /** A client signing as `principal` (by its access key id), its calls evaluated by the real Authorizer. */
  clientFor(principal: Principal): IAMClient;
  close(): Promise<void>;
};

const ACCESS_KEY = /Credential=([^/]+)\//;

/**
 * The IAM emulator on its own HTTP server (journal in `dataDir`, or memory only), with real SDK
 * clients. Requests signed with a registered principal's access key are authorized as that
 * principal, with AWS's policy evaluation; any other request is the all-allowed TEST_CALLER.
 */
export async function startIamEmulator(dataDir: string | undefined): Promise<IamEmulator> {
  const faults = new Faults();
  const service = createIamService({ store: JournalStore.open(dataDir, 'iam'), faults, accountId: ACCOUNT });
  const authorizer = new Authorizer('enforce', 'us-east-1', () => undefined);
  const callers = new Map<string, Caller>();
  const server = await startServiceServer((request) => {
    const accessKeyId = ACCESS_KEY.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    return service({ ...request, caller: callers.get(accessKeyId) ?? TEST_CALLER });
  });
  const clients: IAMClient[] = [];
  const client = (credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) => {
    const iam = new IAMClient({ ...clientConfig(server.endpoint, 'us-east-1'), credentials });
    clients.push(iam);
    return iam;
  };
  return {
    iam: client(),
    faults,
    endpoint: server.endpoint,
    clientFor(principal) {
      callers.set(principal.credentials.accessKeyId, {
        principal,
        async authorize(requests) {
          const denied = await authorizer.deniedMessage(principal, requests);
          if (denied) throw deniedError('iam', denied);
        },
      });
      return client(principal.credentials);
    },
    async close() {
      for (const iam of clients) iam.destroy();
      await server.close();
    },
  };
}

/** The SDK exception a call fails with; fails the test when the call succeeds. */
export const failure = (call: Promise<unknown>) => rejection(call, IAMServiceException);
