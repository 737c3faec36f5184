import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';

/** The SDK clients the commands use. */
export type Clients = { sfn: SFNClient; iam: IAMClient; sts: STSClient; lambda: LambdaClient };

/** `--profile` and `--region`; anything not given comes from the SDK's default chain. */
export type ClientOptions = { profile?: string; region?: string };

/**
 * SDK clients configured like the aws CLI: the default credential chain (or `profile`), `region` or
 * AWS_REGION / the profile's region, and the endpoint variables (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_LAMBDA) that
 * point them at the local stack.
 */
export function createClients(options: ClientOptions = {}): Clients {
  const config = {
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.region !== undefined && { region: options.region }),
  };
  return {
    sfn: new SFNClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    // One attempt: an invocation has side effects, and a retry after a lost answer would repeat them.
    lambda: new LambdaClient({ ...config, maxAttempts: 1 }),
  };
}

export function destroyClients(clients: Clients): void {
  clients.sfn.destroy();
  clients.iam.destroy();
  clients.sts.destroy();
  clients.lambda.destroy();
}
